"""What every register check kind shares: declared parameters, row filters, outcomes.

A check kind is a module with a ``Check`` subclass. It declares its parameters in
``PARAMS``; the catalog validates a control's ``register:`` entry against them when
the checklist loads (every problem reported, with its line), then builds the check
once. A kind names the columns its ``test`` reads (``inputs``) and decides one row
from those values: True (passes), False (fails) or None (cannot tell).

Registers repeat values heavily (a few thousand distinct dates in a million rows), so
``evaluate`` runs ``test`` once per distinct combination of input values and maps the
verdicts back onto the rows in C; only the rows that do not pass are collected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from youthscheme_audit.models import shown
from youthscheme_audit.registers import Table, positions, rows_of
from youthscheme_audit.tables import TABLES, literal_problem
from youthscheme_audit.values import Unknown


@dataclass(frozen=True)
class Param:
    """One declared parameter of a check kind."""

    kind: str  # column, columns, values, number, flag, text, regex, filter, bands
    required: bool = True
    doc: str = ""


@dataclass
class Outcome:
    """Row indices (over the whole table) that fail or are unknown.

    ``considered`` lists the rows the check looked at, or is None for every row.
    """

    fail: list[int]
    unknown: list[int]
    considered: list[int] | None


@dataclass(frozen=True)
class Context:
    """What a check may consult besides its own table."""

    as_of: dt.date
    scheme_profiles: dict[str, dict[str, Any]]  # scheme_id -> profile values


class RowFilter:
    """``where:`` on a register check: column -> allowed value or list of values.

    A row is considered only if every named column holds one of the allowed values;
    a row whose filter column is unknown is not considered.
    """

    def __init__(self, spec: dict[str, Any] | None, table: str) -> None:
        self.spec = {k: tuple(v) if isinstance(v, list) else (v,) for k, v in (spec or {}).items()}
        self.table = table

    def rows(self, table: Table) -> list[int]:
        """Indices of the rows this filter keeps."""
        keep: list[int] | None = None
        for column, allowed in self.spec.items():
            values = table.columns.get(column)
            if values is None:
                return []
            # decide once per distinct value; Unknown is hashable and never allowed
            ok = {v: v in allowed for v in set(values)}
            if keep is None:
                keep = [i for i, v in enumerate(values) if ok[v]]
            else:
                keep = [i for i in keep if ok[values[i]]]
        return keep if keep is not None else list(range(table.nrows))

    def describe(self) -> str:
        """The filter in words, e.g. ``kind is offsite or residential``."""
        return " and ".join(
            f"{label(self.table, col)} is {' or '.join(fmt(v) for v in vals)}"
            for col, vals in self.spec.items()
        )


def shift(day: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """``day`` moved back by years and months (29 Feb falls back to 28 Feb)."""
    month_index = day.year * 12 + (day.month - 1) - years * 12 - months
    year, month = divmod(month_index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


@cache
def label(table: str, column: str) -> str:
    """The human label of ``table.column`` (the column name if unknown)."""
    spec = TABLES.get(table)
    col = spec.column(column) if spec else None
    return col.label if col else column


def fmt(value: Any) -> str:
    """A value as a report shows it."""
    if isinstance(value, Unknown):
        return f"'{value.raw}' (unreadable: {value.problem})" if value.problem else (
            f"'{value.raw}' (unknown)" if value.raw else "blank"
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return shown(value)


class Check:
    """Base class of a register check kind. Subclasses set NAME, PARAMS and evaluate()."""

    NAME: ClassVar[str] = ""
    PARAMS: ClassVar[dict[str, Param]] = {}
    # a scheme with no rows at all in the table: met (nothing forbidden happened) or unverified
    EMPTY_MEANS_MET: ClassVar[bool] = False

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        self.table = table
        self.params = params
        self.where = RowFilter(params.get("where"), table)

    def columns(self) -> set[str]:
        """Every column this check reads (the engine needs them present)."""
        cols: set[str] = set(self.where.spec)
        for name, spec in self.PARAMS.items():
            value = self.params.get(name)
            if value is None:
                continue
            if spec.kind == "column":
                cols.add(value)
            elif spec.kind == "columns":
                cols.update(value)
        return cols

    @classmethod
    def extra_problems(cls, table: str, params: dict[str, Any]) -> list[str]:
        """Problems with the parameters together (each was validated on its own)."""
        return []

    def inputs(self) -> list[str]:
        """The columns whose values ``test`` receives, in order."""
        raise NotImplementedError

    def test(self, ctx: Context, *values: Any) -> bool | None:
        """One row's verdict from its input values: pass, fail or None (cannot tell)."""
        raise NotImplementedError

    def evaluate(self, table: Table, ctx: Context) -> Outcome:
        """Classify every considered row of ``table`` (see the module docstring)."""
        rows = self.where.rows(table) if self.where.spec else None
        columns: list[Sequence[Any]] = [table.columns[c] for c in self.inputs()]
        if rows is not None:
            columns = [[col[i] for i in rows] for col in columns]
        fail, unknown = self.bad_rows(columns, ctx)
        if rows is not None:
            fail, unknown = [rows[n] for n in fail], [rows[n] for n in unknown]
        return Outcome(fail, unknown, rows)

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        """Why row ``index`` failed or is unknown: (column, value, threshold, message)."""
        raise NotImplementedError

    def describe(self) -> str:
        """The rule in words, for 'met' findings and documentation."""
        raise NotImplementedError

    def bad_rows(self, columns: list[Sequence[Any]], ctx: Context) -> tuple[list[int], list[int]]:
        """Positions (in ``columns``) of the rows that fail and of those that are unknown."""
        if len(columns) > 1:
            codes = self.verdicts(columns, ctx)
            # most rows pass: find the others with C scans rather than a loop per row
            return list(positions(codes, False)), list(positions(codes, None))
        # one column: judge each distinct value, then find only the rows holding a bad one
        values = columns[0]
        bad = {v: code for v in set(values) if (code := self.test(ctx, v)) is not True}
        if not bad:
            return [], []
        where = rows_of(values, set(bad))
        fail = sorted(n for v, found in where.items() if bad[v] is False for n in found)
        unknown = sorted(n for v, found in where.items() if bad[v] is None for n in found)
        return fail, unknown

    def verdicts(self, columns: list[Sequence[Any]], ctx: Context) -> list[bool | None]:
        """One verdict per row of the input columns: ``test`` once per distinct combination."""
        keys = list(zip(*columns, strict=True))
        verdict = {k: self.test(ctx, *k) for k in set(keys)}
        return list(map(verdict.__getitem__, keys))

    # helpers shared by the kinds -------------------------------------------------

    def suffix(self) -> str:
        """`` (rows where ...)`` when the check is filtered."""
        return f" (rows where {self.where.describe()})" if self.where.spec else ""


def validate_value(table: str, column: str, value: Any) -> str | None:
    """A problem with a literal compared against ``table.column``, or None."""
    spec = TABLES[table].column(column)
    problem = literal_problem(spec.type, value) if spec is not None else None
    return f"{column}: {problem}" if problem else None
