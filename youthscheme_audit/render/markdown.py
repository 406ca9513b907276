"""Markdown: the gap report as a document to paste into a ticket, wiki or email."""

from __future__ import annotations

import re
from typing import Any

from youthscheme_audit.render.templating import render_template

_BLANK_RUNS = re.compile(r"\n{3,}")


def render(report: dict[str, Any]) -> str:
    """The report as markdown (report_templates/report.md.j2)."""
    text = render_template("report.md.j2", report, autoescape=False)
    # template blocks leave runs of blank lines; one blank line is all markdown needs
    return _BLANK_RUNS.sub("\n\n", text)
