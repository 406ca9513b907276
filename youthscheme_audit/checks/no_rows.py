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

from youthscheme_audit.checks.base import Check, Context, Outcome, Param, RowFilter, fmt, label
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

    def evaluate(self, table: Table, ctx: Context) -> Outcome:
        rows = self.considered(table)
        fail: list[int] = []
        unknown: list[int] = []
        cols = [(table.columns[c], allowed) for c, allowed in self.match.spec.items()]
        for i in rows:
            state: bool | None = True  # True: matches so far; None: maybe
            for values, allowed in cols:
                value = values[i]
                if isinstance(value, Unknown):
                    state = None
                elif value not in allowed:
                    state = False
                    break
            if state is True:
                fail.append(i)
            elif state is None:
                unknown.append(i)
        return Outcome(fail, unknown, rows)

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
