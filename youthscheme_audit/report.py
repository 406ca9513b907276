"""The one report model: built from findings, dumped to plain data for every renderer.

``report_dict`` is the input of every renderer: templates and the terminal renderer read
it, plus the presentation groupings from ``sections``, with each control's text beside
its finding. ``report_dict(..., compact=True)`` is the JSON result (documented by
``schema/report.schema.json``): that text once per control, in ``controls``, and
findings that name their control by ``control_id``, since a register's 20,000 schemes
would otherwise repeat it in every finding (more than half the file). Every number is
computed here or in scoring.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from operator import attrgetter
from typing import Any

from youthscheme_audit import __version__
from youthscheme_audit.catalog import Catalog
from youthscheme_audit.models import (
    DEFAULT_MARKING,
    DataIssue,
    Finding,
    Report,
    SchemeResult,
    Score,
    SelfAssessment,
    Severity,
    Status,
    UnlistedScheme,
    Waiver,
)
from youthscheme_audit.scoring import (  # enum members looked up once (see scoring.py)
    _CRITICAL,
    _GAP,
    _PARTIAL,
    _UNVERIFIED,
    FORMULA,
    Mark,
    score_findings,
)

# enum members looked up once: ``Status.X`` in a loop over a register's findings costs a
# class-attribute lookup each (in_scope over 2,000,000 findings: 0.35 s, 0.09 s without)
_MET, _NA, _WAIVED = Status.MET, Status.NOT_APPLICABLE, Status.WAIVED

# a met finding resting on a bare "yes": listed apart, so a checker knows what to ask for
CLAIMED = "claimed"
# the order a reader wants: what to fix first, then what is merely unknown, then the rest
SECTION_ORDER: tuple[tuple[str, str], ...] = (
    (Status.GAP, "Gaps"),
    (Status.PARTIAL, "Partly met"),
    (Status.WAIVED, "Waived gaps"),
    (Status.UNVERIFIED, "Unverified"),
    (CLAIMED, "Claimed: a yes with no evidence reference"),
    (Status.MET, "Met"),
    (Status.NOT_APPLICABLE, "Not applicable"),
)
# the action plan: worst first by severity, then by what kind of action it is
ACTION_KINDS = ("gap", "partial", "unverified", CLAIMED)
# how serious a disagreement between a scheme's own answer and the audit is
DIVERGENCE_RANK = {
    ("met", "gap"): 0, ("met", "partial"): 1, ("partial", "gap"): 2,
    ("not_applicable", "gap"): 2, ("not_applicable", "partial"): 3, ("met", "unverified"): 3,
    ("partial", "unverified"): 4,
}
_STANDING = {"gap": 0, "partial": 1, "met": 2}  # how far a control is in place


def divergence_kind(said: str, found: str) -> str | None:
    """overclaimed (the scheme said more than the audit found), underclaimed (less),
    differs (neither: it said not applicable, or did not know, and the audit found a
    gap), or None when nothing the audit found contradicts the scheme (it could not
    verify a gap or a not applicable)."""
    if (said, found) in DIVERGENCE_RANK:
        return "overclaimed"
    if found == "unverified":
        return None
    if _STANDING.get(found, -1) > _STANDING.get(said, -1) and found != "gap":
        return "underclaimed"
    return "differs"


def scheme_result(
    scheme_id: str,
    scheme_name: str,
    profile: dict[str, Any],
    findings: Iterable[Finding],
    expired: Iterable[Waiver] = (),
    self_findings: Iterable[Finding] | None = None,
    self_assessment: SelfAssessment | None = None,
    score: Score | None = None,
    areas: tuple[tuple[str, str, Score], ...] | None = None,
) -> SchemeResult:
    """Score a scheme's findings (unless ``score`` is theirs already, worked out for a
    whole register at once, and ``areas`` their areas' scores) and wrap them as a
    SchemeResult."""
    items = tuple(findings)
    return SchemeResult(
        scheme_id=scheme_id,
        scheme_name=scheme_name,
        scheme_type=str(profile.get("scheme_type") or "unknown"),
        profile=profile,
        findings=items,
        score=score if score is not None else score_findings(items),
        self_score=score_findings(self_findings) if self_findings is not None else None,
        expired_waivers=tuple(expired),
        self_assessment=self_assessment,
        areas=areas,
    )


def build_report(
    kind: str,
    catalog: Catalog,
    schemes: Iterable[SchemeResult],
    as_of: dt.date,
    inputs: Iterable[str] = (),
    data_quality: Iterable[DataIssue] = (),
    meta: dict[str, Any] | None = None,
    unlisted: Iterable[UnlistedScheme] = (),
    answers: dict[str, Any] | None = None,
) -> Report:
    """The Report for a self-assessment, spot audit or batch run."""
    return Report(
        kind=kind,
        as_of=as_of.isoformat(),
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        checklists=tuple(catalog.versions()),
        schemes=tuple(schemes),
        data_quality=tuple(data_quality),
        inputs=tuple(inputs),
        meta=meta or {},
        unlisted=tuple(unlisted),
        answers=answers,
        due_days=due_days(catalog),
    )


def due_days(catalog: Catalog) -> dict[str, int]:
    """Days to an action's due date by severity (parameter ``action_due_days``)."""
    days = catalog.parameters["action_due_days"].value
    return {s.value: int(days[s.value]) for s in Severity}


