"""How fast the reports aggregate a large data folder, against the naive way.

    .venv/bin/python benchmarks/aggregate.py --faculty 12000

Builds (once, cached under benchmarks/out/ by faculty count and seed) a demo data folder with the
demo generator, then measures, in one run:

* cold: no index; refresh it from every workbook (python-calamine on the hidden record sheet, in
  ``--jobs`` processes) and build every department's summary, roster included;
* naive: what an analyst would write: ``pandas.read_excel(path, sheet_name="record")`` (pandas'
  default openpyxl engine) on every workbook, keep the latest version per person, form and year,
  and total the teaching hours. If that would take too long it runs on a random sample and is
  extrapolated (the output says so);
* warm: nothing changed; a fresh index object (as a new dashboard would open) refreshes and builds
  the tables of every department (an analyst's view). The dashboard opens on a quick refresh
  (the folders the audit trail says saves went into; see mentorforms.reports.index) and checks
  every folder and file just after: warm_s is the quick one; the thorough one and a chair's view
  (one department) are printed for information;
* one change: one person saves a new version of their Part I (through the app's save, so it is
  audited); refresh (quick, as the dashboard opens) and build again;
* peak memory of this process and of a reading worker.

"Cold" means a cold *index*: the operating system's file cache is not dropped (that needs root and
disturbs the machine); the generated files were written recently and are likely cached.

* the analyst export: the tables of this year and last and the workbook, written by XlsxWriter
  (export_s, the default) and by openpyxl's streaming writer (export_openpyxl_s, the earlier
  one), with constant-memory XlsxWriter and the Rust-backed rustpy-xlsxwriter (data sheets only)
  printed for information when installed.

The last lines are ``name: value`` pairs: cold_s, naive_s, ratio, warm_s, warm_one_department_s,
one_change_s, peak_mb, export_s, export_openpyxl_s, export_ratio (the second over the first).
peak_mb is measured before the export (whose memory is printed for information).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import resource
import subprocess
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
#: The demo is made "as of" this day, so a cached dataset does not depend on when it was made.
DEMO_TODAY = dt.date(2026, 11, 22)


def dataset_folder(faculty: int, seed: int, years: int) -> Path:
    name = f"faculty-{faculty}-seed-{seed}" + (f"-years-{years}" if years != 2 else "")
    return OUT / name


def ensure_dataset(faculty: int, seed: int, years: int, jobs: int) -> Path:
    """The cached dataset's data folder, generating it (in a child process) if it is not complete."""
    folder = dataset_folder(faculty, seed, years)
    data = folder / "data"
    if (folder / "complete").is_file():
        from mentorforms.records.store import mark_data_folder
        mark_data_folder(data)  # a dataset cached before data folders had their marker
        return data
    if data.exists():
        print(f"removing the incomplete dataset in {folder}", flush=True)
        import shutil
        shutil.rmtree(data)
    print(f"generating {faculty:,} faculty over {years} years into {data} (cached for later runs)…", flush=True)
    started = time.perf_counter()
    code = (
        "import datetime as dt, sys; from pathlib import Path; from mentorforms.commands.demo import make_demo\n"
        f"s = make_demo(Path(sys.argv[1]), faculty={faculty}, seed={seed}, years={years}, "
        f"today=dt.date({DEMO_TODAY.year}, {DEMO_TODAY.month}, {DEMO_TODAY.day}), jobs={jobs})\n"
        "print(s.workbooks)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(data)], check=True, capture_output=True, text=True)
    (folder / "complete").write_text(result.stdout.strip() + "\n")
    print(f"generated {int(result.stdout.strip()):,} workbooks in {time.perf_counter() - started:.0f} s", flush=True)
    return data


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of the largest finished child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def aggregate(root: Path, jobs: int, progress=None, *, thorough: bool = True, department: str | None = None):
    """What opening the dashboard computes: the roster (validated once, then cached in the index),
    a refreshed index, and the latest year's numbers for every department added up (or one: a
    chair's view), from the department summaries kept in the index (each rebuilt only when one of
    its workbooks changed): completion with names, teaching hours this year and last by category
    and division, goal status, mentoring coverage, agreements to revisit, promotion outlook and support."""
    from mentorforms.reports.department_cache import summary_of
    from mentorforms.reports.index import Index
    from mentorforms.vocabulary.academic_year import AcademicYear

    with Index(root, jobs=jobs) as index:
        roster = index.roster()
        refreshed = index.refresh(progress, thorough=thorough)
        year = AcademicYear(max(index.years()))
        summary = summary_of(index, roster, year, [department] if department else roster.departments, DEMO_TODAY)
    return refreshed, summary


def official_hours(root: Path) -> dict[str, float]:
    """Teaching hours per category over every year, from the index (to check the naive loop)."""
    from mentorforms.reports.index import Index

    with Index(root) as index:
        return dict(index.query("SELECT t.field_id, SUM(t.hours) FROM f_teaching t JOIN files f ON f.id = t.file_id "
                                "WHERE f.is_official = 1 GROUP BY t.field_id"))


def info_timings(root: Path) -> None:
    """Figures that are not targets but tell where time goes: validating the roster without the
    cache (what a page's session does), and every tidy table of every year row by row (the export)."""
    from mentorforms.records.roster import load_roster
    from mentorforms.reports.index import Index
    from mentorforms.reports.tables import build_tables

    started = time.perf_counter()
    roster = load_roster(root / "roster.xlsx")
    validating = time.perf_counter() - started
    with Index(root) as index:
        started = time.perf_counter()
        tables = build_tables(index, roster, as_of=DEMO_TODAY)
        full = time.perf_counter() - started
    print(f"for information: load_roster without the cache {validating:.2f} s; every tidy table of every year, "
          f"row by row ({len(tables.teaching):,} teaching rows, {len(tables.goals):,} goals) {full:.2f} s")


def export_timings(root: Path, out: Path) -> dict[str, float]:
    """The analyst export (what ``mentorforms report`` does once the index is fresh: the tables
    of this year and last, then the workbook), with each writer on the same data, best of two
    (a first run pays imports and caches). Alongside, for choosing the writer: XlsxWriter in
    constant-memory mode (which has no Excel tables: an autofilter stands in) and the Rust-backed
    rustpy-xlsxwriter on the data sheets alone (it has no Excel tables and one block per sheet, so
    it cannot write the summary sheets), each if installed."""
    from mentorforms.reports.export import write_export
    from mentorforms.reports.index import Index
    from mentorforms.reports.tables import build_tables
    from mentorforms.vocabulary.academic_year import AcademicYear

    results: dict[str, float] = {}
    with Index(root) as index:
        roster = index.roster()
        index.refresh(thorough=False)
        year = AcademicYear(max(index.years()))

        def run(writer: str) -> float:
            timings = []
            for _ in range(2):
                started = time.perf_counter()
                tables = build_tables(index, roster, years=[year.previous, year], as_of=DEMO_TODAY)
                write_export(out / f"export-{writer}.xlsx", tables, year, writer=writer)
                timings.append(time.perf_counter() - started)
            return min(timings)

        results["export_s"] = run("xlsxwriter")
        results["export_openpyxl_s"] = run("openpyxl")
        tables = build_tables(index, roster, years=[year.previous, year], as_of=DEMO_TODAY)
        started = time.perf_counter()
        tables = build_tables(index, roster, years=[year.previous, year], as_of=DEMO_TODAY)
        results["tables_s"] = time.perf_counter() - started
        for writer in ("xlsxwriter", "openpyxl"):
            results[f"export_{writer}_process_peak_mb"] = _export_peak_mb(root, out, writer)
        results["export_cells"] = _count_cells(out / "export-xlsxwriter.xlsx")
        try:
            results["export_xlsxwriter_constant_memory_s"] = _constant_memory_export(out, tables, year)
        except ImportError:
            pass
        try:
            results["export_rust_data_sheets_s"], results["export_xlsxwriter_data_sheets_s"] = _rust_data_sheets(
                out, tables, year)
        except ImportError:
            pass
    return results


def _export_peak_mb(root: Path, out: Path, writer: str) -> float:
    """Peak resident memory of a process that does the export alone (index fresh), in MB."""
    code = (
        "import datetime as dt, resource, sys; from pathlib import Path\n"
        "from mentorforms.vocabulary.academic_year import AcademicYear\n"
        "from mentorforms.reports.export import write_export\n"
        "from mentorforms.reports.index import Index\n"
        "from mentorforms.reports.tables import build_tables\n"
        "with Index(Path(sys.argv[1])) as index:\n"
        "    roster = index.roster(); index.refresh(thorough=False); year = AcademicYear(max(index.years()))\n"
        f"    tables = build_tables(index, roster, years=[year.previous, year], as_of=dt.date({DEMO_TODAY.year}, "
        f"{DEMO_TODAY.month}, {DEMO_TODAY.day}))\n"
        "    write_export(Path(sys.argv[2]), tables, year, writer=sys.argv[3])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(root), str(out / f"export-{writer}-peak.xlsx"), writer],
                            check=True, capture_output=True, text=True)
    return float(result.stdout.strip().splitlines()[-1])


def _count_cells(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return sum(sum(1 for row in book.get_sheet_by_name(name).to_python() for value in row if value != "")
               for name in book.sheet_names)


def _constant_memory_export(out: Path, tables, year) -> float:
    """The export written by XlsxWriter in constant-memory mode, an autofilter for each table."""
    from mentorforms.reports import export, xlsx_fast

    class ConstantMemoryBook(xlsx_fast.FastBook):
        def __init__(self, target) -> None:
            import xlsxwriter
            self.book = xlsxwriter.Workbook(target, {**xlsx_fast.OPTIONS, "constant_memory": True})
            self._formats = {}

        def sheet(self, title, *, freeze, widths):
            writer = super().sheet(title, freeze=freeze, widths=widths)
            writer.add_table = lambda table, header: writer.sheet.autofilter(
                table.first_row - 1, 0, table.last_row - 1, len(table.headers) - 1)
            return writer

    original = export._backend
    export._backend = lambda writer, target: ConstantMemoryBook(target)
    try:
        started = time.perf_counter()
        export.write_export(out / "export-constant-memory.xlsx", tables, year)
        return time.perf_counter() - started
    finally:
        export._backend = original


def _rust_data_sheets(out: Path, tables, year) -> tuple[float, float]:
    """The data sheets alone (most of the cells), as frames: rustpy-xlsxwriter against XlsxWriter."""
    import rustpy_xlsxwriter
    import xlsxwriter

    from mentorforms.reports import coverage

    frames = {"Conferences": coverage.conferences(tables, [year]), "Goals": tables.goals,
              "Teaching hours": tables.teaching, "Promotion": tables.promotion, "Support": tables.support}
    # Text throughout: the comparison is of writing speed, not of each library's type handling.
    frames = {name: frame.map(lambda value: "" if value is None or value != value else str(value))
              for name, frame in frames.items()}
    started = time.perf_counter()
    writer = rustpy_xlsxwriter.FastExcel(str(out / "export-rust-data.xlsx"))
    for name, frame in frames.items():
        writer.sheet(name, frame, autofilter=True)
    writer.save()
    rust = time.perf_counter() - started
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(out / "export-xlsxwriter-data.xlsx"), {"strings_to_formulas": False,
                                                                         "strings_to_urls": False})
    for name, frame in frames.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, list(frame.columns))
        for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
            for col, value in enumerate(values):
                sheet.write_string(row, col, value)
    book.close()
    return rust, time.perf_counter() - started


