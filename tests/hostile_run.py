"""Run every file of a hostile corpus through one entry point, in this process, under a memory cap.

    python tests/hostile_run.py ENTRY DATA_DIR CORPUS_DIR BASE_VERSION [CAP_MB]

ENTRY is one of ``import``, ``check``, ``index``, ``page``, ``carry``. BASE_VERSION is the good
version the corpus was made from (in DATA_DIR). Prints one JSON line per case: its name, the
seconds it took, ``outcome`` (``refused`` with the reason naming the file, or ``accepted`` with
``same``: whether what was accepted equals the good file's record) and, last, the process's peak
resident memory. The address space is capped with RLIMIT_AS, so a reader that tries to unpack a
bomb fails here instead of taking the machine's memory.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path


def _cap(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> int:
    entry, data_dir, corpus_dir, base_path = argv[:4]
    if len(argv) > 4:
        _cap(int(argv[4]))
    from mentorforms.commands.check import check_workbook
    from mentorforms.errors import WorkbookError
    from mentorforms.records.store import DataFolder
    from mentorforms.reports.index_read import read_one
    from mentorforms.rules.offline import ImportRefused, import_workbook
    from mentorforms.ui.prefill import latest_submitted
    from mentorforms.workbooks.workbook import read_record

    root = Path(data_dir)
    folder = DataFolder(root)
    base_path = Path(base_path)
    base = read_record(base_path)
    newest = base_path.parent / "v9999.xlsx"  # the hostile file as the person's newest version

    def run(case: Path) -> dict:
        if entry == "import":
            before = len(list(base_path.parent.iterdir()))
            try:
                stored = import_workbook(case, root)
            except ImportRefused as refused:
                return {"outcome": "refused", "reason": str(refused.problems[0]), "named": str(case) in str(refused)}
            same = {k: v for k, v in read_record(stored.path).values.items()} == base.values
            stored.path.unlink()
            assert len(list(base_path.parent.iterdir())) == before
            return {"outcome": "accepted", "same": same}
        if entry == "check":
            problems = check_workbook(case)
            if problems:
                line = str(problems[0])
                return {"outcome": "refused", "reason": line, "named": line.startswith(str(case)),
                        "lines": [str(problem).count("\n") + 1 for problem in problems]}
            return {"outcome": "accepted", "same": read_record(case) == base}
        if entry == "index":
            stat = case.stat()
            found = read_one(str(case.parent), case.name, stat.st_size, stat.st_mtime_ns, 0)
            if found[5] is not None:
                return {"outcome": "refused", "reason": found[5], "named": True}
            return {"outcome": "accepted", "same": read_record(case) == base}
        shutil.copyfile(case, newest)
        try:
            if entry == "page":
                record, stored, errors = folder.latest_readable(base.form_id, base.academic_year, base.person_id)
                if stored is not None and stored.path == newest:
                    return {"outcome": "accepted", "same": record == base}
                return {"outcome": "refused", "reason": errors[0].reason if errors else "",
                        "named": bool(errors) and errors[0].path == newest and stored.path == base_path
                        and record == base}
            if entry == "carry":
                record = latest_submitted(folder, base.form_id, base.academic_year, base.person_id)
                # What is carried forward is the good version (or a hostile file that reads exactly as it).
                return {"outcome": "accepted", "same": record == base}
        finally:
            newest.unlink(missing_ok=True)
        raise SystemExit(f"unknown entry point {entry!r}")

    for case in sorted(Path(corpus_dir).glob("*.xlsx")):
        started = time.perf_counter()
        try:
            result = run(case)
        except (MemoryError, WorkbookError) as error:
            result = {"outcome": "crashed", "reason": f"{type(error).__name__}: {error}"}
        result.update(case=case.stem, seconds=round(time.perf_counter() - started, 4))
        print(json.dumps(result), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": round(peak, 1), "pid": os.getpid()}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
