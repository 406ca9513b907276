"""One engine for every job: each control, for each scheme, becomes one Finding.

Evidence comes either from answers (a walk or a hand-written answers file) or from a
register's tables; applicability and waivers work the same way for both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from youthscheme_audit.answers import AnswerRecord
from youthscheme_audit.catalog import Catalog, Control
from youthscheme_audit.checks import Check, Context
from youthscheme_audit.checks.base import Tally, label
from youthscheme_audit.errors import RegisterError
from youthscheme_audit.models import (
    Answer,
    Citation,
    Finding,
    Progress,
    SchemeType,
    Score,
    Severity,
    Status,
    UnlistedScheme,
    Waiver,
    amended,
    shown,
)
from youthscheme_audit.registers import Register, Table, scheme_key
from youthscheme_audit.tables import TABLES
from youthscheme_audit.values import BLANK, Unknown
from youthscheme_audit.waivers import for_scheme, in_date

if TYPE_CHECKING:
    import polars as pl

    from youthscheme_audit.frames import Coded

KNOWN_IDS_SHOWN = 5  # in the error for a scheme id the register does not have
FOLDED_KEYS = 1 << 62  # explaining rows: combinations that fit one key (with the scope bit)
MAX_CITATIONS = 50  # per check and scheme; the reason says how many more there were
TYPE_WORDS = {  # (plural, singular with article)
    SchemeType.OFFICIAL: ("official VPC units", "an official VPC unit"),
    SchemeType.UNOFFICIAL: ("unofficial schemes", "an unofficial scheme"),
    SchemeType.FORCE: ("whole-force assessments", "a whole-force assessment"),
}


def not_applicable_reason(control: Control, profile: dict[str, Any]) -> str | None:
    """Why ``control`` does not apply to a scheme with this profile, or None if it does."""
    scheme_type = profile.get("scheme_type")
    if scheme_type is None:
        if not control.applies_to & {SchemeType.OFFICIAL, SchemeType.UNOFFICIAL}:
            return "applies to whole-force assessments only"
    elif scheme_type not in control.applies_to:
        kinds = " and ".join(TYPE_WORDS[t][0] for t in SchemeType if t in control.applies_to)
        return f"applies to {kinds} only; this is {TYPE_WORDS[SchemeType(scheme_type)][1]}"
    for condition in control.when:
        if condition.holds(profile) is False:
            # holds() is False only for a value the profile gives
            return (f"applies only when {condition.describe()} "
                    f"(this scheme: {shown(profile.get(condition.field))})")
    return None


def base_finding(control: Control, status: Status, reason: str, *, source: str,
                 **extra: Any) -> Finding:
    """A finding for ``control`` with the control's own text and what decided it."""
    return Finding(
        control_id=control.id, title=control.title, area=control.area,
        area_title=control.area_title, severity=control.severity, status=status,
        reason=reason, question=control.question, remediation=control.remediation,
        sources=control.sources, source_urls=tuple(c.source.url for c in control.citations),
        source=source, evidence_needed=control.evidence, **extra,
    )


EVIDENCE_ASKED = frozenset({Severity.CRITICAL, Severity.HIGH})  # a bare "yes" is a claim


def answered_finding(control: Control, record: AnswerRecord | None,
                     source: str = "self-assessment") -> Finding:
    """The finding an assessor's answer (or its absence) gives an applicable control.

    product.md, "Evidence and trust": "not applicable" needs a reason, else it is
    unverified; a "yes" on a critical or high control without an evidence reference is
    met but *claimed*, which keeps a scheme off green when the control is critical.
    """
    if record is None:
        return base_finding(control, Status.UNVERIFIED, "not answered yet", source=source)
    answer, claimed = record.answer, False
    status = answer.status
    if answer is Answer.NA:
        if record.note:
            reason = f"answered not applicable: {record.note}"
        else:
            status, reason = Status.UNVERIFIED, "marked not applicable without a reason"
    elif answer is Answer.YES:
        if record.evidence:
            reason = f"answered yes; evidence: {record.evidence}"
        elif control.severity in EVIDENCE_ASKED:
            claimed = True
            reason = "answered yes with no evidence reference: claimed, not shown"
        else:
            reason = "answered yes"
    else:
        reason = {Answer.NO: "answered no", Answer.PARTIAL: "answered partly",
                  Answer.UNKNOWN: "the assessor did not know"}[answer]
    evidence = tuple(x for x in (record.note, record.evidence) if x)
    return base_finding(
        control, status, reason, evidence=evidence, note=record.note,
        answered_at=record.answered_at, source=source, claimed=claimed, answered=True,
        owner=record.owner,
    )


