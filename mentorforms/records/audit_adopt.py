"""``mentorforms audit adopt DATA_DIR``: record, once, the workbooks of a folder that the audit trail
does not know (a data folder kept before the trail existed, or versions copied in by hand), so
``audit verify`` checks them from then on instead of naming each as filed outside the app.

Only workbooks that pass the reading boundary are adopted, each in its own ``adopted`` entry with
its SHA-256, by the account that ran the command; a broken or foreign file is named with its
reason and left unrecorded, so verify keeps naming it. Adopting twice records nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import WorkbookError
from mentorforms.records import audit
from mentorforms.records.audit_verify import Chain
from mentorforms.records.store import RECORDS, DataFolder, MisplacedWorkbook, misplaced
from mentorforms.workbooks.workbook import read_record


@dataclass
class Adopted:
    """What an adoption did: the workbooks now recorded, and those left out with why."""

    recorded: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


def recorded_keys(root: Path) -> set[str]:
    """The workbook keys (``records/...``) some entry of the trail of ``root`` records."""
    chain = Chain(audit.log_path(root))
    for line in audit.lines(root):
        chain.take(line)
    return set(chain.recorded)


def adopt(root: Path | str, actor: str) -> Adopted:
    """Record every readable workbook of ``root`` that no entry records yet (see the module notes)."""
    root = Path(root)
    known = recorded_keys(root)
    done = Adopted()
    for path in DataFolder(root).iter_workbooks():
        key = path.relative_to(root).as_posix()
        if key in known:
            continue
        try:
            content = path.read_bytes()
            record = read_record(content, path)
            wrong_place = misplaced(path.relative_to(root / RECORDS).parts, record)
            if wrong_place:  # a copy or a file moved by hand is never adopted as a record
                raise MisplacedWorkbook(path, wrong_place)
        except WorkbookError as error:
            done.refused.append((path, error.reason))
            continue
        except OSError as error:
            done.refused.append((path, error.strerror or str(error)))
            continue
        audit.append(root, "adopted", actor=actor, form_id=record.form_id, person_id=record.person_id,
                     year=record.academic_year.label, files={key: audit.sha256_of(content)},
                     detail=messages.say(messages.AUDIT_ADOPTED_DETAIL, status=record.status.value))
        done.recorded.append(path)
    return done
