"""Scoring policy (product.md): findings -> score, coverage and rating. Pure functions.

* weights: critical 10, high 5, medium 2, low 1;
* score = 100 x (weights met + half the weights partial) / weights of controls that are
  met, partial or gap. Waived gaps leave the denominator; ``score_without_waivers``
  counts them as gaps. No met, partial or gap control at all: the score is undefined
  (``None``), and an undefined score is never green;
* coverage = share of applicable controls (all but not_applicable) that are not unverified;
* rating: red if any critical gap or score < 60; else amber if any high gap, score < 85,
  coverage < 75, or any critical control not shown (claimed on a bare "yes", or
  unverified) or only partly met; else green. A critical gap caps the rating at red
  whatever the score; a scheme cannot rate green on claims alone.

Score and coverage are rounded to one decimal place *before* the rating is decided, so
the rating always agrees with the numbers a report prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import NamedTuple, Protocol

from youthscheme_audit.models import WEIGHTS, Rating, Score, Severity, Status


class Marked(Protocol):
    """What scoring reads of a finding (a Finding, or just these four)."""

    @property
    def control_id(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def claimed(self) -> bool: ...


class Mark(NamedTuple):
    """The four things scoring reads of a finding, on their own."""

    control_id: str
    status: Status
    severity: Severity
    claimed: bool


STATUSES = tuple(status.value for status in Status)
SEVERITIES = tuple(severity.value for severity in Severity)
_STATUS_SEVERITY = attrgetter("status", "severity")
# enum members looked up once: `Status.GAP` inside a loop costs a class-attribute lookup
# per finding (about 200 ns on Python 3.11), which is most of rating 20,000 schemes
_GAP, _CRITICAL, _HIGH = Status.GAP, Severity.CRITICAL, Severity.HIGH
_UNVERIFIED, _PARTIAL = Status.UNVERIFIED, Status.PARTIAL
RED_BELOW = 60.0
AMBER_BELOW = 85.0
COVERAGE_BELOW = 75.0

FORMULA = (
    "score = 100 x (weights met + half the weights partial) / weights met, partial or gap "
    "(critical 10, high 5, medium 2, low 1; waived gaps excluded); coverage = applicable "
    "controls not unverified / applicable controls; red if any critical gap or score < 60, "
    "amber if any high gap, score < 85, coverage < 75 or a critical control not shown "
    "(claimed without evidence, unverified) or only partly met, otherwise green"
)


def _percent(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def tally(
    findings: Iterable[Marked],
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Controls and weights per status, and open gaps per severity, in one pass."""
    counts = dict.fromkeys(STATUSES, 0)
    weights = dict.fromkeys(STATUSES, 0)
    gaps = dict.fromkeys(SEVERITIES, 0)
    # count (status, severity) pairs in C, then fold the few distinct pairs
    for (status, severity), n in Counter(map(_STATUS_SEVERITY, findings)).items():
        counts[status] += n
        weights[status] += n * WEIGHTS[severity]
        if status == "gap":
            gaps[severity] += n
    return counts, weights, gaps


def score_value(weights: dict[str, int], waived_as_gap: bool = False) -> float | None:
    """The weighted score, or None when no control is met, partial or gap."""
    gap = weights["gap"] + (weights["waived"] if waived_as_gap else 0)
    denominator = weights["met"] + weights["partial"] + gap
    return _percent(weights["met"] + weights["partial"] / 2, denominator)


def coverage_value(counts: dict[str, int]) -> float | None:
    """Share of applicable controls that are evidenced, or None when none apply."""
    applicable = sum(counts.values()) - counts["not_applicable"]
    return _percent(applicable - counts["unverified"], applicable)


class Named(NamedTuple):
    """The controls a rating names: critical and high gaps, and the critical controls
    claimed on a bare yes, unverified, or only partly met (each in checklist order)."""

    critical: Sequence[str]
    high: Sequence[str]
    claimed: Sequence[str]
    unshown: Sequence[str]
    partly: Sequence[str]


def named(findings: Iterable[Marked]) -> Named:
    """What a rating names, from a scheme's findings."""
    items = list(findings)
    gaps = [f for f in items if f.status is _GAP]
    vital = [f for f in items if f.severity is _CRITICAL]
    return Named(
        critical=[f.control_id for f in gaps if f.severity is _CRITICAL],
        high=[f.control_id for f in gaps if f.severity is _HIGH],
        claimed=[f.control_id for f in vital if f.claimed],
        unshown=[f.control_id for f in vital if f.status is _UNVERIFIED],
        partly=[f.control_id for f in vital if f.status is _PARTIAL],
    )


def rate(
    findings: Iterable[Marked], score: float | None, coverage: float | None
) -> tuple[Rating, tuple[str, ...]]:
    """The rating and every reason that pulls it below green."""
    return rating(named(findings), score, coverage)


def rating(
    names: Named, score: float | None, coverage: float | None
) -> tuple[Rating, tuple[str, ...]]:
    """The rating and every reason that pulls it below green, from what it names."""
    critical, high, claimed, unshown, partly = names
    red: list[str] = []
    amber: list[str] = []
    if critical:
        red.append(f"critical gap: {', '.join(critical)} (a critical gap always rates red)")
    if score is not None and score < RED_BELOW:
        red.append(f"score {score:.1f} is below {RED_BELOW:.0f}")
    if high:
        amber.append(f"high gap: {', '.join(high)}")
    if score is None:
        amber.append("no control is evidenced as met, partial or gap, so there is no score")
    elif RED_BELOW <= score < AMBER_BELOW:
        amber.append(f"score {score:.1f} is below {AMBER_BELOW:.0f}")
    if coverage is not None and coverage < COVERAGE_BELOW:
        amber.append(f"coverage {coverage:.1f}% is below {COVERAGE_BELOW:.0f}%")
    if claimed or unshown:
        parts = [f"{what} ({', '.join(ids)})" for what, ids in (
            ("claimed without evidence", claimed), ("unverified", unshown)) if ids]
        amber.append(f"critical controls not shown: {'; '.join(parts)}")
    if partly:
        amber.append(f"critical controls only partly met: {', '.join(partly)}")
    if red:
        return Rating.RED, tuple(red + amber)
    if amber:
        return Rating.AMBER, tuple(amber)
    return Rating.GREEN, ()


def score_findings(findings: Iterable[Marked]) -> Score:
    """Everything scoring says about one scheme's findings."""
    items = list(findings)
    return scored(*tally(items), named(items))


def scored(counts: dict[str, int], weights: dict[str, int], gaps: dict[str, int],
           names: Named) -> Score:
    """Everything scoring says about one scheme, from its tallies and what it names
    (``tally`` and ``named`` of its findings, or the same worked out for a whole
    register at once)."""
    score = score_value(weights)
    coverage = coverage_value(counts)
    rated, reasons = rating(names, score, coverage)
    return Score(
        score=score,
        score_without_waivers=score_value(weights, waived_as_gap=True),
        coverage=coverage,
        rating=rated,
        rating_reasons=reasons,
        counts=counts,
        weights=weights,
        open_gaps=gaps,
    )
