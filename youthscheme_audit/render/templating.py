"""The jinja2 side of the markdown and HTML renderers: template lookup, filters, context.

Templates only format and lay out; every number and grouping comes from report.py,
scoring.py or the view built here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from youthscheme_audit.render.charts import area_bars_svg, area_chart
from youthscheme_audit.render.common import (
    ACTION_LABELS,
    SEVERITIES,
    anchors,
    applicable,
    audit_line,
    coverage_numbers,
    divergence_line,
    extra_evidence,
    fmt_pct,
    fmt_score,
    formula_numbers,
    gap_counts,
    inert,
    md_escape,
    not_audited,
    not_in_plan,
    owner_text,
    plan,
    shown_by,
    sources_index,
    status_label,
    top_actions,
)
from youthscheme_audit.report import league, sections


def css_string(value: Any) -> markupsafe.Markup:
    """``value`` as a quoted CSS string: everything but letters, digits and spaces
    hex-escaped, so no quote, backslash or ``</style>`` can end it early."""
    text = " ".join(str(value).split())
    body = "".join(ch if ch.isalnum() and ch.isascii() or ch == " " else f"\\{ord(ch):x} "
                   for ch in text)
    return markupsafe.Markup(f'"{body}"')  # noqa: S704 - hex-escaped above


def templates_dir() -> Path:
    """The templates shipped with the package (or the repository's, when run from source)."""
    packaged = Path(str(resources.files("youthscheme_audit"))) / "report_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "report_templates"


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """jinja2's environment, reading ``item.key`` of a plain dict by its key straight away.

    jinja2 tries ``getattr`` first and falls back to the key when that raises: every
    ``finding.title`` in a template cost an AttributeError, 16 % of writing 2,000 HTML
    reports. A dict has no attributes but its methods, so reading the key first (except
    for a method's name, e.g. ``.items``) gives the same value or the same undefined.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if obj.__class__ is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


# Fragments a set of reports shares (``shared_fragments``): key -> (item, markup). The
# item is kept, so its id is never another's while its markup is known.
_FRAGMENTS: ContextVar[dict[Any, tuple[Any, Any]] | None] = ContextVar("fragments",
                                                                      default=None)
FRAGMENTS_KEPT = 20_000  # the memo starts over past this many (a few thousand are shared)


@contextmanager
def shared_fragments() -> Iterator[None]:
    """While writing a set of reports of one run (one catalog), ``shared`` makes each
    fragment once: a register's schemes share most findings as the same dicts."""
    token = _FRAGMENTS.set({})
    try:
        yield
    finally:
        _FRAGMENTS.reset(token)


def shared(macro: Callable[..., Any], item: Any, *args: Any) -> Any:
    """``macro(item, *args)``, made once per ``item`` (by identity) and ``args`` within
    ``shared_fragments``. The macro must read nothing but its arguments and the
    template's constants. A finding that cites rows is its scheme's own: made each time.
    """
    if item.__class__ is dict and item.get("citations"):
        return macro(item, *args)
    name = macro.name  # type: ignore[attr-defined]
    return _once(("shared", name, id(item), args), item, lambda: macro(item, *args))


def once(macro: Callable[..., Any], *args: Any) -> Any:
    """``macro(*args)``, made once per ``args`` within ``shared_fragments``: for a macro
    of plain values (text, numbers) that repeat across reports."""
    name = macro.name  # type: ignore[attr-defined]
    return _once(("once", name, args), None, lambda: macro(*args))


def memo(key: Any, make: Callable[[], Any]) -> Any:
    """``make()``, made once per ``key`` within ``shared_fragments``."""
    return _once(("memo", key), key, make)


def _once(key: Any, keep: Any, make: Callable[[], Any]) -> Any:
    """``make()`` kept under ``key`` (with ``keep``, what the key's ids stand for) while
    ``shared_fragments`` is open; outside it, made each time."""
    made = _FRAGMENTS.get()
    if made is None:
        return make()
    known = made.get(key)
    if known is None:
        if len(made) >= FRAGMENTS_KEPT:
            made.clear()
        known = made[key] = (keep, make())
    return known[1]


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> jinja2.Environment:
    """A strict environment (undefined names fail loudly), compiled templates cached.

    ``finalize`` runs on every ``{{ value }}`` a template prints, so no template can let
    an ESC or BEL byte from a register or an answers file into a report.
    """
    env = _Environment(
        finalize=inert,
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a run never edits its templates: no mtime check per report
    )
    env.filters.update(
        score=fmt_score, pct=fmt_pct, status=status_label, md=md_escape,
        extra_evidence=extra_evidence, shown_by=shown_by, owner=owner_text,
        action_label=ACTION_LABELS.get, css_string=css_string,
    )
    env.globals.update(shared=shared, once=once)
    return env


def scheme_view(scheme: dict[str, Any], anchor: str) -> dict[str, Any]:
    """One scheme with the groupings a template lays out."""
    grouped = sections(scheme)
    groups = {g["status"]: g["findings"] for g in grouped}
    spot = scheme.get("audit") is not None
    return {
        "s": scheme,
        "anchor": anchor,
        "sections": grouped,
        "groups": groups,
        "gaps": gap_counts(scheme),
        "formula_numbers": formula_numbers(scheme),
        "coverage_numbers": coverage_numbers(scheme),
        "divergences": scheme.get("divergences"),
        "self_score": scheme.get("self_score"),
        "plan": plan(scheme),
        "top": top_actions(scheme),
        "more_actions": len(scheme.get("actions") or []) - len(top_actions(scheme)),
        "open_unverified": not_in_plan(groups["unverified"], scheme),
        "open_claimed": not_in_plan(groups["claimed"], scheme),
        "not_audited": not_audited(scheme),
        "sources": memo(("sources", *applicable(scheme)), lambda: sources_index(scheme)),
        "checker": scheme.get("checked_by") or "audit",
        "audit_line": audit_line(scheme) if spot else "",
        "divergence_line": divergence_line(scheme),
        "chart": area_chart(scheme.get("areas") or []),
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
        "marking": report.get("marking") or "",
    }


def render_template(name: str, report: dict[str, Any], autoescape: bool) -> str:
    """Render report template ``name`` with the report's context (its fragments shared
    within it, or across the set of reports being written)."""
    with nullcontext() if _FRAGMENTS.get() is not None else shared_fragments():
        return environment(autoescape).get_template(name).render(context(report))


def render_index(name: str, rows: list[dict[str, Any]], report: dict[str, Any],
                 unassigned: list[dict[str, Any]], autoescape: bool) -> str:
    """Render an index template: the force picture, then per-scheme report files worst first."""
    picture = report.get("picture") or {}
    return environment(autoescape).get_template(name).render(
        report=report, rows=rows, severities=SEVERITIES, data_quality=unassigned,
        picture=picture, areas=picture.get("areas") or [],
        area_chart=markupsafe.Markup(area_bars_svg(picture.get("areas") or [])),
        unlisted=report.get("unlisted_schemes") or [], answers=report.get("answers"),
        rating_order={"red": 0, "amber": 1, "green": 2})
