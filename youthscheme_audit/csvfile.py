"""One CSV file as records, with every physical line accounted for.

The encoding is decided for the file (UTF-8, Windows-1252, or UTF-8 with the odd
Windows-1252 byte) and said in a note when it is not plain UTF-8. The csv module
splits records in C; ``CsvRecords`` watches how many physical lines each chunk of
records took, so a quote left open on one row cannot swallow the rows after it
without a word (see its docstring), and a cell over ``MAX_CELL`` characters is read
and noted instead of refusing the whole file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TextIO

from youthscheme_audit.errors import RegisterError, excerpt
from youthscheme_audit.yamlio import open_regular

HEADER_SEARCH_ROWS = 30  # the lines sniffed for the delimiter (the header is found among as many)
CHUNK_ROWS = 256  # measured: chunks that fit the CPU cache read ~2x faster than 50,000
MAX_CELL = 131_072  # characters in one CSV cell (Python's default limit, kept as a tripwire)
_FALLBACK = "youthscheme-audit-cp1252"  # decode error handler: UTF-8 with the odd cp1252 byte
_NOT_TEXT = "not UTF-8 or Windows-1252 text"


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Bytes UTF-8 rejects, read as Windows-1252 (a '£' typed into a UTF-8 export)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("cp1252"), exc.end


codecs.register_error(_FALLBACK, _cp1252_bytes)


@dataclass(frozen=True)
class Decoding:
    """How one CSV file is decoded, and the data-quality note when it is not plain UTF-8."""

    encoding: str
    errors: str = "strict"
    note: str = ""


def _scan_lines(block: bytes, first_line: int, path: Path) -> tuple[int, int | None, bool]:
    """(lines with non-UTF-8 bytes, the first of them, any valid multi-byte UTF-8 seen)."""
    bad, first, multibyte = 0, None, False
    for n, line in enumerate(block.split(b"\n"), first_line):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = line.decode("utf-8", _FALLBACK)
            except UnicodeDecodeError:
                raise RegisterError(_NOT_TEXT, path, where=f"line {n}") from None
            bad += 1
            first = n if first is None else first
        multibyte = multibyte or len(text) < len(line)
    return bad, first, multibyte


def _is_utf8(path: Path) -> bool:
    """Whether the whole file is UTF-8 (one pass in C); NUL bytes are refused."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open_regular(path, RegisterError, "CSV file") as handle:
        try:
            while block := handle.read(1 << 20):
                if b"\x00" in block:  # UTF-16 "Unicode text" or a binary file, not CSV
                    raise RegisterError(
                        "not a CSV text file (NUL bytes; save it as CSV UTF-8)", path
                    )
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        except OSError as exc:
            raise RegisterError(f"cannot read file ({exc.strerror})", path) from None
    return True


def _decoding(path: Path) -> Decoding:
    """UTF-8 (a BOM dropped) when the whole file is; else decided for the file as a whole.

    A file with no valid multi-byte UTF-8 at all is an old Windows-1252 export; one
    that is UTF-8 except for a few bytes (a '£' pasted from elsewhere) stays UTF-8 and
    only those bytes are read as Windows-1252, so names spelled in UTF-8 keep their
    accents. Either way the data-quality list says so and names the first such line.
    The second, line-by-line pass is only for files that are not UTF-8.
    """
    if _is_utf8(path):
        return Decoding("utf-8-sig")
    bad, first, multibyte, line = 0, None, False, 1
    with open_regular(path, RegisterError, "CSV file") as handle:
        while block := handle.read(1 << 20):
            block += handle.readline()  # end on a line break: no character is cut
            found = _scan_lines(block, line, path)
            bad += found[0]
            first = found[1] if first is None else first
            multibyte = multibyte or found[2]
            line += block.count(b"\n")
    lines = f"{bad:,} line{'s' if bad != 1 else ''}"
    if multibyte:
        return Decoding("utf-8-sig", _FALLBACK, f"{path.name} is UTF-8 except for {lines} "
                        f"(first: line {first}) read as Windows-1252; check those names")
    return Decoding("cp1252", note=f"{path.name} was read as Windows-1252, not UTF-8 "
                    f"(first non-UTF-8 byte on line {first}); save it as CSV UTF-8")


_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")


def _shape(text: str) -> str:
    """What an id looks like, not what it says: ``S-014`` and ``S-3`` are both ``A-9``."""
    return _DIGITS.sub("9", _LETTERS.sub("A", text.strip()))


