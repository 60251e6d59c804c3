"""The developmental network map (booklet Appendix A): its measured themes (:mod:`.measures`),
its picture (:mod:`.picture`), year-over-year changes (:mod:`.compare`), department figures for
the reports (:mod:`.department`), the live panel on the form page (:mod:`.panel`) and the hooks
the generic form machinery calls (:mod:`.extras`)."""
