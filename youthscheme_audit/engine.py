"""One engine for every job: each control, for each scheme, becomes one Finding.

Evidence comes either from answers (a walk or a hand-written answers file) or from a
register's tables; applicability and waivers work the same way for both.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import Any

from youthscheme_audit.answers import AnswerRecord
from youthscheme_audit.catalog import Catalog, Control
from youthscheme_audit.checks import Check, Context, Outcome
from youthscheme_audit.errors import RegisterError
from youthscheme_audit.models import (
    Answer,
    Citation,
    Finding,
    SchemeType,
    Status,
    Waiver,
    shown,
)
from youthscheme_audit.registers import Register, Table
from youthscheme_audit.tables import TABLES
from youthscheme_audit.values import Unknown
from youthscheme_audit.waivers import for_scheme, in_date

KNOWN_IDS_SHOWN = 5  # in the error for a scheme id the register does not have
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


def base_finding(control: Control, status: Status, reason: str, **extra: Any) -> Finding:
    """A finding for ``control`` with the control's own text filled in."""
    return Finding(
        control_id=control.id, title=control.title, area=control.area,
        area_title=control.area_title, severity=control.severity, status=status,
        reason=reason, question=control.question, remediation=control.remediation,
        sources=control.sources, **extra,
    )


def answered_finding(control: Control, record: AnswerRecord | None) -> Finding:
    """The finding an assessor's answer (or its absence) gives an applicable control."""
    if record is None:
        return base_finding(control, Status.UNVERIFIED, "not answered yet")
    answer = record.answer
    reason = {
        Answer.YES: "answered yes",
        Answer.NO: "answered no",
        Answer.PARTIAL: "answered partly",
        Answer.NA: "answered not applicable",
        Answer.UNKNOWN: "the assessor did not know",
    }[answer]
    if answer is Answer.NA and record.note:
        reason += f": {record.note}"
    evidence = tuple(x for x in (record.note, record.evidence) if x)
    return base_finding(
        control, answer.status, reason, evidence=evidence, note=record.note,
        answered_at=record.answered_at,
    )


def evaluate_answers(
    catalog: Catalog, profile: dict[str, Any], answers: dict[str, AnswerRecord]
) -> list[Finding]:
    """Findings for every control from a profile and an assessor's answers."""
    findings = []
    for control in catalog.ordered():
        reason = not_applicable_reason(control, profile)
        if reason is not None:
            findings.append(base_finding(control, Status.NOT_APPLICABLE, reason))
        else:
            findings.append(answered_finding(control, answers.get(control.id)))
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
    seen: set[str] = set()
    out = []
    for i in range(table.nrows):
        sid = ids[i]
        if isinstance(sid, Unknown) or sid in seen:
            continue
        seen.add(sid)
        profile = {f: _known(table.columns[f][i]) for f in fields}
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
    table: Table | None
    missing: str  # why it could not run ('' when it ran)
    fail: Counter[Any] = field(default_factory=Counter)  # scheme -> rows that fail
    unknown: Counter[Any] = field(default_factory=Counter)  # scheme -> rows not checkable
    considered: Counter[Any] = field(default_factory=Counter)  # scheme -> rows looked at
    rows: Counter[Any] = field(default_factory=Counter)  # scheme -> rows in the table
    # when citing: scheme -> the failing rows, and the rows that cannot be checked
    fail_rows: dict[Any, list[int]] = field(default_factory=dict)
    unknown_rows: dict[Any, list[int]] = field(default_factory=dict)
    citing: bool = False

    def __post_init__(self) -> None:
        # the rule in words, and the reasons that do not depend on the scheme: built once
        rule = self.check.describe()
        table = self.check.table
        self.rule = rule
        self.default: Judgement = (
            (Status.UNVERIFIED, self.missing) if self.missing
            else (Status.MET, f"no {table} rows for this scheme: {rule}")
            if self.check.EMPTY_MEANS_MET
            else (Status.UNVERIFIED, f"no {table} rows for this scheme")
        )

    def judgements(self) -> dict[Any, Judgement]:
        """The verdict for every scheme with rows in the table (others get ``default``).

        Built for all schemes at once: schemes whose rows all pass share one verdict,
        and a reason is worded once per distinct count.
        """
        table, rule = self.check.table, self.rule
        out: dict[Any, Judgement] = dict.fromkeys(
            self.rows, (Status.MET, f"no {table} rows this applies to: {rule}"))
        passes: Judgement = (Status.MET, f"every {table} row passes: {rule}")
        out.update(dict.fromkeys(self.considered, passes))
        more = f" (first {MAX_CITATIONS} listed)" if self.citing else ""
        for status, counts, what in ((Status.UNVERIFIED, self.unknown, "cannot be checked"),
                                     (Status.GAP, self.fail, "fail")):  # a failing row wins
            # (rows not passing, rows considered) per scheme, worded once per distinct pair
            keys = list(zip(counts.values(), map(self.considered.__getitem__, counts),
                            strict=True))
            worded = {(n, of): (status, f"{n} of {of} {table} rows {what}: {rule}"
                                        f"{more if n > MAX_CITATIONS else ''}")
                      for n, of in set(keys)}
            out.update(zip(counts, map(worded.__getitem__, keys), strict=True))
        return out

    def cited_rows(self, scheme_id: Any) -> list[int]:
        """The rows a finding cites for this check: the failing ones, else the unknown."""
        return self.fail_rows.get(scheme_id) or self.unknown_rows.get(scheme_id) or []


