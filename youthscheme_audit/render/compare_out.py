"""``compare`` output: terminal tables, JSON, and Markdown and HTML pages with the trend.

The comparison and trend are worked out in ``compare.py``; this module only shows them.
"""

from __future__ import annotations

from typing import Any

import markupsafe

from youthscheme_audit.render.charts import RATING_FILL, line_chart_svg, sparkline_svg
from youthscheme_audit.render.common import fmt_score
from youthscheme_audit.render.json_out import text


def render_json(comparison: dict[str, Any]) -> str:
    """The comparison as indented JSON."""
    return text(comparison)


def _delta(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def scheme_label(scheme_id: str, name: str | None) -> str:
    """``id name``, or just one of them when they are the same."""
    return scheme_id if not name or name == scheme_id else f"{scheme_id} {name}"


def render_terminal(comparison: dict[str, Any], console: Any) -> None:
    """Rich tables: an overview worst change first, then each scheme's control changes."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from youthscheme_audit.render.terminal import clean

    old, new = comparison["old"], comparison["new"]
    console.print(Text(f"Compare {clean(old['path'] or 'old')} (as of {clean(old['as_of'])}) "
                       f"with {clean(new['path'] or 'new')} (as of {clean(new['as_of'])})",
                       style="bold"))
    s = comparison["summary"]
    console.print(Text(
        f"{s['compared']} scheme(s) compared, {s['added']} added, {s['removed']} removed; "
        f"{s['new_gaps']} new gap(s), {s['resolved_gaps']} resolved, "
        f"{s['regressions']} regression(s), {s['improvements']} improvement(s)"))
    trend_table(comparison, console)
    if comparison["schemes"]:
        overview = Table(title="Schemes, worst change first", box=box.SIMPLE_HEAD,
                         title_justify="left", expand=True)
        overview.add_column("scheme", overflow="ellipsis", no_wrap=True, ratio=1, min_width=16)
        overview.add_column("score", no_wrap=True)
        overview.add_column("change", justify="right", no_wrap=True)
        overview.add_column("rating", no_wrap=True)
        overview.add_column("gaps\nnew/fixed", justify="right", no_wrap=True)
        overview.add_column("controls\nworse/better", justify="right", no_wrap=True)
        for c in comparison["schemes"]:
            style = ("red" if c["rating_change"] == "worse" or c["new_gaps"] or c["regressions"]
                     else "green" if c["rating_change"] == "better" or c["resolved_gaps"]
                     else "")
            overview.add_row(
                Text(clean(scheme_label(c["scheme_id"], c["scheme_name"]))),
                Text(f"{fmt_score(c['score_old'])}→{fmt_score(c['score_new'])}"),
                Text(_delta(c["score_delta"])),
                Text(f"{clean(c['rating_old'])}→{clean(c['rating_new'])}"),
                Text(f"{len(c['new_gaps'])}/{len(c['resolved_gaps'])}"),
                Text(f"{len(c['regressions'])}/{len(c['improvements'])}"),
                style=style,
            )
        console.print(overview)
    for c in comparison["schemes"]:
        _scheme_changes(c, console)
    for key, title in (("added_schemes", "Schemes added"), ("removed_schemes", "Schemes removed")):
        if comparison[key]:
            console.print(Text(f"{title}:", style="bold"))
            for b in comparison[key]:
                console.print(Text(f"  - {clean(scheme_label(b['scheme_id'], b['scheme_name']))}"
                                   f" (score {fmt_score(b['score'])}, {clean(b['rating'])})"))


def _scheme_changes(c: dict[str, Any], console: Any) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from youthscheme_audit.render.terminal import clean

    rows: list[tuple[str, dict[str, Any]]] = (
        [("regressed", x) for x in c["regressions"]]
        + [("other", x) for x in c["other_changes"]]
        + [("improved", x) for x in c["improvements"]]
    )
    title = (f"{clean(scheme_label(c['scheme_id'], c['scheme_name']))}: score "
             f"{fmt_score(c['score_old'])} → {fmt_score(c['score_new'])} "
             f"({_delta(c['score_delta'])}), "
             f"rating {clean(c['rating_old'])} → {clean(c['rating_new'])}")
    if c.get("note"):
        console.print(Text(f"note: {clean(c['note'])}", style="yellow"))
    if not rows:
        console.print(Text(f"{title}: no control changed"))
        return
    table = Table(title=title, box=box.SIMPLE_HEAD)
    for col in ("control", "severity", "title", "before", "now", "change"):
        table.add_column(col, overflow="fold")
    new_gaps, resolved = set(c["new_gaps"]), set(c["resolved_gaps"])
    for kind, x in rows:
        label = kind
        if x["control_id"] in new_gaps:
            label = "new gap" if kind != "regressed" else "regressed, new gap"
        elif x["control_id"] in resolved:
            label = "resolved gap"
        style = ("red" if kind == "regressed" or x["control_id"] in new_gaps
                 else "green" if kind == "improved" or x["control_id"] in resolved else "")
        table.add_row(Text(clean(x["control_id"])), Text(clean(x["severity"])),
                      Text(clean(x["title"])), Text(clean(x["old"] or "absent")),
                      Text(clean(x["new"] or "absent")), Text(label), style=style)
    console.print(table)
    for key, words in (("new_gaps", "new gaps"), ("resolved_gaps", "resolved gaps")):
        if c[key]:
            console.print(Text(f"  {words}: {', '.join(clean(i) for i in c[key])}"))


def trend_table(comparison: dict[str, Any], console: Any) -> None:
    """The force over time: one row per result (shown when there are more than two)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from youthscheme_audit.render.terminal import clean

    points = comparison.get("trend", {}).get("points") or []
    if len(points) < 3:
        return
    table = Table(title="The force over time", box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("as of", "schemes", "red", "amber", "green", "mean score"):
        table.add_column(col, justify="left" if col == "as of" else "right", no_wrap=True)
    for p in points:
        table.add_row(Text(clean(p["as_of"] or "?")), str(p["schemes"]), str(p["red"]),
                      str(p["amber"]), str(p["green"]), fmt_score(p["mean_score"]))
    console.print(table)


def page_context(comparison: dict[str, Any]) -> dict[str, Any]:
    """What the compare templates lay out: charts drawn, each scheme's series beside it."""
    trend = comparison.get("trend") or {"points": [], "schemes": []}
    labels = [p["as_of"] or "?" for p in trend["points"]]
    ratings = line_chart_svg(labels, {r: [p[r] for p in trend["points"]]
                                      for r in ("red", "amber", "green")},
                             RATING_FILL, "Schemes by rating")
    scores = line_chart_svg(labels, {"mean score": [p["mean_score"] for p in trend["points"]]},
                            {}, "Mean score across schemes", top=100.0)
    series = {s["scheme_id"]: s for s in trend["schemes"]}
    rows = []
    for c in comparison["schemes"]:
        line = series.get(c["scheme_id"], {"scores": [], "ratings": []})
        rows.append({**c, "scores": line["scores"], "ratings": line["ratings"],
                     "spark": markupsafe.Markup(sparkline_svg(line["scores"]))})
    return {"c": comparison, "labels": labels, "rows": rows,
            "ratings_chart": markupsafe.Markup(ratings),
            "scores_chart": markupsafe.Markup(scores), "delta": _delta}


def render_page(comparison: dict[str, Any], html: bool) -> str:
    """The comparison as a Markdown or a self-contained HTML page."""
    from youthscheme_audit.render.templating import environment

    name = "compare.html.j2" if html else "compare.md.j2"
    return environment(html).get_template(name).render(page_context(comparison))