def sniff(sample: str) -> tuple[str, int]:
    """(delimiter, width): comma, semicolon or tab, whichever splits the sample's lines most
    consistently, and the number of cells most of those lines have."""
    lines = sample.splitlines()[:HEADER_SEARCH_ROWS] or [""]
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        widths = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1)
        if widths:
            width, count = widths.most_common(1)[0]
            score = (count, width)
            if score > best_score:
                best, best_score = delimiter, score
    return best, best_score[1] or 1


def sniff_delimiter(sample: str) -> str:
    """Comma, semicolon or tab: whichever splits the sample's lines most consistently."""
    return sniff(sample)[0]


@dataclass(frozen=True)
class Layout:
    """How a CSV file's rows look, from its first lines: the delimiter, the cells a row has,
    and the shape of the ids in its first column (None when fewer than two rows agree)."""

    delimiter: str
    width: int
    id_shape: str | None = None


def layout(sample: str) -> Layout:
    """The layout of a CSV file from a sample of its start."""
    delimiter, width = sniff(sample)
    lines = sample.splitlines()[:HEADER_SEARCH_ROWS]
    # each line's first cell as written (not as csv reads it: a quote left open would hide
    # the very rows whose shape is wanted)
    heads = (line.partition(delimiter)[0] for line in lines if delimiter in line)
    shapes = Counter(_shape(head) for head in heads if head.strip())
    shape, count = shapes.most_common(1)[0] if shapes else (None, 0)
    return Layout(delimiter, width, shape if count >= 2 else None)


@dataclass(frozen=True)
class CellNote:
    """A problem the file reader found in one record (or the whole file), before any
    column was matched; the table reader turns it into a data-quality issue."""

    record: int  # 0-based record (spreadsheet row - 1); -1 for the whole file
    cell: int  # 0-based cell index; -1 for the whole record
    value: str
    problem: str
    unreadable: bool = False  # the cell's value becomes an Unknown with this problem


class _Feed:
    """Physical lines for a csv reader, remembering the current record's; lines can be put back."""

    def __init__(self, lines: list[str], source: Iterator[str]) -> None:
        self.back = lines[::-1]
        self.source = source
        self.taken: list[str] = []

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self.back.pop() if self.back else next(self.source)
        self.taken.append(line)
        return line

    def put_back(self, lines: list[str]) -> None:
        self.back.extend(reversed(lines))


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Raise the csv module's cell size limit for one over-long line."""
    old = csv.field_size_limit(max(size, MAX_CELL))
    try:
        yield
    finally:
        csv.field_size_limit(old)