def evaluate_answers(
    catalog: Catalog, profile: dict[str, Any], answers: dict[str, AnswerRecord],
    source: str = "self-assessment",
) -> list[Finding]:
    """Findings for every control from a profile and an assessor's answers."""
    findings = []
    for control in catalog.ordered():
        reason = not_applicable_reason(control, profile)
        if reason is not None:
            findings.append(base_finding(control, Status.NOT_APPLICABLE, reason,
                                         source="profile"))
        else:
            findings.append(answered_finding(control, answers.get(control.id), source))
    return findings


def apply_waivers(
    findings: Iterable[Finding], waivers: Iterable[Waiver], scheme_id: str, as_of: dt.date
) -> tuple[list[Finding], list[Waiver]]:
    """Turn gaps covered by an in-date waiver into ``waived``; also return expired waivers."""
    relevant = for_scheme(waivers, scheme_id)
    if not relevant:
        return list(findings), []
    by_control = {w.control_id: w for w in relevant if in_date(w, as_of)}
    expired = [w for w in relevant if not in_date(w, as_of)]
    out = []
    for finding in findings:
        waiver = by_control.get(finding.control_id)
        if waiver is not None and finding.status is Status.GAP:
            finding = replace(
                finding, status=Status.WAIVED, waiver=waiver,
                reason=f"{finding.reason}; waived until {waiver.expires} "
                       f"(approved by {waiver.approved_by})",
            )
        out.append(finding)
    return out, expired


def with_self_assessment(audit: Iterable[Finding], own: Iterable[Finding]) -> list[Finding]:
    """Audit findings annotated with what the scheme said about the same control."""
    theirs = {f.control_id: f for f in own}
    return [
        replace(f, self_status=theirs[f.control_id].status, self_note=theirs[f.control_id].note)
        if f.control_id in theirs else f
        for f in audit
    ]


# a register finding reached from examined rows, which outweighs what a scheme says
_DECIDED = frozenset({Status.MET, Status.GAP, Status.NOT_APPLICABLE})
_VERDICTS = frozenset({Status.MET, Status.PARTIAL, Status.GAP})  # what can diverge


def with_answers(register: Iterable[Finding], own: Iterable[Finding]) -> list[Finding]:
    """One picture per scheme: register findings and the scheme's own answers together.

    Where the register examined rows and reached a verdict it decides, with the scheme's
    verdict kept beside it (so a disagreement is a divergence, an overclaim when the
    scheme said met and the rows show a gap); everywhere else the scheme's own answer
    counts, marked self-assessed. A register reason is kept over an answer that says
    nothing (unanswered or don't know).
    """
    theirs = {f.control_id: f for f in own}
    out = []
    for f in register:
        answer = theirs.get(f.control_id)
        if answer is None or f.source == "profile" or answer.source == "profile":
            out.append(f)
        elif f.source == "register" and f.status in _DECIDED:
            both = f.status in _VERDICTS and answer.status in _VERDICTS
            out.append(replace(f, self_status=answer.status, self_note=answer.note)
                       if both else f)
        elif answer.status is Status.UNVERIFIED and not answer.claimed:
            out.append(f)
        else:
            out.append(answer)
    return out


def as_stale(findings: Iterable[Finding], day: str) -> list[Finding]:
    """A stale self-assessment's findings: what it says is met is claimed, not current
    evidence, so a stale file can never keep a critical control shown."""
    note = f"; from a stale self-assessment ({day or 'undated'})"
    return [replace(f, claimed=True, reason=f.reason + note)
            if f.status is Status.MET and f.source != "profile" else f for f in findings]


# --- registers -----------------------------------------------------------------------


@dataclass(frozen=True)
class SchemeRow:
    """One scheme as the register's schemes table describes it."""

    scheme_id: str
    scheme_name: str
    profile: dict[str, Any]


