"""``score -o DIR``: one report per scheme, so each lead gets their own gap list, plus an index.

Each file is written atomically (temporary file, then rename) and the index last, so
an interrupted run never leaves half a file or an index linking to a missing report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from youthscheme_audit.models import Progress
from youthscheme_audit.render import Format, renderer
from youthscheme_audit.render.common import gap_counts, safe_name
from youthscheme_audit.render.force import self_cells
from youthscheme_audit.report import league
from youthscheme_audit.yamlio import atomic_write

EXTENSIONS = {Format.TERMINAL: ".txt", Format.MARKDOWN: ".md", Format.HTML: ".html",
              Format.JSON: ".json", Format.CSV: ".csv"}
INDEX_NAMES = {Format.HTML: "index.html", Format.JSON: "index.json"}  # otherwise index.md


def issues_by_scheme(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Data-quality issues grouped by scheme id ('' for issues tied to no scheme)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for issue in report.get("data_quality") or ():
        out.setdefault(issue.get("scheme_id") or "", []).append(issue)
    return out


def single_report(report: dict[str, Any], scheme: dict[str, Any],
                  issues: list[dict[str, Any]]) -> dict[str, Any]:
    """The batch report cut down to one scheme and its own data-quality issues."""
    summary = {"schemes": 1, "red": 0, "amber": 0, "green": 0,
               "data_quality_issues": len(issues)}
    summary[scheme["rating"]] += 1
    return {**report, "summary": summary, "schemes": [scheme], "data_quality": issues}


def index_rows(report: dict[str, Any], files: dict[int, str]) -> list[dict[str, Any]]:
    """One row per scheme, worst first, naming its report file, with each area's rating
    (the heat map) and, with --answers, self-assessed coverage and overclaims."""
    rows = []
    for s in league(report):
        own, over = self_cells(s)
        rows.append({
            "scheme_id": s["scheme_id"], "scheme_name": s["scheme_name"],
            "scheme_type": s["scheme_type"], "rating": s["rating"], "score": s["score"],
            "coverage": s["coverage"], "open_gaps": gap_counts(s), "file": files[id(s)],
            "areas": {a["area"]: a["rating"] for a in s.get("areas") or ()},
            "self_coverage": own, "overclaims": over,
        })
    return rows


def render_index(fmt: Format, report: dict[str, Any], rows: list[dict[str, Any]],
                 unassigned: list[dict[str, Any]]) -> str:
    """The index page in the format's own kind: HTML, JSON, or markdown for the rest."""
    if fmt is Format.JSON:
        data: dict[str, Any] = {k: report[k] for k in ("kind", "as_of", "generated_at",
                                                       "tool_version",
                                       "summary", "unlisted_schemes", "picture", "answers")
                if k in report}
        data.update(schemes=rows, data_quality=unassigned)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    from youthscheme_audit.render.templating import render_index as render_template

    html = fmt is Format.HTML
    return render_template("index.html.j2" if html else "index.md.j2", rows, report,
                           unassigned, autoescape=html)


def write_per_scheme(report: dict[str, Any], directory: Path, fmt: str,
                     progress: Progress | None = None) -> Path:
    """Write one report per scheme into ``directory`` plus an index; return the index path."""
    form = Format(fmt)
    render = renderer(form)
    directory.mkdir(parents=True, exist_ok=True)
    issues = issues_by_scheme(report)
    taken: set[str] = set()
    files: dict[int, str] = {}
    total = len(report["schemes"])
    for n, scheme in enumerate(report["schemes"]):
        if progress is not None:
            progress("writing reports", n, total)
        name = safe_name(scheme["scheme_id"], taken) + EXTENSIONS[form]
        own = issues.get(scheme["scheme_id"], [])
        atomic_write(directory / name, render(single_report(report, scheme, own)))
        files[id(scheme)] = name
    index = directory / INDEX_NAMES.get(form, "index.md")
    atomic_write(index, render_index(form, report, index_rows(report, files),
                                     issues.get("", [])))
    return index
