"""Register exports (XLSX workbooks or CSV files) read into normalised, column-oriented tables.

A register is one workbook with a sheet per table, or one CSV file per table (named by
its file stem), or a directory of CSV files. For each table the header row is found
among the first rows (title rows above it are skipped, two-row headers under a merged
group such as "DBS" are joined), headers are matched to canonical columns, and only
matched columns are kept, parsed column-wise by ``values.ColumnParser``.

Large CSV files are read in chunks of ``CHUNK_ROWS`` rows and transposed with
``zip_longest`` so per-cell work happens in C; each kept cell is a pointer to a value
shared by every equal cell. Row numbers in data-quality issues are the ones the
spreadsheet shows.
"""

from __future__ import annotations

import collections.abc as abc
import copy
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import chain, islice, zip_longest
from pathlib import Path
from typing import Any

from youthscheme_audit.csvfile import HEADER_SEARCH_ROWS, CellNote, csv_rows, sniff_delimiter
from youthscheme_audit.errors import RegisterError, YamlError
from youthscheme_audit.models import DataIssue, Progress
from youthscheme_audit.tables import TABLES, TableSpec, normalise_header
from youthscheme_audit.values import BLANK, ColumnParser, Unknown, clean
from youthscheme_audit.workbook import open_workbook, scan_sheet
from youthscheme_audit.yamlio import YDict, load_yaml, regular_file, unknown_keys

__all__ = ["Register", "Table", "read_register", "sniff_delimiter", "csv_rows"]


class Table:
    """One register table, column-oriented: ``columns[name][i]`` is row i's parsed value.

    Only canonical columns that were found are present; values are parsed (``date``,
    ``bool``, ``int``, vocabulary strings, text) or ``values.Unknown``. Each column is
    held dictionary-encoded (``coded[name]``, see ``frames``) for the engine; ``columns``
    gives the same columns as Python lists, built when first asked for.
    """

    def __init__(self, name: str, source: str, header_row: int,
                 columns: abc.Mapping[str, list[Any]] | None, nrows: int,
                 coded: dict[str, Any] | None = None) -> None:
        from youthscheme_audit.frames import Coded, Lists  # polars: only when reading

        self.name = name
        self.source = source  # file (and sheet) it was read from, for messages
        self.header_row = header_row  # 1-based spreadsheet row of the header
        self.nrows = nrows
        self.coded: dict[str, Coded] = dict(coded or {})
        for column, cells in (columns or {}).items():
            self.coded[column] = Coded(cells=list(cells))
        self.columns = Lists(self.coded)

    def row_number(self, index: int) -> int:
        """The spreadsheet row number of data row ``index`` (0-based)."""
        return self.header_row + 1 + index

    def only(self, rows: abc.Sequence[int]) -> Table:
        """The same table, whose ``columns`` hold the values of ``rows`` alone (read when a
        column is first asked for): what explaining a few cited rows of a big table
        needs, without a Python list of every row of each column it reads."""
        from youthscheme_audit.frames import Lists

        view = copy.copy(self)
        view.columns = Lists(self.coded, rows)
        return view


@dataclass
class Register:
    """Every table read from one export, and what could not be read."""

    tables: dict[str, Table]
    data_quality: list[DataIssue] = field(default_factory=list)
    sources: tuple[str, ...] = ()


CHUNK_ROWS = 256  # measured: chunks that fit the CPU cache read ~2x faster than 50,000
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
IGNORE = "ignore"  # a --mapping column target that silences "not recognised"

# --- the --mapping file ----------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """A user's --mapping: sheet/file names to tables, and headers to columns per table."""

    tables: dict[str, str] = field(default_factory=dict)  # normalised name -> table
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> norm -> column


