"""CSV: one row per finding across all schemes (or one per action), safe to open in Excel.

A cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) gets a leading apostrophe, so a register value like
``=HYPERLINK(...)`` shows as text instead of running; control characters (ESC, BEL)
are shown as escapes like ``\\x1b``. Every CSV starts with a UTF-8 byte-order mark,
which is how Excel knows the file is UTF-8 (without it "Ü" and "—" open as mojibake).
Data-quality issues are not mixed in: they are in the json and html reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from io import StringIO
from typing import Any, TextIO

from youthscheme_audit.render.common import inert

COLUMNS = ("scheme_id", "scheme_name", "rating", "score", "control_id", "title", "area",
           "severity", "status", "claimed", "source", "reason", "evidence", "remediation",
           "sources")
ACTION_COLUMNS = ("scheme_id", "scheme_name", "control_id", "title", "severity", "status",
                  "action", "owner", "due_date", "evidence_needed")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: Any) -> str:
    """The value as text a spreadsheet will not evaluate, control characters escaped."""
    text = "" if value is None else inert(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def quoted(text: str) -> str:
    """``text`` as a CSV field: in double quotes (each one doubled) when it holds a comma,
    a quote or a line break, as is: the csv module's minimal quoting (RFC 4180)."""
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class _Cells(dict[Any, str]):
    """Value -> its CSV field, made safe and quoted once: a register's findings repeat the
    same control text, statuses and reasons in millions of cells (one lookup in C each).
    Long or rare values are not kept, and the memo starts over past ``MEMO_VALUES``."""

    def __missing__(self, value: Any) -> str:
        made = quoted(safe_cell(value))
        # text only: 1, 1.0 and True are equal keys but different cells
        if value.__class__ is str and len(made) <= MEMO_CHARS:
            if len(self) >= MEMO_VALUES:
                self.clear()
            self[value] = made
        return made


MEMO_CHARS = 400
MEMO_VALUES = 100_000


def write_rows(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A byte-order mark, the header and the rows, every cell made safe; CRLF line ends.

    Each field is quoted as the csv module's writer quotes it (tests/test_render.py holds
    them byte for byte), but the memo of finished fields makes a row one ``join``: the
    csv module's writer scans every character of every field in Python's C loop at
    about 45 MB/s, and was two thirds of writing a register's findings.
    """
    cell = _Cells().__getitem__
    _header(out, header, cell)
    out.writelines(_line(cell, row) for row in rows)


def _header(out: TextIO, header: Sequence[str], cell: Callable[[Any], str]) -> None:
    out.write(BOM)
    out.write(_line(cell, header))


def _line(cell: Callable[[Any], str], row: Sequence[Any]) -> str:
    """One row as a CSV line: CRLF as RFC 4180 says (a field holding a lone CR is
    quoted), and a row of one empty field as '""', as the csv module writes it, so it
    is not read as no row at all."""
    return (",".join(map(cell, row)) or ('""' if len(row) == 1 else "")) + "\r\n"


def unlisted_rows(report: dict[str, Any]) -> Iterator[list[Any]]:
    """Records of schemes the schemes table does not list: one row each, before any finding."""
    for u in report.get("unlisted_schemes") or ():
        for r in u["rows"]:
            yield [
                u["scheme_id"], "", "", "", "", "Records for a scheme the force does not list",
                "", "", "unlisted", "", "register", f"{r['table']} row {r['row']} is under "
                f"scheme_id {u['scheme_id']}, which the schemes table does not list",
                r["record"], "Find out who runs this scheme; approve and register it, or stop it.",
                "",
            ]


def _scheme_cells(s: dict[str, Any]) -> list[Any]:
    """The cells of a finding's row that name its scheme."""
    score = "" if s["score"] is None else f"{s['score']:.1f}"
    return [s["scheme_id"], s["scheme_name"], s["rating"], score]


def _finding_cells(f: dict[str, Any]) -> list[Any]:
    """The cells of a finding's row after its scheme's."""
    return [f["control_id"], f["title"], f["area"], f["severity"], f["status"],
            "yes" if f["claimed"] else "", f["source"], f["reason"],
            " | ".join(f["evidence"]), f["remediation"], " | ".join(f["sources"])]


def action_rows(report: dict[str, Any]) -> Iterator[list[Any]]:
    """One row per action of every scheme's plan, worst first within a scheme."""
    for s in report["schemes"]:
        for a in s.get("actions") or ():
            yield [s["scheme_id"], s["scheme_name"], a["control_id"], a["title"],
                   a["severity"], a["status"], a["action"], a["owner"], a["due"],
                   a["evidence_needed"]]


def write(report: dict[str, Any], out: TextIO) -> None:
    """Write the findings of every scheme as CSV, one row each (records of unlisted schemes
    first); ``schemes`` may be a one-shot iterator, and is written a scheme at a time.

    A finding that cites no rows is one dict shared by every scheme with that verdict
    (``report.scheme_dict``), so its fields after the scheme's are made into text once.
    """
    cell = _Cells().__getitem__
    _header(out, COLUMNS, cell)
    out.writelines(_line(cell, row) for row in unlisted_rows(report))
    tails: dict[int, tuple[dict[str, Any], str]] = {}
    for s in report["schemes"]:
        head = ",".join(map(cell, _scheme_cells(s))) + ","
        lines = []
        for f in s["findings"]:
            if f["citations"]:
                lines.append(head + _line(cell, _finding_cells(f)))
                continue
            known = tails.get(id(f))
            if known is None:  # the dict is kept, so its id is never another's
                known = tails[id(f)] = (f, _line(cell, _finding_cells(f)))
            lines.append(head + known[1])
        out.write("".join(lines))


def write_actions(report: dict[str, Any], out: TextIO) -> None:
    """Write the action plan of every scheme as CSV, ready for a tracker."""
    write_rows(out, ACTION_COLUMNS, action_rows(report))


def text_of(write_to: Callable[[dict[str, Any], TextIO], None], report: dict[str, Any]) -> str:
    """What a writer writes, as one string."""
    buffer = StringIO()
    write_to(report, buffer)
    return buffer.getvalue()


def render(report: dict[str, Any]) -> str:
    """The findings of every scheme as CSV with a header row."""
    return text_of(write, report)


def render_actions(report: dict[str, Any]) -> str:
    """The action plan of every scheme as CSV with a header row."""
    return text_of(write_actions, report)
