"""The vocabulary of the audit: closed sets as enums, records as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum as _StrEnum
from typing import Any

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"  # the protective marking a report carries by default
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(text: str) -> dt.date | None:
    """``text`` as a YYYY-MM-DD date, or None.

    Stricter than ``date.fromisoformat``, which on 3.11 also takes 20251231 and 2025-W01-1:
    files we write and document say YYYY-MM-DD, so that is all we read.
    """
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def shown(value: Any) -> str:
    """A value as a person reads it: yes or no for booleans, blank for None, else its text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


class StrEnum(_StrEnum):
    """A string enum that hashes as its value, in C: equal to its value, so hashed like it
    (Enum's own hash is a Python call, which was most of counting 2 million findings)."""

    __hash__ = str.__hash__


class Severity(StrEnum):
    """How bad a gap in a control is; decides its weight and the rating cap."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> int:
        """Scoring weight (product policy: 10 / 5 / 2 / 1)."""
        return WEIGHTS[self]

    @property
    def rank(self) -> int:
        """0 for critical up to 3 for low, for sorting worst first."""
        return RANKS[self]


WEIGHTS = {Severity.CRITICAL: 10, Severity.HIGH: 5, Severity.MEDIUM: 2, Severity.LOW: 1}
RANKS = {severity: rank for rank, severity in enumerate(Severity)}


class SchemeType(StrEnum):
    """Which kind of scheme a control applies to."""

    OFFICIAL = "official"
    UNOFFICIAL = "unofficial"
    FORCE = "force"


class Status(StrEnum):
    """The outcome of one control for one scheme."""

    MET = "met"
    PARTIAL = "partial"
    GAP = "gap"
    UNVERIFIED = "unverified"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


class Answer(StrEnum):
    """What an assessor can say about a control in a walk or answers file."""

    YES = "yes"
    NO = "no"
    PARTIAL = "partial"
    NA = "na"
    UNKNOWN = "unknown"

    @property
    def status(self) -> Status:
        """The status an answer gives a control."""
        return {
            "yes": Status.MET,
            "no": Status.GAP,
            "partial": Status.PARTIAL,
            "na": Status.NOT_APPLICABLE,
            "unknown": Status.UNVERIFIED,
        }[self.value]

    @property
    def label(self) -> str:
        """How the answer reads in a report."""
        return {
            "yes": "yes",
            "no": "no",
            "partial": "partly",
            "na": "not applicable",
            "unknown": "don't know",
        }[self.value]


class Mode(StrEnum):
    """Who produced an answers file: the scheme itself, or an auditor checking it."""

    SELF = "self"
    SPOT = "spot"


class Rating(StrEnum):
    """The RAG roll-up of a scheme."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


# how long jobs say how far they are: (step, done, total or None); the CLI draws it
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class Citation:
    """One register record behind a finding, in words a scheme lead can act on."""

    table: str
    row: int  # the row number as the spreadsheet shows it
    record: str  # person_id, activity_id ... or "" when the table has no key
    column: str
    value: str
    threshold: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "record": self.record,
            "column": self.column,
            "value": self.value,
            "threshold": self.threshold,
            "message": self.message,
        }


@dataclass(frozen=True)
class Waiver:
    """An approved, time-limited acceptance of a gap."""

    control_id: str
    scheme_id: str | None
    justification: str
    approved_by: str
    expires: str  # ISO date
    line: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "control_id": self.control_id,
            "scheme_id": self.scheme_id,
            "justification": self.justification,
            "approved_by": self.approved_by,
            "expires": self.expires,
        }