def scheme_rows(register: Register, profile_fields: Iterable[str]) -> list[SchemeRow]:
    """Every scheme in the schemes table, with its profile (unknown values as None)."""
    table = register.tables["schemes"]
    ids = table.columns["scheme_id"]
    names = table.columns.get("scheme_name")
    fields = [f for f in profile_fields if f in table.columns]
    # each row's profile values, unknown ones as None (worked out column by column)
    known = [list(map(_known, table.columns[f])) for f in fields]
    rows = list(zip(*known, strict=True)) if known else [()] * table.nrows
    seen: set[str] = set()
    out = []
    for i in range(table.nrows):
        sid = ids[i]
        if isinstance(sid, Unknown) or scheme_key(sid) in seen:
            continue  # the reader notes the duplicate as a data-quality issue
        seen.add(scheme_key(sid))
        profile = dict(zip(fields, rows[i], strict=True))
        profile["scheme_id"] = sid
        name = _known(names[i]) if names is not None else None
        out.append(SchemeRow(sid, name or sid, profile))
    return out


def _known(value: Any) -> Any:
    return None if isinstance(value, Unknown) else value


Judgement = tuple[Status, str]  # one check's verdict for one scheme
# per profile: every finding it settles (the rest are placeholders) and (index, control)
# pairs that the register must judge for each scheme
Plan = tuple[list[Finding], list[tuple[int, Control]]]


def _group(sid: list[Any], rows: list[int]) -> dict[Any, list[int]]:
    """Row indices grouped by the scheme they belong to."""
    grouped: dict[Any, list[int]] = defaultdict(list)
    for i in rows:
        grouped[sid[i]].append(i)
    return grouped