def load_mapping(path: Path) -> Mapping:
    """Read and validate a --mapping YAML file; errors name the file and line."""
    try:
        data = load_yaml(path)
    except YamlError as exc:
        raise RegisterError(exc.message, exc.path, exc.line, exc.where) from None
    if data is None:
        return Mapping()
    if not isinstance(data, YDict):
        raise RegisterError("a mapping file is a YAML mapping with 'tables' and 'columns'", path, 1)
    for key, line, hint in unknown_keys(data, ("tables", "columns"))[:1]:
        raise RegisterError(f"unknown key '{key}' ({hint})", path, line)
    return Mapping(_mapping_tables(data, path), _mapping_columns(data, path))


def _section(data: YDict, key: str, path: Path) -> YDict:
    """One top-level section of the mapping, checked to be a mapping."""
    section = data.get(key)
    if section is None:
        return YDict()
    if not isinstance(section, YDict):
        raise RegisterError(f"'{key}' must be a mapping", path, data.line_of(key))
    return section


def _known_table(name: Any, path: Path, line: int) -> str:
    """``name`` if it is a register table, else a RegisterError at ``line``."""
    if not isinstance(name, str) or name not in TABLES:
        raise RegisterError(
            f"'{name}' is not a register table (tables: {', '.join(TABLES)})", path, line
        )
    return str(name)


def _mapping_tables(data: YDict, path: Path) -> dict[str, str]:
    """The ``tables:`` section: sheet or file name -> table."""
    section = _section(data, "tables", path)
    return {
        normalise_header(name): _known_table(table, path, section.line_of(name))
        for name, table in section.items()
    }


def _mapping_columns(data: YDict, path: Path) -> dict[str, dict[str, str]]:
    """The ``columns:`` section: table -> header -> column (or ``ignore``)."""
    section = _section(data, "columns", path)
    result: dict[str, dict[str, str]] = {}
    for table, headers in section.items():
        _known_table(table, path, section.line_of(table))
        if not isinstance(headers, YDict):
            raise RegisterError(f"'{table}' must map headers to columns", path,
                                section.line_of(table))
        result[table] = {}
        for header, column in headers.items():
            if column != IGNORE and (not isinstance(column, str)
                                     or TABLES[table].column(column) is None):
                raise RegisterError(f"'{column}' is not a column of table {table}", path,
                                    headers.line_of(header))
            result[table][normalise_header(header)] = column
    return result


# --- header rows -----------------------------------------------------------------------


class HeaderMatcher:
    """Header text -> canonical column of one table; a --mapping entry wins."""

    def __init__(self, spec: TableSpec, overrides: dict[str, str] | None = None) -> None:
        self.lookup: dict[str, str] = {}
        for col in spec.columns:  # names and labels before any column's synonyms
            self.lookup.setdefault(normalise_header(col.name), col.name)
            self.lookup.setdefault(normalise_header(col.label), col.name)
        for col in spec.columns:
            for synonym in col.synonyms:
                self.lookup.setdefault(normalise_header(synonym), col.name)
        self.lookup.update(overrides or {})

    def match(self, text: str) -> str | None:
        """The column ``text`` names (or ``ignore``), or None."""
        return self.lookup.get(normalise_header(text)) if text else None


@dataclass
class Header:
    """The header row found for a table, and what it says about each column."""

    index: int  # 0-based row index in the sheet
    columns: dict[str, int]  # column -> cell index
    notes: list[tuple[str, str]]  # (header text, problem)
    hits: int  # cells of this row itself that name a column (duplicates included)