# a control's own text, the same in every scheme's finding of it: the JSON result writes it
# once, in ``controls``, and its findings, actions and divergences name it by control_id
CONTROL_FIELDS = ("title", "area", "area_title", "severity", "weight", "question",
                  "remediation", "sources", "source_urls", "evidence_needed")


def control_dict(f: Finding) -> dict[str, Any]:
    """The text of a finding's control, as plain data."""
    return {
        "title": f.title,
        "area": f.area,
        "area_title": f.area_title,
        "severity": f.severity.value,
        "weight": f.weight,
        "question": f.question,
        "remediation": f.remediation,
        "sources": list(f.sources),
        "source_urls": list(f.source_urls),
        "evidence_needed": f.evidence_needed,
    }


def controls_dict(schemes: Iterable[SchemeResult]) -> dict[str, dict[str, Any]]:
    """Control id to its text, for every control the schemes have a finding of (in
    checklist order: the order findings come in)."""
    out: dict[str, dict[str, Any]] = {}
    for scheme in schemes:
        for f in scheme.findings:
            if f.control_id not in out:
                out[f.control_id] = control_dict(f)
    return out


def finding_dict(f: Finding, text: bool = True) -> dict[str, Any]:
    """One finding as plain data; ``text=False`` leaves out its control's text."""
    out: dict[str, Any] = {
        "control_id": f.control_id,
        "status": f.status.value,
        "reason": f.reason,
        "evidence": list(f.evidence),
        "citations": [c.as_dict() for c in f.citations],
        "note": f.note,
        "answered_at": f.answered_at,
        "waiver": f.waiver.as_dict() if f.waiver else None,
        "source": f.source,
        "claimed": f.claimed,
        "owner": f.owner,
    }
    if f.self_status is not None:
        out["self_status"] = f.self_status.value
        out["self_note"] = f.self_note
    if text:
        out.update(control_dict(f))
    return out


# what in a scheme's dict names controls: without their text in the JSON result
TEXT_KEYS = ("findings", "actions", "divergences")


def without_text(item: dict[str, Any]) -> dict[str, Any]:
    """A finding, action or divergence dict without its control's text."""
    return {k: v for k, v in item.items() if k not in CONTROL_FIELDS}


def score_dict(s: Score) -> dict[str, Any]:
    """A Score as plain data."""
    return {
        "score": s.score,
        "score_without_waivers": s.score_without_waivers,
        "coverage": s.coverage,
        "rating": s.rating.value,
        "rating_reasons": list(s.rating_reasons),
        "counts": dict(s.counts),
        "weights": dict(s.weights),
    }


