"""The fast way to read a clean CSV table: polars splits it, the tool's parsers read it.

Most exports are plain UTF-8 with one record per line. For those, polars reads the
body (everything below the header row) as text, in parallel, and each kept column is
parsed once per distinct value (``frames.encode``). Anything else goes to the careful
reader (``csvfile``) that accounts for every physical line and says what it found; so
does a file this path is not sure of:

* not UTF-8 (Windows-1252, the odd stray byte), or NUL bytes;
* a record spread over several lines (a quoted line break, a quote left open), in the
  lines searched for the header (an odd number of quotes on one) or below: polars'
  records must be exactly the file's lines, or the careful reader reads it;
* anything polars refuses (a stray quote inside a field, a row with more cells than
  the first) or a cell longer than ``csvfile.MAX_CELL``.

Row numbers, data-quality issues and parsed values are the same either way: the
header is found by the same code, and every unreadable value is an issue with its row.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from youthscheme_audit.csvfile import HEADER_SEARCH_ROWS, MAX_CELL, layout
from youthscheme_audit.errors import RegisterError
from youthscheme_audit.frames import Coded, encode_all
from youthscheme_audit.models import DataIssue
from youthscheme_audit.registers import (
    NO_SCHEME_ID,
    HeaderMatcher,
    Mapping,
    Source,
    Table,
    _check_ages,
    _check_duplicates,
    _check_scheme_ids,
    _header_notes,
    _issue_key,
    _start,
    _trim,
    find_header,
    id_spellings,
)
from youthscheme_audit.tables import TableSpec
from youthscheme_audit.values import BLANK, PARSERS, ParseCache, Unknown
from youthscheme_audit.yamlio import open_regular

SMALL = 50_000  # rows: a table this small is finished as Python lists, like the careful path
HEAD_BYTES = 1 << 16


def read_fast(source: Source, spec: TableSpec, mapping: Mapping, known: set[str] | None,
              skip: Collection[str] = ()) -> tuple[Table, list[DataIssue]] | str:
    """The table read with polars, or why the careful reader must read the file: said in
    the data-quality list for a big file, where it explains a slower read ("" for a small
    one, and when the careful reader's own notes say why: the encoding, the header)."""
    scan = _scan(source.path)
    big = scan.newlines > SMALL

    def why(reason: str) -> str:
        return reason if big else ""

    if scan.nul or not scan.utf8:
        return ""
    bom = scan.head.startswith(codecs.BOM_UTF8)
    head_text = scan.head[len(codecs.BOM_UTF8) if bom else 0:].decode("utf-8", errors="ignore")
    lines = head_text.splitlines()[:HEADER_SEARCH_ROWS]
    if any(line.count('"') % 2 for line in lines):
        return why("a quoted cell near the header spans lines")
    if "\r" in head_text.replace("\r\n", "\n"):
        return why("its lines end in a lone carriage return")
    shape = layout(head_text)
    head: list[Sequence[Any]] = list(csv.reader(lines, delimiter=shape.delimiter))
    header = find_header(HeaderMatcher(spec, mapping.columns.get(spec.name)), head)
    if header is None or "scheme_id" not in header.columns:
        return ""  # the careful reader says why
    reading = _start(spec, header, skip)
    lines_after = scan.newlines + (0 if scan.ends_in_newline else 1) - (header.index + 1)
    # polars maps the file itself (and drops a byte-order mark, as it skips the header)
    frame = _split(source.path, lines_after, header.index + 1, shape.delimiter,
                   [j for j, _ in reading.keep])
    if isinstance(frame, str):
        return why(frame)
    coded = _parse(frame, reading, spec)
    reading.nrows = frame.height
    if reading.nrows <= SMALL or spec.name == "schemes":
        return _finish_as_lists(source, reading, coded, known, header)
    _note_unreadable(reading, coded)
    _trim_coded(reading, coded)
    _scheme_ids_coded(reading, coded, known)
    table = Table(spec.name, source.label, header.index + 1, None, reading.nrows, coded)
    return table, _header_notes(spec, header) + [d for *_, d in sorted(reading.issues,
                                                                          key=_issue_key)]


class _Scan(NamedTuple):
    """What the fast path must know of a file before polars reads it."""

    head: bytes  # the first HEAD_BYTES (with any byte-order mark)
    newlines: int
    ends_in_newline: bool  # or is empty: no last line without one
    nul: bool  # a NUL byte anywhere
    utf8: bool  # the whole file is valid UTF-8


SCAN_CHUNK = 1 << 22


def _scan(path: Path) -> _Scan:
    """The file read once in chunks into one buffer: counting lines and checking bytes
    there instead of in a copy of the whole file saves about 0.1 s and the file's size in
    memory on a 180 MB export (its pages are fresh memory to fault in)."""
    buffer = bytearray(SCAN_CHUNK)
    head, newlines, last, nul, utf8, wide = bytearray(), 0, b"\n", False, True, False
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open_regular(path, RegisterError, "CSV file") as handle:
        while n := handle.readinto(buffer):
            chunk = buffer if n == SCAN_CHUNK else bytes(memoryview(buffer)[:n])
            if len(head) < HEAD_BYTES:
                head += chunk[:HEAD_BYTES - len(head)]
            newlines += chunk.count(b"\n")
            nul = nul or b"\x00" in chunk
            # ASCII needs no decoding, unless a character began in the chunk before
            wide = wide or not chunk.isascii()
            if utf8 and wide:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            last = bytes(chunk[-1:])
    if utf8 and wide:
        try:
            decoder.decode(b"", final=True)  # a character cut off at the end
        except UnicodeDecodeError:
            utf8 = False
    return _Scan(bytes(head), newlines, last == b"\n", nul, utf8)


def _split(body: Path, lines: int, skip: int, delimiter: str,
           keep: list[int]) -> pl.DataFrame | str:
    """The kept cells of the ``lines`` lines below the first ``skip`` as text, one row per
    line; or why not: polars and the lines disagree, polars refuses the file, a cell is
    too long."""
    if lines <= 0:
        return pl.DataFrame({f"c{j}": pl.Series([], dtype=pl.String) for j in keep})
    try:
        frame = pl.read_csv(
            body, has_header=False, skip_lines=skip, separator=delimiter, infer_schema=False,
            quote_char='"', raise_if_empty=False, empty_string_is_null=False,
        )
    except Exception:  # polars raises several kinds for a file it cannot split
        return "a stray quote or a row longer than the first, which the fast reader refuses"
    if frame.height != lines:
        return "a record spans more than one line (a quoted line break, or a quote left open)"
    names = frame.columns
    # only the kept columns; a row shorter than the header has blank cells, as the csv
    # module reads it
    frame = frame.select(
        pl.col(names[j]).fill_null("").alias(f"c{j}") if j < len(names)
        else pl.repeat("", frame.height, dtype=pl.String).alias(f"c{j}") for j in keep)
    longest = frame.select(pl.all().str.len_bytes().max()).row(0) if keep else ()
    if any(n is not None and n > MAX_CELL for n in longest):  # the careful reader notes it
        return f"a cell is over {MAX_CELL:,} characters"
    return frame


def _parse(frame: pl.DataFrame, reading: Any, spec: TableSpec) -> dict[str, Coded]:
    """Each kept column parsed: text per cell (ids and names rarely repeat), the rest once
    per distinct value."""
    coded: dict[str, Coded] = {}
    encoded: dict[str, tuple[pl.Series, Any]] = {}
    caches: dict[str, ParseCache] = {}  # per type: columns of one type share their values
    dates = set()
    for j, name in reading.keep:
        column = spec.column(name)
        assert column is not None
        raw = frame[f"c{j}"]
        if column.type == "text" and name != "scheme_id":
            coded[name] = Coded(raw=raw, parse=PARSERS["text"])
            continue
        cache = caches.setdefault(column.type, ParseCache(PARSERS[column.type]))
        encoded[name] = (raw, cache.__getitem__)
        if column.type == "date":
            dates.add(name)
    done = encode_all(encoded, dates)
    return {name: coded.get(name) or done[name] for _, name in reading.keep}


def _finish_as_lists(source: Source, reading: Any, coded: dict[str, Coded],
                     known: set[str] | None, header: Any) -> tuple[Table, list[DataIssue]]:
    """A small table: the careful reader's own checks, on Python lists."""
    reading.columns = {name: column.to_list() for name, column in coded.items()}
    _note_unreadable(reading, coded)
    _trim(reading)
    if reading.spec.name == "schemes":
        _check_ages(reading)
    _check_scheme_ids(reading, known)
    if known is None:
        _check_duplicates(reading)
    spec = reading.spec
    table = Table(spec.name, source.label, header.index + 1, reading.columns, reading.nrows)
    return table, _header_notes(spec, header) + [d for *_, d in sorted(reading.issues,
                                                                          key=_issue_key)]


def _note_unreadable(reading: Any, coded: dict[str, Coded]) -> None:
    """A data-quality issue for every cell whose value could not be read."""
    sid = coded["scheme_id"]
    for name, column in coded.items():
        if column.per_cell:  # text: never unreadable
            continue
        rows = column.rows_with(column.codes_where(
            lambda v: v.__class__ is Unknown and v.problem))
        for i, value, scheme in zip(rows, column.values_at(rows), sid.values_at(rows),
                                    strict=True):
            reading.add(i, name, value.raw, value.problem, scheme)


def _trim_coded(reading: Any, coded: dict[str, Coded]) -> None:
    """Drop fully blank rows at the end (exports often carry formatted empty rows)."""
    n = reading.nrows
    while n and all(c.value_at(n - 1) is BLANK for c in coded.values()):
        n -= 1
    if n < reading.nrows:
        for name, column in coded.items():
            coded[name] = column.head(n)
        last = reading.row_number(n - 1)
        reading.issues = [item for item in reading.issues if item[0] <= last]
        reading.nrows = n


def _scheme_ids_coded(reading: Any, coded: dict[str, Coded], known: set[str] | None) -> None:
    """``registers._check_scheme_ids`` on codes: ids spelled in another case renamed once
    per distinct id, rows without a scheme_id noted (unless the whole row is blank)."""
    sid = coded["scheme_id"]
    renamed = id_spellings(sid.values, known) if known is not None else {}
    if renamed:
        sid.set_values([renamed.get(v, v) if v.__class__ is str else v for v in sid.values])
    missing = sid.codes_where(lambda v: isinstance(v, Unknown))
    others = [c for name, c in coded.items() if name != "scheme_id"]
    for i in sid.rows_with(missing):
        value = sid.value_at(i)
        if value is not BLANK or any(c.value_at(i) is not BLANK for c in others):
            reading.add(i, "scheme_id", value.raw, NO_SCHEME_ID, "")
