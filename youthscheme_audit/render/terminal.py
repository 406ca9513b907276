"""Terminal report (rich): what is wrong, how serious, what to do, which source requires it.

Every piece of text from an answers file, register or checklist goes through ``clean``
and is printed as text, never as console markup: a scheme called ``[red]x`` or a note
holding terminal escape codes prints as the characters it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from youthscheme_audit.render.common import (
    DATA_QUALITY_HINT,
    SEVERITIES,
    coverage_numbers,
    extra_evidence,
    fmt_pct,
    fmt_score,
    formula_numbers,
    gap_counts,
    inert,
    status_label,
)
from youthscheme_audit.render.textlayout import FixedTable, LabelRows, plain_table
from youthscheme_audit.report import league, sections

RATING_TEXT = {"red": "bold red", "amber": "bold yellow", "green": "bold green"}
SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}
KIND_TITLE = {"self": "Self-assessment", "spot": "Spot audit", "batch": "Register score"}
CITATIONS_SHOWN = 10  # per finding; every row is in the csv, json and html reports
ISSUES_SHOWN = 50
IDS_SHOWN = 12
LEAGUE_RICH_MAX = 500  # above this a rich Table is too slow: plain fixed-width text instead
PLAIN_WIDTH = 100
_BREAKS = re.compile(r"[\t\n\r]+")


def clean(value: Any) -> str:
    """Text safe to print on a terminal: one line, control codes shown as escapes."""
    return inert(_BREAKS.sub(" ", str(value)))


def plural(n: int, word: str) -> str:
    """'1 control', '3 controls'."""
    return f"{n} {word if n == 1 else word + 's'}"


def rating_word(rating: str) -> Text:
    """The rating as a coloured capitalised word (still a word without colour)."""
    return Text(rating.upper(), style=RATING_TEXT.get(rating, "bold"))


# --- one scheme ------------------------------------------------------------------------


def heading(report: dict[str, Any]) -> Text:
    """What this report is: kind, as-of date, assessor, checklists; the formula for a batch."""
    meta = report.get("meta") or {}
    parts = [f"{KIND_TITLE.get(report['kind'], report['kind'])} report",
             f"as of {clean(report['as_of'])}"]
    if meta.get("assessor"):
        parts.append(f"assessor {clean(meta['assessor'])}")
    text = Text(" · ".join(parts), style="bold")
    versions = ", ".join(f"{c['id']} {c['version']}" for c in report.get("checklists") or ())
    if versions:
        text.append(f"\nchecklists: {clean(versions)}", style="dim")
    text.append(f"\ngenerated {clean(report['generated_at'])} by youthscheme-audit "
                f"{clean(report['tool_version'])}", style="dim")
    if len(report["schemes"]) > 1:  # said once, not for each of thousands of schemes
        text.append(f"\nformula: {clean(report['formula'])}", style="dim")
    return text


def summary_panel(scheme: dict[str, Any], formula: str | None) -> Panel:
    """Rating, score, coverage, the reasons for the rating and the numbers behind it."""
    rows = LabelRows(gap=2)
    rows.add("Rating", scheme["rating"].upper(), "bold", RATING_TEXT.get(scheme["rating"], ""))
    score = fmt_score(scheme["score"])
    if scheme["score_without_waivers"] != scheme["score"]:
        score += f"   ({fmt_score(scheme['score_without_waivers'])} without waivers)"
    rows.add("Score", score, "bold", "bold")
    rows.add("Coverage", coverage_numbers(scheme), "bold")
    reasons = scheme["rating_reasons"] or ["nothing pulls the rating below green"]
    rows.add("Why", "\n".join(clean(r) for r in reasons), "bold")
    rows.add("Numbers", formula_numbers(scheme), "bold", "dim")
    if formula:
        rows.add("Formula", clean(formula), "bold", "dim")
    title = Text.assemble((clean(scheme["scheme_name"]), "bold"),
                          f"  {clean(scheme['scheme_id'])} · {clean(scheme['scheme_type'])}")
    return Panel(rows, title=title, title_align="left",
                 border_style=RATING_TEXT.get(scheme["rating"], ""))


def area_table(scheme: dict[str, Any]) -> RenderableType:
    """Score, coverage and counts per checklist area."""
    table = FixedTable(["Area", "Score", "Coverage", "Rating", "Met", "Partly", "Gap",
                        "Waived", "Unverif.", "N/A"], right={1, 2, 4, 5, 6, 7, 8, 9})
    for a in scheme["areas"]:
        table.add_row(
            (clean(a["title"]), ""), (fmt_score(a["score"]), ""), (fmt_pct(a["coverage"]), ""),
            (a["rating"], RATING_TEXT.get(a["rating"], "")),
            *((str(a[k]), "") for k in ("met", "partial", "gap", "waived", "unverified",
                                        "not_applicable")),
        )
    return table


def add_finding(rows: LabelRows, f: dict[str, Any]) -> None:
    """One gap or partial: what was found, the rows behind it, what to do, and why."""
    rows.add(clean(f["control_id"]), clean(f["title"]), "bold", "bold")
    rows.add("  Found", clean(f["reason"]), "dim")
    evidence = extra_evidence(f)
    if evidence:
        rows.add("  Evidence", clean(" | ".join(evidence)), "dim")
    cites = f.get("citations") or []
    if cites:
        lines = [clean(c["message"]) for c in cites[:CITATIONS_SHOWN]]
        if len(cites) > CITATIONS_SHOWN:
            lines.append(f"... and {len(cites) - CITATIONS_SHOWN} more rows (every row is in "
                         "the csv, json and html reports)")
        rows.add("  Rows", "\n".join(lines), "dim")
    rows.add("  Do", clean(f["remediation"]), "dim", "bold")
    rows.add("  Source", clean("; ".join(f["sources"])), "dim")
    rows.add("", "")


def finding_section(title: str, findings: list[dict[str, Any]]) -> Iterator[RenderableType]:
    """Gaps or partials under a heading per severity, worst first."""
    yield Text(f"{title} ({len(findings)})", style="bold underline")
    rows = LabelRows(indent=1)
    for severity in SEVERITIES:
        items = [f for f in findings if f["severity"] == severity]
        if items:
            rows.add(severity.upper(), "", SEVERITY_STYLE[severity])
            for f in items:
                add_finding(rows, f)
    yield rows


def waived_section(waived: list[dict[str, Any]], expired: list[dict[str, Any]]
                   ) -> Iterator[RenderableType]:
    """Waived gaps with their justification, approver and expiry; then expired waivers."""
    if waived:
        yield Text(f"Waived gaps ({len(waived)})", style="bold underline")
        rows = LabelRows(indent=1)
        for f in waived:
            w = f.get("waiver") or {}
            rows.add(clean(f["control_id"]), clean(f["title"]), "bold", "bold")
            rows.add("  Severity", f["severity"], "dim", SEVERITY_STYLE.get(f["severity"], ""))
            rows.add("  Waived", f"until {clean(w.get('expires', '?'))}, approved by "
                     f"{clean(w.get('approved_by', '?'))}: {clean(w.get('justification', ''))}",
                     "dim")
            rows.add("", "")
        yield rows
    if expired:
        yield Text(f"Expired waivers ({len(expired)}): they no longer waive anything",
                   style="bold underline")
        rows = LabelRows(indent=1)
        for w in expired:
            rows.add(clean(w["control_id"]), f"expired {clean(w['expires'])} (approved by "
                     f"{clean(w['approved_by'])}): {clean(w['justification'])}", "bold")
        rows.add("", "")
        yield rows


def ids_phrase(findings: list[dict[str, Any]]) -> str:
    """A short list of control ids."""
    ids = [clean(f["control_id"]) for f in findings]
    more = f", ... {len(ids) - IDS_SHOWN} more" if len(ids) > IDS_SHOWN else ""
    return ", ".join(ids[:IDS_SHOWN]) + more


def rest_line(groups: dict[str, list[dict[str, Any]]]) -> Text:
    """One line for what needs no action now: unverified, met, not applicable."""
    unverified = groups["unverified"]
    text = Text()
    if unverified:
        text.append(f"{plural(len(unverified), 'control')} unverified", style="bold")
        text.append(f" ({ids_phrase(unverified)}): answer or evidence them to raise coverage. ")
    text.append(f"{len(groups['met'])} met, {len(groups['not_applicable'])} not applicable.")
    return text


def answer_cell(status: str, note: str) -> Text:
    """A status with its note underneath."""
    text = Text(status_label(status), style="bold")
    if note:
        text.append(f"\n{clean(note)}", style="dim")
    return text


def divergences(scheme: dict[str, Any]) -> Iterator[RenderableType]:
    """Spot audits: the self score beside the audited one, then every disagreement."""
    rows = scheme.get("divergences") or []
    own = scheme.get("self_score") or {}
    line = Text("Self-assessment against audit: ", style="bold")
    line.append(f"self-assessed {fmt_score(own.get('score'))} ")
    line.append_text(rating_word(own.get("rating", "?")))
    line.append(f", audited {fmt_score(scheme['score'])} ")
    line.append_text(rating_word(scheme["rating"]))
    yield line
    if not rows:
        yield Text("The audit agrees with every self-assessed answer.\n")
        return
    table = Table(title=f"Divergences ({len(rows)}), most serious first", title_justify="left",
                  title_style="bold", box=box.SIMPLE_HEAD, expand=True, leading=1)
    table.add_column("Control", overflow="fold", ratio=3)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Scheme said", overflow="fold", ratio=2)
    table.add_column("Audit found", overflow="fold", ratio=2)
    table.add_column("", no_wrap=True)
    for d in rows:
        table.add_row(
            Text.assemble((clean(d["control_id"]), "bold"), f"\n{clean(d['title'])}"),
            Text(d["severity"], style=SEVERITY_STYLE.get(d["severity"], "")),
            answer_cell(d["self_status"], d["self_note"]),
            answer_cell(d["status"], d["note"]),
            Text(d["kind"], style="bold red" if d["kind"] == "overclaimed" else "dim"),
        )
    yield table


def scheme_renderables(report: dict[str, Any], scheme: dict[str, Any]
                       ) -> Iterator[RenderableType]:
    """Everything the terminal report shows for one scheme, in reading order."""
    if report["kind"] == "spot":
        yield from divergences(scheme)
    yield summary_panel(scheme, report["formula"] if len(report["schemes"]) == 1 else None)
    yield Text("By area", style="bold underline")
    yield area_table(scheme)
    yield Text("")
    groups = {s["status"]: s["findings"] for s in sections(scheme)}
    if groups["gap"]:
        yield from finding_section("Gaps", groups["gap"])
    else:
        yield Text("No open gaps.\n", style="bold")
    if groups["partial"]:
        yield from finding_section("Partly met", groups["partial"])
    yield from waived_section(groups["waived"], scheme.get("expired_waivers") or [])
    yield rest_line(groups)
    yield Text("")


def data_quality(issues: list[dict[str, Any]]) -> Iterator[RenderableType]:
    """Register values that could not be read (the first few; all are in csv/json/html)."""
    if not issues:
        return
    table = Table(title=f"Data quality: {plural(len(issues), 'issue')} in the register",
                  title_justify="left", title_style="bold underline", box=box.SIMPLE_HEAD)
    for name in ("Scheme", "Table", "Row", "Column", "Value", "Problem"):
        table.add_column(name, overflow="fold", justify="right" if name == "Row" else "left")
    for d in issues[:ISSUES_SHOWN]:
        table.add_row(*(clean(v) for v in (d.get("scheme_id") or "", d["table"], d["row"],
                                           d["column"], d["value"], d["problem"])))
    yield table
    if len(issues) > ISSUES_SHOWN:
        yield Text(f"... and {len(issues) - ISSUES_SHOWN} more: {DATA_QUALITY_HINT}.")


def print_report(report: dict[str, Any], console: Console) -> None:
    """Print the full report: per scheme its summary, areas, gaps and the rest."""
    console.print(heading(report))
    console.print()
    if len(report["schemes"]) > 1:
        print_league(report, console)
        console.print()
    for scheme in report["schemes"]:
        # one print per scheme: each print call costs as much as a small table
        console.print(Group(*scheme_renderables(report, scheme)))
    console.print(Group(*data_quality(report.get("data_quality") or [])))


def plain_console(buffer: StringIO, width: int = PLAIN_WIDTH) -> Console:
    """A console that writes plain text (no colour or style codes) at a fixed width."""
    return Console(file=buffer, no_color=True, color_system=None, force_terminal=False,
                   width=width, highlight=False, emoji=False, soft_wrap=False,
                   legacy_windows=False)


def plain_text(draw: Callable[[Console], None], width: int = PLAIN_WIDTH) -> str:
    """What ``draw`` prints on a console, as plain text without trailing spaces."""
    buffer = StringIO()
    draw(plain_console(buffer, width))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def render_plain(report: dict[str, Any]) -> str:
    """The terminal report as plain text, for ``-o FILE``."""
    return plain_text(lambda console: print_report(report, console))


# --- league table ------------------------------------------------------------------------

LEAGUE_HEADERS = ["#", "Scheme", "Name", "Type", "Rating", "Score", "Coverage",
                  "Crit", "High", "Med", "Low"]
LEAGUE_RIGHT = {0, 5, 6, 7, 8, 9, 10}
LEAGUE_CAPS = {1: 24, 2: 40, 3: 12}  # widest id, name and type in the plain table


def league_rows(report: dict[str, Any]) -> list[list[str]]:
    """Rank, id, name, type, rating, score, coverage and open gaps by severity, worst first."""
    rows = []
    for n, s in enumerate(league(report), 1):
        gaps = gap_counts(s)
        rows.append([str(n), clean(s["scheme_id"]), clean(s["scheme_name"]),
                     clean(s["scheme_type"]), s["rating"], fmt_score(s["score"]),
                     fmt_pct(s["coverage"]), *(str(gaps[sev]) for sev in SEVERITIES)])
    return rows


def league_summary(report: dict[str, Any]) -> str:
    """One line: how many schemes, how many of each rating."""
    s = report["summary"]
    return (f"League table: {plural(s['schemes'], 'scheme')} as of {clean(report['as_of'])}, worst "
            f"first. Red {s['red']}, amber {s['amber']}, green {s['green']}. "
            "Crit/High/Med/Low count open (not waived) gaps.")


def data_quality_line(report: dict[str, Any]) -> str:
    """How many register values could not be read, and where to see them."""
    n = len(report.get("data_quality") or ())
    if not n:
        return "No data-quality issues in the register."
    return f"{plural(n, 'data-quality issue')} in the register: {DATA_QUALITY_HINT}."


def rich_league(rows: list[list[str]]) -> Table:
    """The league as a rich table with ratings in colour (a terminal, a few hundred rows)."""
    table = Table(box=box.SIMPLE_HEAD)
    for i, name in enumerate(LEAGUE_HEADERS):
        table.add_column(name, justify="right" if i in LEAGUE_RIGHT else "left",
                         overflow="fold", no_wrap=i in LEAGUE_RIGHT)
    for row in rows:
        cells: list[Any] = list(row)
        cells[4] = Text(row[4], style=RATING_TEXT.get(row[4], ""))
        table.add_row(*cells)
    return table


def print_league(report: dict[str, Any], console: Console) -> None:
    """Print the batch league table, worst first, and the data-quality issue count."""
    rows = league_rows(report)
    if console.is_terminal and len(rows) <= LEAGUE_RICH_MAX:
        console.print(Text(league_summary(report), style="bold"))
        console.print(rich_league(rows))
        console.print(Text(data_quality_line(report)))
        return
    # straight to the file: rich would measure and wrap each of 20,000 rows
    console.file.write(f"{league_summary(report)}\n"
                       f"{plain_table(LEAGUE_HEADERS, rows, LEAGUE_RIGHT, LEAGUE_CAPS)}"
                       f"{data_quality_line(report)}\n")
    console.file.flush()
