"""Reminders that go out: who owes what (:func:`outstanding`), the messages to look at
(:func:`preview`) and sending them (:func:`send`), for the command line and for pages.

``rules`` declares the reasons; ``due`` runs them over the report tables; ``mail`` writes one
message per person; ``calendar`` the conference deadline's invitation; ``sentlog`` remembers what
went to whom; ``outbox`` previews and sends.
"""

from __future__ import annotations

from mentorforms.reminders.due import outstanding
from mentorforms.reminders.outbox import Outcome, Plan, preview, send, write_eml
from mentorforms.reminders.rules import RULES, Owed, Rule

__all__ = ["RULES", "Outcome", "Owed", "Plan", "Rule", "outstanding", "preview", "send", "write_eml"]