@dataclass
class _CheckRun:
    """One register check run once over its whole table, counted per scheme."""

    check: Check
    table: Table | None  # None: the register has no such table
    absent: tuple[str, ...] = ()  # columns the check reads that the table lacks
    # when citing: scheme -> the failing rows, and the rows that cannot be checked
    fail_rows: dict[Any, list[int]] = field(default_factory=dict)
    unknown_rows: dict[Any, list[int]] = field(default_factory=dict)
    unsure: set[int] = field(default_factory=set)  # rows whose scope could not be told
    citing: bool = False
    # per scheme of the schemes table with rows here: pos (its position), rows, n, f, u
    tallies: pl.DataFrame | None = None

    def first_cited(self, ids: Iterable[Any] | None = None) -> dict[Any, list[int]]:
        """Scheme id -> the rows its finding cites, as many as MAX_CITATIONS of its failing
        rows, else of its rows that cannot be checked (``cited_rows``): for the schemes
        ``ids`` (by default every scheme with any), those that have some."""
        schemes = self.fail_rows.keys() | self.unknown_rows.keys() if ids is None else ids
        return {sid: rows[:MAX_CITATIONS] for sid in schemes if (rows := self.cited_rows(sid))}

    def explain(self, table: Table, rows: list[int], ctx: Context
                ) -> list[tuple[str, str, str, str]]:
        """``check.explain`` for each of ``rows``, saying so where a row's scope could not be
        told. A row's explanation depends only on its values in the columns the check reads
        and on that scope, so rows alike in both (the same codes: a code stands for one
        value) share one, worked out for the first of them on a view of the table at
        those first rows alone. The rows are told apart natively by one folded key."""
        import polars as pl

        from youthscheme_audit.frames import CODE

        read = [table.coded[c] for c in sorted(self.check.columns()) if c in table.coded]
        at = pl.Series(rows, dtype=CODE)
        unsure = [i in self.unsure for i in rows]
        if math.prod(max(len(c.values), 1) for c in read) < FOLDED_KEYS:
            key = pl.Series(unsure, dtype=pl.UInt64)
            for coded in read:
                key = key * max(len(coded.values), 1) + coded.codes.gather(at).cast(pl.UInt64)
        else:  # too many combinations for one 64-bit key: number the rows' code tuples
            tuples = zip(unsure, *(c.codes.gather(at).to_list() for c in read), strict=True)
            numbers: dict[tuple[Any, ...], int] = {}
            key = pl.Series([numbers.setdefault(t, len(numbers)) for t in tuples],
                            dtype=pl.UInt64)
        first = key.arg_unique()
        firsts = [rows[p] for p in first.to_list()]
        view = table.only(firsts)
        worded = [self._explain(view, i, ctx) for i in firsts]
        lookup = pl.DataFrame({"k": key.gather(first),
                               "j": pl.Series(range(len(firsts)), dtype=CODE)})
        which = key.to_frame("k").join(lookup, on="k", how="left", maintain_order="left")
        return [worded[j] for j in which["j"].to_list()]

    def _explain(self, view: Table, i: int, ctx: Context) -> tuple[str, str, str, str]:
        """``check.explain`` for row ``i``, saying so when its scope could not be told."""
        column, value, threshold, message = self.check.explain(view, i, ctx)
        if i in self.unsure:
            message = (f"cannot tell whether the rule applies "
                       f"({self.check.where.explain(view, i)}), and the row does not "
                       f"pass it: {message}")
        return column, value, threshold, message

    def __post_init__(self) -> None:
        # the reasons that do not depend on the scheme: built once
        table = self.check.table
        names = " and ".join(label(table, c) for c in self.absent)
        self.note = (f" (the {table.replace('_', ' ')} table has no {names} "
                     f"column{'s' if len(self.absent) > 1 else ''})" if self.absent else "")
        self.default: Judgement = (
            (Status.UNVERIFIED, f"the register has no {table.replace('_', ' ')} table")
            if self.table is None else self._word(Tally(0, 0, 0, 0))
        )

    def _word(self, tally: Tally) -> Judgement:
        status, reason = self.check.verdict(tally)
        more = (f" (first {MAX_CITATIONS} listed)"
                if self.citing and max(tally.fail, tally.unknown) > MAX_CITATIONS else "")
        return status, reason + more + self.note

    def judged(self, nschemes: int) -> Coded:
        """Every scheme's verdict, by position in the schemes table: a code per scheme
        and the judgements (code 0: ``default``, a scheme with no rows in the table).

        Built for all schemes at once: each distinct set of counts is worded once.
        """
        import polars as pl

        from youthscheme_audit.frames import CODE, Coded

        codes = pl.repeat(0, nschemes, dtype=CODE, eager=True)
        if self.tallies is None or not self.tallies.height:
            return Coded(codes, [self.default])
        counts = ["rows", "n", "f", "u"]
        distinct = self.tallies.select(counts).unique()
        worded = [self.default] + [self._word(Tally(rows, n, fail, unknown))
                                   for rows, n, fail, unknown in distinct.iter_rows()]
        lookup = distinct.with_columns(pl.Series("j", range(1, len(worded)), dtype=CODE))
        found = self.tallies.join(lookup, on=counts, how="left")
        return Coded(codes.scatter(found["pos"], found["j"]), worded)

    def considered(self, position: int) -> int:
        """How many rows of the scheme at ``position`` are in scope."""
        if self.tallies is None:
            return 0
        import polars as pl

        found = self.tallies.filter(pl.col("pos") == position)["n"]
        return int(found[0]) if len(found) else 0

    def cited_rows(self, scheme_id: Any) -> list[int]:
        """The rows a finding cites for this check: the failing ones, else the unknown."""
        return self.fail_rows.get(scheme_id) or self.unknown_rows.get(scheme_id) or []


# several checks of one control: the worst status decides, a check that does not arise
# (not applicable) gives way to one that does
_STATUS_ORDER = {Status.GAP: 0, Status.UNVERIFIED: 1, Status.MET: 2, Status.NOT_APPLICABLE: 3}


def _combined(judgements: Iterable[Judgement]) -> Judgement:
    """Several checks of one control: the worst status, with the reasons that decided it."""
    items = list(judgements)
    status = min((s for s, _ in items), key=_STATUS_ORDER.__getitem__)
    arising = [r for s, r in items if s is not Status.NOT_APPLICABLE] or [r for _, r in items]
    return status, "; ".join(arising)


_MESSAGE = attrgetter("message")
_MET = Status.MET
_NONE: tuple[tuple[Citation, ...], tuple[str, ...]] = ((), ())