def naive_read(path: Path):
    """One workbook the way an analyst would read it: pandas.read_excel on the record sheet."""
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' notice that its default engine will change
        frame = pd.read_excel(path, sheet_name="record", header=None, engine="openpyxl")
    meta = {}
    rows = frame.values.tolist()
    index = 1
    while index < len(rows) and isinstance(rows[index][0], str) and rows[index][0]:
        meta[rows[index][0]] = rows[index][1]
        index += 1
    hours = {}
    for row in rows[index + 2:]:
        if isinstance(row[0], str) and row[0].startswith("hours_") and row[3] == "number":
            hours[row[0]] = float(row[4])
    return meta, hours


def naive(paths: list[Path]) -> dict[str, float]:
    """Teaching hours per category from the latest submitted or signed Part I of each person and year."""
    latest: dict[tuple, tuple[str, dict]] = {}
    for path in paths:
        try:
            meta, hours = naive_read(path)
        except Exception as error:  # noqa: BLE001 - the naive loop skips what it cannot read, as an analyst's would
            print(f"naive: skipped {path}: {error}", file=sys.stderr)
            continue
        if meta.get("form_id") != "conference_part1" or meta.get("status") == "draft":
            continue
        key = (meta.get("person_id"), meta.get("academic_year"), str(path.parent))
        if key not in latest or path.name > latest[key][0]:
            latest[key] = (path.name, hours)
    totals: dict[str, float] = {}
    for _, hours in latest.values():
        for field_id, value in hours.items():
            totals[field_id] = totals.get(field_id, 0.0) + value
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faculty", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--years", type=int, default=2,
                        help="academic years of data (2 gives ~4 workbooks per faculty)")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        help="processes reading workbooks on the cold build (and generating the dataset)")
    parser.add_argument("--naive-budget", type=float, default=120.0,
                        help="seconds the naive loop may take before it is sampled and extrapolated")
    parser.add_argument("--naive-sample", type=int, default=1000, help="workbooks in the naive sample")
    parser.add_argument("--out", type=Path, default=None, help="where datasets are generated and kept "
                        "(default: benchmarks/out)")
    args = parser.parse_args(argv)
    if args.out is not None:
        global OUT
        OUT = args.out.resolve()

    if not (dataset_folder(args.faculty, args.seed, args.years) / "complete").is_file():
        ensure_dataset(args.faculty, args.seed, args.years, args.jobs)
        # Measure in a fresh process, so the generator's memory does not count as ours.
        return subprocess.run([sys.executable, *sys.argv]).returncode
    root = ensure_dataset(args.faculty, args.seed, args.years, args.jobs)
    from mentorforms.records.roster import load_roster
    from mentorforms.records.store import DataFolder
    from mentorforms.reports.index import Index, index_path
    from mentorforms.workbooks.workbook import read_record

    folder = DataFolder(root)
    paths = list(folder.iter_workbooks())
    print(f"dataset: {root} — {args.faculty:,} faculty, {len(paths):,} workbooks, "
          f"{sum(path.stat().st_size for path in paths) / 1e6:,.0f} MB; reading with {args.jobs} processes; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")

    # ---- cold
    index_path(root).unlink(missing_ok=True)
    gc.collect()
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // max(1, total)
        if percent >= shown[0] + 10 or done == total:
            shown[0] = percent
            print(f"  cold: read {done:,} of {total:,}", flush=True)

    started = time.perf_counter()
    cold_summary, numbers = aggregate(root, args.jobs, progress)
    cold = time.perf_counter() - started
    print(f"cold: {cold_summary}; {numbers.title}: {numbers.faculty:,} faculty, completion "
          f"{numbers.completion.iloc[0].to_dict()} — {cold:.2f} s")
    ours = official_hours(root)
    gc.collect()

    # ---- warm: nothing changed
    def best_of_3(**options) -> tuple[float, list[float], object]:
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            refreshed, _ = aggregate(root, args.jobs, **options)
            timings.append(time.perf_counter() - started)
        return min(timings), timings, refreshed

    warm, timings, warm_summary = best_of_3(thorough=False)
    print(f"warm (quick refresh, every department): {warm_summary} — best of 3: {warm:.3f} s "
          f"(all: {', '.join(f'{t:.3f}' for t in timings)})")
    thorough, _, _ = best_of_3(thorough=True)
    largest = Counter(person.department for person in load_roster(root / "roster.xlsx").faculty()).most_common(1)[0]
    chair, _, _ = best_of_3(thorough=False, department=largest[0])
    print(f"for information: warm with every file checked {thorough:.3f} s; a chair's view of {largest[0]} "
          f"({largest[1]:,} faculty), warm_one_department_s, {chair:.3f} s")
    info_timings(root)

    # ---- one change: one person saves a new version of their Part I
    part1 = next(path for path in paths if "conference_part1" in path.as_posix())
    record = read_record(part1)
    changed = record.with_values({**record.values, "hours_courses": float(record.values.get("hours_courses", 0)) + 1})
    stored = folder.save(changed)
    try:
        started = time.perf_counter()
        change_summary, _ = aggregate(root, args.jobs, thorough=False)
        one_change = time.perf_counter() - started
        print(f"one change: {change_summary} — {one_change:.3f} s")
    finally:
        stored.path.unlink()  # leave the cached dataset as it was
        with Index(root) as index:
            index.refresh()  # a removal by hand is not in the audit trail: only a thorough refresh sees it
    own_peak, worker_peak = peak_mb()

    # ---- the analyst export, each writer on the same data
    export_dir = dataset_folder(args.faculty, args.seed, args.years) / "exports"
    export_dir.mkdir(exist_ok=True)
    exports = export_timings(root, export_dir)
    cells, tables_s = exports.pop("export_cells"), exports.pop("tables_s")
    print(f"export: {cells:,.0f} cells; tables of this year and last {tables_s:.2f} s (part of each export time)")
    for name in [name for name in exports if name not in ("export_s", "export_openpyxl_s")]:
        print(f"for information: {name} {exports[name]:.2f}")

    # ---- naive
    rng = random.Random(args.seed)
    probe = rng.sample(paths, min(len(paths), 50))
    started = time.perf_counter()
    naive(probe)
    per_file = (time.perf_counter() - started) / len(probe)
    if per_file * len(paths) <= args.naive_budget:
        started = time.perf_counter()
        theirs = naive(paths)
        naive_s = time.perf_counter() - started
        agree = all(abs(theirs.get(key, 0.0) - value) < 1e-6 for key, value in ours.items())
        print(f"naive: every workbook read with pandas.read_excel in {naive_s:.1f} s; "
              f"teaching totals {'agree' if agree else 'DISAGREE'} with the index")
        naive_note = "measured on every workbook"
    else:
        sample = rng.sample(paths, min(len(paths), args.naive_sample))
        started = time.perf_counter()
        naive(sample)
        sampled = time.perf_counter() - started
        naive_s = sampled / len(sample) * len(paths)
        naive_note = f"extrapolated from a random sample of {len(sample):,} of {len(paths):,} workbooks"
        print(f"naive: {len(sample):,} workbooks in {sampled:.1f} s ({sampled / len(sample) * 1000:.1f} ms each); "
              f"{naive_note}: {naive_s:.0f} s")

    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")
    peak = own_peak + args.jobs * worker_peak
    print(f"peak memory: this process {own_peak:.0f} MB, largest reading worker {worker_peak:.0f} MB "
          f"(peak_mb counts this process plus {args.jobs} workers at once, measured before the naive loop)")
    print(f"naive_s is {naive_note}")
    print(f"cold_s: {cold:.2f}")
    print(f"naive_s: {naive_s:.1f}")
    print(f"ratio: {naive_s / cold:.1f}")
    print(f"warm_s: {warm:.3f}")
    print(f"warm_one_department_s: {chair:.3f}")
    print(f"one_change_s: {one_change:.3f}")
    print(f"peak_mb: {peak:.0f}")
    print(f"export_s: {exports['export_s']:.3f}")
    print(f"export_openpyxl_s: {exports['export_openpyxl_s']:.3f}")
    print(f"export_ratio: {exports['export_openpyxl_s'] / exports['export_s']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
