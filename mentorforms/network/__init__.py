"""The developmental network map (booklet Appendix A): its people (:mod:`.people`), their counts
(:mod:`.counts`) and readings (:mod:`.readings`), brought together as measured themes
(:mod:`.measures`); its picture (:mod:`.picture`, laid out by :mod:`.layout` and labelled by
:mod:`.labels`), year-over-year changes (:mod:`.compare`) and the hooks the generic form machinery
calls (:mod:`.extras`)."""