class CsvRecords:
    """The records of one CSV file with every physical line accounted for.

    Lines are taken in blocks and the C reader splits each block; when every line made
    one record (nearly always) the records are used as they are. Otherwise (a quoted
    value ran over a line break, a cell hit ``MAX_CELL``, the block's last line left a
    quote open) the block is read again a record at a time, taking lines after it as a
    record needs them. A record spanning lines that does
    not look like one cell holding a line break (see ``_runaway``) is an unclosed quote:
    its first line is read again without the quote and the lines after it are read
    again as rows, with a note naming the line, so no row is lost without a word. A
    quoted value that really holds a line break (an address) is kept as one cell.
    """

    def __init__(self, handle: TextIO, path: Path, shape: Layout, notes: list[CellNote]) -> None:
        self.handle, self.path, self.layout, self.notes = handle, path, shape, notes
        self.delimiter, self.width = shape.delimiter, shape.width
        self.line = 0  # physical lines behind the records handed out so far
        self.record = 0  # records handed out so far

    def __iter__(self) -> Iterator[list[str]]:
        source: Iterator[str] = iter(self.handle)
        while True:
            try:
                block = list(islice(source, CHUNK_ROWS))
            except UnicodeDecodeError:
                raise self._undecodable(0) from None
            if not block:
                return
            try:
                records: list[list[str]] | None = list(csv.reader(block, delimiter=self.delimiter))
            except csv.Error:
                records = None
            if records is None or len(records) != len(block) or block[-1].count('"') % 2:
                # a record spans lines, a cell is over MAX_CELL, or a quote is open at the end
                yield from self._careful(block, source)
                continue
            self.line += len(block)
            self.record += len(records)
            yield from records

    def _undecodable(self, lines_in: int) -> RegisterError:
        return RegisterError(_NOT_TEXT, self.path, where=f"line {self.line + lines_in + 1}")

    def _careful(self, block: list[str], source: Iterator[str]) -> Iterator[list[str]]:
        """Read ``block`` (and the lines a record needs after it) one record at a time."""
        feed = _Feed(block, source)
        reader = csv.reader(feed, delimiter=self.delimiter)
        while feed.back:
            feed.taken = []
            try:
                record: list[str] | None = next(reader)
            except csv.Error:
                record = None
            except UnicodeDecodeError:
                raise self._undecodable(len(feed.taken)) from None
            yield self._settle(record, feed)

    def _settle(self, record: list[str] | None, feed: _Feed) -> list[str]:
        """The row for one record as read, or recovered from an unclosed quote."""
        taken = feed.taken
        if record is None and len(taken) == 1:
            row = self._long_line(taken[0])
        elif record is not None and not self._runaway(record, taken):
            row = record
        else:
            row = self._unclosed(taken[0])
            feed.put_back(taken[1:])
            taken = taken[:1]
        self.line += len(taken)
        self.record += 1
        return row

    def _runaway(self, record: list[str], taken: list[str]) -> bool:
        """Whether a record's quoted value ran on past its row, swallowing what follows.

        A quoted value that really holds a line break parses strictly (its closing quote
        is followed by a delimiter), the record has as many cells as the file's rows (as
        Excel writes them) and no line inside the value looks like a row of its own.
        """
        if len(taken) == 1:  # only the file's last line can leave a quote open
            return (taken[0].count('"') % 2 == 1 and 0 < len(record) < self.width
                    and self.delimiter in record[-1])
        if len(record) != self.width:
            return True
        try:
            with _field_limit(sum(map(len, taken)) + 1):
                list(csv.reader(taken, delimiter=self.delimiter, strict=True))
        except csv.Error:  # a "closing" quote with text after it: it opened something else
            return True
        return any(self._row_like(part)
                   for cell in record if "\n" in cell or "\r" in cell
                   for part in cell.splitlines()[1:])

    def _row_like(self, line: str) -> bool:
        """Whether a line inside a quoted value looks like a row of this file: it starts with
        a cell shaped like the file's ids (``S-014,`` in a file of ``S-003`` rows), or, when
        the ids have no clear shape, it has as many delimiters as a row."""
        if self.layout.id_shape is None:
            return line.count(self.delimiter) >= max(1, self.width - 1)
        head, found, _ = line.partition(self.delimiter)
        return bool(found) and _shape(head) == self.layout.id_shape

    def _split_line(self, text: str) -> list[str]:
        """One physical line split by the csv module alone (quotes it opens end with it)."""
        with _field_limit(len(text) + 1):
            return next(csv.reader([text], delimiter=self.delimiter), [])

    def _unclosed(self, line: str) -> list[str]:
        """The first line of a runaway record, read again without the quote it left open."""
        text = line.rstrip("\r\n")
        row = self._split_line(text)
        cell = max(len(row) - 1, 0)
        if row and self.delimiter in row[-1]:
            row = row[:-1] + row[-1].split(self.delimiter)
        self.notes.append(CellNote(
            self.record, cell, excerpt(text),
            f"unclosed quote on line {self.line + 1} of {self.path.name}: the line is read "
            "without it, so the rows after it are not lost; check this row"))
        return row

    def _long_line(self, line: str) -> list[str]:
        """A line with a cell over ``MAX_CELL`` characters: read in full, the cell noted."""
        row = self._split_line(line)
        for i, cell in enumerate(row):
            if len(cell) > MAX_CELL:
                self.notes.append(CellNote(
                    self.record, i, excerpt(cell),
                    f"a cell of {len(cell):,} characters (over {MAX_CELL:,}) on line "
                    f"{self.line + 1}: read in full; check the export"))
        return row


@contextmanager
def csv_rows(path: Path, notes: list[CellNote] | None = None) -> Iterator[Iterator[list[str]]]:
    """Every record of a CSV file, decoded and split, every line accounted for in ``notes``."""
    notes = [] if notes is None else notes
    decoding = _decoding(path)
    if decoding.note:
        notes.append(CellNote(-1, -1, "", decoding.note))
    csv.field_size_limit(MAX_CELL)
    with open_regular(path, RegisterError, "CSV file") as raw, io.TextIOWrapper(
            raw, encoding=decoding.encoding, errors="replace", newline="") as handle:
        shape = layout(handle.read(1 << 16))  # bad bytes are reported below
    with open_regular(path, RegisterError, "CSV file") as raw, io.TextIOWrapper(
            raw, encoding=decoding.encoding, errors=decoding.errors, newline="") as handle:
        yield iter(CsvRecords(handle, path, shape, notes))


