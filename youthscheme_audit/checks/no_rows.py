"""no_rows: no row of the table matches a forbidden pattern.

Parameters: ``match`` (column -> value or list of values; all must hold); optional
``where``. A row that matches is a gap; a row that might match (a matched column is
blank, unreadable or outside its vocabulary while the others match) is unverified.
A scheme with rows, none matching, meets the control; a scheme with no rows at all in
the table is unverified like every other check (nothing was examined).

Passing rows (match {kind: [offsite, residential], arranged_by: force}):
    activity A-01, kind session, arranged_by force
    activity A-02, kind offsite, arranged_by school
Failing row:
    activity A-03, kind offsite, arranged_by "PCSO"  -> "kind is offsite and arranged by
    is force; no such activity is allowed"
"""

from __future__ import annotations

from typing import Any

from youthscheme_audit.checks.base import Check, Context, Param, RowFilter, fmt, label, values_of
from youthscheme_audit.registers import Table
from youthscheme_audit.values import Unknown


class NoRows(Check):
    NAME = "no_rows"
    PARAMS = {
        "match": Param("filter", doc="the forbidden combination of values"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.match = RowFilter(params["match"], table)

    def columns(self) -> set[str]:
        return super().columns() | set(self.match.spec)

    def inputs(self) -> list[str]:
        return list(self.match.spec)

    def test(self, ctx: Context, *values: Any) -> bool | None:
        maybe = False
        for value, allowed in zip(values, self.match.spec.values(), strict=True):
            if isinstance(value, Unknown):
                maybe = True
            elif value not in allowed:
                return True  # this row does not match the forbidden pattern
        return None if maybe else False

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        parts = []
        for column in self.match.spec:
            parts.append(f"{label(self.table, column)} is {fmt(values_of(table, column)[index])}")
        first = next(iter(self.match.spec))
        return (
            first, fmt(values_of(table, first)[index]), f"no rows where {self.match.describe()}",
            "; ".join(parts) + f"; no row may have {self.match.describe()}",
        )

    def describe(self) -> str:
        return f"no rows where {self.match.describe()}" + self.suffix()
