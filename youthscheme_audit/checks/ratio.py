"""ratio: enough adults for the young people present, by the scheme's age band.

Parameters: ``adults`` and ``young_people`` (count columns), ``bands`` (a list of
``{max_age, per_adult}``: up to that age, one adult per that many young people),
``age_from`` (``age_min`` or ``age_max``, default ``age_min``: the youngest members
set the ratio); optional ``where``. A count left blank fails the row (no record of who
was there); one that cannot be read leaves it unverified. When the scheme's age is
unknown, a row that fails even the most lenient band is a gap, and one that passes it
but fails the strictest band is unverified.

Passing row (bands 9-12 -> 8 per adult; scheme age_min 10):
    activity A-01, adults_present 2, young_people_present 16
Failing row:
    activity A-02, adults_present 1, young_people_present 12 -> "1 adult for 12 young
    people; the minimum for ages 9 to 12 is 2 (1 adult per 8)"
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from youthscheme_audit.checks.base import (
    VERDICT,
    Check,
    Context,
    Param,
    fmt,
    no_record,
    values_of,
)
from youthscheme_audit.registers import Table
from youthscheme_audit.values import Unknown

if TYPE_CHECKING:
    import polars as pl

AGE_FIELDS = ("age_min", "age_max")


class Ratio(Check):
    NAME = "ratio"
    PARAMS = {
        "adults": Param("column", doc="count of adults present"),
        "young_people": Param("column", doc="count of young people present"),
        "bands": Param("bands", doc="list of {max_age, per_adult}, youngest first"),
        "age_from": Param("text", required=False, doc="age_min (default) or age_max"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.adults: str = params["adults"]
        self.young: str = params["young_people"]
        self.bands = sorted((int(b["max_age"]), int(b["per_adult"])) for b in params["bands"])
        self.age_from: str = params.get("age_from", "age_min")

    @classmethod
    def extra_problems(cls, table: str, params: dict[str, Any]) -> list[str]:
        """age_from must name an age field of the profile."""
        if params.get("age_from", "age_min") not in AGE_FIELDS:
            return [f"age_from must be one of {', '.join(AGE_FIELDS)}"]
        return []

    def columns(self) -> set[str]:
        return super().columns() | {"scheme_id"}

    def band(self, ctx: Context, scheme_id: Any) -> tuple[int, int, int] | None:
        """(lowest age, highest age, young people per adult), or None if the age is unknown."""
        age = ctx.scheme_profiles.get(str(scheme_id), {}).get(self.age_from)
        if not isinstance(age, int):
            return None
        low = 0
        for max_age, per_adult in self.bands:
            if age <= max_age:
                return low, max_age, per_adult
            low = max_age + 1
        return low, *self.bands[-1]

    def inputs(self) -> list[str]:
        return ["scheme_id", self.adults, self.young]

    def test(self, ctx: Context, *values: Any) -> bool | None:
        scheme_id, adults, young = values
        return self.judge(self.band(ctx, scheme_id), adults, young)

    def judge(self, band: tuple[int, int, int] | None, adults: Any, young: Any) -> bool | None:
        """One row's verdict from its scheme's band (None: the age is unknown) and counts."""
        unknown = [v for v in (adults, young) if isinstance(v, Unknown)]
        if unknown:  # a count not recorded fails; one that cannot be read leaves it open
            return False if any(no_record(v) is False for v in unknown) else None
        if band is not None:
            return adults >= max(1, math.ceil(young / band[2]))
        lenient = max(1, math.ceil(young / max(p for _, p in self.bands)))
        strict = max(1, math.ceil(young / min(p for _, p in self.bands)))
        return False if adults < lenient else (True if adults >= strict else None)

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        a, y = values_of(table, self.adults)[index], values_of(table, self.young)[index]
        band = self.band(ctx, values_of(table, "scheme_id")[index])
        if isinstance(a, Unknown) or isinstance(y, Unknown):
            return self.adults, f"{fmt(a)} adults, {fmt(y)} young people", self.describe(), (
                f"adults present {fmt(a)}, young people present {fmt(y)}; the ratio cannot be "
                "checked without both counts"
            )
        if band is None:
            return self.adults, str(a), self.describe(), (
                f"{a} adults for {y} young people; the scheme's {self.age_from} is unknown, "
                "so the ratio that applies cannot be chosen"
            )
        low, high, per = band
        need = max(1, math.ceil(y / per))
        return (
            self.adults, str(a), f"at least {need} (1 adult per {per} for ages {low} to {high})",
            f"{a} adult{'s' if a != 1 else ''} for {y} young people; the minimum for ages "
            f"{low} to {high} is {need} (1 adult per {per})",
        )

    def native(self, table: Table, ctx: Context) -> pl.Series | None:
        """Schemes share a few bands: each scheme id stands for its band, so the rule is
        judged once per distinct (band, adults, young people)."""
        from youthscheme_audit.frames import per_distinct, recoded

        coded = dict(table.coded)
        if "scheme_id" in coded:
            coded["scheme_id"] = recoded(coded["scheme_id"], lambda s: self.band(ctx, s))
        return per_distinct(
            coded, table.nrows, self.inputs(),
            lambda v: VERDICT[self.judge(v["scheme_id"], v[self.adults], v[self.young])])

    def describe(self) -> str:
        bands = ", ".join(f"1:{per} up to age {age}" for age, per in self.bands)
        return f"adult to young person ratio ({bands})" + self.suffix()
