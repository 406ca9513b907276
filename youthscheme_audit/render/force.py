"""The force picture of a batch run, in words, for the terminal and text outputs.

What a central team reads before the league table: records of schemes the force does
not list, which self-assessments were used, the gaps many schemes share, overclaims and
data-quality problems grouped. The numbers come from ``report.picture`` and the report
dict; this module only words them (``charts`` draws them).
"""

from __future__ import annotations

from typing import Any

from youthscheme_audit.render.common import fmt_pct

NAMED = 5  # record ids named per unlisted scheme, schemes named per list, groups shown


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def some(items: list[str], limit: int = NAMED) -> str:
    """A few items and how many more."""
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def unlisted_lines(report: dict[str, Any]) -> list[str]:
    """Records under scheme ids the schemes table lacks: first in every batch output."""
    unlisted = report.get("unlisted_schemes") or []
    if not unlisted:
        return []
    lines = [f"Records for {plural(len(unlisted), 'scheme')} the schemes table does not "
             "list (a scheme nobody approved or registered may be running):"]
    for u in unlisted[:NAMED * 2]:
        parts = []
        for table, n in u["tables"].items():
            rows = [f"{r['record']} (row {r['row']})" if r["record"] else f"row {r['row']}"
                    for r in u["rows"] if r["table"] == table]
            parts.append(f"{plural(n, table.replace('_', ' ') + ' row')} ({some(rows)})")
        lines.append(f"  {u['scheme_id']}: {'; '.join(parts)}")
    if len(unlisted) > NAMED * 2:
        lines.append(f"  ... and {len(unlisted) - NAMED * 2} more: every row is in the JSON, "
                     "CSV and HTML outputs.")
    return lines


def answers_lines(report: dict[str, Any]) -> list[str]:
    """Which self-assessments were scored beside the register (score --answers)."""
    answers = report.get("answers")
    if answers is None:
        return []
    lines = [f"Self-assessments: {len(answers['matched'])} of "
             f"{plural(answers['files'], 'answers file')} matched a scheme in the register."]
    for miss in answers["unmatched"]:
        lines.append(f"  Not used: {miss['path']} ({miss['why']}).")
    missing = answers["without_answers"]
    if missing:
        lines.append(f"  No self-assessment from {plural(len(missing), 'scheme')}: "
                     f"{some(missing, NAMED * 2)}.")
    if answers["stale"]:
        lines.append(f"  Stale (over {answers['max_age_days']} days old or undated; what they "
                     f"say is met counts as claimed): {some(answers['stale'], NAMED * 2)}.")
    return lines


def common_gap_lines(report: dict[str, Any], limit: int = NAMED) -> list[str]:
    """The controls most schemes fail, critical first."""
    gaps = (report.get("picture") or {}).get("common_gaps") or []
    if not gaps:
        return []
    return ["Gaps many schemes share (critical first):"] + [
        f"  {g['control_id']} {g['title']} ({g['severity']}): "
        f"{plural(g['schemes'], 'scheme')}" for g in gaps[:limit]]


def overclaim_lines(report: dict[str, Any], limit: int = NAMED) -> list[str]:
    """Schemes whose self-assessment claims more than their records show."""
    claims = (report.get("picture") or {}).get("overclaims") or []
    if not claims:
        return []
    return ["Overclaims (the scheme said met, its records show a gap):"] + [
        f"  {c['scheme_id']} {c['scheme_name']}: {some(c['controls'])}"
        for c in claims[:limit]] + (
        [f"  ... and {len(claims) - limit} more schemes"] if len(claims) > limit else [])


def data_quality_lines(report: dict[str, Any], limit: int = NAMED) -> list[str]:
    """Data-quality problems grouped by what went wrong, with the first rows of each."""
    groups = (report.get("picture") or {}).get("data_quality") or []
    if not groups:
        return []
    total = sum(g["count"] for g in groups)
    lines = [f"{plural(total, 'data-quality issue')} in the register (values that could not be "
             "read count as unknown, never as a pass):"]
    for g in groups[:limit]:
        where = [f"row {r['row']}" + (f" {r['scheme_id']}" if r["scheme_id"] else "")
                 + (f" '{r['value']}'" if r["value"] else "") for r in g["rows"]]
        column = f" {g['column']}" if g["column"] else ""
        lines.append(f"  {g['table']}{column}: {g['problem']} ({g['count']}: {some(where, 3)})")
    if len(groups) > limit:
        lines.append(f"  ... and {len(groups) - limit} more kinds of problem")
    return lines


def self_cells(scheme: dict[str, Any]) -> tuple[str, str]:
    """The league's self-assessed coverage and overclaim cells for one scheme."""
    if "overclaims" not in scheme:
        return "—", "—"
    own = (scheme.get("coverage_sources") or {}).get("self-assessment")
    return fmt_pct(own), str(scheme["overclaims"])