def area_rows(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Per-area counts and score, in checklist order."""
    by_area: dict[str, list[Finding]] = {}
    titles: dict[str, str] = {}
    for f in findings:
        by_area.setdefault(f.area, []).append(f)
        titles[f.area] = f.area_title
    return [area_row(area, titles[area], _area_score(tuple(map(_MARKS, items))))
            for area, items in by_area.items()]


def area_row(area: str, title: str, s: Score) -> dict[str, Any]:
    """One area's row: its score, coverage, rating and counts."""
    return {"area": area, "title": title, "score": s.score, "coverage": s.coverage,
            "rating": s.rating.value, **s.counts}


def scheme_areas(r: SchemeResult, memo: dict[int, tuple[Score, dict[str, Any]]]
                 ) -> list[dict[str, Any]]:
    """``area_rows`` of a scheme's findings, or of its area scores where those were
    worked out for the whole register (``SchemeResult.areas``). Those Score objects are
    shared by the schemes alike in an area, so ``memo`` makes each row once (by ``id``,
    the score kept)."""
    if r.areas is None:
        return area_rows(r.findings)
    rows = []
    for area, title, score in r.areas:
        known = memo.get(id(score))
        if known is None:
            known = memo[id(score)] = (score, area_row(area, title, score))
        rows.append(known[1])
    return rows


# what scoring reads of a finding: an area's score depends on nothing else, and a
# register's schemes repeat the same few marks per area, so each is scored once
_MARKS = attrgetter("control_id", "status", "severity", "claimed")
_CONTROL_ID = attrgetter("control_id")


@lru_cache(maxsize=1 << 14)
def _area_score(marks: tuple[tuple[str, Status, Severity, bool], ...]) -> Score:
    return score_findings(Mark(*m) for m in marks)


def overclaims(findings: Iterable[Finding]) -> int:
    """Controls where the scheme claimed more than the evidence shows."""
    return sum(1 for f in findings if f.self_status is not None
               and (f.self_status.value, f.status.value) in DIVERGENCE_RANK)


def coverage_by_source(findings: Iterable[Finding]) -> dict[str, float | None]:
    """Share of applicable controls evidenced by each source (register, self-assessment ...)."""
    applicable = [f for f in findings if f.status is not _NA]
    counts = Counter(f.source for f in applicable if f.status is not _UNVERIFIED)
    return {source: round(100.0 * n / len(applicable), 1) for source, n in counts.items()}


def divergences(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Controls where the scheme's own answer and the audit disagree, most serious first."""
    out = []
    for f in findings:
        # a control the auditor has not reached is not yet audited, never a divergence;
        # a gap the audit found and a waiver covers is still the gap the scheme admitted
        found = _GAP if f.status is _WAIVED else f.status
        if f.self_status is None or f.self_status is found or not_audited(f):
            continue
        pair = (f.self_status.value, found.value)
        kind = divergence_kind(*pair)
        if kind is None:
            continue
        out.append({
            "control_id": f.control_id, "title": f.title, "severity": f.severity.value,
            "self_status": f.self_status.value, "self_note": f.self_note,
            "status": f.status.value, "note": f.note, "kind": kind,
            "_rank": (DIVERGENCE_RANK.get(pair, 9 if kind == "underclaimed" else 8),
                      f.severity.rank, f.control_id),
        })
    out.sort(key=lambda d: d.pop("_rank"))
    return out


def action_kind(f: Finding) -> str | None:
    """What kind of action a finding needs: every gap and partial, and a critical control
    claimed or unverified; None when it needs none."""
    status = f.status
    if status is _GAP or status is _PARTIAL:
        return status.value
    if f.severity is _CRITICAL:
        if status is _UNVERIFIED:
            return "unverified"
        if status is _MET and f.claimed:
            return CLAIMED
    return None


def sentence(text: str) -> str:
    """``text`` to follow a colon: its first letter lower-cased unless it starts an acronym."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def action_text(f: Finding, kind: str) -> str:
    """What to do: the remediation; for a control not shown, first the evidence to give."""
    if kind in ("gap", "partial"):
        return f.remediation
    evidence = sentence(f.evidence_needed.strip()) or "a record a checker could look at."
    return f"Provide the evidence: {evidence} If it is not in place: {sentence(f.remediation)}"


def action_plan(findings: Iterable[Finding], as_of: dt.date, days: dict[str, int],
                audited_only: bool = False,
                memo: dict[Any, tuple[tuple[int, int], dict[str, Any]] | None] | None = None,
                text: bool = True) -> list[dict[str, Any]]:
    """Every finding that needs an action, worst first, with its owner and due date.

    ``audited_only`` (spot audits): a control the auditor has not reached yet is the
    auditor's next step, not the scheme's action; the report lists it as not yet audited.
    ``memo`` keeps the action of each finding that cites no rows (by ``id``: a register's
    schemes share those Finding objects, and so their actions), and of each finding that
    does by what the action reads of it (``_ACTS_ON``: not the rows it cites).
    ``text=False`` leaves out each action's control text, as ``without_text``.
    """
    ranked = []
    for order, f in enumerate(findings):
        if memo is None:
            action = _action(f, as_of, days, text)
        else:
            key: Any = _ACTS_ON(f) if f.citations else id(f)
            action = memo.get(key, _UNSEEN)
            if action is _UNSEEN:
                action = memo[key] = _action(f, as_of, days, text)
        if action is None or (audited_only and not_audited(f)):
            continue
        ranked.append((action[0], order, action[1]))
    ranked.sort(key=lambda item: item[:2])
    return [item for *_, item in ranked]


_UNSEEN: Any = object()  # not in the memo yet (None there: the finding needs no action)
# what ``_action`` reads of a finding (its title, remediation and evidence needed are its
# control's, named by its id)
_ACTS_ON = attrgetter("control_id", "status", "severity", "claimed", "owner")


def _action(f: Finding, as_of: dt.date, days: dict[str, int], text: bool = True
            ) -> tuple[tuple[int, int], dict[str, Any]] | None:
    """The action ``f`` needs and where it ranks (severity, kind), or None for none."""
    kind = action_kind(f)
    if kind is None:
        return None
    due = as_of + dt.timedelta(days=days[f.severity.value])
    action = {
        "control_id": f.control_id, "title": f.title, "severity": f.severity.value,
        "status": kind, "action": action_text(f, kind),
        "evidence_needed": f.evidence_needed, "owner": f.owner, "due": due.isoformat(),
    }
    return (f.severity.rank, ACTION_KINDS.index(kind)), action if text else without_text(action)


def asked(findings: Iterable[Finding]) -> list[Finding]:
    """The findings of controls the profile makes applicable: the ones a walk asks."""
    return [f for f in findings
            if not (f.status is _NA and f.source == "profile")]


def in_scope(findings: Iterable[Finding]) -> dict[str, Any]:
    """How many controls the profile makes applicable, and which of them an answer or the
    register then found not applicable.

    Coverage leaves both kinds of "not applicable" out; saying the first number too makes
    the report agree with the walk's "n of N".
    """
    items = asked(findings)
    return {"controls": len(items),
            "found_not_applicable": [f.control_id for f in items
                                     if f.status is _NA]}


def not_audited(f: Finding) -> bool:
    """A spot audit's finding for a control the auditor has not answered yet."""
    return f.source == "audit" and not f.answered


def audit_progress(findings: Iterable[Finding]) -> dict[str, Any]:
    """Spot audits: how many of the controls in scope the auditor has answered so far."""
    items = asked(findings)
    left = [f.control_id for f in items if not_audited(f)]
    return {"audited": len(items) - len(left), "controls": len(items), "not_audited": left}


def scheme_dict(
    r: SchemeResult, detail: bool = True, shared: dict[int, dict[str, Any]] | None = None,
    as_of: dt.date | None = None, days: dict[str, int] | None = None, text: bool = True,
    areas: dict[int, list[dict[str, Any]]] | None = None,
    actions: dict[Any, Any] | None = None,
) -> dict[str, Any]:
    """One scheme's result as plain data; ``detail=False`` leaves out findings and areas.

    With ``as_of`` and ``days`` (action_due_days) it carries the action plan.
    ``text=False`` (the JSON result) leaves each control's text out of its findings,
    actions and divergences: ``controls`` holds it once.

    ``shared`` memoises the dicts of findings that cite no rows: a register's schemes
    share those Finding objects, so each is turned into a dict once; ``actions`` does
    the same for their actions. ``areas`` holds area rows the force picture already
    worked out (by ``id`` of the scheme result).
    """
    out: dict[str, Any] = {
        "scheme_id": r.scheme_id,
        "scheme_name": r.scheme_name,
        "scheme_type": r.scheme_type,
        "profile": dict(r.profile),
        **score_dict(r.score),
        "open_gaps": dict(r.score.open_gaps),
        "expired_waivers": [w.as_dict() for w in r.expired_waivers],
    }
    if r.self_assessment is not None:
        out["self_assessment"] = r.self_assessment.as_dict()
        out["overclaims"] = overclaims(r.findings)
        out["coverage_sources"] = coverage_by_source(r.findings)
    if not detail:
        return out
    known = areas.pop(id(r), None) if areas is not None else None
    out["areas"] = known if known is not None else scheme_areas(r, {})
    out["in_scope"] = in_scope(r.findings)
    if as_of is not None and days:
        spot = r.self_score is not None and r.self_assessment is None
        out["actions"] = action_plan(r.findings, as_of, days, audited_only=spot, memo=actions,
                                     text=text)
    if shared is None:
        out["findings"] = [finding_dict(f, text) for f in r.findings]
    else:
        out["findings"] = [
            finding_dict(f, text) if f.citations
            else shared.get(id(f)) or shared.setdefault(id(f), finding_dict(f, text))
            for f in r.findings
        ]
    if r.self_score is not None:
        out["self_score"] = score_dict(r.self_score)
        out["checked_by"] = "register" if r.self_assessment is not None else "audit"
        if r.self_assessment is None:  # a spot audit: how far the auditor has got
            out["audit"] = audit_progress(r.findings)
        out["divergences"] = divergences(r.findings)
    if not text and "divergences" in out:  # the findings and actions were built without it
        out["divergences"] = [without_text(item) for item in out["divergences"]]
    return out


COMMON_GAPS_SHOWN = 20  # the controls most schemes fail, in the force picture
ROWS_PER_GROUP = 20  # data-quality rows named per group; all are in data_quality


def picture(report: Report, by_area: bool = True,
            memo: dict[int, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """The force picture of a batch run: what many schemes share, worked out once.

    The controls most schemes fail (critical first), overclaims by scheme, each area's
    ratings across schemes (``by_area``: it scores every area of every scheme), and
    data-quality issues grouped by what went wrong.
    """
    gaps: Counter[str] = Counter()
    titles: dict[str, Finding] = {}
    areas: dict[str, dict[str, Any]] = {}
    made: dict[int, tuple[Score, dict[str, Any]]] = {}  # see scheme_areas
    claims = []
    for scheme in report.schemes:
        failed = [f for f in scheme.findings if f.status is _GAP]
        ids = list(map(_CONTROL_ID, failed))
        gaps.update(ids)
        titles.update(zip(ids, failed, strict=True))  # title and severity: any will do
        # what a scheme said of itself is in its findings only beside its own score
        said = [f for f in scheme.findings if f.self_status is not None
                and (f.self_status.value, f.status.value) in DIVERGENCE_RANK
                ] if scheme.self_score is not None else []
        over = [f.control_id for f in sorted(said, key=lambda f: f.severity.rank)]
        if over:
            claims.append({"scheme_id": scheme.scheme_id, "scheme_name": scheme.scheme_name,
                           "count": len(over), "controls": over})
        rows = scheme_areas(scheme, made) if by_area else []
        if memo is not None and by_area:
            memo[id(scheme)] = rows  # each scheme's report shows the same rows
        for row in rows:
            tally = areas.setdefault(row["area"], {"area": row["area"], "title": row["title"],
                                                   "red": 0, "amber": 0, "green": 0})
            tally[row["rating"]] += 1
    common = sorted(gaps, key=lambda c: (titles[c].severity.rank, -gaps[c], c))
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for issue in report.data_quality:
        group = groups.setdefault((issue.table, issue.column, issue.problem), {
            "table": issue.table, "column": issue.column, "problem": issue.problem,
            "count": 0, "rows": []})
        group["count"] += 1
        if len(group["rows"]) < ROWS_PER_GROUP:
            group["rows"].append({"row": issue.row, "scheme_id": issue.scheme_id,
                                  "value": issue.value})
    return {
        "common_gaps": [{"control_id": c, "title": titles[c].title,
                         "severity": titles[c].severity.value, "schemes": gaps[c]}
                        for c in common[:COMMON_GAPS_SHOWN]],
        "overclaims": sorted(claims, key=lambda c: (-c["count"], c["scheme_id"])),
        "areas": list(areas.values()),
        "data_quality": sorted(groups.values(), key=lambda g: -g["count"]),
    }


def report_dict(report: Report, detail: bool = True, lazy: bool = False,
                marking: str = DEFAULT_MARKING, compact: bool = False) -> dict[str, Any]:
    """The whole report as plain data: the input of every renderer.

    ``marking`` is the protective marking every rendering carries (top, bottom, each
    printed page).

    ``detail=False`` gives each scheme's summary only, for a league table of thousands.
    ``lazy=True`` makes ``schemes`` an iterator that builds each scheme's dict as it is
    consumed (once), so a streaming renderer never holds every finding of a register.
    ``compact=True`` gives the JSON result: each control's text once, in ``controls``,
    and findings, actions and divergences that name their control by ``control_id``
    (the other renderers read the text beside each finding: ``compact=False``).
    """
    shared: dict[int, dict[str, Any]] = {}
    areas: dict[int, list[dict[str, Any]]] = {}  # once for the picture and each scheme
    as_of = dt.date.fromisoformat(report.as_of)
    actions: dict[Any, Any] = {}
    schemes = (scheme_dict(s, detail, shared, as_of, report.due_days, not compact, areas,
                           actions) for s in report.schemes)
    ratings = {"red": 0, "amber": 0, "green": 0}
    for s in report.schemes:
        ratings[s.score.rating.value] += 1
    # before any scheme's dict: the picture works out the area rows those dicts reuse
    force = picture(report, by_area=detail, memo=areas) if report.kind == "batch" else None
    return {
        "kind": report.kind,
        "marking": marking,
        "as_of": report.as_of,
        "generated_at": report.generated_at,
        "tool_version": report.tool_version,
        "formula": FORMULA,
        "action_due_days": dict(report.due_days),
        "checklists": list(report.checklists),
        "inputs": list(report.inputs),
        "meta": dict(report.meta),
        "summary": {"schemes": len(report.schemes), **ratings,
                    "unlisted_schemes": len(report.unlisted),
                    "data_quality_issues": len(report.data_quality)},
        **({"controls": controls_dict(report.schemes)} if compact else {}),
        "schemes": schemes if lazy else list(schemes),
        "data_quality": [d.as_dict() for d in report.data_quality],
        **({"unlisted_schemes": [u.as_dict() for u in report.unlisted],
            "picture": force} if force is not None else {}),
        **({"answers": report.answers} if report.answers is not None else {}),
    }


def json_result(data: dict[str, Any]) -> dict[str, Any]:
    """A report dict as the JSON result has it (what ``report_dict(..., compact=True)``
    gives): one built for the other renderers is cut down here, its schemes read once."""
    if "controls" in data:
        return data
    schemes = list(data["schemes"])
    controls: dict[str, dict[str, Any]] = {}
    for scheme in schemes:
        for f in scheme.get("findings", ()):
            if f["control_id"] not in controls:
                controls[f["control_id"]] = {k: f[k] for k in CONTROL_FIELDS}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "schemes":  # the controls first: what the schemes refer to
            out["controls"] = controls
            value = [{**s, **{k: [without_text(item) for item in s[k]] for k in TEXT_KEYS
                              if k in s}} for s in schemes]
        out[key] = value
    return out


def sections(scheme: dict[str, Any]) -> list[dict[str, Any]]:
    """A scheme's findings grouped for reading: gaps first, each group worst first."""
    rank = {s.value: Severity(s).rank for s in Severity}
    grouped: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in SECTION_ORDER}
    for f in scheme["findings"]:  # met on a bare yes is claimed, not met
        status = f["status"]
        grouped[CLAIMED if status == "met" and f["claimed"] else status].append(f)
    out = []
    for key, title in SECTION_ORDER:
        items = grouped[key]
        if key not in ("met", "not_applicable"):
            items.sort(key=lambda f: (rank[f["severity"]], f["control_id"]))
        out.append({"status": key, "title": title, "findings": items})
    return out


def league(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Schemes worst first: red before amber before green, then by score (unscored last)."""
    order = {"red": 0, "amber": 1, "green": 2}

    def key(s: dict[str, Any]) -> tuple[int, float, str]:
        score = s["score"] if s["score"] is not None else 101.0
        return order[s["rating"]], score, s["scheme_id"]

    return sorted(report["schemes"], key=key)
