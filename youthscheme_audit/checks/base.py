"""What every register check kind shares: parameters, scope, row verdicts, scheme verdicts.

A check kind is a module with a ``Check`` subclass. It declares its parameters in
``PARAMS``; the catalog validates a control's ``register:`` entry against them when
the checklist loads (every problem reported, with its line), then builds the check
once. A kind names the columns its ``test`` reads (``inputs``) and decides one row
from those values: True (passes), False (fails) or None (cannot tell).

The evidence rules are the same for every kind, and live here (product.md,
"Evidence and trust"):

* a blank or a placeholder (TBC, pending) in a value the rule needs is *no record*:
  the row fails ("no safeguarding training date recorded"); only a value that cannot
  be read, one outside the column's vocabulary, or a column the register lacks
  (``MISSING``) leaves the row unverified (``no_record`` decides which);
* ``where:`` puts rows in or out of scope; a row whose filter value is unknown is never
  silently dropped: it counts if it passes the rule anyway, and is unverified otherwise;
  ``unless:`` takes out only rows *known* to be excluded ("every adult but host-school
  staff"), so a blank or missing value keeps the row in scope;
* a missing column matters only to the rows that need it: it reads as ``MISSING`` in
  every row, so the rows the other columns decide are still decided;
* ``verdict`` turns one scheme's row counts into its status: met only when rows were
  examined and all passed; no rows in scope is not applicable (the register shows there
  is nothing to check); no rows at all in the table is unverified; a check declared
  ``failures_only`` (its evidence can show a breach but never that a rule is kept) is
  never met.

Registers repeat values heavily (a few thousand distinct dates in a million rows), and
each column is held dictionary-encoded (``frames``), so ``outcomes`` runs ``test`` (and
the scope) once per distinct combination of the values it reads and maps the verdicts
back onto the rows with polars: one outcome code per row (SKIP, PASS, FAIL, OPEN,
UNSURE). A kind whose inputs rarely repeat together computes them natively instead
(``native``); ``evaluate`` lists the rows by outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from youthscheme_audit.models import Status, shown
from youthscheme_audit.registers import Table
from youthscheme_audit.tables import TABLES, literal_problem
from youthscheme_audit.values import Unknown

if TYPE_CHECKING:
    import polars as pl

# every cell of a column the register does not have: unverifiable, but not a data-quality issue
MISSING = Unknown("", "no such column in the register")


def no_record(value: Unknown) -> bool | None:
    """The verdict on an unknown value a rule needs: blank or a placeholder fails (no
    record); unreadable, outside the vocabulary or missing cannot be judged (None)."""
    return None if value.problem else False


@dataclass(frozen=True)
class Param:
    """One declared parameter of a check kind."""

    kind: str  # column, columns, values, number, flag, text, regex, filter, bands
    required: bool = True
    doc: str = ""


# parameters every kind takes
COMMON_PARAMS = {
    "where": Param("filter", required=False, doc="only rows matching this"),
    "unless": Param("filter", required=False,
                    doc="not rows known to match this (an unknown value stays in)"),
    "failures_only": Param("flag", required=False,
                           doc="the rows can show a breach, never that the rule is kept"),
}


@dataclass
class Outcome:
    """Row indices (over the whole table) that fail or are unknown.

    ``considered`` lists the rows in scope (None for every row); ``unsure`` those of them
    whose scope could not be told (they count only because they did not pass).
    """

    fail: list[int]
    unknown: list[int]
    considered: list[int] | None
    unsure: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Context:
    """What a check may consult besides its own table."""

    as_of: dt.date
    scheme_profiles: dict[str, dict[str, Any]]  # scheme_id -> profile values


def values_of(table: Table, column: str) -> Sequence[Any]:
    """A column's values, or ``MISSING`` in every row when the register lacks the column."""
    values = table.columns.get(column)
    return values if values is not None else [MISSING] * table.nrows


