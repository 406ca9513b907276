"""date_age: how a date stands against the as-of date.

Parameters: ``columns`` (one or more date columns; the most recent known one counts,
so an Update Service status check can stand in for a reissued certificate) and one
limit: ``max_years``, ``max_months`` or ``max_days`` (recent enough), ``min_years``
(long enough ago, e.g. a date of birth at least 18 years back) or ``not_expired:
true`` (an expiry date that has not passed); optional ``where``. No known date makes
the row unverified, and so does a date after the as-of date for the recency limits
(a training or DBS date in the future is not a possible value).

Passing row (columns [safeguarding_training_date], max_years 3, as of 2026-11-22):
    person_id P-01, safeguarding_training_date 2025-09-01
Failing row:
    person_id P-02, safeguarding_training_date 2019-03-02
    -> "safeguarding training date 2019-03-02 is 7.7 years before 2026-11-22; it must be
    within 3 years"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any

from youthscheme_audit.checks.base import Check, Context, Param, fmt, label, shift
from youthscheme_audit.registers import Table

LIMITS = ("max_years", "max_months", "max_days", "min_years", "not_expired")


class DateAge(Check):
    NAME = "date_age"
    PARAMS = {
        "columns": Param("columns", doc="date columns; the most recent known one counts"),
        "max_years": Param("number", required=False, doc="no older than this many years"),
        "max_months": Param("number", required=False, doc="no older than this many months"),
        "max_days": Param("number", required=False, doc="no older than this many days"),
        "min_years": Param("number", required=False, doc="at least this many years ago"),
        "not_expired": Param("flag", required=False, doc="an expiry date not yet passed"),
        "where": Param("filter", required=False, doc="only rows matching this"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.names: list[str] = list(params["columns"])
        self.limit = next(k for k in LIMITS if k in params)
        self.amount = params[self.limit]

    @classmethod
    def extra_problems(cls, table: str, params: dict[str, Any]) -> list[str]:
        """Exactly one limit."""
        given = [k for k in LIMITS if k in params]
        if len(given) != 1:
            return [f"give exactly one of {', '.join(LIMITS)}"]
        if given == ["not_expired"] and params["not_expired"] is not True:
            return ["not_expired takes the value true"]
        return []

    @cache  # noqa: B019 - checks live as long as the catalog; few as-of dates
    def cutoff(self, as_of: dt.date) -> dt.date:
        """The boundary date for the limit as of ``as_of``."""
        if self.limit == "not_expired":
            return as_of
        n = int(self.amount)
        if self.limit == "max_days":
            return as_of - dt.timedelta(days=n)
        if self.limit == "max_months":
            return shift(as_of, months=n)
        return shift(as_of, years=n)

    def newest(self, table: Table, i: int) -> dt.date | None:
        """The most recent known date among the columns for row ``i``."""
        known = [d for n in self.names if isinstance(d := table.columns[n][i], dt.date)]
        return max(known) if known else None

    def inputs(self) -> list[str]:
        return self.names

    def bad_rows(self, columns: list[Sequence[Any]], ctx: Context) -> tuple[list[int], list[int]]:
        """Fold the columns into each row's newest date, then judge each distinct date once."""
        newest = columns[0]
        date = dt.date
        for other in columns[1:]:
            newest = [
                b if b.__class__ is date and (a.__class__ is not date or b > a) else a
                for a, b in zip(newest, other, strict=True)
            ]
        return super().bad_rows([newest], ctx)

    def test(self, ctx: Context, *values: Any) -> bool | None:
        known = [d for d in values if isinstance(d, dt.date)]
        if not known:
            return None
        day = max(known)
        if self.limit == "min_years":
            return day <= self.cutoff(ctx.as_of)
        if self.limit != "not_expired" and day > ctx.as_of:
            return None  # a date in the future cannot be trusted as recent evidence
        return day >= self.cutoff(ctx.as_of)

    def _label(self) -> str:
        return " or ".join(label(self.table, n) for n in self.names)

    def _limit_words(self) -> str:
        if self.limit == "not_expired":
            return "not passed"
        unit = self.limit.split("_")[1]
        if self.limit == "min_years":
            return f"at least {fmt(self.amount)} {unit} ago"
        return f"within {fmt(self.amount)} {unit}"

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        day = self.newest(table, index)
        as_of = ctx.as_of.isoformat()
        threshold = f"{self._limit_words()} as of {as_of}"
        if day is None:
            shown = ", ".join(fmt(table.columns[n][index]) for n in self.names)
            return self.names[0], shown, threshold, f"{self._label()} is {shown}; no date to check"
        if self.limit == "not_expired":
            return (self.names[0], day.isoformat(), threshold,
                    f"{self._label()} {day.isoformat()} has passed (as of {as_of})")
        if day > ctx.as_of and self.limit != "min_years":
            return (self.names[0], day.isoformat(), threshold,
                    f"{self._label()} {day.isoformat()} is after {as_of}; not a possible date")
        years = (ctx.as_of - day).days / 365.25
        return (
            self.names[0], day.isoformat(), threshold,
            f"{self._label()} {day.isoformat()} is {years:.1f} years before {as_of}; "
            f"it must be {self._limit_words()}",
        )

    def describe(self) -> str:
        return f"{self._label()} {self._limit_words()}" + self.suffix()
