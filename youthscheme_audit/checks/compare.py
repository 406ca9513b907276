"""compare: a column compared with another column or a fixed value, row by row.

Parameters: ``left`` (column), ``op`` (one of < <= > >= == !=), and either ``right``
(column) or ``value`` (a number); optional ``offset_days`` (added to a date ``right``:
"on or before the start date plus 30 days"), ``first`` and ``where``. Works on dates
and numbers. A blank or placeholder on either side is no record and fails the row; an
unreadable value or a missing column leaves it unverified.

``first: COLUMN`` (with op < or <=) says that ``left`` holds only the *latest* of a
repeated event (registers keep the newest DBS certificate or training date) and names
the column that holds the first one. Where the first date is known it is compared.
Otherwise the latest date decides only when it passes (the first was earlier still);
when the latest is too late it may be a renewal, so the row is unverified, never a
false gap nor a vacuous pass.

Passing row (left dbs_issue_date, op <=, right start_date):
    person_id P-01, dbs_issue_date 2023-01-05, start_date 2023-02-01
Failing row:
    person_id P-02, dbs_issue_date 2024-06-01, start_date 2024-03-01
    -> "DBS issue date 2024-06-01 is not on or before start date 2024-03-01"
With ``first: dbs_first_issue_date`` and no first date recorded, the same row is
unverified: "... the register keeps only the latest DBS issue date, which may be a
renewal: record the first DBS issue date to decide".
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from youthscheme_audit.checks.base import (
    FAIL,
    MISSING,
    OPEN,
    PASS,
    Check,
    Context,
    Param,
    fmt,
    label,
    no_record,
    values_of,
)
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
if TYPE_CHECKING:
    import polars as pl

FIRST_OPS = ("<", "<=")  # a later first date can only be "earlier still" for these
KNOWN = 0  # the state of a value that can be compared (see _state)


class Compare(Check):
    NAME = "compare"
    PARAMS = {
        "left": Param("column", doc="the column on the left"),
        "op": Param("text", doc="one of < <= > >= == !="),
        "right": Param("column", required=False, doc="the column on the right"),
        "value": Param("number", required=False, doc="or a fixed number on the right"),
        "offset_days": Param("number", required=False,
                             doc="days added to a date on the right"),
        "first": Param("column", required=False,
                       doc="column of the first date when left keeps only the latest"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.left: str = params["left"]
        self.right: str | None = params.get("right")
        self.value = params.get("value")
        self.op, self.op_words = OPS[params["op"]]
        self.offset = dt.timedelta(days=int(params.get("offset_days") or 0))
        self.first: str | None = params.get("first")

    @classmethod
    def extra_problems(cls, table: str, params: dict[str, Any]) -> list[str]:
        """op known; exactly one of right / value; both sides comparable; offset and first
        only on dates, first only with < or <=."""
        problems = []
        if params.get("op") not in OPS:
            problems.append(f"op '{params.get('op')}' is not one of {' '.join(OPS)}")
        if ("right" in params) == ("value" in params):
            problems.append("give exactly one of 'right' (a column) or 'value' (a number)")
            return problems
        spec = TABLES[table]
        left = spec.column(params["left"])
        right_type = (
            col.type if "right" in params and (col := spec.column(params["right"]))
            else "int" if "value" in params else None
        )
        comparable = {("date", "date"), ("int", "int")}
        if left is not None and right_type is not None and (
                left.type, right_type) not in comparable:
            problems.append(f"{params['left']} ({left.type}) cannot be compared with "
                            f"{params.get('right', 'a number')} ({right_type}): compare two "
                            "dates or two numbers")
        if "offset_days" in params and right_type != "date":
            problems.append("offset_days needs a date column on the right")
        if "first" in params:
            first = spec.column(params["first"])
            if params.get("op") not in FIRST_OPS:
                problems.append(f"first needs op {' or '.join(FIRST_OPS)}")
            if first is not None and left is not None and first.type != left.type:
                problems.append(f"first ({first.type}) must be the same kind of column as "
                                f"left ({left.type})")
        return problems

    def inputs(self) -> list[str]:
        cols = [self.left] + ([self.right] if self.right else [])
        return cols + ([self.first] if self.first else [])

    def _rhs(self, value: Any) -> Any:
        """The right-hand side with the offset applied (dates only)."""
        return value + self.offset if self.offset and isinstance(value, dt.date) else value

    def test(self, ctx: Context, *values: Any) -> bool | None:
        left = values[0]
        right = values[1] if self.right else self.value
        if right.__class__ is Unknown:
            return no_record(right)
        right = self._rhs(right)
        if self.first is not None:
            first = values[-1]
            if not isinstance(first, Unknown):
                return self._holds(first, right)
            if left.__class__ is Unknown:
                return no_record(left)
            # only the latest is known: it decides when it passes, the first being earlier
            return True if self._holds(left, right) else None
        if left.__class__ is Unknown:
            return no_record(left)
        return self._holds(left, right)

    def native(self, table: Table, ctx: Context) -> pl.Series | None:
        """Two columns rarely repeat as pairs: the rule as one polars expression over each
        column's key (a date's ordinal, a number) and state (known, no record, open)."""
        if self.right is None and self.first is None:
            return None  # one column: judged once per distinct value
        import polars as pl

        from youthscheme_audit.frames import OUTCOME, per_code

        def side(name: str) -> tuple[pl.Series, pl.Series]:
            key = per_code(table, name, _key, None, pl.Int64, shared=True)
            state = per_code(table, name, _state, OPEN, OUTCOME, shared=True)
            return key, state

        left, left_state = side(self.left)
        frame = {"l": left, "ls": left_state}
        if self.right is not None:
            right, right_state = side(self.right)
            frame |= {"r": right + self.offset.days, "rs": right_state}
        else:
            frame |= {"r": pl.repeat(self.value, table.nrows, dtype=pl.Int64, eager=True),
                      "rs": pl.repeat(KNOWN, table.nrows, dtype=OUTCOME, eager=True)}
        if self.first is not None:
            frame["f"], frame["fs"] = side(self.first)

        def holds(name: str) -> Any:  # a polars when-then, to be finished
            return pl.when(self.op(pl.col(name), pl.col("r"))).then(pl.lit(PASS, OUTCOME))

        rule: Any = pl.when(pl.col("rs") != KNOWN).then(pl.col("rs"))
        if self.first is not None:
            rule = rule.when(pl.col("fs") == KNOWN).then(
                holds("f").otherwise(pl.lit(FAIL, OUTCOME)))
        rule = rule.when(pl.col("ls") != KNOWN).then(pl.col("ls")).otherwise(
            holds("l").otherwise(pl.lit(OPEN if self.first is not None else FAIL, OUTCOME)))
        return pl.DataFrame(frame).select(rule.alias("out"))["out"]

    def _holds(self, left: Any, right: Any) -> bool | None:
        try:
            return bool(self.op(left, right))
        except TypeError:
            return None

    def _threshold(self, right: Any = None) -> str:
        if self.right is None:
            return f"{self.op_words} {fmt(self.value)}"
        offset = f" plus {self.offset.days} days" if self.offset else ""
        shown = "" if right is None else f" {fmt(right)}"
        return f"{self.op_words} {label(self.table, self.right)}{shown}{offset}"

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        left = values_of(table, self.left)[index]
        right = values_of(table, self.right)[index] if self.right else self.value
        first = values_of(table, self.first)[index] if self.first else MISSING
        threshold = self._threshold(right)
        name = label(self.table, self.left)
        if self.first is not None and not isinstance(first, Unknown):
            first_name = label(self.table, self.first)
            return (self.first, fmt(first), threshold,
                    f"{first_name} {fmt(first)} is not {threshold}")
        if isinstance(right, Unknown):
            return (self.right or self.left, fmt(right), threshold,
                    f"{label(self.table, self.right or self.left)} is {fmt(right)}; "
                    f"cannot check that {name} is {threshold}")
        if isinstance(left, Unknown):
            return self.left, fmt(left), threshold, f"{name} is {fmt(left)}; it must be " \
                                                    f"{threshold}"
        if self.first is not None:
            first_name = label(self.table, self.first)
            return (self.left, fmt(left), threshold,
                    f"{name} {fmt(left)} is not {threshold}, but the register keeps only the "
                    f"latest {name}, which may be a renewal: record the {first_name} to "
                    "decide")
        return self.left, fmt(left), threshold, f"{name} {fmt(left)} is not {threshold}"

    def describe(self) -> str:
        rule = f"{label(self.table, self.left)} {self._threshold()}"
        if self.first is not None:
            latest = label(self.table, self.left)
            rule = (f"{label(self.table, self.first)} (or the latest {latest}, where that is "
                    f"already in time) {self._threshold()}")
        return rule + self.suffix()


def _key(value: Any) -> int | None:
    """What a known value compares by: a date's ordinal, or the number itself."""
    if isinstance(value, dt.date):
        return value.toordinal()
    return value if value.__class__ is int else None


def _state(value: Any) -> int:
    """0 for a known value, else the row's verdict for it: FAIL (no record) or OPEN."""
    if isinstance(value, Unknown):
        return FAIL if no_record(value) is False else OPEN
    return KNOWN if _key(value) is not None else OPEN
