"""The Voila pages the app serves: the notebook file of each, as links and the server name them."""

from __future__ import annotations

#: Every form the viewer may open this year.
LANDING = "index.ipynb"
#: One form (``?form=...&person=...&year=...``).
FORM = "form.ipynb"
#: The chair dashboard (chairs: their department; analysts: every department).
DASHBOARD = "dashboard.ipynb"
#: The analyst's Excel export.
ANALYST = "analyst.ipynb"
