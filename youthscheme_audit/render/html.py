"""HTML: one self-contained file (inline CSS, no scripts or external assets), print-ready."""

from __future__ import annotations

from typing import Any

from youthscheme_audit.render.templating import render_template


def render(report: dict[str, Any]) -> str:
    """The report as HTML (report_templates/report.html.j2), everything escaped."""
    return render_template("report.html.j2", report, autoescape=True)
