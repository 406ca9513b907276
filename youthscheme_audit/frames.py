"""Register columns, dictionary-encoded: a polars column of codes and a list of values.

Registers repeat values heavily (a few thousand distinct dates in a million rows), so
each column is held as one ``UInt32`` code per row and one parsed value per code:
``values[codes[i]]`` is row i's value, parsed by the tool's own parsers (``values``),
exactly once per distinct raw text. The engine works on the codes with polars (one
Python call per distinct value, never per row); the rest of the tool reads ordinary
Python lists, built from the codes the first time a column is asked for.

Polars is imported here, and only commands that read registers import this module.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from youthscheme_audit.registers import Table

CODE = pl.UInt32


class Coded:
    """One column: ``codes`` (a polars UInt32 Series, one per row) and ``values`` per code.

    Made from codes and values (the CSV reader), from a list of parsed cells (the XLSX
    reader, tests) or from raw text and a parser (text columns, which rarely repeat:
    parsed per cell, and encoded only if a check reads them). Whatever was not given is
    built the first time it is asked for.
    """

    __slots__ = ("_codes", "_values", "_list", "_raw", "_parse", "_mapped")

    def __init__(self, codes: pl.Series | None = None, values: list[Any] | None = None, *,
                 cells: list[Any] | None = None, raw: pl.Series | None = None,
                 parse: Any = None) -> None:
        self._codes, self._values, self._list = codes, values, cells
        self._raw, self._parse = raw, parse
        self._mapped: dict[Any, pl.Series] = {}

    def mapped(self, of: Callable[[Any], Any], dtype: Any) -> pl.Series:
        """``of`` of each distinct value, by code: worked out once per function, so the
        checks that read a column share what they ask of it (a date's day number, ...)."""
        done = self._mapped.get(of)
        if done is None or done.dtype != dtype:
            done = self._mapped[of] = pl.Series(list(map(of, self.values)), dtype=dtype)
        return done

    @property
    def codes(self) -> pl.Series:
        if self._codes is None:
            self._encode()
        assert self._codes is not None
        return self._codes

    @property
    def values(self) -> list[Any]:
        if self._values is None:
            self._encode()
        assert self._values is not None
        return self._values

    def _encode(self) -> None:
        if self._raw is not None:  # text a check reads after all: encoded natively
            done = encode(self._raw, self._parse)
            self._codes, self._values = done.codes, done.values
            return
        codes, self._values = _numbered(self.to_list())
        self._codes = pl.Series(codes, dtype=CODE)

    def to_list(self) -> list[Any]:
        """Row i's value at index i (built once, then kept)."""
        if self._list is None:
            if self._raw is not None:
                self._list = list(map(self._parse, self._raw.fill_null("").to_list()))
            else:
                self._list = list(map(self.values.__getitem__, self.codes.to_list()))
        return self._list

    @property
    def per_cell(self) -> bool:
        """Whether the column is parsed per cell (text) and not encoded (yet)."""
        return self._codes is None and self._raw is not None

    def value_at(self, i: int) -> Any:
        """Row i's value, without building the whole list."""
        if self._list is not None:
            return self._list[i]
        if self._raw is not None and self._codes is None:
            return self._parse(self._raw[i] or "")
        return self.values[self.codes[i]]

    def values_at(self, rows: list[int]) -> list[Any]:
        """The values of ``rows``, read at once (without building the whole list)."""
        if self._list is not None:
            return [self._list[i] for i in rows]
        wanted = pl.Series(rows, dtype=CODE)
        if self._raw is not None and self._codes is None:
            return list(map(self._parse, self._raw.gather(wanted).fill_null("").to_list()))
        return list(map(self.values.__getitem__, self.codes.gather(wanted).to_list()))

    def head(self, n: int) -> Coded:
        """The first ``n`` rows."""
        if self._list is not None:
            return Coded(cells=self._list[:n])
        if self._raw is not None and self._codes is None:
            return Coded(raw=self._raw.head(n), parse=self._parse)
        return Coded(self.codes.head(n), self.values)

    def set_values(self, values: list[Any]) -> None:
        """Replace the value of every code (a rename that keeps the codes)."""
        self._values, self._list = values, None
        self._mapped.clear()

    def rows_with(self, wanted: set[int]) -> list[int]:
        """The rows whose code is in ``wanted``, in order."""
        if not wanted:
            return []
        return self.codes.is_in(sorted(wanted)).arg_true().to_list()

    def codes_where(self, test: Any) -> set[int]:
        """The codes whose value passes ``test`` (called once per distinct value)."""
        return {code for code, value in enumerate(self.values) if test(value)}


def recoded(column: Coded, of: Callable[[Any], Any]) -> Coded:
    """The column with ``of`` applied to each distinct value (equal results share a code)."""
    lookup, values = _numbered(map(of, column.values))
    return Coded(pl.Series(lookup, dtype=CODE).gather(column.codes), values)


def _numbered(items: Iterable[Any]) -> tuple[list[int], list[Any]]:
    """Each item's number (equal items share one, numbered in order of first sight), and
    the distinct items in that order."""
    index: dict[Any, int] = {}
    numbers = [index.setdefault(v, len(index)) for v in items]
    return numbers, list(index)


def encode(raw: pl.Series, parse: Any) -> Coded:
    """A column of raw text (nulls read as blank) parsed once per distinct value."""
    return encode_all({"v": (raw, parse)})["v"]


def encode_all(columns: Mapping[str, tuple[pl.Series, Any]], dates: Collection[str] = ()
               ) -> dict[str, Coded]:
    """Columns of raw text (nulls read as blank), each parsed once per distinct value by
    its own parser: name -> (raw, parse) in, name -> Coded out. The columns named in
    ``dates`` hold dates (``native_dates``).

    Each column's distinct texts (in order of first sight), then each row's code as the
    physical value of an Enum of those texts (the same numbers as a join on them, 20 to
    35 % faster; a categorical cast's codes are shared by every categorical column and
    would need renumbering). The columns are worked on side by side (``collect_all``).
    """
    if not columns:
        return {}
    names = list(columns)
    texts = pl.DataFrame({f"c{k}": columns[name][0] for k, name in enumerate(names)}).lazy()
    texts = texts.select(pl.all().fill_null(""))
    distinct = pl.collect_all([
        texts.select(pl.col(f"c{k}").unique(maintain_order=True).alias("v"))
        for k in range(len(names))])
    codes = texts.select(pl.col(f"c{k}").cast(pl.Enum(d["v"])).to_physical().cast(CODE)
                         for k, d in enumerate(distinct)).collect()
    return {name: Coded(codes[f"c{k}"], native_dates(d["v"], columns[name][1])
                        if name in dates else list(map(columns[name][1], d["v"].to_list())))
            for k, (name, d) in enumerate(zip(names, distinct, strict=True))}


# layouts exact enough to read natively: four-digit year, two-digit day and month in ASCII
# digits (what most exports write; polars' \d would take any script's digits); any other
# text goes to the tool's parser
_NATIVE_DATES = (
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "%Y-%m-%d"),
    (r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$", "%d/%m/%Y"),
)


def native_dates(texts: pl.Series, parse: Callable[[Any], Any]) -> list[Any]:
    """``parse`` of each of ``texts`` (distinct cells of a date column), the dates in the
    plainest layouts read natively: a real date in YEAR_RANGE written YYYY-MM-DD or
    DD/MM/YYYY is what ``values.parse_date`` makes of it; everything else (other layouts,
    impossible dates, years out of range, placeholders) is parsed by ``parse``, which
    says what is wrong with it. tests/test_frames.py holds the two to the same dates."""
    from youthscheme_audit.values import YEAR_RANGE

    text = pl.col("t")
    read = pl.coalesce(pl.when(text.str.contains(layout)).then(text.str.to_date(
        fmt, strict=False)) for layout, fmt in _NATIVE_DATES)
    dates = texts.to_frame("t").select(
        pl.when(read.dt.year().is_between(*YEAR_RANGE)).then(read)).to_series().to_list()
    return [day if day is not None else parse(raw)
            for day, raw in zip(dates, texts.to_list(), strict=True)]


class Lists(dict[str, Any]):
    """A table's columns as Python lists, each built from its codes when first asked for
    (then an ordinary dict lookup: citing rows looks columns up hundreds of thousands of
    times). Given ``rows``, each column is a dict of those rows' values alone (read in one
    batch): ``columns[name][i]`` reads the same for those rows, without building a list
    of every row."""

    def __init__(self, coded: dict[str, Coded], rows: Sequence[int] | None = None) -> None:
        super().__init__()
        self.coded = coded
        self.rows = rows

    def __missing__(self, name: str) -> Any:
        column = self.coded[name]
        rows = self.rows
        values = self[name] = (column.to_list() if rows is None
                               else dict(zip(rows, column.values_at(list(rows)), strict=True)))
        return values

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self.coded else default

    def __contains__(self, name: object) -> bool:
        return name in self.coded

    def __iter__(self) -> Iterator[str]:
        return iter(self.coded)

    def __len__(self) -> int:
        return len(self.coded)

    def keys(self) -> Any:
        return self.coded.keys()

    def values(self) -> Any:
        return [self[name] for name in self.coded]

    def items(self) -> Any:
        return [(name, self[name]) for name in self.coded]

    def __eq__(self, other: object) -> bool:
        return dict(self.items()) == other

    __hash__ = None


# --- evaluating checks ------------------------------------------------------------------

OUTCOME = pl.UInt8
# combinations of values few enough to look codes up by position (a gather) rather than
# by a join: a few MB at most
DENSE_KEYS = 1 << 22


def per_distinct(coded: Mapping[str, Coded], nrows: int, names: Sequence[str],
                 judge: Callable[[dict[str, Any]], int], dtype: Any = OUTCOME) -> pl.Series:
    """``judge`` once per distinct combination of the named columns' values, one code per
    row (``coded``: a table's columns, ``nrows`` long).

    ``judge`` receives column -> value (``MISSING`` for a column the table lacks) and
    returns a small code; the codes are mapped back onto the rows natively.
    """
    from youthscheme_audit.checks.base import MISSING

    names = list(dict.fromkeys(names))
    present = [n for n in names if n in coded]
    fixed = {n: MISSING for n in names if n not in coded}
    if not present:
        return pl.repeat(judge(fixed), nrows, dtype=dtype, eager=True)
    if len(present) == 1:
        (name,), column = present, coded[present[0]]
        each = [judge({**fixed, name: value}) for value in column.values]
        return pl.Series(each, dtype=dtype).gather(column.codes)
    return per_combination(
        [coded[n] for n in present], nrows,
        lambda values: judge({**fixed, **dict(zip(present, values, strict=True))}), dtype)


def per_combination(columns: Sequence[Coded], nrows: int,
                    judge: Callable[[tuple[Any, ...]], int], dtype: Any = OUTCOME) -> pl.Series:
    """``judge`` once per distinct combination of the columns' values (given as a tuple,
    in the columns' order), one code per row; the codes are mapped back natively."""
    keys = math.prod(max(len(c.values), 1) for c in columns)
    if keys >= 1 << 63:
        return _per_combination_rows(columns, judge, dtype)
    # one key per row from the codes of every column, then one judgement per distinct key
    key = pl.repeat(0, nrows, dtype=pl.UInt64, eager=True)
    for column in columns:
        key = key * max(len(column.values), 1) + column.codes.cast(pl.UInt64)
    distinct = key.unique()
    parts = []  # each distinct key's value in each column (the last varies fastest)
    rest = distinct
    for column in reversed(columns):
        size = max(len(column.values), 1)
        parts.append(map(column.values.__getitem__, (rest % size).to_list()))
        rest = rest // size
    out = pl.Series(list(map(judge, zip(*reversed(parts), strict=True))), dtype=dtype)
    if keys <= DENSE_KEYS:  # a table of every possible key: each row's code by position
        dense = pl.repeat(0, keys, dtype=dtype, eager=True).scatter(distinct, out)
        return dense.gather(key)
    lookup = pl.DataFrame({"key": distinct, "out": out})
    return key.to_frame("key").join(lookup, on="key", how="left", maintain_order="left")["out"]


def _per_combination_rows(columns: Sequence[Coded], judge: Callable[[tuple[Any, ...]], int],
                          dtype: Any) -> pl.Series:
    """``per_combination`` for columns too many to fold into one 64-bit key."""
    names = [f"c{k}" for k in range(len(columns))]
    codes = pl.DataFrame({n: c.codes for n, c in zip(names, columns, strict=True)})
    distinct = codes.unique()
    judged = [judge(tuple(c.values[k] for c, k in zip(columns, row, strict=True)))
              for row in distinct.iter_rows()]
    lookup = distinct.with_columns(pl.Series("out", judged, dtype=dtype))
    return codes.join(lookup, on=names, how="left", maintain_order="left")["out"]


def combine(scope: pl.Series, verdict: pl.Series) -> pl.Series:
    """Outcome codes from scope codes (SKIP, UNSURE, PASS) and verdicts (PASS, FAIL, OPEN)."""
    from youthscheme_audit.checks.base import PASS, SKIP, UNSURE

    frame = pl.DataFrame({"scope": scope, "verdict": verdict})
    return frame.select(
        pl.when(pl.col("scope") == SKIP).then(pl.lit(SKIP, OUTCOME))
        .when(pl.col("verdict") == PASS).then(pl.lit(PASS, OUTCOME))
        .when(pl.col("scope") == UNSURE).then(pl.lit(UNSURE, OUTCOME))
        .otherwise(pl.col("verdict")).alias("out"))["out"]


def rows_where(codes: pl.Series, *wanted: int) -> list[int]:
    """The rows whose outcome code is one of ``wanted``, in order."""
    return codes.is_in(list(wanted)).arg_true().to_list()


def per_code(table: Table, name: str, of: Callable[[Any], Any], missing: Any,
             dtype: Any, shared: bool = False) -> pl.Series:
    """``of(value)`` for every row of a column, worked out once per distinct value;
    ``missing`` in every row when the table lacks the column. ``shared``: ``of`` is a
    function other checks ask of the column too (a date's day number), whose results the
    column keeps (``Coded.mapped``); a check's own test is worked out afresh."""
    column = table.coded.get(name)
    if column is None:
        return pl.repeat(missing, table.nrows, dtype=dtype, eager=True)
    each = (column.mapped(of, dtype) if shared
            else pl.Series(list(map(of, column.values)), dtype=dtype))
    return each.gather(column.codes)
