"""The audit trail as reminders call it: ``mentorforms.audit.append`` once that module exists.

TEMPORARY: the audit trail (``mentorforms/audit.py``) is being built on another branch. Until it
lands, :func:`append` writes the same fields as one JSON line to
``DATA_DIR/reminders/audit-pending.jsonl`` so no event is lost; on merging the audit branch this
module shrinks to the import.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Sequence

try:
    from mentorforms.audit import append as _append  # type: ignore[import-not-found,attr-defined]
except ModuleNotFoundError as error:
    if error.name != "mentorforms.audit":
        raise
    _append = None

PENDING_NAME = "audit-pending.jsonl"


def append(root: Path | str, action: str, *, actor: str, form_id: str | None = None, person_id: str | None = None,
           year: str | None = None, instance: str | None = None, version: int | None = None,
           files: Sequence[str] | None = None, detail: str = "") -> Any:
    """Record ``action`` by ``actor`` in the audit trail of the data folder ``root``."""
    if _append is not None:
        return _append(root, action, actor=actor, form_id=form_id, person_id=person_id, year=year,
                       instance=instance, version=version, files=files, detail=detail)
    folder = Path(root) / "reminders"
    folder.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "action": action,
                       "actor": actor, "form_id": form_id, "person_id": person_id, "year": year,
                       "instance": instance, "version": version, "files": list(files or ()), "detail": detail},
                      ensure_ascii=False)
    with open(folder / PENDING_NAME, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return None
