"""no_match: a text column does not match a regular expression (case-insensitive).

Parameters: ``column``, ``pattern`` (a Python regular expression, checked when the
checklist loads); optional ``where``. Blank text is no record and fails (the name a
rule is about must be recorded to be checked); unreadable text is unverified.

Passing row (column scheme_name, pattern '\\bcadets?\\b'):
    scheme S-01, scheme_name "Oakfield Junior Police Club"
Failing row:
    scheme S-02, scheme_name "Oakfield Police Cadets" -> "scheme name 'Oakfield Police
    Cadets' contains 'Cadets'"
"""

from __future__ import annotations

import re
from typing import Any

from youthscheme_audit.checks.base import Check, Context, Param, fmt, label, no_record, values_of
from youthscheme_audit.registers import Table
from youthscheme_audit.values import Unknown


class NoMatch(Check):
    NAME = "no_match"
    PARAMS = {
        "column": Param("column", doc="the text column"),
        "pattern": Param("regex", doc="the forbidden pattern"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.column: str = params["column"]
        self.pattern = re.compile(params["pattern"], re.IGNORECASE)

    def inputs(self) -> list[str]:
        return [self.column]

    def test(self, ctx: Context, *values: Any) -> bool | None:
        if isinstance(values[0], Unknown):
            return no_record(values[0])
        return self.pattern.search(str(values[0])) is None

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        raw = values_of(table, self.column)[index]
        if isinstance(raw, Unknown):
            return (self.column, fmt(raw), f"must not match {self.pattern.pattern}",
                    f"{label(self.table, self.column)} is {fmt(raw)}; it cannot be checked")
        value = str(raw)
        found = self.pattern.search(value)
        word = found.group(0) if found else ""
        return (
            self.column, value, f"must not match {self.pattern.pattern}",
            f"{label(self.table, self.column)} '{value}' contains '{word}'",
        )

    def describe(self) -> str:
        name = label(self.table, self.column)
        return f"{name} does not match /{self.pattern.pattern}/" + self.suffix()
