"""The walk: ask the scheme profile, then every applicable control, saving after each answer.

All terminal input and output goes through a ``Prompter`` (``prompter.py`` holds the real
one, tests use a fake), so this module imports neither click nor rich. The answers file
is saved atomically after every answer, so stopping at any moment (``s``, Ctrl-C, a closed
terminal, ``kill -9``, input running out) loses at most the question on screen, and
running the same command again carries on at the first unanswered control.

On a terminal answers are single keys and a bad key gets a hint. When input is piped,
each answer is one line and a line that is not an answer is an input error naming the
question: a script must never loop on a re-prompt.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from youthscheme_audit.answers import (
    AnswerRecord,
    AnswersFile,
    AnswersLock,
    load_answers,
    now,
    parse_answer,
    slug,
)
from youthscheme_audit.catalog import (
    Catalog,
    Control,
    ProfileField,
    age_problem,
    parse_profile_value,
)
from youthscheme_audit.engine import not_applicable_reason
from youthscheme_audit.errors import AnswersError, AuditError
from youthscheme_audit.models import Answer, Finding, Mode, Severity, Status, shown


class Prompter(Protocol):
    """The only way the walk talks to a person.

    ``interactive`` is True on a terminal (single keys, notes asked, hints on bad input)
    and False when input is piped (one line per answer). ``key`` and ``line`` raise
    EOFError when input runs out.
    """

    interactive: bool

    def show(self, text: str = "", style: str = "") -> None:
        """Print ``text`` (plain, never markup); ``style`` is a name like 'question' or 'hint'."""

    def key(self, prompt: str, allowed: str) -> str:
        """One answer: the key pressed on a terminal ('' for Enter), else one line."""

    def line(self, prompt: str, default: str = "") -> str:
        """A line of text; Enter gives ``default``."""


KEY_ANSWERS = {"y": Answer.YES, "n": Answer.NO, "p": Answer.PARTIAL, "a": Answer.NA,
               "d": Answer.UNKNOWN}
HELP, BACK, STOP, KEEP = "help", "back", "stop", "keep"
COMMANDS = {"?": HELP, "h": HELP, "help": HELP, "b": BACK, "back": BACK, "s": STOP,
            "stop": STOP, "save": STOP}
CONTROL_KEYS = "ynpad?hbs"
# one line at 80 columns (79 characters): the answer keys, then the commands
LEGEND = "y yes  n no  p partly  a not applicable  d don't know  · ? help  b back  s stop"
LINE_LEGEND = ("One answer per line: y, n, p, a (not applicable), d (don't know); "
               "? for help, b to go back, s to stop. Add a reference or reason after a colon: "
               "'y: DBS log 2026-10', 'a: no trips this year', and after n or p "
               "'n: note | evidence | owner'.")
NOTE_ANSWERS = (Answer.NO, Answer.PARTIAL)
# after no or partly: one line for the three things, any of them left out
GAP_HINT = "What is missing | what would show it | who will act (Enter skips)"
GAP_PROMPT = "note | evidence | owner > "
# product.md, "Evidence and trust": a yes is evidenced, a not applicable explained
EVIDENCE_ASKED = frozenset({Severity.CRITICAL, Severity.HIGH})
EVIDENCE_PROMPT = ("Evidence reference: what a checker could look at (a document, record or "
                   "date). Enter skips; the control then stays claimed > ")
REASON_PROMPT = "Why does it not apply? > "
MAX_CITED = 5  # register rows shown per control in a spot audit
PROFILE_HEADING = "About the scheme"
INTRO = {
    Mode.SELF: "Self-assessment: a few questions about the scheme, then each control that "
               "applies to it. Every answer is saved as you go.",
    Mode.SPOT: "Spot audit: for each control you see the scheme's own answer (and what the "
               "register shows); record what you verified. Every answer is saved as you go.",
}


@dataclass(frozen=True)
class Outcome:
    """How a walk ended: ``finished``, ``stopped`` (s) or ``input_ended`` (EOF)."""

    status: str
    answered: int
    total: int

    @property
    def finished(self) -> bool:
        return self.status == "finished"


@dataclass
class WalkRequest:
    """What the command line asked for, before anything is read or asked."""

    answers_path: Path | None = None
    presets: dict[str, Any] = field(default_factory=dict)
    assessor: str | None = None
    review: bool = False
    as_of: str = ""
    mode: Mode = Mode.SELF
    self_path: Path | None = None  # spot audits: the scheme's own answers file
    registers: tuple[Path, ...] = ()
    sample_seed: int | None = None
    divergent_first: bool = False  # spot audits: disagreements and flagged controls first


def split_gap_line(text: str) -> tuple[str, str, str]:
    """'note | evidence | owner' (any part may be blank or left off) as its three parts."""
    parts = [part.strip() for part in text.split("|", 2)]
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def join_gap_line(note: str, evidence: str, owner: str) -> str:
    """The three parts as one 'note | evidence | owner' line (trailing blanks left off)."""
    parts = [note, evidence, owner]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def split_line(text: str) -> tuple[str, str]:
    """A piped answer line and what follows its colon: 'y: DBS log' -> ('y', 'DBS log')."""
    head, sep, rest = text.partition(":")
    if sep and isinstance(read_action(head), Answer):
        return head, rest.strip()
    return text, ""


def read_action(text: str) -> Answer | str | None:
    """A key or line as an answer, a command (help, back, stop, keep) or None if neither."""
    text = text.strip().casefold()
    if not text:
        return KEEP
    if text in KEY_ANSWERS:
        return KEY_ANSWERS[text]
    if text in COMMANDS:
        return COMMANDS[text]
    try:
        return parse_answer(text)
    except AnswersError:
        return None


def default_answers_path(scheme_name: str) -> Path:
    """Where a walk saves when --answers is not given: ./<slug>.answers.yaml."""
    return Path(f"{slug(scheme_name)}.answers.yaml")


def default_audit_path(self_path: Path) -> Path:
    """Where a spot audit saves by default: <self stem>.audit.yaml beside the self file."""
    stem = self_path.stem.removesuffix(".answers") or "scheme"
    return self_path.parent / f"{stem}.audit.yaml"


def parse_presets(catalog: Catalog, sets: Iterable[str], scheme_name: str | None = None,
                  ) -> dict[str, Any]:
    """``--set FIELD=VALUE`` options as profile values; AuditError names what is allowed."""
    allowed = ", ".join(f.name for f in catalog.profile)
    out: dict[str, Any] = {}
    if scheme_name:
        out["scheme_name"] = scheme_name.strip()
    for item in sets:
        name, sep, value = item.partition("=")
        pfield = catalog.field(name.strip())
        if not sep or pfield is None:
            raise AuditError(f"--set {item}: expected FIELD=VALUE with FIELD one of {allowed}")
        try:
            out[pfield.name] = parse_profile_value(pfield, value) if value.strip() else None
        except ValueError as exc:
            raise AuditError(f"--set {item}: {exc}") from None
    problem = age_problem(catalog, out)
    if problem:
        raise AuditError(f"--set: {problem}")
    return out


def choice_value(pfield: ProfileField, text: str) -> Any:
    """A profile answer: a choice's number or value, yes/no, a number or text."""
    raw = text.strip()
    names = list(pfield.choices)
    if pfield.type == "choice" and raw.isdigit() and 1 <= int(raw) <= len(names):
        return names[int(raw) - 1]
    return parse_profile_value(pfield, raw)


