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
    ACTION_LABELS,
    DATA_QUALITY_HINT,
    SEVERITIES,
    audit_line,
    coverage_numbers,
    divergence_line,
    extra_evidence,
    fmt_pct,
    fmt_score,
    formula_numbers,
    gap_counts,
    inert,
    not_audited,
    not_in_plan,
    owner_text,
    plan,
    shown_by,
    sources_index,
    status_label,
    top_actions,
)
from youthscheme_audit.render.force import (
    answers_lines,
    common_gap_lines,
    data_quality_lines,
    overclaim_lines,
    self_cells,
    unlisted_lines,
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
    text = str(value)
    if text.isprintable():  # most text: no line break or control code to replace
        return text
    return inert(_BREAKS.sub(" ", text))


def plural(n: int, word: str) -> str:
    """'1 control', '3 controls'."""
    return f"{n} {word if n == 1 else word + 's'}"


def rating_word(rating: str) -> Text:
    """The rating as a coloured capitalised word (still a word without colour)."""
    return Text(rating.upper(), style=RATING_TEXT.get(rating, "bold"))


# --- one scheme ------------------------------------------------------------------------

BAR_WIDTH = 20
DIVERGENCE_STYLE = {"overclaimed": "bold red", "underclaimed": "bold cyan",
                    "differs": "bold yellow"}


def marking_line(report: dict[str, Any]) -> Text:
    """The protective marking, on a line of its own (top and bottom of the report)."""
    return Text(clean(report.get("marking") or ""), style="bold reverse")


def title_line(report: dict[str, Any], scheme: dict[str, Any]) -> Text:
    """What this is, for whom, as of when: the first thing a reader sees."""
    meta = report.get("meta") or {}
    text = Text(f"{KIND_TITLE.get(report['kind'], report['kind'])} report: ", style="bold")
    text.append(clean(scheme["scheme_name"]), style="bold")
    parts = [clean(scheme["scheme_id"]), clean(scheme["scheme_type"]),
             f"as of {clean(report['as_of'])}"]
    if meta.get("assessor"):
        who = "auditor" if report["kind"] == "spot" else "assessor"
        parts.append(f"{who} {clean(meta['assessor'])}")
    text.append("\n" + " · ".join(parts), style="dim")
    return text


def bar(score: float | None, rating: str) -> Text:
    """A score as a bar of BAR_WIDTH blocks, coloured by the area's rating."""
    filled = 0 if score is None else round(score / 100 * BAR_WIDTH)
    text = Text("█" * filled, style=RATING_TEXT.get(rating, "").replace("bold ", ""))
    text.append("░" * (BAR_WIDTH - filled), style="dim")
    return text


def area_bars(scheme: dict[str, Any]) -> RenderableType:
    """Score per area as bars: where the scheme is weakest, at a glance."""
    table = Table.grid(padding=(0, 1))
    for justify in ("left", "left", "right", "left"):
        table.add_column(justify=justify)
    for a in scheme["areas"]:
        table.add_row(Text(clean(a["title"]), overflow="ellipsis", no_wrap=True),
                      bar(a["score"], a["rating"]), fmt_score(a["score"]),
                      Text(a["rating"], style=RATING_TEXT.get(a["rating"], "")))
    return table


def action_brief(n: int, a: dict[str, Any]) -> str:
    """One action on one line: number, due date, severity, control and title, owner."""
    owner = f" · owner: {clean(a['owner'])}" if a["owner"] else ""
    return (f"{n}. due {clean(a['due'])} · {clean(a['severity'])} · "
            f"{clean(a['control_id'])} {clean(a['title'])}{owner}")


def summary_panel(report: dict[str, Any], scheme: dict[str, Any]) -> Panel:
    """Rating and its reasons, score, coverage, the actions that matter most, the areas."""
    rows = LabelRows(gap=2)
    rows.add("Rating", scheme["rating"].upper(), "bold", RATING_TEXT.get(scheme["rating"], ""))
    reasons = scheme["rating_reasons"] or ["nothing pulls the rating below green"]
    rows.add("Why", "\n".join(clean(r) for r in reasons), "bold")
    score = fmt_score(scheme["score"])
    if scheme["score_without_waivers"] != scheme["score"]:
        score += f"   ({fmt_score(scheme['score_without_waivers'])} without waivers)"
    rows.add("Score", score, "bold", "bold")
    rows.add("Coverage", clean(coverage_numbers(scheme)), "bold")
    if scheme.get("audit"):
        rows.add("Audited", audit_line(scheme), "bold", "bold")
    if scheme.get("divergences") is not None:
        own = scheme.get("self_score") or {}
        checked = "as audited" if scheme.get("audit") else "with the register"
        rows.add("Self score", f"{fmt_score(own.get('score'))} {own.get('rating', '?').upper()} "
                 f"as self-assessed; {fmt_score(scheme['score'])} "
                 f"{scheme['rating'].upper()} {checked}", "bold")
        rows.add("Divergent", clean(divergence_line(scheme)), "bold",
                 "bold red" if scheme.get("divergences") else "")
    actions = scheme.get("actions") or []
    top = top_actions(scheme)
    if top:
        rows.add("Do first", "\n".join(action_brief(n, a) for n, a in enumerate(top, 1)),
                 "bold")
        if len(actions) > len(top):
            rows.add("", f"... {len(actions) - len(top)} more in the action plan below", "",
                     "dim")
    else:
        rows.add("Do first", "nothing: no gap, no partly met control, every critical "
                 "control shown", "bold")
    title = Text.assemble(("Summary", "bold"))
    return Panel(Group(rows, Text(""), Text("Score by area", style="bold"), area_bars(scheme)),
                 title=title, title_align="left",
                 border_style=RATING_TEXT.get(scheme["rating"], ""))


def add_action(rows: LabelRows, n: int, a: dict[str, Any]) -> None:
    """One action: what to do, when, who, and what was found that calls for it."""
    f = a["finding"]
    rows.add(f"{n}. {clean(a['control_id'])}", clean(a["title"]), "bold", "bold")
    rows.add("  Due", f"{clean(a['due'])} · {clean(a['severity'])} · "
             f"{ACTION_LABELS.get(a['status'], clean(a['status']))} · "
             f"owner: {clean(owner_text(a))}", "dim", SEVERITY_STYLE.get(a["severity"], ""))
    rows.add("  Found", clean(f["reason"]), "dim")
    if f.get("note"):
        rows.add("  Note", clean(f["note"]), "dim")
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
    rows.add("  Do", clean(a["action"]), "dim", "bold")
    rows.add("  Source", clean("; ".join(f["sources"])), "dim")
    rows.add("", "")


def action_section(scheme: dict[str, Any]) -> Iterator[RenderableType]:
    """The action plan: every action worst first, under a heading per severity."""
    items = plan(scheme)
    yield Text(f"Action plan ({len(items)})", style="bold underline")
    if not items:
        yield Text("Nothing to do: no gap, no partly met control, every critical control "
                   "shown.\n")
        return
    yield Text("Every gap and partly met control, and every critical control claimed or "
               "unverified. Due dates count from the as-of date by severity.", style="dim")
    rows = LabelRows(indent=1)
    current = ""
    for n, a in enumerate(items, 1):
        if a["severity"] != current:
            current = a["severity"]
            rows.add(current.upper(), "", SEVERITY_STYLE[current])
        add_action(rows, n, a)
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


def brief_section(title: str, findings: list[dict[str, Any]], say: Callable[[Any], str],
                  note: str = "") -> Iterator[RenderableType]:
    """A heading and one entry per control: id, title, and what ``say`` tells of it."""
    if not findings:
        return
    yield Text(f"{title} ({len(findings)})", style="bold underline")
    if note:
        yield Text(note, style="dim")
    rows = LabelRows(indent=1)
    for f in findings:
        rows.add(clean(f["control_id"]), f"{clean(f['title'])} ({f['severity']})\n"
                 f"{clean(say(f))}", "bold")
    rows.add("", "")
    yield rows


def answer_words(status: str, note: str) -> str:
    """A status with its note after a colon."""
    return status_label(status) + (f": {clean(note)}" if note else "")


def divergences(scheme: dict[str, Any]) -> Iterator[RenderableType]:
    """Every answer the audit (or the register) disagreed with, overclaims first, in colour."""
    found = scheme.get("divergences") or []
    checker = clean(scheme.get("checked_by") or "audit")
    line = Text(f"Divergences ({len(found)}): self-assessment against {checker}",
                style="bold underline")
    if scheme.get("audit"):
        line.append(f"; {audit_line(scheme)}", style="bold")
    yield line
    if not found:
        yield Text(f"The {checker} agrees with every self-assessed answer it checked.\n")
        return
    rows = LabelRows(indent=1)
    for d in found:
        style = DIVERGENCE_STYLE.get(d["kind"], "bold")
        rows.add(clean(d["control_id"]), f"{d['kind'].upper()} · {clean(d['title'])} "
                 f"({clean(d['severity'])})", style, style)
        rows.add("  Scheme said", answer_words(d["self_status"], d["self_note"]), "dim")
        rows.add(f"  {checker.capitalize()} found", answer_words(d["status"], d["note"]), "dim",
                 "bold")
    rows.add("", "")
    yield rows


def not_audited_section(scheme: dict[str, Any]) -> Iterator[RenderableType]:
    """Spot audits: the controls the auditor has still to check, by id."""
    left = not_audited(scheme)
    if not left:
        return
    yield Text(f"Not yet audited ({len(left)})", style="bold underline")
    yield Text("Unverified until the auditor records them; never counted as divergences or "
               "as the scheme's actions.", style="dim")
    yield Text(", ".join(clean(f["control_id"]) for f in left) + "\n")


def workings(report: dict[str, Any], scheme: dict[str, Any]) -> Iterator[RenderableType]:
    """How the score is worked out: the numbers, the formula, the counts per area."""
    yield Text("How the score is worked out", style="bold underline")
    rows = LabelRows(indent=1)
    rows.add("Numbers", formula_numbers(scheme), "bold")
    rows.add("Coverage", clean(coverage_numbers(scheme)), "bold")
    rows.add("Formula", clean(report["formula"]), "bold", "dim")
    days = report.get("action_due_days") or {}
    if days:
        rows.add("Due dates", "as-of date plus " + ", ".join(
            f"{days[s]} days for {s}" for s in SEVERITIES if s in days)
            + " (parameter action_due_days)", "bold", "dim")
    yield rows
    yield Text("")
    yield area_table(scheme)
    yield Text("")


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


def sources_section(scheme: dict[str, Any]) -> Iterator[RenderableType]:
    """Every source behind the scheme's controls, with the controls that cite it."""
    index = sources_index(scheme)
    if not index:
        return
    yield Text(f"Sources ({len(index)})", style="bold underline")
    rows = LabelRows(indent=1)
    for src, ids, url in index:
        link = f" <{clean(url)}>" if url else ""
        rows.add("·", f"{clean(src)}{link}: {clean(', '.join(ids))}")
    yield rows
    yield Text("")


def scheme_renderables(report: dict[str, Any], scheme: dict[str, Any]
                       ) -> Iterator[RenderableType]:
    """Everything the terminal report shows for one scheme, in the order a reader acts."""
    yield title_line(report, scheme)
    yield summary_panel(report, scheme)
    yield from action_section(scheme)
    if scheme.get("divergences") is not None:  # spot audits, batch runs with --answers
        yield from divergences(scheme)
        yield from not_audited_section(scheme)
    groups = {s["status"]: s["findings"] for s in sections(scheme)}
    yield from waived_section(groups["waived"], scheme.get("expired_waivers") or [])
    yield from brief_section(
        "Unverified, not in the action plan", not_in_plan(groups["unverified"], scheme),
        lambda f: f["reason"], "No answer or no evidence yet: never counted as met.")
    yield from brief_section(
        "Claimed, not in the action plan", not_in_plan(groups["claimed"], scheme), shown_by,
        "A yes with no evidence reference: ask for the record.")
    yield from brief_section("Met", groups["met"], shown_by)
    yield from brief_section("Not applicable", groups["not_applicable"], lambda f: f["reason"])
    yield from workings(report, scheme)
    yield from sources_section(scheme)


def run_details(report: dict[str, Any]) -> Text:
    """Generated when, by what, from which checklists and inputs: last, for the record."""
    versions = ", ".join(f"{c['id']} {c['version']}" for c in report.get("checklists") or ())
    text = Text("Run details", style="bold underline")
    text.append(f"\ngenerated {clean(report['generated_at'])} by youthscheme-audit "
                f"{clean(report['tool_version'])}, as of {clean(report['as_of'])}", style="dim")
    if versions:
        text.append(f"\nchecklists: {clean(versions)}", style="dim")
    inputs = report.get("inputs") or []
    if inputs:
        text.append(f"\ninputs: {clean(', '.join(inputs))}", style="dim")
    meta = report.get("meta") or {}
    for key, label in (("self_assessment", "self-assessment checked"),
                       ("register", "register"), ("sample_seed", "sample seed")):
        if meta.get(key) not in (None, ""):
            text.append(f"\n{label}: {clean(meta[key])}", style="dim")
    return text


def closing_lines(scheme: dict[str, Any], html: Any) -> Text:
    """The walk's last words: the rating and where the HTML report is."""
    text = Text("Rating ", style="bold")
    text.append_text(rating_word(scheme["rating"]))
    text.append(f" · score {fmt_score(scheme['score'])} · coverage "
                f"{fmt_pct(scheme['coverage'])} · "
                f"{plural(len(scheme.get('actions') or []), 'action')} in the plan")
    text.append(f"\nHTML report: {clean(html)}", style="bold green")
    return text


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
    """Print the full report: per scheme summary, action plan and the rest; run details last."""
    console.print(marking_line(report))
    if len(report["schemes"]) > 1:
        console.print(Text(f"{KIND_TITLE.get(report['kind'], report['kind'])} report · as of "
                           f"{clean(report['as_of'])}", style="bold"))
        console.print()
        print_league(report, console, marked=False)  # the report is marked already
        console.print()
    for scheme in report["schemes"]:
        # one print per scheme: each print call costs as much as a small table
        console.print(Group(*scheme_renderables(report, scheme)))
    console.print(Group(*data_quality(report.get("data_quality") or [])))
    console.print(run_details(report))
    console.print(marking_line(report))


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
LEAGUE_WHOLE = frozenset({"Scheme", "Type", "Rating"})  # never split over lines (rich table)


SELF_HEADERS = ["Self", "Over"]  # with --answers: self-assessed coverage, overclaims


def league_headers(report: dict[str, Any]) -> tuple[list[str], set[int]]:
    """The league's columns (two more with --answers) and which are right-aligned."""
    if report.get("answers") is None:
        return LEAGUE_HEADERS, LEAGUE_RIGHT
    return LEAGUE_HEADERS[:7] + SELF_HEADERS + LEAGUE_HEADERS[7:], LEAGUE_RIGHT | {11, 12}


def league_rows(report: dict[str, Any]) -> list[list[str]]:
    """Rank, id, name, type, rating, score, coverage (self-assessed coverage and overclaims
    with --answers) and open gaps by severity, worst first."""
    answers = report.get("answers") is not None
    rows = []
    for n, s in enumerate(league(report), 1):
        gaps = gap_counts(s)
        own = list(self_cells(s)) if answers else []
        rows.append([str(n), clean(s["scheme_id"]), clean(s["scheme_name"]),
                     clean(s["scheme_type"]), s["rating"], fmt_score(s["score"]),
                     fmt_pct(s["coverage"]), *own, *(str(gaps[sev]) for sev in SEVERITIES)])
    return rows


def league_summary(report: dict[str, Any]) -> str:
    """One line: how many schemes, how many of each rating."""
    s = report["summary"]
    own = ("Self: coverage from the scheme's self-assessment; Over: overclaims. "
           if report.get("answers") is not None else "")
    return (f"League table: {plural(s['schemes'], 'scheme')} as of {clean(report['as_of'])}, worst "
            f"first. Red {s['red']}, amber {s['amber']}, green {s['green']}. {own}"
            "Crit/High/Med/Low count open (not waived) gaps.")


def data_quality_line(report: dict[str, Any]) -> str:
    """How many register values could not be read, and where to see them."""
    n = len(report.get("data_quality") or ())
    if not n:
        return "No data-quality issues in the register."
    return f"{plural(n, 'data-quality issue')} in the register: {DATA_QUALITY_HINT}."


def rich_league(rows: list[list[str]], headers: list[str] = LEAGUE_HEADERS,
                right: set[int] = LEAGUE_RIGHT) -> Table:
    """The league as a rich table with ratings in colour (a terminal, a few hundred rows)."""
    # one space between columns, not two: eleven columns fit 80 characters with room for
    # the name. An id, a type or a rating split over lines ("S-00" / "3") misleads: they
    # stay whole, and the scheme's name wraps at word breaks in the room that is left.
    table = Table(box=box.SIMPLE_HEAD, padding=0)
    for i, name in enumerate(headers):
        table.add_column(name, justify="right" if i in right else "left",
                         overflow="fold", no_wrap=i in right or name in LEAGUE_WHOLE)
    for row in rows:
        cells: list[Any] = list(row)
        cells[4] = Text(row[4], style=RATING_TEXT.get(row[4], ""))
        table.add_row(*cells)
    return table


def print_league(report: dict[str, Any], console: Console, marked: bool = True) -> None:
    """Print the batch result: records of schemes nobody lists first, then the league
    table worst first, then what many schemes share and the data-quality problems."""
    rows = league_rows(report)
    headers, right = league_headers(report)
    first = [clean(line) for line in unlisted_lines(report)]
    after = [clean(line) for line in (*answers_lines(report), *overclaim_lines(report),
                                      *common_gap_lines(report))]
    quality = [clean(line) for line in data_quality_lines(report)]
    ending = quality + [DATA_QUALITY_HINT[0].upper() + DATA_QUALITY_HINT[1:] + "."] \
        if quality else [data_quality_line(report)]
    marking = clean(report.get("marking") or "") if marked else ""
    if console.is_terminal and len(rows) <= LEAGUE_RICH_MAX:
        if marked:
            console.print(marking_line(report))
        for line in first:
            console.print(Text(line, style="bold red"))
        console.print(Text(league_summary(report), style="bold"))
        console.print(rich_league(rows, headers, right))
        for line in after + ending:
            console.print(Text(line))
        if marked:
            console.print(marking_line(report))
        return
    # straight to the file: rich would measure and wrap each of 20,000 rows
    top = [marking] if marked else []
    console.file.write("".join(f"{line}\n" for line in top + first)
                       + f"{league_summary(report)}\n"
                       + plain_table(headers, rows, right, LEAGUE_CAPS)
                       + "".join(f"{line}\n" for line in after + ending + top))
    console.file.flush()
