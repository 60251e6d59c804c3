"""A hostile corpus: broken, crafted and malicious workbooks made from one good submission.

:func:`good_record` saves a signed Part I whose "challenges" answer is :data:`MARK` (so the
crafted files can put their payload in that one answer, on the form sheet and on the machine
sheet). :func:`corpus` makes every case from the good file's bytes: empty, truncated, a web page
and a text file renamed, an old .xls, bit flips at many positions, a zip without workbook parts,
zip bombs (one declaring 1 GiB, one lying about its size, one of 10,000 parts), billion laughs,
an external entity, a formula, U+FFFE and U+FFFF, lone surrogates, 40,000 characters, NUL and ESC.

Used by tests/test_hostile.py and benchmarks/hostile.py; the running of each case in a bounded
process is in tests/hostile_run.py.
"""

from __future__ import annotations

import dataclasses
import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from mentorforms.records.store import DataFolder, StoredVersion
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.workbook import read_record

MARK = "HOSTILE-MARK"
#: Positions of the single-bit flips, as fractions of the file (39 of them, as in the issue).
FLIPS = 39
_GIB = 1024 ** 3


def good_record(folder: DataFolder) -> tuple[StoredVersion, Record]:
    """Save a new version of the first signed Part I in ``folder`` with :data:`MARK` as its
    'challenges' answer; the saved version and its record."""
    for path in folder.iter_workbooks():
        if "conference_part1" not in path.as_posix():
            continue
        record = read_record(path)
        if record.status is Status.SIGNED:
            values = dict(record.values)
            values["challenges"] = MARK
            stored = folder.save(dataclasses.replace(record, values=values))
            return stored, read_record(stored.path)
    raise AssertionError("the demo folder has no signed Part I")


def rewrite(content: bytes, change: Callable[[str, bytes], bytes | None], *,
            extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of the zip ``content`` with each part's data passed through ``change(name, data)``
    (None drops the part) and ``extra`` parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            if data is not None:
                copy.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            copy.writestr(name, data)
    return out.getvalue()


def _in_sheets(content: bytes, old: bytes, new: bytes) -> bytes:
    def change(name: str, data: bytes) -> bytes:
        return data.replace(old, new) if name.startswith("xl/worksheets/") else data
    return rewrite(content, change)


def _marked(content: bytes, payload: bytes) -> bytes:
    """The good file with the marked answer's text replaced by raw ``payload`` bytes."""
    return _in_sheets(content, MARK.encode(), payload)


def _with_doctype(content: bytes, doctype: bytes, reference: bytes) -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/") or MARK.encode() not in data:
            return data
        return data.replace(b"<worksheet", doctype + b"<worksheet", 1).replace(MARK.encode(), reference)
    return rewrite(content, change)


def _bomb(content: bytes, size: int) -> bytes:
    """The good file plus a shared-strings part that unpacks to ``size`` bytes of one letter."""
    out = io.BytesIO(rewrite(content, lambda name, data: data))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = b"A" * (1024 * 1024)
        with archive.open(info, "w", force_zip64=size >= 0xFFFFFFFF) as handle:
            handle.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            for _ in range(size // len(chunk)):
                handle.write(chunk)
            handle.write(b"</t></si></sst>")
    return out.getvalue()


def _lying_bomb(content: bytes) -> bytes:
    """A bomb whose headers declare 1,000 bytes for a part that unpacks to 50 MB."""
    data = bytearray(_bomb(content, 50 * 1024 * 1024))
    name = b"xl/sharedStrings.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        name_at = 30 if signature == b"PK\x03\x04" else 46
        position = data.find(signature)
        while position >= 0:
            length = struct.unpack_from("<H", data, position + (26 if name_at == 30 else 28))[0]
            if bytes(data[position + name_at:position + name_at + length]) == name:
                struct.pack_into("<I", data, position + size_at, 1000)
            position = data.find(signature, position + 4)
    return bytes(data)


def _many_parts(content: bytes) -> bytes:
    return rewrite(content, lambda name, data: data,
                   extra={f"xl/media/part{number}.bin": b"" for number in range(10_000)})


def _flip(content: bytes, position: int) -> bytes:
    flipped = bytearray(content)
    flipped[position] ^= 0x04
    return bytes(flipped)


def flip_positions(size: int) -> list[int]:
    """Where the bit flips go: spread evenly over the file, first and last bytes included."""
    return sorted({round(index * (size - 1) / (FLIPS - 1)) for index in range(FLIPS)})


_BILLION_LAUGHS = (b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
                   + b"".join(b'<!ENTITY lol%d "%s">' % (level, (b"&lol%s;" % (b"" if level == 1 else b"%d" % (level - 1))) * 10)
                              for level in range(1, 10))
                   + b"]>")
_EXTERNAL = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def corpus(good: bytes, *, big: bool = True) -> dict[str, bytes]:
    """Every hostile case by name, each as the bytes of a file named like a workbook.

    ``big=False`` leaves out the 1 GiB bomb (it takes a few seconds to make)."""
    cases: dict[str, bytes] = {
        "empty": b"",
        "truncated-half": good[: len(good) // 2],
        "truncated-end": good[:-40],
        "html-renamed": b"<!DOCTYPE html><html><body><table><tr><td>Goals</td></tr></table></body></html>",
        "text-renamed": b"person_id,hours\nF00001,12\n",
        "old-xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
        "zip-without-workbook": _zip_of({"readme.txt": b"not a workbook"}),
        "zip-bomb-lying": _lying_bomb(good),
        "zip-many-parts": _many_parts(good),
        "billion-laughs": _with_doctype(good, _BILLION_LAUGHS, b"&lol9;"),
        "external-entity": _with_doctype(good, _EXTERNAL, b"&xxe;"),
        "formula": _in_sheets(good, b't="inlineStr"><is><t>' + MARK.encode() + b"</t></is>",
                              b't="str"><f>HYPERLINK("http://evil.example","x")</f><v>x</v>'),
        "u-fffe": _marked(good, "goal\ufffe".encode()),
        "u-ffff": _marked(good, "goal\uffff".encode()),
        "lone-surrogate-bytes": _marked(good, b"goal\xed\xa0\x80"),
        "lone-surrogate-escape": _marked(good, b"goal_xD800_"),
        "long-text": _marked(good, b"x" * 40_000),
        "nul-escape": _marked(good, b"goal_x0000_"),
        "nul-reference": _marked(good, b"goal&#0;"),
        "nul-byte": _marked(good, b"goal\x00"),
        "esc-byte": _marked(good, b"goal\x1b"),
    }
    if big:
        cases["zip-bomb"] = _bomb(good, _GIB)
    for position in flip_positions(len(good)):
        cases[f"flip-{position:06d}"] = _flip(good, position)
    return cases


def _zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def write_corpus(cases: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Each case as ``folder/<name>.xlsx``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in cases.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(data)
        paths[name] = path
    return paths