class Interview:
    """One walk over one answers file: profile, assessor, then the applicable controls."""

    def __init__(
        self,
        catalog: Catalog,
        answers: AnswersFile,
        path: Path,
        prompter: Prompter,
        *,
        fixed: Iterable[str] = (),
        assessor_given: bool = False,
        review: bool = False,
        own: AnswersFile | None = None,
        evidence: Mapping[str, Finding] | None = None,
        divergent_first: bool = False,
    ) -> None:
        self.catalog = catalog
        self.answers = answers
        self.path = path
        self.p = prompter
        self.fixed = set(fixed)
        self.assessor_given = assessor_given
        self.review = review
        self.own = own  # spot audits: the scheme's self-assessment
        self.evidence = evidence or {}  # spot audits: what the register says per control
        self.divergent_first = divergent_first
        self.shown_area = ""  # the heading last shown, so each is shown once per run

    # --- the walk ------------------------------------------------------------------

    def run(self) -> Outcome:
        """Ask everything still to ask; return how it ended (the file is saved throughout)."""
        try:
            self.ask_profile()
            self.ask_assessor()
            self.plan()
            return self.ask_controls()
        except EOFError:
            answered, total = self.progress()
            return Outcome("input_ended", answered, total)

    def questions(self) -> list[Control]:
        """The controls this scheme's profile makes applicable, in walk order.

        The same rule (``not_applicable_reason``) decides what a report counts, so the
        walk's "n of N" and the report's controls in scope agree. With
        ``divergent_first`` a spot audit takes disagreements first, then what the
        register flags, then the rest, each group in checklist order.
        """
        profile = self.answers.profile
        qs = [c for c in self.catalog.ordered() if not_applicable_reason(c, profile) is None]
        if self.divergent_first:
            qs.sort(key=self.audit_priority)
        return qs

    def audit_priority(self, control: Control) -> int:
        """0 where the scheme's answer and the register disagree, 1 where the register
        flags something (a gap, or rows it could not check), 2 otherwise."""
        found = self.evidence.get(control.id)
        if found is None:
            return 2
        theirs = self.own.answers.get(control.id) if self.own is not None else None
        if theirs is not None and disagree(theirs.answer.status, found.status):
            return 0
        return 1 if found.status is Status.GAP or found.citations else 2

    def progress(self) -> tuple[int, int]:
        """(answered, total) over the applicable controls."""
        qs = self.questions()
        return sum(c.id in self.answers.answers for c in qs), len(qs)

    def save(self) -> None:
        self.answers.save(self.path)

    def stop_message(self, why: str) -> str:
        """What was kept and how to carry on, after a stop before the end."""
        answered, total = self.progress()
        return (f"{why}: {answered} of {total} answered, saved in {self.path}. "
                "Run the same command again to carry on.")

    def plan(self) -> None:
        """Record why each control that will not be asked does not apply."""
        profile = self.answers.profile
        self.answers.skipped = {
            c.id: reason for c in self.catalog.ordered()
            if (reason := not_applicable_reason(c, profile)) is not None
        }
        self.save()

    # --- profile and assessor --------------------------------------------------------

    def ask_profile(self) -> None:
        """Ask each profile field not given by an option (and, in review, the ones answered)."""
        todo = [f for f in self.catalog.profile if f.name not in self.fixed
                and (self.review or f.name not in self.answers.profile)]
        if not todo:
            return
        if self.shown_area != PROFILE_HEADING:
            self.p.show(PROFILE_HEADING, "area")
            self.shown_area = PROFILE_HEADING
        for pfield in todo:
            current = self.answers.profile.get(pfield.name)
            while True:
                value = ask_field(self.p, pfield, current)
                problem = age_problem(self.catalog, {**self.answers.profile, pfield.name: value})
                if not problem:
                    break
                if not self.p.interactive:  # a script never loops on a re-prompt
                    raise AuditError(problem, where="walk input")
                self.p.show(f"{problem}; answer again.", "hint")
            self.answers.profile[pfield.name] = value
            self.save()

    def ask_assessor(self) -> None:
        """Ask who is answering: once, before the first answer (and again in review)."""
        asked = bool(self.answers.assessor or self.answers.answers)
        if self.assessor_given or (asked and not self.review):
            return
        self.p.show()
        who = "auditor" if self.answers.mode is Mode.SPOT else "assessor"
        self.answers.assessor = self.p.line(f"Your name ({who}; Enter skips) > ",
                                            self.answers.assessor).strip()
        self.save()

    # --- controls ---------------------------------------------------------------------

    def ask_controls(self) -> Outcome:
        qs = self.questions()
        answered, total = self.progress()
        start = 0 if self.review else next(
            (i for i, c in enumerate(qs) if c.id not in self.answers.answers), len(qs))
        if start == len(qs) and not self.review:
            self.p.show(f"All {total} applicable controls are answered "
                        "(use --review to go through them again).", "ok")
            return Outcome("finished", answered, total)
        if answered and not self.review:
            self.p.show()
            self.p.show(f"Resuming: {answered} of {total} answered.", "ok")
        elif self.review:
            self.p.show()
            self.p.show(f"Reviewing {total} controls ({answered} answered): "
                        "Enter keeps the current answer.", "ok")
        if self.divergent_first:
            self.p.show(self.order_message(qs), "ok")
        if not self.p.interactive:
            self.p.show(LINE_LEGEND, "dim")
        i = start
        while i < len(qs):
            action = self.ask_control(qs, i)
            if action == STOP:
                answered, total = self.progress()
                return Outcome("stopped", answered, total)
            i = i - 1 if action == BACK else next(  # the next open control (any, reviewing)
                (j for j in range(i + 1, len(qs))
                 if self.review or qs[j].id not in self.answers.answers), len(qs))
        answered, total = self.progress()
        return Outcome("finished", answered, total)

    def order_message(self, qs: list[Control]) -> str:
        """How a divergent-first audit is ordered, in numbers."""
        counts = [0, 0, 0]
        for control in qs:
            counts[self.audit_priority(control)] += 1
        return (f"Divergent first: {counts[0]} where the scheme's answer and the register "
                f"disagree, then {counts[1]} the register flags, then the other {counts[2]}.")

    def ask_control(self, qs: list[Control], i: int) -> str:
        """Ask one control; return 'next', BACK or STOP."""
        control = qs[i]
        current = self.answers.answers.get(control.id)
        self.show_question(qs, i, current)
        while True:
            raw = self.p.key("> ", CONTROL_KEYS)
            raw, extra = (raw, "") if self.p.interactive else split_line(raw)
            action = read_action(raw)
            if action == HELP:
                self.show_help(control)
            elif action == BACK:
                if i > 0:
                    return BACK
                self.p.show("This is the first question.", "hint")
            elif action == STOP:
                return STOP
            elif action == KEEP and current is not None:
                self.p.show(f"Kept: {current.answer.label}", "dim")
                return "next"
            elif isinstance(action, Answer):
                if self.record(control, action, current, extra):
                    return "next"
            elif not self.p.interactive:
                raise AuditError(
                    f"{'no answer' if action == KEEP else repr(raw.strip())} is not an answer "
                    "(use one line per control: y, n, p, a for not applicable, d for don't know)",
                    where=control.id)
            elif action == KEEP:
                self.p.show("Press a key: y, n, p, a or d (? for help).", "hint")
            else:
                what = f"'{raw}'" if raw.isprintable() else "That key"
                self.p.show(f"{what} is not an answer: press y, n, p, a or d "
                            "(? for help, s to save and stop).", "hint")

    def show_question(self, qs: list[Control], i: int, current: AnswerRecord | None) -> None:
        control = qs[i]
        in_area = [c for c in qs if c.area == control.area]
        if control.area != self.shown_area:
            self.p.show(control.area_title, "area")
            self.shown_area = control.area
        else:
            self.p.show()
        self.p.show(f"{control.id} · {control.area_title} {in_area.index(control) + 1} of "
                    f"{len(in_area)} · overall {i + 1} of {len(qs)} · "
                    f"{control.severity.value}", "progress")
        self.p.show(control.question, "question")
        if self.answers.mode is Mode.SPOT:
            self.show_spot_evidence(control)
        if current is not None:
            self.p.show(f"Current answer: {describe(current)} (Enter keeps it)", "dim")
        if self.p.interactive:
            self.p.show(LEGEND, "legend")

    def show_help(self, control: Control) -> None:
        parts = [("Why it matters", control.why), ("Help", control.help),
                 ("What would show it", control.evidence),
                 ("Sources", "; ".join(control.sources))]
        for title, text in parts:
            if text:
                self.p.show(labelled(title, text), "help")

    def show_spot_evidence(self, control: Control) -> None:
        """Spot audits: the scheme's own answer and what the register says."""
        theirs = self.own.answers.get(control.id) if self.own is not None else None
        if self.own is not None:
            said = describe(theirs) if theirs else "not answered"
            self.p.show(labelled("Scheme's own answer", said), "spot")
        found = self.evidence.get(control.id)
        if found is not None:
            self.p.show(labelled("Register", f"{found.status.value}: {found.reason}"), "spot")
            if theirs is not None and disagree(theirs.answer.status, found.status):
                self.p.show(f"The scheme's answer ({theirs.answer.label}) and the register "
                            f"({found.status.value}) disagree.", "divergent")
            for c in found.citations[:MAX_CITED]:
                self.p.show(labelled("", c.message), "spot")
            if len(found.citations) > MAX_CITED:
                self.p.show(labelled("", f"... and {len(found.citations) - MAX_CITED} more "
                                         "rows"), "spot")

    def record(self, control: Control, answer: Answer, current: AnswerRecord | None,
               extra: str = "") -> bool:
        """Save the answer at once with what it needs; False when it cannot be taken yet.

        A "yes" on a critical or high control is followed by its evidence reference, a
        "not applicable" by its reason (required on critical and high), a "no" or
        "partly" by one line 'note | evidence | owner'. Piped, they come after a colon
        on the same line.
        """
        same = current is not None and current.answer is answer
        note = current.note if same and current else ""
        evidence = current.evidence if same and current else ""
        owner = current.owner if current else ""  # who acts stays when the answer changes
        needs_reason = answer is Answer.NA and control.severity in EVIDENCE_ASKED
        if not self.p.interactive:
            if answer is Answer.YES:
                evidence = extra or evidence
            elif answer in NOTE_ANSWERS and extra:
                note, evidence, owner = split_gap_line(extra)
            else:
                note = extra or note
            if needs_reason and not note:
                raise AuditError(
                    f"not applicable needs a reason on a {control.severity.value} control: "
                    "answer on one line as 'a: <why it does not apply>'", where=control.id)
            self._save(control, AnswerRecord(answer, note, evidence, owner, now()))
            return True
        if answer is Answer.NA:
            note = self.p.line(REASON_PROMPT if needs_reason else
                               "Why does it not apply? (without a reason it counts as "
                               "unverified; Enter skips) > ", note).strip()
            if needs_reason and not note:
                self.p.show(f"A {control.severity.value} control needs a reason to be marked "
                            "not applicable; answer again.", "hint")
                return False
        rec = AnswerRecord(answer, note, evidence, owner, now())
        self._save(control, rec)
        if answer is Answer.YES and control.severity in EVIDENCE_ASKED:
            evidence = self.p.line(EVIDENCE_PROMPT, evidence).strip()
        elif answer in NOTE_ANSWERS:
            self.p.show(GAP_HINT, "dim")
            given = join_gap_line(note, evidence, owner)
            if given:
                self.p.show(f"Current: {given} (Enter keeps it)", "dim")
            note, evidence, owner = split_gap_line(self.p.line(GAP_PROMPT, given))
        if (note, evidence, owner) != (rec.note, rec.evidence, rec.owner):
            self._save(control, AnswerRecord(answer, note, evidence, owner, rec.answered_at))
        claimed = answer is Answer.YES and control.severity in EVIDENCE_ASKED and not evidence
        self.p.show(f"Saved: {answer.label}" + (" (claimed: no evidence reference)" if claimed
                                                 else "")
                    + (f", owner {owner}" if owner else ""), "dim")
        return True

    def _save(self, control: Control, record: AnswerRecord) -> None:
        self.answers.answers[control.id] = record
        self.save()


