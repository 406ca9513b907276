"""no_rows: no row of the table matches a forbidden pattern.

Parameters: ``match`` (column -> value or list of values; all must hold). A row that
matches is a gap; a row that might match (a matched column is unknown while the
others match) is unverified. A scheme with no rows at all meets the control: nothing
forbidden is recorded (the table itself must be present, or the control is unverified).

Passing rows (match {kind: [offsite, residential], arranged_by: force}):
    activity A-01, kind session, arranged_by force
    activity A-02, kind offsite, arranged_by school
Failing row:
    activity A-03, kind offsite, arranged_by "PCSO"  -> "kind is offsite and arranged by
    is force; no such activity is allowed"
"""

from __future__ import annotations

from typing import Any

from youthscheme_audit.checks.base import Check, Context, Param, RowFilter, fmt, label
from youthscheme_audit.registers import Table
from youthscheme_audit.values import Unknown


class NoRows(Check):
    NAME = "no_rows"
    EMPTY_MEANS_MET = True
    PARAMS = {
        "match": Param("filter", doc="the forbidden combination of values"),
        "where": Param("filter", required=False, doc="only rows matching this"),
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
            parts.append(f"{label(self.table, column)} is {fmt(table.columns[column][index])}")
        first = next(iter(self.match.spec))
        return (
            first, fmt(table.columns[first][index]), f"no rows where {self.match.describe()}",
            "; ".join(parts) + f"; no row may have {self.match.describe()}",
        )

    def describe(self) -> str:
        return f"no rows where {self.match.describe()}" + self.suffix()