def match_row(matcher: HeaderMatcher, row: Sequence[Any], above: Sequence[Any]) -> Header:
    """Match one candidate header row, using the row above for merged groups like "DBS"."""
    cells = [clean(c) for c in row]
    tops = [clean(c) for c in above] + [""] * max(0, len(cells) - len(above))
    columns: dict[str, int] = {}
    notes: list[tuple[str, str]] = []
    hits = 0
    group = ""
    for j, text in enumerate(cells):
        group = tops[j] or group  # a merged group's text sits in its left-most cell
        if not text:
            continue
        col = matcher.match(text) or (matcher.match(f"{group} {text}") if group else None)
        hits += col is not None
        if col is None:
            notes.append((text, f"column '{text}' not recognised; ignored (map it with --mapping)"))
        elif col in columns:
            notes.append((text, f"column '{text}' is a second {col} column; ignored"))
        elif col != IGNORE:
            columns[col] = j
    for j, top in enumerate(tops[: len(cells)]):
        # a header spanning both rows of a two-row header keeps its text in the top cell
        col = matcher.match(top) if top and not cells[j] else None
        if col and col != IGNORE and col not in columns:
            columns[col] = j
    return Header(-1, columns, notes, hits)


def _accepts(header: Header, row: Sequence[Any]) -> bool:
    """At least two cells (or every non-empty cell, if fewer) name a column."""
    filled = sum(1 for c in row if clean(c))
    return header.hits > 0 and header.hits >= min(2, filled)


def find_header(matcher: HeaderMatcher, head: list[Sequence[Any]]) -> Header | None:
    """The header row among ``head`` (the first rows), preferring one with scheme_id."""
    found: list[Header] = []
    for i, row in enumerate(head):
        header = match_row(matcher, row, head[i - 1] if i else ())
        if not _accepts(header, row):
            continue
        header.index = i
        if i + 1 < len(head):  # the lower row of a two-row header matches more
            lower = match_row(matcher, head[i + 1], row)
            if _accepts(lower, head[i + 1]) and len(lower.columns) > len(header.columns):
                lower.index = i + 1
                header = lower
        if "scheme_id" in header.columns:
            return header
        found.append(header)
    return found[0] if found else None


# --- sources: sheets and CSV files -----------------------------------------------------


@dataclass
class Source:
    """One sheet or CSV file that may hold a table."""

    name: str  # sheet name or file stem, matched against table names
    path: Path
    sheet: str | None
    rows: Callable[[], AbstractContextManager[Iterator[Sequence[Any]]]]  # from spreadsheet row 1
    notes: list[CellNote] = field(default_factory=list)  # filled in while ``rows`` is read

    @property
    def label(self) -> str:
        """How messages name it: ``file`` or ``file [sheet]``."""
        return f"{self.path} [{self.sheet}]" if self.sheet else str(self.path)

    def error(self, message: str) -> RegisterError:
        """A RegisterError naming the file and sheet."""
        where = f"sheet '{self.sheet}'" if self.sheet else None
        return RegisterError(message, self.path, where=where)


def _input_files(paths: Sequence[Path]) -> list[Path]:
    """The files to read: CSV files in any directory given, the rest as given."""
    if not paths:
        raise RegisterError("no register file given")
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise RegisterError("file not found", path)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
            if not found:
                raise RegisterError("no .csv files in this directory", path)
            files.extend(found)
        elif path.suffix.lower() in XLSX_SUFFIXES or path.suffix.lower() == ".csv":
            regular_file(path, RegisterError, "register export")  # not a FIFO or a device
            files.append(path)
        else:
            raise RegisterError(
                "not a register export (expected an .xlsx or .xlsm workbook, or .csv files)", path
            )
    workbooks = [f for f in files if f.suffix.lower() in XLSX_SUFFIXES]
    if workbooks and len(files) > 1:
        raise RegisterError("give one XLSX workbook, or CSV files (one per table), not both",
                            workbooks[0])
    return files


