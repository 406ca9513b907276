"""compare: a column compared with another column or a fixed value, row by row.

Parameters: ``left`` (column), ``op`` (one of < <= > >= == !=), and either ``right``
(column) or ``value`` (a number); optional ``where``. Works on dates and numbers.
Either side unknown makes the row unverified.

``recent_years: N`` (with a date ``right``) judges only rows whose right-hand date is
within N years of the as-of date. Registers keep the *latest* DBS or training date, so
for an adult who started long ago a later date is usually a renewal, not a late first
check; for one who started within the renewal period it cannot be a renewal.

Passing row (left dbs_issue_date, op <=, right start_date):
    person_id P-01, dbs_issue_date 2023-01-05, start_date 2023-02-01
Failing row:
    person_id P-02, dbs_issue_date 2024-06-01, start_date 2024-03-01
    -> "DBS issue date 2024-06-01 is not on or before start date 2024-03-01"
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from typing import Any

from youthscheme_audit.checks.base import Check, Context, Param, fmt, label, shift
from youthscheme_audit.registers import Table
from youthscheme_audit.tables import TABLES
from youthscheme_audit.values import Unknown

OPS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "<": (operator.lt, "before"),
    "<=": (operator.le, "on or before"),
    ">": (operator.gt, "after"),
    ">=": (operator.ge, "at least"),
    "==": (operator.eq, "equal to"),
    "!=": (operator.ne, "different from"),
}


class Compare(Check):
    NAME = "compare"
    PARAMS = {
        "left": Param("column", doc="the column on the left"),
        "op": Param("text", doc="one of < <= > >= == !="),
        "right": Param("column", required=False, doc="the column on the right"),
        "value": Param("number", required=False, doc="or a fixed number on the right"),
        "recent_years": Param("number", required=False,
                              doc="only rows whose right-hand date is this recent"),
        "where": Param("filter", required=False, doc="only rows matching this"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.left: str = params["left"]
        self.right: str | None = params.get("right")
        self.value = params.get("value")
        self.op, self.op_words = OPS[params["op"]]
        self.recent_years = params.get("recent_years")

    @classmethod
    def extra_problems(cls, table: str, params: dict[str, Any]) -> list[str]:
        """op must be known; exactly one of right / value; both sides comparable."""
        problems = []
        if params.get("op") not in OPS:
            problems.append(f"op '{params.get('op')}' is not one of {' '.join(OPS)}")
        if ("right" in params) == ("value" in params):
            problems.append("give exactly one of 'right' (a column) or 'value' (a number)")
            return problems
        left = TABLES[table].column(params["left"])
        right_type = (
            col.type if "right" in params and (col := TABLES[table].column(params["right"]))
            else "int" if "value" in params else None
        )
        comparable = {("date", "date"), ("int", "int")}
        if left is not None and right_type is not None and (
            left.type, right_type) not in comparable:
            problems.append(f"{params['left']} ({left.type}) cannot be compared with "
                            f"{params.get('right', 'a number')} ({right_type}): compare two "
                            "dates or two numbers")
        return problems

    def _rhs(self, table: Table, i: int) -> Any:
        return table.columns[self.right][i] if self.right else self.value

    def inputs(self) -> list[str]:
        return [self.left, self.right] if self.right else [self.left]

    def verdicts(self, columns: list[Sequence[Any]], ctx: Context) -> list[bool | None]:
        """Two columns rarely repeat as pairs: compare row by row in one comprehension."""
        op = self.op
        since = (
            shift(ctx.as_of, years=int(self.recent_years))
            if self.recent_years is not None else None
        )
        unknown, date = Unknown, dt.date  # locals: no global lookup per row
        return [
            None if left.__class__ is unknown or right.__class__ is unknown
            else True if since is not None and right.__class__ is date and right < since
            else op(left, right)
            for left, right in zip(columns[0], columns[1], strict=True)
        ]

    def test(self, ctx: Context, *values: Any) -> bool | None:
        left = values[0]
        right = values[1] if self.right else self.value
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return None
        if self.recent_years is not None and isinstance(right, dt.date) and right < shift(
            ctx.as_of, years=int(self.recent_years)
        ):
            return True  # too long ago to tell a late check from a renewal
        try:
            return bool(self.op(left, right))
        except TypeError:
            return None

    def _threshold(self, table: Table | None = None, i: int = 0) -> str:
        if self.right is None:
            return f"{self.op_words} {fmt(self.value)}"
        rhs = f" {fmt(self._rhs(table, i))}" if table is not None else ""
        return f"{self.op_words} {label(self.table, self.right)}{rhs}"

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        left = table.columns[self.left][index]
        threshold = self._threshold(table, index)
        if isinstance(left, Unknown) or isinstance(self._rhs(table, index), Unknown):
            return (
                self.left, fmt(left), threshold,
                f"{label(self.table, self.left)} is {fmt(left)}; cannot check it is {threshold}",
            )
        return (
            self.left, fmt(left), threshold,
            f"{label(self.table, self.left)} {fmt(left)} is not {threshold}",
        )

    def describe(self) -> str:
        recent = (
            f" (rows whose {label(self.table, self.right)} is within "
            f"{fmt(self.recent_years)} years)" if self.recent_years is not None and self.right
            else ""
        )
        return f"{label(self.table, self.left)} {self._threshold()}{recent}" + self.suffix()