OUT, MAYBE, IN = 0, 1, 2  # a row's scope; a row's overall scope is the least of its columns'
# a row's outcome for one check: out of scope, passes, fails, cannot be checked, or does
# not pass where its scope cannot be told (it counts as cannot be checked)
SKIP, PASS, FAIL, OPEN, UNSURE = 0, 1, 2, 3, 4
VERDICT = {True: PASS, False: FAIL, None: OPEN}  # a rule's verdict on a row as its code


class RowFilter:
    """``where:`` on a register check (or ``match:`` of no_rows): column -> allowed values.

    A row is in scope when every named column holds one of the allowed values, out of
    scope when a known value is not allowed, and unsure when a value is unknown.
    """

    def __init__(self, spec: dict[str, Any] | None, table: str) -> None:
        self.spec = {k: tuple(v) if isinstance(v, list) else (v,) for k, v in (spec or {}).items()}
        self.table = table

    def scope_of(self, values: dict[str, Any]) -> int:
        """OUT, MAYBE or IN for one row's values (column -> value)."""
        scope = IN
        for column, allowed in self.spec.items():
            value = values[column]
            scope = min(scope, MAYBE if value.__class__ is Unknown
                        else IN if value in allowed else OUT)
        return scope

    def explain(self, table: Table, index: int) -> str:
        """Why row ``index``'s scope cannot be told, e.g. ``kind is 'Force open day' ...``."""
        unknown = [f"{label(self.table, col)} is {fmt(values_of(table, col)[index])}"
                   for col in self.spec if isinstance(values_of(table, col)[index], Unknown)]
        return "; ".join(unknown)

    def describe(self) -> str:
        """The filter in words, e.g. ``kind is offsite or residential``."""
        return " and ".join(
            f"{label(self.table, col)} is {' or '.join(fmt(v) for v in vals)}"
            for col, vals in self.spec.items()
        )


@dataclass(frozen=True)
class Tally:
    """One scheme's rows for one check: in the table, in scope, failing, not checkable."""

    rows: int
    considered: int
    fail: int
    unknown: int