def _combined(judgements: Iterable[Judgement]) -> Judgement:
    """Several checks of one control: the worst status, every reason."""
    statuses, reasons = zip(*judgements, strict=True)
    status = (Status.GAP if Status.GAP in statuses
              else Status.UNVERIFIED if Status.UNVERIFIED in statuses else Status.MET)
    return status, "; ".join(reasons)


class RegisterEvaluator:
    """Runs every register check once over the whole register, then answers per scheme."""

    def __init__(
        self, catalog: Catalog, register: Register, as_of: dt.date, show_names: bool = False,
        cite: bool = True,
    ) -> None:
        self.catalog = catalog
        self.register = register
        self.show_names = show_names
        self.cite = cite  # False: counts and reasons only (a league table needs no rows)
        self.schemes = scheme_rows(register, [f.name for f in catalog.profile])
        self.ctx = Context(as_of, {s.scheme_id: s.profile for s in self.schemes})
        self._row_counts: dict[str, Counter[Any]] = {}
        # findings without cited rows repeat across schemes: build each one once
        self._shared: dict[tuple[str, Status, str], Finding] = {}
        self._plans: dict[tuple[Any, ...], Plan] = {}
        self._verdicts: dict[str, tuple[dict[Any, Finding], Finding]] = {}
        self._profile_fields = sorted({
            c.field for control in catalog.ordered() for c in control.when
        } | {"scheme_type"})  # the profile fields applicability depends on
        self.runs: dict[str, list[_CheckRun]] = {
            c.id: [self._run(check) for check in c.register]
            for c in catalog.ordered() if c.register
        }

    def _counts(self, table: Table) -> Counter[Any]:
        if table.name not in self._row_counts:
            self._row_counts[table.name] = Counter(table.columns["scheme_id"])
        return self._row_counts[table.name]

    def _run(self, check: Check) -> _CheckRun:
        table = self.register.tables.get(check.table)
        if table is None:
            return _CheckRun(check, None, f"the register has no {check.table} table")
        absent = sorted(c for c in check.columns() | {"scheme_id"} if c not in table.columns)
        if absent:
            return _CheckRun(check, table,
                             f"the {check.table} table has no {', '.join(absent)} column")
        outcome: Outcome = check.evaluate(table, self.ctx)
        sid = table.columns["scheme_id"]
        scheme_of = sid.__getitem__
        considered = (
            self._counts(table) if outcome.considered is None
            else Counter(map(scheme_of, outcome.considered))
        )
        run = _CheckRun(check, table, "", Counter(map(scheme_of, outcome.fail)),
                        Counter(map(scheme_of, outcome.unknown)), considered,
                        self._counts(table), citing=self.cite)
        if self.cite:
            run.fail_rows = _group(sid, outcome.fail)
            run.unknown_rows = _group(sid, outcome.unknown)
        return run

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

        Findings cite at most MAX_CITATIONS rows per check; this lists them all.
        """
        out: list[tuple[int, Check, Status]] = []
        for run in self.runs.get(control_id, ()):
            if run.missing or run.table is not table:
                continue
            for grouped, status in ((run.fail_rows, Status.GAP),
                                    (run.unknown_rows, Status.UNVERIFIED)):
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
        groups: dict[int, tuple[Plan, list[int]]] = {}
        for pos, scheme in enumerate(schemes):
            plan = self._plan(scheme.profile)
            groups.setdefault(id(plan), (plan, []))[1].append(pos)
        out: list[list[Finding]] = [[] for _ in schemes]
        for (ready, to_judge), members in groups.values():
            ids = [schemes[pos].scheme_id for pos in members]
            columns = [[finding] * len(ids) for finding in ready]
            for index, control in to_judge:
                by_scheme, default = self._verdicts.get(control.id) or self._judge_all(control)
                columns[index] = list(map(by_scheme.get, ids, repeat(default, len(ids))))
            for pos, sid, row in zip(members, ids, zip(*columns, strict=True), strict=True):
                out[pos] = list(row)
                if self.cite:
                    for index, control in to_judge:
                        if row[index].status is not Status.MET:
                            out[pos][index] = self._with_citations(control, sid, row[index])
        return out

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
                    ready.append(self._shared_finding(control, Status.NOT_APPLICABLE, reason))
                    continue
                if control.id in self.runs:
                    to_judge.append((index, control))
                ready.append(self._shared_finding(
                    control, Status.UNVERIFIED,
                    "the register cannot evidence this control; answer it in a walk",
                ))
            plan = self._plans[key] = (ready, to_judge)
        return plan

    def _shared_finding(self, control: Control, status: Status, reason: str) -> Finding:
        key = (control.id, status, reason)
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = base_finding(control, status, reason)
        return found

    def _judge_all(self, control: Control) -> tuple[dict[Any, Finding], Finding]:
        """Every scheme's finding for one control (without cited rows), and the default.

        Worked out for all schemes at once: a scheme's finding is then one dict lookup,
        and the few distinct findings are shared objects.
        """
        runs = self.runs[control.id]
        if len(runs) == 1:  # most controls have one check: no combining needed
            judged, default = runs[0].judgements(), runs[0].default
        else:
            each = [(run.judgements(), run.default) for run in runs]
            schemes = set().union(*(j for j, _ in each))
            judged = {s: _combined(j.get(s, d) for j, d in each) for s in schemes}
            default = _combined(d for _, d in each)
        finding = {j: self._shared_finding(control, *j) for j in {*judged.values(), default}}
        by_scheme = dict(zip(judged, map(finding.__getitem__, judged.values()), strict=True))
        result = self._verdicts[control.id] = (by_scheme, finding[default])
        return result

    def _with_citations(self, control: Control, scheme_id: Any, finding: Finding) -> Finding:
        """``finding`` with the rows behind it cited (as many as MAX_CITATIONS per check)."""
        cited = [c for run in self.runs[control.id] if not run.missing
                 for c in self._cite(run, run.cited_rows(scheme_id))]
        if not cited:
            return finding
        return replace(finding, citations=tuple(cited), evidence=tuple(c.message for c in cited))

    def _cite(self, run: _CheckRun, rows: list[int]) -> list[Citation]:
        if not self.cite:
            return []
        assert run.table is not None
        table = run.table
        spec = TABLES[table.name]
        keys = table.columns.get(spec.key) if spec.key else None
        names = table.columns.get("name") if self.show_names else None
        out = []
        for i in rows[:MAX_CITATIONS]:
            column, value, threshold, message = run.check.explain(table, i, self.ctx)
            record = str(keys[i]) if keys is not None and not isinstance(keys[i], Unknown) else ""
            if names is not None and not isinstance(names[i], Unknown):
                record = f"{record} ({names[i]})" if record else str(names[i])
            who = f"{spec.key.replace('_id', '')} {record}" if record and spec.key else table.name
            out.append(Citation(
                table=table.name, row=table.row_number(i), record=record, column=column,
                value=value, threshold=threshold,
                message=f"{who} (row {table.row_number(i)}): {message}",
            ))
        return out

    def __iter__(self) -> Iterator[SchemeRow]:
        return iter(self.schemes)
