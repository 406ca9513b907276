"""date_age: how long ago a date was, judged against the as-of date.

Parameters: ``columns`` (one or more date columns; the most recent known one counts,
so an Update Service status check can stand in for a reissued certificate), and a
limit: ``max_years``, ``max_months`` or ``max_days`` (recent enough), or ``min_years``
(old enough, e.g. an adult's date of birth at least 18 years ago); optional ``where``.
No known date in any column makes the row unverified.

Passing row (columns [safeguarding_training_date], max_years 3, as of 2026-11-22):
    person_id P-01, safeguarding_training_date 2025-09-01
Failing row:
    person_id P-02, safeguarding_training_date 2019-03-02
    -> "safeguarding training date 2019-03-02 is 7.7 years before 2026-11-22; the limit
    is 3 years"
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from youthscheme_audit.checks.base import Check, Context, Outcome, Param, classify, fmt
from youthscheme_audit.registers import Table
from youthscheme_audit.tables import TABLES

LIMITS = ("max_years", "max_months", "max_days", "min_years")


def shift(day: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """``day`` moved back by years and months (29 Feb falls back to 28 Feb)."""
    month_index = day.year * 12 + (day.month - 1) - years * 12 - months
    year, month = divmod(month_index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


class DateAge(Check):
    NAME = "date_age"
    PARAMS = {
        "columns": Param("columns", doc="date columns; the most recent known one counts"),
        "max_years": Param("number", required=False, doc="no older than this many years"),
        "max_months": Param("number", required=False, doc="no older than this many months"),
        "max_days": Param("number", required=False, doc="no older than this many days"),
        "min_years": Param("number", required=False, doc="at least this many years ago"),
        "where": Param("filter", required=False, doc="only rows matching this"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.names: list[str] = list(params["columns"])
        self.limit = next(k for k in LIMITS if k in params)
        self.amount = params[self.limit]

    @classmethod
    def extra_problems(cls, params: dict[str, Any]) -> list[str]:
        """Exactly one limit."""
        given = [k for k in LIMITS if k in params]
        if len(given) != 1:
            return [f"give exactly one of {', '.join(LIMITS)}"]
        return []

    def cutoff(self, as_of: dt.date) -> dt.date:
        """The boundary date for the limit as of ``as_of``."""
        n = int(self.amount)
        if self.limit == "max_days":
            return as_of - dt.timedelta(days=n)
        if self.limit == "max_months":
            return shift(as_of, months=n)
        return shift(as_of, years=n)

    def newest(self, table: Table, i: int) -> dt.date | None:
        """The most recent known date among the columns for row ``i``."""
        dates = [table.columns[n][i] for n in self.names]
        known = [d for d in dates if isinstance(d, dt.date)]
        return max(known) if known else None

    def evaluate(self, table: Table, ctx: Context) -> Outcome:
        rows = self.considered(table)
        cutoff = self.cutoff(ctx.as_of)
        minimum = self.limit == "min_years"

        def test(i: int) -> bool | None:
            day = self.newest(table, i)
            if day is None:
                return None
            return day <= cutoff if minimum else day >= cutoff

        fail, unknown = classify(rows, test)
        return Outcome(fail, unknown, rows)

    def _label(self) -> str:
        labels = [(c.label if (c := TABLES[self.table].column(n)) else n) for n in self.names]
        return " or ".join(labels)

    def _limit_words(self) -> str:
        unit = {"max_years": "years", "max_months": "months", "max_days": "days",
                "min_years": "years"}[self.limit]
        n = fmt(self.amount)
        if self.limit == "min_years":
            return f"at least {n} {unit} ago"
        return f"within {n} {unit}"

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        day = self.newest(table, index)
        threshold = f"{self._limit_words()} of {ctx.as_of.isoformat()}"
        if day is None:
            shown = ", ".join(fmt(table.columns[n][index]) for n in self.names)
            return self.names[0], shown, threshold, f"{self._label()} is {shown}; no date to check"
        years = (ctx.as_of - day).days / 365.25
        when = f"{years:.1f} years before" if years >= 0 else f"{-years:.1f} years after"
        return (
            self.names[0], day.isoformat(), threshold,
            f"{self._label()} {day.isoformat()} is {when} {ctx.as_of.isoformat()}; "
            f"it must be {self._limit_words()}",
        )

    def describe(self) -> str:
        return f"{self._label()} {self._limit_words()}" + self.suffix()