def ask_field(p: Prompter, pfield: ProfileField, current: Any = None, required: bool = False,
              ) -> Any:
    """One profile question; bad input gets a hint (terminal) or is an error (piped)."""
    p.show()
    p.show(pfield.question, "question")
    for n, label in enumerate(pfield.choices.values(), 1):
        p.show(labelled(str(n), label), "choice")
    default = shown(current)
    if default:
        p.show(f"Current: {default} (Enter keeps it)", "dim")
    keys, press = field_keys(pfield)
    while True:
        if keys:
            raw = p.key(f"{press}{', ? help' if pfield.help else ''} > ", keys + "?h").strip()
        else:
            raw = p.line("> ", "").strip()
        if raw == "?" or (keys and raw.casefold() == "h"):
            p.show(pfield.help or "No more help for this question.", "help")
        elif not raw and default:
            return current
        elif not raw and not required and not keys:
            return None  # text and numbers may be left blank: unknown
        else:
            try:
                if not raw:
                    raise ValueError(f"{pfield.label} needs an answer")
                return choice_value(pfield, raw)
            except ValueError as exc:
                if not p.interactive:
                    raise AuditError(f"{exc} (or give it with --set {pfield.name}=VALUE)",
                                     where="walk input") from None
                if not keys:
                    p.show(f"{exc}.", "hint")
                else:
                    what = f"'{raw}' is" if raw.isprintable() else "That key is"
                    p.show(f"{what} not one of the choices: press {press}." if raw
                           else f"Press {press}.", "hint")


