"""ratio: enough adults for the young people present, by the scheme's age band.

Parameters: ``adults`` and ``young_people`` (count columns), ``bands`` (a list of
``{max_age, per_adult}``: up to that age, one adult per that many young people),
``age_from`` (the scheme profile field whose age picks the band, default
``age_min``: the youngest members set the ratio); optional ``where``. When the
scheme's age is unknown the strictest band applies.

Passing row (bands 9-12 -> 8 per adult; scheme age_min 10):
    activity A-01, adults_present 2, young_people_present 16
Failing row:
    activity A-02, adults_present 1, young_people_present 12 -> "1 adult for 12 young
    people; the minimum for ages 9 to 12 is 2 (1 adult per 8)"
"""

from __future__ import annotations

import math
from typing import Any

from youthscheme_audit.checks.base import Check, Context, Outcome, Param, classify
from youthscheme_audit.registers import Table
from youthscheme_audit.values import Unknown


class Ratio(Check):
    NAME = "ratio"
    PARAMS = {
        "adults": Param("column", doc="count of adults present"),
        "young_people": Param("column", doc="count of young people present"),
        "bands": Param("bands", doc="list of {max_age, per_adult}, youngest first"),
        "age_from": Param("text", required=False, doc="profile field giving the age"),
        "where": Param("filter", required=False, doc="only rows matching this"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.adults: str = params["adults"]
        self.young: str = params["young_people"]
        self.bands = sorted(
            ((int(b["max_age"]), int(b["per_adult"])) for b in params["bands"]),
            key=lambda band: band[0],
        )
        self.age_from: str = params.get("age_from", "age_min")

    def band(self, ctx: Context, scheme_id: Any) -> tuple[int, int, int]:
        """(lowest age, highest age, young people per adult) for a scheme."""
        age = ctx.scheme_profiles.get(str(scheme_id), {}).get(self.age_from)
        low = 0
        for max_age, per_adult in self.bands:
            if not isinstance(age, int) or age <= max_age:
                return low, max_age, per_adult
            low = max_age + 1
        max_age, per_adult = self.bands[-1]
        return low, max_age, per_adult

    def required(self, ctx: Context, scheme_id: Any, young: int) -> int:
        """Adults required for ``young`` young people (never fewer than one)."""
        return max(1, math.ceil(young / self.band(ctx, scheme_id)[2]))

    def evaluate(self, table: Table, ctx: Context) -> Outcome:
        rows = self.considered(table)
        adults, young, sid = (
            table.columns[self.adults], table.columns[self.young], table.columns["scheme_id"],
        )

        def test(i: int) -> bool | None:
            a, y = adults[i], young[i]
            if isinstance(a, Unknown) or isinstance(y, Unknown):
                return None
            return a >= self.required(ctx, sid[i], y)

        fail, unknown = classify(rows, test)
        return Outcome(fail, unknown, rows)

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        a, y = table.columns[self.adults][index], table.columns[self.young][index]
        sid = table.columns["scheme_id"][index]
        low, high, per = self.band(ctx, sid)
        if isinstance(a, Unknown) or isinstance(y, Unknown):
            return self.adults, f"{a} adults, {y} young people", f"1 adult per {per}", (
                f"adults present {a}, young people present {y}; cannot check the ratio"
            )
        need = self.required(ctx, sid, y)
        threshold = f"at least {need} (1 adult per {per} for ages {low} to {high})"
        return (
            self.adults, str(a), threshold,
            f"{a} adult{'s' if a != 1 else ''} for {y} young people; the minimum for ages "
            f"{low} to {high} is {need} (1 adult per {per})",
        )

    def describe(self) -> str:
        bands = ", ".join(f"1:{per} up to age {age}" for age, per in self.bands)
        return f"adult to young person ratio ({bands})" + self.suffix()
