"""What every register check kind shares: declared parameters, row filters, outcomes.

A check kind is a module with a ``Check`` subclass. It declares its parameters in
``PARAMS``; the catalog validates a control's ``register:`` entry against them when
the checklist loads (every problem reported, with its line), then builds the check
once. ``evaluate`` runs over a whole table column-wise and returns the rows that
fail and the rows whose values are unknown; the engine groups them by scheme.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from youthscheme_audit.registers import Table
from youthscheme_audit.tables import TABLES, VOCABULARIES
from youthscheme_audit.values import Unknown


@dataclass(frozen=True)
class Param:
    """One declared parameter of a check kind."""

    kind: str  # column, columns, values, number, flag, text, regex, filter, bands
    required: bool = True
    doc: str = ""


@dataclass
class Outcome:
    """Row indices (over the whole table) that fail, are unknown, or were considered."""

    fail: list[int]
    unknown: list[int]
    considered: list[int]


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
        keep: Iterable[int] = range(table.nrows)
        for column, allowed in self.spec.items():
            values = table.columns.get(column)
            if values is None:
                return []
            keep = [i for i in keep if values[i] in allowed]
        return list(keep)

    def describe(self) -> str:
        """The filter in words, e.g. ``kind is offsite or residential``."""
        return " and ".join(
            f"{label(self.table, col)} is {' or '.join(fmt(v) for v in vals)}"
            for col, vals in self.spec.items()
        )


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
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


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

    def evaluate(self, table: Table, ctx: Context) -> Outcome:
        """Classify every considered row of ``table``."""
        raise NotImplementedError

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        """Why row ``index`` failed or is unknown: (column, value, threshold, message)."""
        raise NotImplementedError

    def describe(self) -> str:
        """The rule in words, for 'met' findings and documentation."""
        raise NotImplementedError

    # helpers shared by the kinds -------------------------------------------------

    def considered(self, table: Table) -> list[int]:
        """The rows this check looks at after its ``where`` filter."""
        return self.where.rows(table) if self.where.spec else list(range(table.nrows))

    def suffix(self) -> str:
        """`` (rows where ...)`` when the check is filtered."""
        return f" (rows where {self.where.describe()})" if self.where.spec else ""


def classify(
    rows: Sequence[int], test: Callable[[int], bool | None]
) -> tuple[list[int], list[int]]:
    """Split rows into (fail, unknown) by a test returning True (pass), False or None."""
    fail: list[int] = []
    unknown: list[int] = []
    for i in rows:
        result = test(i)
        if result is None:
            unknown.append(i)
        elif not result:
            fail.append(i)
    return fail, unknown


def validate_value(table: str, column: str, value: Any) -> str | None:
    """A problem with a literal compared against ``table.column``, or None."""
    spec = TABLES[table].column(column)
    if spec is None:
        return None
    if spec.type in VOCABULARIES and value not in VOCABULARIES[spec.type]:
        allowed = ", ".join(VOCABULARIES[spec.type])
        return f"'{value}' is not a value of {column} (allowed: {allowed})"
    if spec.type == "bool" and not isinstance(value, bool):
        return f"'{value}' must be true or false for {column}"
    if spec.type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        return f"'{value}' must be a whole number for {column}"
    return None