def _xlsx_sources(path: Path) -> list[Source]:
    """One source per sheet of a workbook, read by python-calamine once it is checked."""
    from python_calamine import CalamineWorkbook  # imported lazily: the CLI starts faster

    parts = open_workbook(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises several types for broken or encrypted files
        detail = "password-protected" if "password" in str(exc).lower() else "damaged or not XLSX"
        raise RegisterError(f"not a readable XLSX workbook ({detail})", path) from None

    @contextmanager
    def rows(name: str, notes: list[CellNote]) -> Iterator[Iterator[Sequence[Any]]]:
        """Every row of one sheet, from spreadsheet row 1, once its reach is checked."""
        part = parts.get(name)
        if not part:
            raise RegisterError("not a readable XLSX workbook (no worksheet for this sheet)",
                                path, where=f"sheet '{name}'")
        extent = scan_sheet(path, part, name)
        for row, column, text in extent.errors:
            notes.append(CellNote(row - 1, column - 1, text, f"a spreadsheet error ({text}), "
                                  "not a value: read as unreadable", unreadable=True))
        try:
            # skip_empty_area=False: row 0 is spreadsheet row 1, so row numbers are Excel's
            data = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:
            raise RegisterError("not a readable XLSX workbook (damaged sheet)", path,
                                where=f"sheet '{name}'") from None
        yield iter(data)

    sources = []
    for name in names:
        notes: list[CellNote] = []
        sources.append(Source(name, path, name, partial(rows, name, notes), notes))
    return sources


def _csv_sources(files: list[Path]) -> list[Source]:
    """One source per CSV file, named by its stem."""
    sources = []
    for f in files:
        notes: list[CellNote] = []
        sources.append(Source(f.stem, f, None, partial(csv_rows, f, notes), notes))
    return sources


# --- matching sources to tables --------------------------------------------------------


def table_of(name: str, mapping: Mapping) -> str | None:
    """The table a sheet or file name stands for, if any."""
    norm = normalise_header(name)
    if norm in mapping.tables:
        return mapping.tables[norm]
    for spec in TABLES.values():
        if norm in {normalise_header(n) for n in (spec.name, *spec.synonyms)}:
            return spec.name
    return None


def _assign(sources: list[Source], mapping: Mapping) -> tuple[dict[str, Source], list[DataIssue]]:
    """Table -> the first source naming it; notes for sources that name no table."""
    chosen: dict[str, Source] = {}
    notes: list[DataIssue] = []
    for source in sources:
        kind = "sheet" if source.sheet else "file"
        shown = source.sheet or source.path.name
        table = table_of(source.name, mapping)
        if table is None:
            problem = f"{kind} '{shown}' is not a register table; ignored"
        elif table in chosen:
            problem = f"{kind} '{shown}' is a second {table} table; ignored"
        else:
            chosen[table] = source
            continue
        notes.append(DataIssue(shown, 0, "", "", problem))
    return chosen, notes


def _no_schemes(files: list[Path], sources: list[Source]) -> RegisterError:
    """The error for an export without a schemes table."""
    if sources and sources[0].sheet:
        names = ", ".join(s.name for s in sources) or "none"
        return RegisterError(f"no 'schemes' sheet or file found (sheets: {names})", files[0])
    names = ", ".join(f.name for f in files)
    where = files[0] if len(files) == 1 else None
    return RegisterError(f"no 'schemes' sheet or file found (files: {names})", where)


# --- reading one table -----------------------------------------------------------------


@dataclass
class _Reading:
    """A table being read: parsers and columns per kept column, and its issues."""

    spec: TableSpec
    header: Header
    keep: list[tuple[int, str]]  # (cell index, column), scheme_id first
    parsers: dict[str, ColumnParser]
    columns: dict[str, list[Any]]
    issues: list[tuple[int, int, DataIssue]] = field(default_factory=list)  # (row, order, issue)
    nrows: int = 0

    @cached_property
    def order(self) -> dict[str, int]:
        """Column -> its place among the kept columns (issues of a row are in that order)."""
        return {column: k for k, (_, column) in enumerate(self.keep)}

    def row_number(self, index: int) -> int:
        """Spreadsheet row of data row ``index``."""
        return self.header.index + 2 + index

    def add(self, index: int, column: str, value: str, problem: str,
            scheme: Any = None) -> None:
        """Record a data-quality issue for data row ``index`` (of scheme ``scheme``, read
        from the row when not given)."""
        if scheme is None:
            ids = self.columns["scheme_id"]
            scheme = ids[index] if index < len(ids) else ""
        order = self.order.get(column, -1)
        row = self.row_number(index)
        scheme_id = scheme if isinstance(scheme, str) else ""
        self.issues.append(
            (row, order, DataIssue(self.spec.name, row, column, value, problem, scheme_id))
        )


def _start(spec: TableSpec, header: Header, skip: Collection[str] = ()) -> _Reading:
    """Set up parsers and empty columns for the matched columns, scheme_id first."""
    keep = sorted(((col, j) for col, j in header.columns.items() if col not in skip),
                  key=lambda item: (item[0] != "scheme_id", item[1]))
    pairs = [(j, col) for col, j in keep]
    parsers = {}
    caches: dict[str, Any] = {}  # one cache per value type, shared by its columns
    for _, col in pairs:
        column = spec.column(col)
        assert column is not None  # header matching only yields columns of the spec
        parsers[col] = ColumnParser(column.type, caches)
    return _Reading(spec, header, pairs, parsers, {col: [] for _, col in pairs})


def positions(values: Sequence[Any], value: Any) -> Iterator[int]:
    """Every index of ``value`` in ``values``, found by the C ``index`` scan."""
    start = 0
    while True:
        try:
            start = values.index(value, start)
        except ValueError:
            return
        yield start
        start += 1


FEW = 8  # up to this many values are located by C scans, more by one Python pass


def rows_of(values: Sequence[Any], targets: set[Any]) -> dict[Any, list[int]]:
    """The indices at which each target occurs in ``values``."""
    if len(targets) <= FEW:
        return {t: list(positions(values, t)) for t in targets}
    found: dict[Any, list[int]] = {}
    for i, value in enumerate(values):
        if value in targets:
            found.setdefault(value, []).append(i)
    return found


def _read_chunk(reading: _Reading, chunk: list[Sequence[Any]]) -> None:
    """Transpose one chunk of rows, parse the kept columns and note unreadable values."""
    transposed = list(zip_longest(*chunk, fillvalue=""))
    empty = ("",) * len(chunk)
    base = reading.nrows
    for j, col in reading.keep:
        raw = transposed[j] if j < len(transposed) else empty
        values, bad = reading.parsers[col](raw)
        reading.columns[col].extend(values)
        if bad:
            for key, rows in rows_of(raw, bad).items():
                unknown = reading.parsers[col].bad[key]
                for i in rows:
                    reading.add(base + i, col, unknown.raw, unknown.problem or "")
    reading.nrows += len(chunk)


def _trim(reading: _Reading) -> None:
    """Drop fully blank rows at the end (exports often carry formatted empty rows)."""
    columns = list(reading.columns.values())
    n = reading.nrows
    while n and all(col[n - 1] is BLANK for col in columns):
        n -= 1
    for col in columns:
        del col[n:]
    reading.nrows = n
    reading.issues = [item for item in reading.issues if item[0] <= reading.row_number(n - 1)]


def scheme_key(value: str) -> str:
    """How scheme ids are matched between tables: ignoring case (surrounding spaces are
    already stripped by the text parser)."""
    return value.casefold()


NO_SCHEME_ID = "row has no scheme_id; not counted"


def id_spellings(ids: Iterable[Any], known: set[str]) -> dict[str, str]:
    """Ids that differ from a schemes-table id only in case, each to that id (s-001 is
    S-001), so a scheme's rows are never dropped from its evidence for a spelling."""
    canonical = {scheme_key(k): k for k in known}
    return {v: canonical[scheme_key(v)] for v in ids
            if isinstance(v, str) and v not in known and scheme_key(v) in canonical}


def _check_scheme_ids(reading: _Reading, known: set[str] | None) -> None:
    """Note rows with no scheme_id (outside schemes, after matching ids to the schemes
    table's spelling)."""
    ids = reading.columns["scheme_id"]
    renamed = id_spellings(set(ids), known) if known is not None else {}
    if renamed:
        ids = reading.columns["scheme_id"] = [renamed.get(v, v) if v.__class__ is str else v
                                              for v in ids]
    others = [c for c in reading.columns.values() if c is not ids]
    distinct = set(ids)
    missing: set[Any] = {v for v in distinct if isinstance(v, Unknown)}
    # ids the schemes table lacks are not data-quality issues but a finding of their own:
    # records of a scheme the force does not list (engine.RegisterEvaluator.unlisted)
    for value, rows in sorted(rows_of(ids, missing).items(), key=lambda item: item[1][0]):
        for i in rows:
            if value is not BLANK or any(c[i] is not BLANK for c in others):
                reading.add(i, "scheme_id", value.raw, NO_SCHEME_ID)


def _check_duplicates(reading: _Reading) -> None:
    """Note a scheme_id that appears on more than one row of the schemes table (ids that
    differ only in case are the same scheme)."""
    ids = reading.columns["scheme_id"]
    first: dict[str, int] = {}
    for i, value in enumerate(ids):
        if not isinstance(value, str):
            continue
        seen = first.setdefault(scheme_key(value), i)
        if seen != i:
            reading.add(i, "scheme_id", value, f"scheme_id '{value}' is also on row "
                        f"{reading.row_number(seen)}; this row is not counted")


def read_table(
    source: Source, spec: TableSpec, mapping: Mapping, known: set[str] | None,
    skip: Collection[str] = (),
) -> tuple[Table | None, list[DataIssue]]:
    """Read one table from its source; None (with a note) when it cannot be used.

    A CSV file is read by polars when it is clean (``csvframe``), else by the careful
    reader; both give the same table.
    """
    if source.sheet is None:
        from youthscheme_audit.csvframe import read_fast

        fast = read_fast(source, spec, mapping, known, skip)
        if not isinstance(fast, str):
            return fast
        if fast:  # said, so a slower read of a big file is explained
            with source.rows() as rows:
                table, issues = _read_rows(source, spec, mapping, known, rows, skip)
            why = (f"{source.path.name} was read line by line by the careful CSV reader, "
                   f"not the fast one: {fast}")
            return table, [DataIssue(spec.name, 0, "", "", why), *issues]
    with source.rows() as rows:
        return _read_rows(source, spec, mapping, known, rows, skip)


def _read_rows(
    source: Source, spec: TableSpec, mapping: Mapping, known: set[str] | None,
    rows: Iterator[Sequence[Any]], skip: Collection[str] = (),
) -> tuple[Table | None, list[DataIssue]]:
    """Find the header among the first rows, then read the rest in chunks."""
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    header = find_header(HeaderMatcher(spec, mapping.columns.get(spec.name)), head)
    if header is None or "scheme_id" not in header.columns:
        if spec.required:
            raise source.error(
                f"{spec.name}: no scheme_id column found in the first {HEADER_SEARCH_ROWS} rows"
            )
        problem = ("no header row found" if header is None else "no scheme_id column found")
        note = f"{problem} in the first {HEADER_SEARCH_ROWS} rows; table ignored"
        return None, [DataIssue(spec.name, 0, "", "", note)]
    reading = _start(spec, header, skip)
    data = chain(head[header.index + 1:], rows)
    while chunk := list(islice(data, CHUNK_ROWS)):
        _read_chunk(reading, chunk)
    above = _apply_notes(reading, source.notes)
    _trim(reading)
    if spec.name == "schemes":
        _check_ages(reading)
    _check_scheme_ids(reading, known)
    if known is None:
        _check_duplicates(reading)
    table = Table(spec.name, source.label, header.index + 1, reading.columns, reading.nrows)
    return table, above + _header_notes(spec, header) + [
        d for *_, d in sorted(reading.issues, key=_issue_key)]


def _apply_notes(reading: _Reading, notes: list[CellNote]) -> list[DataIssue]:
    """Turn what the file reader noted into issues (and unreadable values); return those
    about the whole file or rows above the header, which belong to no data row."""
    cells = dict(reading.keep)
    above = []
    for note in notes:
        index = note.record - reading.header.index - 1
        if index < 0:
            above.append(DataIssue(reading.spec.name, max(note.record + 1, 0), "", note.value,
                                   note.problem))
            continue
        column = cells.get(note.cell, "")
        if note.unreadable and column and index < reading.nrows:
            reading.columns[column][index] = Unknown(note.value, note.problem)
        reading.add(index, column, note.value, note.problem)
    return above


def _check_ages(reading: _Reading) -> None:
    """A scheme whose age_min is above its age_max: noted, and both ages made unknown
    (which of the two is wrong cannot be told, and the ratio bands depend on them)."""
    lows, highs = reading.columns.get("age_min"), reading.columns.get("age_max")
    if lows is None or highs is None:
        return
    for i, (low, high) in enumerate(zip(lows, highs, strict=True)):
        if low.__class__ is int and high.__class__ is int and low > high:
            problem = (f"age_min {low} is above age_max {high}; both ages are treated as "
                       "unknown")
            reading.add(i, "age_min", f"{low} > {high}", problem)
            lows[i], highs[i] = Unknown(str(low), problem), Unknown(str(high), problem)


def _issue_key(item: tuple[int, int, DataIssue]) -> tuple[int, int]:
    """Issues sort by spreadsheet row, then by column position."""
    return item[0], item[1]


def _header_notes(spec: TableSpec, header: Header) -> list[DataIssue]:
    """Data-quality notes for header cells that were not used."""
    return [DataIssue(spec.name, header.index + 1, text, text, problem)
            for text, problem in header.notes]


def known_ids(table: Table) -> set[str]:
    """The scheme_ids of the schemes table."""
    return {v for v in set(table.columns["scheme_id"]) if isinstance(v, str)}


# --- the register ----------------------------------------------------------------------


def read_register(
    paths: Iterable[Path], mapping: Path | None = None,
    skip_text: Collection[tuple[str, str]] = (), progress: Progress | None = None,
) -> Register:
    """Read an XLSX workbook, CSV files or a directory of CSV files into a Register.

    ``skip_text`` names (table, column) pairs of *text* columns the caller does not need
    (names, roles, ids when no row is cited). Text never fails to parse, so skipping them
    changes no finding and no data-quality issue; it only saves a call per cell.
    """
    files = _input_files(list(paths))
    rules = load_mapping(mapping) if mapping is not None else Mapping()
    is_xlsx = files[0].suffix.lower() in XLSX_SUFFIXES
    sources = _xlsx_sources(files[0]) if is_xlsx else _csv_sources(files)
    chosen, notes = _assign(sources, rules)
    if "schemes" not in chosen:
        raise _no_schemes(files, sources)
    tables: dict[str, Table] = {}
    known: set[str] | None = None
    order = [name for name in TABLES if name in chosen]  # schemes first: ids checked against it
    for n, name in enumerate(order):
        if progress is not None:
            progress(f"reading {name.replace('_', ' ')}", n, len(order))
        spec = TABLES[name]
        skip = {c for t, c in skip_text
                if t == name and c != "scheme_id" and (col := spec.column(c)) is not None
                and col.type == "text"}
        table, issues = read_table(chosen[name], spec, rules, known, skip)
        notes.extend(issues)
        if table is not None:
            tables[name] = table
            known = known_ids(table) if known is None else known
        if name == "schemes" and not known:
            raise chosen[name].error(f"schemes: no scheme rows below the header (row "
                                     f"{table.header_row if table else 1}): nothing to score")
    return Register(tables, notes, tuple(str(f) for f in files))