def field_keys(pfield: ProfileField) -> tuple[str, str]:
    """The single keys that answer a field ('' when it takes a typed line), and in words."""
    if pfield.type == "bool":
        return "yn", "y or n"
    if pfield.type == "choice" and len(pfield.choices) <= 9:
        return "".join(str(n) for n in range(1, len(pfield.choices) + 1)), \
            f"1-{len(pfield.choices)}"
    return "", ""


def labelled(label: str, text: str) -> str:
    """A label and its text; a prompter may lay these out as two columns."""
    return f"{label}\t{text}"


def describe(rec: AnswerRecord) -> str:
    """An answer with its note, evidence and owner, on one line."""
    text = rec.answer.label
    if rec.note:
        text += f"; note: {rec.note}"
    if rec.evidence:
        text += f"; evidence: {rec.evidence}"
    if rec.owner:
        text += f"; owner: {rec.owner}"
    return text


# the statuses an answer or a register gives that say something either way
_DECIDED = frozenset({Status.MET, Status.PARTIAL, Status.GAP})


def disagree(theirs: Status, register: Status) -> bool:
    """Whether a scheme's answer and what the register found say different things
    (both decided: met, partly met or gap)."""
    return theirs in _DECIDED and register in _DECIDED and theirs is not register


# --- opening a walk ----------------------------------------------------------------------