class RegisterEvaluator:
    """Runs every register check once over the whole register, then answers per scheme."""

    def __init__(
        self, catalog: Catalog, register: Register, as_of: dt.date, show_names: bool = False,
        cite: bool = True, progress: Progress | None = None,
    ) -> None:
        self.catalog = catalog
        self.register = register
        self.show_names = show_names
        self.cite = cite  # False: counts and reasons only (a league table needs no rows)
        self.schemes = scheme_rows(register, [f.name for f in catalog.profile])
        self.ctx = Context(as_of, {s.scheme_id: s.profile for s in self.schemes})
        # findings without cited rows repeat across schemes: build each one once
        self._shared: dict[tuple[str, Status, str], Finding] = {}
        self._plans: dict[tuple[Any, ...], Plan] = {}
        self._verdicts: dict[str, list[Finding]] = {}  # control -> finding by position
        # control -> a code per scheme (by position) and the finding each code stands for
        self._judged: dict[str, tuple[Any, list[Finding]]] = {}
        self._position = {s.scheme_id: n for n, s in enumerate(self.schemes)}
        self._records: dict[str, dict[int, str]] = {}  # table -> cited rows' records
        # run -> scheme id -> its citations (and their messages)
        self._citations: dict[int, dict[Any, tuple[tuple[Citation, ...], tuple[str, ...]]]] = {}
        self._profile_fields = sorted({
            c.field for control in catalog.ordered() for c in control.when
        } | {"scheme_type"})  # the profile fields applicability depends on
        checked = [c for c in catalog.ordered() if c.register]
        checks = [check for control in checked for check in control.register]
        runs = {id(check): _CheckRun(check, None) for check in checks
                if check.table not in register.tables}
        by_table: dict[str, list[Check]] = defaultdict(list)
        for check in checks:
            if check.table in register.tables:
                by_table[check.table].append(check)
        for n, (name, table_checks) in enumerate(by_table.items()):
            if progress is not None:
                progress("checking controls", n, len(by_table))
            runs.update(self._run_table(register.tables[name], table_checks))
        self.runs: dict[str, list[_CheckRun]] = {
            control.id: [runs[id(check)] for check in control.register] for control in checked}

    def _run_table(self, table: Table, checks: list[Check]) -> dict[int, _CheckRun]:
        """Every check of one table: row outcomes per check, then one group-by per scheme."""
        import polars as pl

        from youthscheme_audit.checks.base import FAIL, OPEN, SKIP, UNSURE
        from youthscheme_audit.frames import recoded, rows_where

        outcomes = [check.outcomes(table, self.ctx) for check in checks]
        scheme = recoded(table.coded["scheme_id"], lambda v: v)  # one code per scheme id
        frame = pl.DataFrame({"s": scheme.codes,
                              **{f"c{k}": codes for k, codes in enumerate(outcomes)}})
        counts = frame.group_by("s").agg(
            pl.len().alias("rows"),
            *(expr for k in range(len(checks)) for expr in (
                (pl.col(f"c{k}") != SKIP).sum().alias(f"n{k}"),
                (pl.col(f"c{k}") == FAIL).sum().alias(f"f{k}"),
                (pl.col(f"c{k}") >= OPEN).sum().alias(f"u{k}"))))
        ids = [scheme.values[code] for code in counts["s"].to_list()]
        position = [self._position.get(i) if isinstance(i, str) else None for i in ids]
        listed = counts.with_columns(pl.Series("pos", position, dtype=pl.UInt32)).drop_nulls(
            "pos")

        sid = table.columns["scheme_id"] if self.cite else []
        out = {}
        for k, check in enumerate(checks):
            absent = tuple(sorted(c for c in check.columns() if c not in table.columns))
            run = _CheckRun(check, table, absent, citing=self.cite, tallies=listed.select(
                                "pos", "rows", n=f"n{k}", f=f"f{k}", u=f"u{k}"))
            if self.cite:
                codes = outcomes[k]
                run.fail_rows = _group(sid, rows_where(codes, FAIL))
                run.unknown_rows = _group(sid, rows_where(codes, OPEN, UNSURE))
                run.unsure = set(rows_where(codes, UNSURE))
            out[id(check)] = run
        return out

    def scheme(self, scheme_id: str, where: str | None = None) -> SchemeRow:
        """The scheme called ``scheme_id``; a RegisterError naming a few known ids otherwise."""
        for scheme in self.schemes:
            if scheme.scheme_id == scheme_id:
                return scheme
        ids = [s.scheme_id for s in self.schemes]
        shown = ", ".join(ids[:KNOWN_IDS_SHOWN]) or "none"
        more = f" and {len(ids) - KNOWN_IDS_SHOWN} more" if len(ids) > KNOWN_IDS_SHOWN else ""
        raise RegisterError(f"scheme '{scheme_id}' is not in the schemes table "
                            f"(known ids: {shown}{more})", where)

    def flagged_rows(
        self, control_id: str, scheme_id: str, table: Table
    ) -> list[tuple[int, Check, Status]]:
        """(row, check, gap or unverified) for every row a control fails or cannot check.

        Findings cite at most MAX_CITATIONS rows per check; this lists them all. A check
        that can judge none of the scheme's rows because the table lacks a column it reads
        flags none of them: they are all open for one register-wide reason, which a sample
        of records does not settle (the finding says so).
        """
        out: list[tuple[int, Check, Status]] = []
        for run in self.runs.get(control_id, ()):
            if run.table is not table:
                continue
            flagged = [(run.fail_rows, Status.GAP)]
            unknown = run.unknown_rows.get(scheme_id, ())
            if not run.absent or len(unknown) < run.considered(self._position[scheme_id]):
                flagged.append((run.unknown_rows, Status.UNVERIFIED))
            for grouped, status in flagged:
                out += [(i, run.check, status) for i in grouped.get(scheme_id, ())]
        return out

    def findings(self, scheme: SchemeRow) -> list[Finding]:
        """Findings for every control for one scheme of the register."""
        return self.every_finding([scheme])[0]

    def every_finding(self, schemes: Sequence[SchemeRow] | None = None) -> list[list[Finding]]:
        """The findings of each scheme (all of them by default), in the order given.

        Worked out a control at a time for each group of schemes that share a plan:
        one column of findings per control, then turned into rows in C.
        """
        schemes = self.schemes if schemes is None else schemes
        whole = schemes is self.schemes  # every scheme: cite each check's rows in one pass
        groups: dict[int, tuple[Plan, list[int]]] = {}
        plans = self._scheme_plans if whole else [self._plan(s.profile) for s in schemes]
        for pos, plan in enumerate(plans):
            groups.setdefault(id(plan), (plan, []))[1].append(pos)
        out: list[list[Finding]] = [[] for _ in schemes]
        for (ready, to_judge), members in groups.values():
            ids = [schemes[pos].scheme_id for pos in members]
            where = list(map(self._position.__getitem__, ids))
            columns = [[finding] * len(ids) for finding in ready]
            for index, control in to_judge:
                judged = self._verdicts.get(control.id) or self._judge_all(control)
                columns[index] = list(map(judged.__getitem__, where))
            rows = [list(row) for row in zip(*columns, strict=True)]
            for pos, row in zip(members, rows, strict=True):
                out[pos] = row
            if self.cite:  # a finding that is not met cites the rows behind it
                for index, control in to_judge:
                    self._with_citations(control, index, rows, ids, whole)
        self._forget_citing()
        return out

    def _forget_citing(self) -> None:
        """Drop what citing kept for speed (citations, record ids): the findings hold
        what they cite, and the memory is wanted for writing the reports."""
        self._records.clear()
        self._citations.clear()

    @cached_property
    def _scheme_plans(self) -> list[Plan]:
        """Each scheme's plan, by position (worked out once for scores and findings)."""
        return [self._plan(scheme.profile) for scheme in self.schemes]

    def _plan(self, profile: dict[str, Any]) -> Plan:
        """The findings a profile settles (placeholders elsewhere) and the controls to judge.

        Applicability depends only on the profile, and thousands of schemes share a
        handful of profiles, so each distinct profile is planned once.
        """
        key = tuple(map(profile.get, self._profile_fields))
        plan = self._plans.get(key)
        if plan is None:
            ready: list[Finding] = []
            to_judge: list[tuple[int, Control]] = []
            for index, control in enumerate(self.catalog.ordered()):
                reason = not_applicable_reason(control, profile)
                if reason is not None:
                    ready.append(self._shared_finding(control, Status.NOT_APPLICABLE, reason,
                                                      "profile"))
                    continue
                if control.id in self.runs:
                    to_judge.append((index, control))
                ready.append(self._shared_finding(
                    control, Status.UNVERIFIED,
                    "the register cannot evidence this control; answer it in a walk",
                ))
            plan = self._plans[key] = (ready, to_judge)
        return plan

    def _shared_finding(self, control: Control, status: Status, reason: str,
                        source: str = "register") -> Finding:
        key = (control.id, status, reason)
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = base_finding(control, status, reason, source=source)
        return found

    def _judge_all(self, control: Control) -> list[Finding]:
        """Every scheme's finding for one control (without cited rows), by position.

        Worked out for all schemes at once, natively: each check's verdict per scheme is
        a code, and each distinct combination of the checks' codes is combined and
        turned into a finding once (findings without cited rows are shared objects); a
        control with one check takes its verdicts as they are.
        """
        from youthscheme_audit.frames import CODE, per_combination

        runs = self.runs[control.id]
        nschemes = len(self.schemes)
        coded = [run.judged(nschemes) for run in runs]
        findings: list[Finding] = []

        def judge(judgements: tuple[Judgement, ...]) -> int:
            findings.append(self._shared_finding(control, *_combined(judgements)))
            return len(findings) - 1

        if len(runs) == 1:  # most controls: one check, whose verdicts are the findings
            (only,) = coded
            codes = only.codes
            findings += [self._shared_finding(control, *j) for j in only.values]
        else:
            codes = per_combination(coded, nschemes, judge, dtype=CODE)
        self._judged[control.id] = (codes, findings)
        column = self._verdicts[control.id] = list(map(findings.__getitem__, codes.to_list()))
        return column

    def scores(self) -> list[Score]:
        """Every scheme's Score (by position) from its findings without cited rows, worked
        out for all schemes at once (``scoreframe``): what ``score_findings`` gives for
        each scheme's ``every_finding``."""
        from youthscheme_audit.scoreframe import scores

        return scores(self._codes, self.catalog.ordered(), len(self.schemes))

    def area_scores(self) -> list[tuple[tuple[str, str, Score], ...]]:
        """Every scheme's areas with their scores (by position), worked out for all
        schemes at once: what ``report.area_rows`` scores of each scheme's findings."""
        from youthscheme_audit.scoreframe import area_scores

        return area_scores(self._codes, self.catalog.ordered(), len(self.schemes))

    @cached_property
    def _codes(self) -> pl.DataFrame:
        """The scheme x control frame of codes (``scoreframe.code_of`` each finding,
        without cited rows): column ``k{k}`` for the k-th control in checklist order."""
        import polars as pl

        from youthscheme_audit.scoreframe import code_of

        plans: dict[int, int] = {}
        listed: list[Plan] = []
        of_scheme = []
        for plan in self._scheme_plans:
            if id(plan) not in plans:
                plans[id(plan)] = len(listed)
                listed.append(plan)
            of_scheme.append(plans[id(plan)])
        # one column of codes per control, all in one select: a control's code comes from
        # the scheme's plan, or from its verdict where the plan has the register judge it
        judged_at = [{index for index, _ in to_judge} for _, to_judge in listed]
        inputs = {"plan": pl.Series(of_scheme, dtype=pl.UInt32)}
        by_plan = pl.col("plan")
        columns = []
        for k, control in enumerate(self.catalog.ordered()):
            column = pl.lit(pl.Series([code_of(ready[k]) for ready, _ in listed],
                                      dtype=pl.UInt8)).gather(by_plan)
            judging = [k in at for at in judged_at]
            if any(judging):
                if control.id not in self._judged:
                    self._judge_all(control)
                codes, findings = self._judged[control.id]
                inputs[f"j{k}"] = codes
                verdict = pl.lit(pl.Series(list(map(code_of, findings)), dtype=pl.UInt8))
                column = pl.when(pl.lit(pl.Series(judging)).gather(by_plan)).then(
                    verdict.gather(pl.col(f"j{k}"))).otherwise(column)
            columns.append(column.alias(f"k{k}"))
        return pl.DataFrame(inputs).select(columns)

    def _with_citations(self, control: Control, index: int, rows: list[list[Finding]],
                        ids: list[Any], whole: bool) -> None:
        """Give each finding of ``control`` (at ``index`` of each scheme's row) that is not
        met the rows behind it, as many as MAX_CITATIONS per check."""
        cited = [self._cited(run, None if whole else ids) for run in self.runs[control.id]
                 if run.table is not None]
        for row, sid in zip(rows, ids, strict=True):
            finding = row[index]
            if finding.status is _MET:
                continue
            if len(cited) == 1:  # most controls: one check, its tuples as they are (0.2 s)
                citations, evidence = cited[0].get(sid, _NONE)
            else:
                parts = [by_scheme.get(sid, _NONE) for by_scheme in cited]
                citations = tuple(c for part, _ in parts for c in part)
                evidence = tuple(e for _, part in parts for e in part)
            if citations:
                row[index] = amended(finding, citations=citations, evidence=evidence)

    def _cited(self, run: _CheckRun, ids: list[Any] | None
               ) -> dict[Any, tuple[tuple[Citation, ...], tuple[str, ...]]]:
        """Scheme id -> the citations of its rows the check cites (``cited_rows``, as many
        as MAX_CITATIONS) and their messages, for the schemes ``ids``. For every scheme
        (``None``), the citations of all the rows the check cites are made in one pass,
        once; for a scheme or two (a spot audit), only theirs."""
        if ids is None and id(run) in self._citations:
            return self._citations[id(run)]
        firsts = run.first_cited(ids)
        made = self._citations_of(run, sorted(i for rows in firsts.values() for i in rows))
        out = {}
        for sid, rows in firsts.items():
            citations = tuple(map(made.__getitem__, rows))
            out[sid] = (citations, tuple(map(_MESSAGE, citations)))
        if ids is None:
            self._citations[id(run)] = out
        return out

    def _citations_of(self, run: _CheckRun, rows: list[int]) -> dict[int, Citation]:
        """Row -> its Citation, for each of ``rows``, in their order."""
        assert run.table is not None
        table = run.table
        records = self._records_for(table, rows)
        key = TABLES[table.name].key
        noun = key.replace("_id", "") if key else ""
        out = {}
        explained = run.explain(table, rows, self.ctx)
        name, first = table.name, table.row_number(0)
        for i, (column, value, threshold, message) in zip(rows, explained, strict=True):
            record = records[i]
            who = f"{noun} {record}" if record and noun else name
            row = first + i
            # by position (table, row, record, column, value, threshold, message): a frozen
            # dataclass takes keywords at nearly twice the cost, over 400,000 citations
            out[i] = Citation(name, row, record, column, value, threshold,
                              f"{who} (row {row}): {message}")
        return out

    def _records_for(self, table: Table, rows: list[int]) -> dict[int, str]:
        """Row -> record for ``rows`` (and any read before), e.g. "P-1 (Ann)": its table's
        id and, with show_names, the name. Read in one batch for the rows not read yet
        (those columns are parsed per cell, never built whole)."""
        known = self._records.setdefault(table.name, {})
        spec = TABLES[table.name]
        rows = [i for i in rows if i not in known]
        keys = table.coded.get(spec.key) if spec.key else None
        names = table.coded.get("name") if self.show_names else None
        blank = [BLANK] * len(rows)
        for i, key, name in zip(rows, keys.values_at(rows) if keys is not None else blank,
                                names.values_at(rows) if names is not None else blank,
                                strict=True):
            record = "" if isinstance(key, Unknown) else str(key)
            if not isinstance(name, Unknown):
                record = f"{record} ({name})" if record else str(name)
            known[i] = record
        return known

    def unlisted(self) -> list[UnlistedScheme]:
        """Records in any table under a scheme id the schemes table does not list."""
        known = {s.scheme_id for s in self.schemes}
        found: dict[str, list[tuple[str, int, str]]] = {}
        for name, table in self.register.tables.items():
            if name == "schemes":
                continue
            spec = TABLES[name]
            keys = table.coded.get(spec.key) if spec.key else None
            ids = table.coded["scheme_id"]
            strange = ids.codes_where(lambda v: isinstance(v, str) and v not in known)
            for i in ids.rows_with(strange):
                key = keys.value_at(i) if keys is not None else ""
                found.setdefault(ids.value_at(i), []).append(
                    (name, table.row_number(i), key if isinstance(key, str) else ""))
        return [UnlistedScheme(sid, tuple(found[sid])) for sid in sorted(found)]

    def __iter__(self) -> Iterator[SchemeRow]:
        return iter(self.schemes)
