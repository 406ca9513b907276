"""The jinja2 side of the markdown and HTML renderers: template lookup, filters, context.

Templates only format and lay out; every number and grouping comes from report.py,
scoring.py or the view built here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from youthscheme_audit.render.common import (
    SEVERITIES,
    anchors,
    coverage_numbers,
    extra_evidence,
    fmt_pct,
    fmt_score,
    formula_numbers,
    gap_counts,
    inert,
    md_escape,
    status_label,
)
from youthscheme_audit.report import league, sections


def templates_dir() -> Path:
    """The templates shipped with the package (or the repository's, when run from source)."""
    packaged = Path(str(resources.files("youthscheme_audit"))) / "report_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "report_templates"


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> jinja2.Environment:
    """A strict environment (undefined names fail loudly), compiled templates cached.

    ``finalize`` runs on every ``{{ value }}`` a template prints, so no template can let
    an ESC or BEL byte from a register or an answers file into a report.
    """
    env = jinja2.Environment(
        finalize=inert,
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        score=fmt_score, pct=fmt_pct, status=status_label, md=md_escape,
        extra_evidence=extra_evidence,
    )
    return env


def scheme_view(scheme: dict[str, Any], anchor: str) -> dict[str, Any]:
    """One scheme with the groupings a template lays out."""
    grouped = sections(scheme)
    return {
        "s": scheme,
        "anchor": anchor,
        "sections": grouped,
        "groups": {g["status"]: g["findings"] for g in grouped},
        "gaps": gap_counts(scheme),
        "formula_numbers": formula_numbers(scheme),
        "coverage_numbers": coverage_numbers(scheme),
        "divergences": scheme.get("divergences"),
        "self_score": scheme.get("self_score"),
    }


def context(report: dict[str, Any]) -> dict[str, Any]:
    """Everything a report template needs."""
    schemes = report["schemes"]
    views = [scheme_view(s, a) for s, a in zip(schemes, anchors(schemes), strict=True)]
    by_id = {id(v["s"]): v for v in views}
    ranked = [by_id[id(s)] for s in league(report)]
    return {
        "report": report,
        "schemes": views,
        "league": ranked,
        "several": len(schemes) > 1,
        "severities": SEVERITIES,
        "data_quality": report.get("data_quality") or [],
            }


def render_template(name: str, report: dict[str, Any], autoescape: bool) -> str:
    """Render report template ``name`` with the report's context."""
    return environment(autoescape).get_template(name).render(context(report))


def render_index(name: str, rows: list[dict[str, Any]], report: dict[str, Any],
                 unassigned: list[dict[str, Any]], autoescape: bool) -> str:
    """Render an index template listing per-scheme report files, worst first."""
    return environment(autoescape).get_template(name).render(
        report=report, rows=rows, severities=SEVERITIES, data_quality=unassigned)
