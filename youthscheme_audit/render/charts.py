"""Small inline SVG charts drawn by our own code: no scripts, no assets, they print.

Every label is escaped here; the templates insert the SVG as markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

from youthscheme_audit.render.common import fmt_score

RATING_FILL = {"red": "#b3261e", "amber": "#c77700", "green": "#1d6b2c"}
INK, GRID = "#1b1b1b", "#d0d0d0"


def area_bars_svg(areas: list[dict[str, Any]], width: int = 640) -> str:
    """Each area as a bar split by how many schemes rate red, amber and green in it."""
    if not areas:
        return ""
    row, label_w = 22, 230
    bar_w = width - label_w - 70
    height = row * len(areas) + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" class="chart">',
             "<title>Schemes by rating in each area</title>"]
    for n, a in enumerate(areas):
        y = 4 + n * row
        total = a["red"] + a["amber"] + a["green"]
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(a["title"])}</text>')
        x = float(label_w)
        for rating in ("red", "amber", "green"):
            w = bar_w * a[rating] / total if total else 0
            if w:
                parts.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="16" '
                             f'fill="{RATING_FILL[rating]}"><title>{a[rating]} '
                             f'{rating}</title></rect>')
            x += w
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}" font-size="11">'
                     f'{a["red"]}/{a["amber"]}/{a["green"]}</text>')
    parts.append(f'<text x="{label_w}" y="{height - 6}" font-size="11">red / amber / green '
                 "schemes in each area</text>")
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(labels: Sequence[str], lines: dict[str, Sequence[float | None]],
                   colours: dict[str, str], title: str, top: float | None = None,
                   width: int = 640, height: int = 220) -> str:
    """Lines over time (one value per label; None leaves a gap), with a light grid."""
    values = [v for line in lines.values() for v in line if v is not None]
    if not labels or not values:
        return ""
    left, right, up, down = 44, 110, 24, 34
    plot_w, plot_h = width - left - right, height - up - down
    # counts get whole-number grid lines: the top rounded up to a multiple of 4
    peak = top if top is not None else float(max(4, math.ceil(max(values) / 4) * 4))
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + i * step if len(labels) > 1 else left + plot_w / 2

    def y(v: float) -> float:
        return up + plot_h * (1 - v / peak)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" class="chart">',
             f"<title>{escape(title)}</title>",
             f'<text x="{left}" y="14" font-size="12" font-weight="700">{escape(title)}</text>']
    for k in range(5):
        v = peak * k / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     f'stroke="{GRID}"/><text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="10" '
                     f'text-anchor="end">{v:g}</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text x="{x(i):.1f}" y="{height - down + 16}" font-size="10" '
                     f'text-anchor="middle">{escape(label)}</text>')
    for n, (name, line) in enumerate(lines.items()):
        colour = colours.get(name, INK)
        points = [(x(i), y(v)) for i, v in enumerate(line) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                         f'points="{path}"/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>'
                  for px, py in points]
        parts.append(f'<text x="{left + plot_w + 10}" y="{up + 14 + 16 * n}" font-size="11" '
                     f'fill="{colour}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline_svg(values: Sequence[float | None], top: float = 100.0, width: int = 90,
                  height: int = 18) -> str:
    """A scheme's scores over time as a tiny line (gaps where it was not scored)."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return ""
    step = (width - 4) / max(len(values) - 1, 1)
    points = " ".join(f"{2 + i * step:.1f},{2 + (height - 4) * (1 - v / top):.1f}"
                      for i, v in known)
    last_x, last_v = 2 + known[-1][0] * step, known[-1][1]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" class="spark" role="img">'
            f'<title>scores {", ".join("—" if v is None else f"{v:g}" for v in values)}</title>'
            f'<polyline fill="none" stroke="{INK}" stroke-width="1.5" points="{points}"/>'
            f'<circle cx="{last_x:.1f}" cy="{2 + (height - 4) * (1 - last_v / top):.1f}" r="2" '
            f'fill="{INK}"/></svg>')


# --- a scheme's score per area (the scheme report) -------------------------------------

ROW = 18  # px per area
LABEL = 250  # px for the area title
TRACK = 300  # px for a score of 100
WIDTH = LABEL + TRACK + 110


def bar_row(n: int, area: dict[str, Any]) -> str:
    """One area: title, track, bar (none without a score), score and rating."""
    y = n * ROW
    score = area["score"]
    length = 0.0 if score is None else round(TRACK * score / 100, 1)
    colour = RATING_FILL.get(area["rating"], "#5a5a5a")
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