def open_walk(catalog: Catalog, prompter: Prompter, request: WalkRequest) -> Interview:
    """Find or create the answers file (asking the scheme name if the path needs it)."""
    presets = dict(request.presets)
    own = None
    path = request.answers_path
    heading = ""
    if request.mode is Mode.SPOT:
        own, path = _spot_sources(catalog, request)
    prompter.show(INTRO[request.mode], "dim")
    if path is None:
        name = presets.get("scheme_name")
        pfield = catalog.field("scheme_name")
        if not name and pfield is not None:
            prompter.show(PROFILE_HEADING, "area")
            heading = PROFILE_HEADING
            name = presets["scheme_name"] = ask_field(prompter, pfield, required=True)
        path = default_answers_path(str(name or "scheme"))
    answers = _load_or_new(catalog, path, request, own)
    try:
        answers.profile.update(presets)
        answers.checklists = catalog.versions()
        if request.assessor is not None:
            answers.assessor = request.assessor
        if request.as_of:
            answers.as_of = request.as_of
        prompter.show(f"Answers are saved to {path} after every answer.", "dim")
        interview = Interview(
            catalog, answers, path, prompter, fixed=presets, review=request.review,
            assessor_given=request.assessor is not None, own=own,
            divergent_first=request.divergent_first,
        )
        interview.shown_area = heading
        interview.save()
    except BaseException:
        answers.release()
        raise
    return interview


