"""CSV: one row per finding across all schemes, safe to open in Excel.

A cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) gets a leading apostrophe, so a register value like
``=HYPERLINK(...)`` shows as text instead of running. Data-quality issues are not
mixed in: they are in the json and html reports.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import StringIO
from typing import Any, TextIO

COLUMNS = ("scheme_id", "scheme_name", "rating", "score", "control_id", "title", "area",
           "severity", "status", "claimed", "source", "reason", "evidence", "remediation",
           "sources")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as text a spreadsheet will not evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unlisted_rows(report: dict[str, Any]) -> Iterator[list[str]]:
    """Records of schemes the schemes table does not list: one row each, before any finding."""
    for u in report.get("unlisted_schemes") or ():
        for r in u["rows"]:
            yield [safe_cell(v) for v in (
                u["scheme_id"], "", "", "", "", "Records for a scheme the force does not list",
                "", "", "unlisted", "", "register", f"{r['table']} row {r['row']} is under "
                f"scheme_id {u['scheme_id']}, which the schemes table does not list",
                r["record"], "Find out who runs this scheme; approve and register it, or stop it.",
                "",
            )]


def finding_rows(report: dict[str, Any]) -> Iterator[list[str]]:
    """One row per finding, in report order (records of unlisted schemes first)."""
    yield from unlisted_rows(report)
    for s in report["schemes"]:
        score = "" if s["score"] is None else f"{s['score']:.1f}"
        for f in s["findings"]:
            yield [safe_cell(v) for v in (
                s["scheme_id"], s["scheme_name"], s["rating"], score, f["control_id"],
                f["title"], f["area"], f["severity"], f["status"],
                "yes" if f["claimed"] else "", f["source"], f["reason"],
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