@dataclass(frozen=True)
class Finding:
    """The outcome of one control for one scheme, with everything a report shows."""

    control_id: str
    title: str
    area: str
    area_title: str
    severity: Severity
    status: Status
    reason: str
    question: str
    remediation: str
    sources: tuple[str, ...]
    evidence: tuple[str, ...] = ()  # what was seen: answer notes, evidence refs, row messages
    citations: tuple[Citation, ...] = ()
    note: str = ""
    answered_at: str = ""
    waiver: Waiver | None = None
    source_urls: tuple[str, ...] = ()  # beside sources: the public address, or ""
    source: str = ""  # what decided it: register, self-assessment, audit or profile
    claimed: bool = False  # met on a "yes" with no evidence reference: claimed, not shown
    answered: bool = False  # an assessor (or auditor) gave an answer for this control
    owner: str = ""  # who will act on it (the answer's owner:), for the action plan
    evidence_needed: str = ""  # the control's "what would show it", for the action plan
    # spot audits: what the scheme said about itself, beside what the auditor found
    self_status: Status | None = None
    self_note: str = ""

    @property
    def weight(self) -> int:
        return self.severity.weight

    @property
    def shown(self) -> bool:
        """Whether evidence (a reference, examined rows or a reason) backs the status."""
        return self.status is not Status.UNVERIFIED and not self.claimed


def amended(finding: Finding, **changes: Any) -> Finding:
    """``dataclasses.replace`` for a field or two, without re-running ``__init__`` (a
    register cites rows in hundreds of thousands of findings: replace cost 18 us each)."""
    new = object.__new__(Finding)
    new.__dict__.update(finding.__dict__, **changes)
    return new


@dataclass(frozen=True)
class Score:
    """The numbers behind a scheme's rating, computed once by scoring.py."""

    score: float | None
    score_without_waivers: float | None
    coverage: float | None
    rating: Rating
    rating_reasons: tuple[str, ...]
    counts: dict[str, int]
    weights: dict[str, int]
    open_gaps: dict[str, int]  # gaps not waived, per severity


@dataclass(frozen=True)
class DataIssue:
    """A register value that could not be read, or a record that could not be used."""

    table: str
    row: int
    column: str
    value: str
    problem: str
    scheme_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "problem": self.problem,
            "scheme_id": self.scheme_id,
        }


@dataclass(frozen=True)
class UnlistedScheme:
    """Records under a scheme id the schemes table does not list: a "shadow" scheme."""

    scheme_id: str
    rows: tuple[tuple[str, int, str], ...]  # (table, spreadsheet row, record id or "")

    def as_dict(self) -> dict[str, Any]:
        tables: dict[str, int] = {}
        for table, _, _ in self.rows:
            tables[table] = tables.get(table, 0) + 1
        return {"scheme_id": self.scheme_id, "tables": tables,
                "rows": [{"table": t, "row": r, "record": k} for t, r, k in self.rows]}


@dataclass(frozen=True)
class SelfAssessment:
    """The answers file a batch score took a scheme's own answers from."""

    path: str
    date: str  # when it was last updated (YYYY-MM-DD), or ""
    age_days: int | None
    stale: bool  # older than the answers_max_age_days parameter

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "date": self.date, "age_days": self.age_days,
                "stale": self.stale}


@dataclass(frozen=True)
class SchemeResult:
    """Everything the report says about one scheme."""

    scheme_id: str
    scheme_name: str
    scheme_type: str
    profile: dict[str, Any]
    findings: tuple[Finding, ...]
    score: Score
    self_score: Score | None = None  # spot audits, batch with answers: the scheme's own score
    expired_waivers: tuple[Waiver, ...] = ()
    self_assessment: SelfAssessment | None = None  # batch runs with --answers
    # each area's id, title and score where they were worked out for a whole register at
    # once (None: the report scores the areas of ``findings``)
    areas: tuple[tuple[str, str, Score], ...] | None = None


@dataclass(frozen=True)
class Report:
    """One serialisable model that every renderer reads."""

    kind: str  # self, spot or batch
    as_of: str
    generated_at: str
    tool_version: str
    checklists: tuple[dict[str, Any], ...]
    schemes: tuple[SchemeResult, ...]
    data_quality: tuple[DataIssue, ...] = ()
    inputs: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    unlisted: tuple[UnlistedScheme, ...] = ()  # batch: records of schemes nobody lists
    answers: dict[str, Any] | None = None  # batch with --answers: which files matched
    due_days: dict[str, int] = field(default_factory=dict)  # action_due_days by severity