def plural(n: int, word: str) -> str:
    """``1 adults row`` reads badly: ``1 row`` / ``3 rows`` after the table's name."""
    return f"{n} {word} row" if n == 1 else f"{n} {word} rows"


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
    if value is MISSING:
        return "not in the register (no such column)"
    if isinstance(value, Unknown):
        return f"'{value.raw}' (unreadable: {value.problem})" if value.problem else (
            f"'{value.raw}' (no record)" if value.raw else "blank (no record)"
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return shown(value)


class Check:
    """Base class of a register check kind. Subclasses set NAME, PARAMS and test()."""

    NAME: ClassVar[str] = ""
    PARAMS: ClassVar[dict[str, Param]] = {}

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        self.table = table
        self.params = params
        self.where = RowFilter(params.get("where"), table)
        self.unless = RowFilter(params.get("unless"), table)
        self.failures_only = bool(params.get("failures_only"))

    @classmethod
    def parameters(cls) -> dict[str, Param]:
        """The kind's own parameters and those every kind takes."""
        return {**COMMON_PARAMS, **cls.PARAMS}

    def columns(self) -> set[str]:
        """Every column this check reads."""
        cols: set[str] = set(self.where.spec) | set(self.unless.spec)
        for name, spec in self.parameters().items():
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
        """Classify every row of ``table`` in scope (see the module docstring)."""
        from youthscheme_audit.frames import rows_where

        codes = self.outcomes(table, ctx)
        return Outcome(rows_where(codes, FAIL), rows_where(codes, OPEN, UNSURE),
                       rows_where(codes, PASS, FAIL, OPEN, UNSURE)
                       if self.where.spec or self.unless.spec else None,
                       set(rows_where(codes, UNSURE)))

    def outcomes(self, table: Table, ctx: Context) -> pl.Series:
        """One outcome code per row (SKIP, PASS, FAIL, OPEN or UNSURE), as a polars Series.

        The rule and the scope are each worked out once per distinct combination of the
        values they read, then mapped back onto the rows natively; a kind whose inputs
        rarely repeat together gives ``native`` verdicts instead.
        """
        from youthscheme_audit.frames import OUTCOME, combine, per_code, per_distinct

        verdict = self.native(table, ctx)
        inputs = self.inputs()
        if verdict is None and len(inputs) == 1 and inputs[0] in table.coded:
            test = self.test  # most kinds read one column: no dict per distinct value
            verdict = per_code(table, inputs[0], lambda value: VERDICT[test(ctx, value)],
                               OPEN, OUTCOME)
        elif verdict is None:
            verdict = per_distinct(table.coded, table.nrows, inputs,
                                   lambda v: VERDICT[self.test(ctx, *map(v.__getitem__, inputs))])
        scoped = [*self.where.spec, *self.unless.spec]
        if not scoped:
            return verdict
        return combine(per_distinct(table.coded, table.nrows, scoped, self._scope), verdict)

    def native(self, table: Table, ctx: Context) -> pl.Series | None:
        """Verdict codes (PASS, FAIL or OPEN) for every row computed natively, or None."""
        return None

    def _scope(self, values: dict[str, Any]) -> int:
        """SKIP, UNSURE (scope cannot be told) or PASS (in scope) for one combination."""
        scope = self.where.scope_of(values)
        if self.unless.spec and self.unless.scope_of(values) == IN:
            scope = OUT
        return (SKIP, UNSURE, PASS)[scope]

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        """Why row ``index`` failed or is unknown: (column, value, threshold, message)."""
        raise NotImplementedError

    def describe(self) -> str:
        """The rule in words, for findings and documentation."""
        raise NotImplementedError

    @cached_property
    def rule(self) -> str:
        """``describe()``, worded once: verdicts quote it for every distinct tally."""
        return self.describe()

    def verdict(self, tally: Tally) -> tuple[Status, str]:
        """One scheme's status for this check from its row counts, and the reason."""
        table, rule = self.table.replace("_", " "), self.rule
        if not tally.rows:
            return Status.UNVERIFIED, f"no {table} records for this scheme ({rule})"
        if tally.fail:
            more = f"; {tally.unknown} more cannot be checked" if tally.unknown else ""
            return Status.GAP, f"{tally.fail} of {plural(tally.considered, table)} " \
                               f"fail{'s' if tally.fail == 1 else ''}{more}: {rule}"
        if tally.unknown:
            return Status.UNVERIFIED, (f"{tally.unknown} of {plural(tally.considered, table)} "
                                       f"cannot be checked: {rule}")
        if not tally.considered:
            scope = " and".join(part for part in (
                f" where {self.where.describe()}" if self.where.spec else "",
                f" other than those where {self.unless.describe()}" if self.unless.spec else "")
                if part)
            return Status.NOT_APPLICABLE, (f"the register shows no {table} rows{scope}, so "
                                           "this does not arise")
        examined = plural(tally.considered, table)
        if self.failures_only:
            return Status.UNVERIFIED, (
                f"{examined} examined and none breaks the rule ({rule}), but these records "
                "can only show a breach, never that the rule is kept: other evidence is needed")
        if tally.considered == 1:
            return Status.MET, f"the {examined} examined passes: {rule}"
        return Status.MET, f"all {examined} examined pass: {rule}"

    # helpers shared by the kinds -------------------------------------------------

    def suffix(self) -> str:
        """`` (rows where ..., except ...)`` when the check is filtered."""
        parts = ([f"rows where {self.where.describe()}"] if self.where.spec else []) + (
            [f"except where {self.unless.describe()}"] if self.unless.spec else [])
        return f" ({', '.join(parts)})" if parts else ""


def validate_value(table: str, column: str, value: Any) -> str | None:
    """A problem with a literal compared against ``table.column``, or None."""
    spec = TABLES[table].column(column)
    problem = literal_problem(spec.type, value) if spec is not None else None
    return f"{column}: {problem}" if problem else None
