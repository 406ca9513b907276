"""present: every considered row has a value in each named column.

Parameters: ``columns`` (list); optional ``where``. A blank or placeholder value
(TBC, pending) fails: the record the control needs is not there. A value that could
not be read at all is unverified (it is listed as a data-quality issue).

Passing row (columns [approved_by, approval_date]):
    scheme S-01, approved_by "Supt A. Khan", approval_date 2025-01-10
Failing row:
    scheme S-02, approved_by blank -> "approved by is blank; a value is required"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from youthscheme_audit.checks.base import (
    FAIL,
    OPEN,
    PASS,
    VERDICT,
    Check,
    Context,
    Param,
    fmt,
    label,
    no_record,
    values_of,
)
from youthscheme_audit.registers import Table
from youthscheme_audit.values import Unknown

if TYPE_CHECKING:
    import polars as pl


class Present(Check):
    NAME = "present"
    PARAMS = {
        "columns": Param("columns", doc="columns that must hold a value"),
    }

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.names: list[str] = list(params["columns"])

    def inputs(self) -> list[str]:
        return self.names

    def test(self, ctx: Context, *values: Any) -> bool | None:
        result: bool | None = True
        for value in values:
            if isinstance(value, Unknown):
                if no_record(value) is False:
                    return False
                result = None
        return result

    def native(self, table: Table, ctx: Context) -> pl.Series | None:
        """Several columns: each cell's verdict once per distinct value, then the row's
        natively (a cell with no record fails it, else one that cannot be read opens it)."""
        if len(self.names) == 1:
            return None
        import polars as pl

        from youthscheme_audit.frames import OUTCOME, per_code

        cells = pl.DataFrame({f"c{k}": per_code(table, name, lambda v: VERDICT[self.test(ctx, v)],
                                                OPEN, OUTCOME)
                              for k, name in enumerate(self.names)})
        return cells.select(pl.when(pl.any_horizontal(pl.all() == FAIL))
                            .then(pl.lit(FAIL, OUTCOME))
                            .when(pl.any_horizontal(pl.all() == OPEN)).then(pl.lit(OPEN, OUTCOME))
                            .otherwise(pl.lit(PASS, OUTCOME)).alias("out"))["out"]

    def explain(self, table: Table, index: int, ctx: Context) -> tuple[str, str, str, str]:
        for name in self.names:
            value = values_of(table, name)[index]
            if isinstance(value, Unknown):
                return (
                    name, fmt(value), "a value is required",
                    f"{label(self.table, name)} is {fmt(value)}; a value is required",
                )
        return self.names[0], "", "", ""

    def describe(self) -> str:
        names = ", ".join(label(self.table, n) for n in self.names)
        return f"{names} recorded" + self.suffix()