def _spot_sources(catalog: Catalog, request: WalkRequest) -> tuple[AnswersFile, Path]:
    """The self-assessment a spot audit checks, and the audit file's path."""
    if request.self_path is None:
        raise AuditError("--mode spot needs --self SELF_ANSWERS (the scheme's own answers file)")
    own = load_answers(request.self_path, catalog)
    if own.mode is not Mode.SELF:
        raise AnswersError("this is a spot audit, not a self-assessment: give the scheme's "
                           "own answers file to --self", request.self_path)
    path = request.answers_path or default_audit_path(request.self_path)
    if path.resolve() == request.self_path.resolve():
        raise AuditError(f"{path}: the audit must be saved apart from the self-assessment "
                         "(give another --answers file)")
    return own, path


def _load_or_new(catalog: Catalog, path: Path, request: WalkRequest,
                 own: AnswersFile | None) -> AnswersFile:
    """Lock the answers file, then load it to resume (refusing a bad one untouched) or start
    a new one; the lock is the walk's until ``answers.release()``."""
    lock = AnswersLock.take(path)  # a second walk on the same file is refused here
    try:
        answers = _read_or_start(catalog, path, request, own)
    except BaseException:
        lock.release()
        raise
    answers.hold(lock)
    return answers


def _read_or_start(catalog: Catalog, path: Path, request: WalkRequest,
                   own: AnswersFile | None) -> AnswersFile:
    """The answers file to resume, or a new one (remembered as not yet on disk)."""
    if path.exists():
        answers = load_answers(path, catalog)
        if answers.mode is not request.mode:
            raise AnswersError(f"this is a {answers.mode.value} answers file, not a "
                               f"{request.mode.value} one: give another --answers file", path)
    else:
        answers = AnswersFile(mode=request.mode)
        answers.track(path)
        if own is not None:
            answers.profile = dict(own.profile)
    if request.mode is Mode.SPOT and request.self_path is not None:
        answers.self_assessment = _relative(request.self_path, path)
        if request.registers:
            answers.register = ", ".join(_relative(r, path) for r in request.registers)
        if request.sample_seed is not None:
            answers.sample_seed = request.sample_seed
    return answers


def _relative(target: Path, answers_path: Path) -> str:
    """``target`` as a path relative to the answers file's directory."""
    base = answers_path.resolve().parent
    return Path(os.path.relpath(target.resolve(), base)).as_posix()
