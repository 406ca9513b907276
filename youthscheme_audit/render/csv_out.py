"""CSV: one row per finding across all schemes, safe to open in Excel.

A cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) gets a leading apostrophe, so a register value like
``=HYPERLINK(...)`` shows as text instead of running; control characters (ESC, BEL)
are shown as escapes like ``\\x1b``. Data-quality issues are not
mixed in: they are in the json and html reports.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import StringIO
from typing import Any, TextIO

from youthscheme_audit.render.common import inert

COLUMNS = ("scheme_id", "scheme_name", "rating", "score", "control_id", "title", "area",
           "severity", "status", "reason", "evidence", "remediation", "sources")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as text a spreadsheet will not evaluate, control characters escaped."""
    text = "" if value is None else inert(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def finding_rows(report: dict[str, Any]) -> Iterator[list[str]]:
    """One row per finding, in report order."""
    for s in report["schemes"]:
        score = "" if s["score"] is None else f"{s['score']:.1f}"
        for f in s["findings"]:
            yield [safe_cell(v) for v in (
                s["scheme_id"], s["scheme_name"], s["rating"], score, f["control_id"],
                f["title"], f["area"], f["severity"], f["status"], f["reason"],
                " | ".join(f["evidence"]), f["remediation"], " | ".join(f["sources"]),
            )]


def write(report: dict[str, Any], out: TextIO) -> None:
    """Write the findings of every scheme as CSV; ``schemes`` may be a one-shot iterator."""
    # CRLF as RFC 4180 says; it also makes the writer quote a cell holding a lone CR
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(finding_rows(report))


def render(report: dict[str, Any]) -> str:
    """The findings of every scheme as CSV with a header row."""
    buffer = StringIO()
    write(report, buffer)
    return buffer.getvalue()
