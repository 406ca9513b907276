"""values_in: every considered row holds one of the allowed values in a column.

Parameters: ``column``; ``allowed`` (list) or ``forbidden`` (list); optional ``where``.
A blank or placeholder (TBC) is no record and fails the row; a value that cannot be
read, or one outside the column's vocabulary, leaves it unverified; never a pass.

Passing row (column dbs_level, allowed [enhanced, enhanced_barred]):
    person_id P-01, dbs_level "Enhanced + barred"
Failing row:
    person_id P-02, dbs_level "Basic"  -> "P-02: DBS level is basic; must be enhanced or
    enhanced_barred"
    person_id P-03, dbs_level "TBC"  -> "P-03: DBS level is 'TBC' (no record); ..."
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from youthscheme_audit.checks.base import Check, Context, Param, fmt, label, no_record, values_of
from youthscheme_audit.registers import Table
from youthscheme_audit.values import Unknown


class ValuesIn(Check):
    NAME = "values_in"
    PARAMS = {
        "column": Param("column", doc="the column to test"),
        "allowed": Param("values", required=False, doc="values that pass"),
        "forbidden": Param("values", required=False, doc="values that fail"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.column: str = params["column"]
        self.allowed = tuple(params["allowed"]) if "allowed" in params else None
        self.forbidden = tuple(params.get("forbidden") or ())

    @classmethod
    def extra_problems(cls, table: str, params: dict[str, Any]) -> list[str]:
        """Exactly one of allowed / forbidden must be given."""
        if ("allowed" in params) == ("forbidden" in params):
            return ["give exactly one of 'allowed' or 'forbidden'"]
        return []

    def inputs(self) -> list[str]:
        return [self.column]

    def test(self, ctx: Context, *values: Any) -> bool | None:
        value = values[0]
        if isinstance(value, Unknown):
            return no_record(value)
        if self.allowed is not None:
            return value in self.allowed
        return value not in self.forbidden

    @cached_property
    def _rule(self) -> str:
        name = label(self.table, self.column)
        if self.allowed is not None:
            return f"{name} must be {' or '.join(fmt(v) for v in self.allowed)}"
        return f"{name} must not be {' or '.join(fmt(v) for v in self.forbidden)}"

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        value = values_of(table, self.column)[index]
        name = label(self.table, self.column)
        return self.column, fmt(value), self._rule, f"{name} is {fmt(value)}; {self._rule}"

    def describe(self) -> str:
        return self._rule + self.suffix()
