"""date_age: how a date stands against the as-of date.

Parameters: ``columns`` (one or more date columns; the most recent known one counts,
so an Update Service status check can stand in for a reissued certificate) and one
limit: ``max_years``, ``max_months`` or ``max_days`` (recent enough), ``min_years``
(long enough ago, e.g. a date of birth at least 18 years back) or ``not_expired:
true`` (an expiry date that has not passed); optional ``where``. No known date makes
the row fail (no record), unless one of them could not be read: an unreadable date or a
column the register lacks might be the newer one, so a row failing on the others is then
unverified. A date after the as-of date leaves the row unverified for the recency limits
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
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from youthscheme_audit.checks.base import (
    Check,
    Context,
    Param,
    fmt,
    label,
    shift,
    values_of,
)
from youthscheme_audit.registers import Table
from youthscheme_audit.values import Unknown

if TYPE_CHECKING:
    import polars as pl

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
        known = [d for n in self.names if isinstance(d := values_of(table, n)[i], dt.date)]
        return max(known) if known else None

    def inputs(self) -> list[str]:
        return self.names

    def native(self, table: Table, ctx: Context) -> pl.Series | None:
        """Each row's verdict natively, ``judge`` as one expression (``_rule``). One column:
        over its distinct values' day numbers (shared by the checks that read the column),
        mapped back by code. Several: over each row's newest date and whether another could
        not be read (it might be newer)."""
        import polars as pl

        from youthscheme_audit.frames import per_code

        if len(self.names) == 1:
            column = table.coded.get(self.names[0])
            if column is None:
                return None  # the column is missing: judged as MISSING, the usual way
            distinct = pl.DataFrame({"day": column.mapped(_ordinal, pl.Int32),
                                     "unread": column.mapped(_unread, pl.Boolean)})
            return distinct.select(self._rule(ctx))["out"].gather(column.codes)
        days = [per_code(table, n, _ordinal, None, pl.Int32, shared=True) for n in self.names]
        unread = [per_code(table, n, _unread, True, pl.Boolean, shared=True) for n in self.names]
        frame = pl.DataFrame({**{f"d{k}": d for k, d in enumerate(days)},
                              **{f"u{k}": u for k, u in enumerate(unread)}})
        folded = frame.select(pl.max_horizontal(pl.col(r"^d\d+$")).alias("day"),
                              pl.any_horizontal(pl.col(r"^u\d+$")).alias("unread"))
        return folded.select(self._rule(ctx))["out"]

    def _rule(self, ctx: Context) -> pl.Expr:
        """``judge`` as a polars expression over ``day`` (a day number, null for no known
        date) and ``unread`` (another value could not be read), giving ``out``."""
        import polars as pl

        from youthscheme_audit.checks.base import FAIL, OPEN, PASS
        from youthscheme_audit.frames import OUTCOME

        day, unread = pl.col("day"), pl.col("unread")
        code = {c: pl.lit(c, OUTCOME) for c in (PASS, FAIL, OPEN)}
        cut = self.cutoff(ctx.as_of).toordinal()
        passes = (day <= cut) if self.limit == "min_years" else (day >= cut)
        rule: Any = pl.when(day.is_null()).then(
            pl.when(unread).then(code[OPEN]).otherwise(code[FAIL]))
        if self.limit not in ("min_years", "not_expired"):
            rule = rule.when(day > ctx.as_of.toordinal()).then(code[OPEN])
        # a failing date is open when another, unreadable, might be newer
        return rule.when(passes).then(code[PASS]).when(unread).then(code[OPEN]).otherwise(
            code[FAIL]).alias("out")

    def test(self, ctx: Context, *values: Any) -> bool | None:
        known = [d for d in values if isinstance(d, dt.date)]
        unread = any(isinstance(v, Unknown) and v.problem for v in values)
        return self.judge(ctx, max(known) if known else None, unread)

    def judge(self, ctx: Context, day: dt.date | None, unread: bool) -> bool | None:
        """A row's verdict from its newest known date and whether another date was unreadable.

        No date at all is no record (a gap) unless one could not be read; a date that fails
        the limit leaves the row open when an unreadable one might be newer.
        """
        if day is None:
            return None if unread else False
        if self.limit == "min_years":
            ok: bool | None = day <= self.cutoff(ctx.as_of)
        elif self.limit != "not_expired" and day > ctx.as_of:
            ok = None  # a date in the future cannot be trusted as recent evidence
        else:
            ok = day >= self.cutoff(ctx.as_of)
        return None if ok is False and unread else ok

    @cached_property
    def _label(self) -> str:
        return " or ".join(label(self.table, n) for n in self.names)

    @cached_property
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
        threshold = f"{self._limit_words} as of {as_of}"
        values = [values_of(table, n)[index] for n in self.names]
        unread = [f"{label(self.table, n)} is {fmt(v)}" for n, v in zip(self.names, values,
                                                                         strict=True)
                  if isinstance(v, Unknown) and v.problem]
        if day is None:
            shown = ", ".join(fmt(v) for v in values)
            why = "cannot check it" if unread else "no date recorded"
            return self.names[0], shown, threshold, f"{self._label} is {shown}; {why}"
        if self.limit == "not_expired":
            message = f"{self._label} {day.isoformat()} has passed (as of {as_of})"
        elif day > ctx.as_of and self.limit != "min_years":
            message = f"{self._label} {day.isoformat()} is after {as_of}; not a possible date"
        else:
            years = (ctx.as_of - day).days / 365.25
            message = (f"{self._label} {day.isoformat()} is {years:.1f} years before {as_of}; "
                       f"it must be {self._limit_words}")
        if unread:
            message += f"; but {' and '.join(unread)}, which may be newer"
        return self.names[0], day.isoformat(), threshold, message

    def describe(self) -> str:
        return f"{self._label} {self._limit_words}" + self.suffix()


def _ordinal(value: Any) -> int | None:
    """A known date's ordinal (None for anything else)."""
    return value.toordinal() if value.__class__ is dt.date else None


def _unread(value: Any) -> bool:
    """Whether a value could not be read (or its column is missing): it might be newer."""
    return value.__class__ is Unknown and value.problem is not None
