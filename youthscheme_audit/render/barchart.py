"""The per-area bar chart of a scheme's HTML report: inline SVG, drawn here.

One row per checklist area: its title, a bar as long as its score, the score and the
rating in words (so the chart reads in black and white and to a screen reader, not by
colour alone). No script, no font or image to fetch; every text is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from youthscheme_audit.render.charts import RATING_FILL as COLOURS
from youthscheme_audit.render.common import fmt_score

ROW = 18  # px per area
LABEL = 250  # px for the area title
TRACK = 300  # px for a score of 100
WIDTH = LABEL + TRACK + 110


def bar_row(n: int, area: dict[str, Any]) -> str:
    """One area: title, track, bar (none without a score), score and rating."""
    y = n * ROW
    score = area["score"]
    length = 0.0 if score is None else round(TRACK * score / 100, 1)
    colour = COLOURS.get(area["rating"], "#5a5a5a")
    title = escape(str(area["title"]))
    value = escape(fmt_score(score) if score is not None else "no score")
    return (
        f'<g><title>{title}: score {value}, {escape(area["rating"])}</title>'
        f'<text x="{LABEL - 8}" y="{y + 13}" text-anchor="end">{title}</text>'
        f'<rect x="{LABEL}" y="{y + 3}" width="{TRACK}" height="12" fill="#ececec"/>'
        f'<rect x="{LABEL}" y="{y + 3}" width="{length}" height="12" fill="{colour}"/>'
        f'<text x="{LABEL + TRACK + 8}" y="{y + 13}">{value} '
        f'<tspan fill="{colour}" font-weight="700">{escape(area["rating"])}</tspan></text>'
        "</g>"
    )


def area_chart(areas: list[dict[str, Any]]) -> Markup:
    """Score per area as an inline SVG bar chart (empty when there are no areas)."""
    if not areas:
        return Markup("")
    height = len(areas) * ROW + 6
    rows = "".join(bar_row(n, a) for n, a in enumerate(areas))
    # gridlines at 60 and 85: where red turns amber and amber turns green
    marks = "".join(
        f'<line x1="{LABEL + TRACK * v / 100}" y1="0" x2="{LABEL + TRACK * v / 100}" '
        f'y2="{height - 4}" stroke="#5a5a5a" stroke-dasharray="2 2"/>' for v in (60, 85))
    return Markup(  # noqa: S704 - every text above went through html.escape
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-size="12" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        'aria-label="Score by area, out of 100; dashed lines at 60 and 85">'
        f"{rows}{marks}</svg>"
    )
