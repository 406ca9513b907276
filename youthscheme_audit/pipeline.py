"""Library entry points: every job loads, collects evidence, evaluates, scores, reports.

The CLI only parses options and calls these; everything here is callable from Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from youthscheme_audit.answers import WORKBOOK_SUFFIXES, AnswersFile, load_answers, slug
from youthscheme_audit.catalog import Catalog
from youthscheme_audit.engine import (
    RegisterEvaluator,
    SchemeRow,
    apply_waivers,
    as_stale,
    evaluate_answers,
    with_answers,
    with_self_assessment,
)
from youthscheme_audit.errors import AnswersError
from youthscheme_audit.models import (
    Finding,
    Mode,
    Progress,
    Report,
    SchemeResult,
    SelfAssessment,
    Waiver,
)
from youthscheme_audit.registers import Register, scheme_key
from youthscheme_audit.report import build_report, scheme_result
from youthscheme_audit.tables import TABLES
from youthscheme_audit.waivers import for_scheme


def resolve_as_of(given: dt.date | None, answers: AnswersFile | None = None) -> dt.date:
    """The as-of date: the option, else the one the answers file records, else today."""
    if given is not None:
        return given
    if answers is not None and answers.as_of:
        return dt.date.fromisoformat(answers.as_of)
    return dt.date.today()


def scheme_label(answers: AnswersFile, path: Path) -> tuple[str, str]:
    """(scheme_id, scheme_name) for an answers file; without an id, a slug of the name."""
    name = str(answers.profile.get("scheme_name") or path.stem)
    return str(answers.profile.get("scheme_id") or slug(name)), name


def answers_result(
    catalog: Catalog, answers: AnswersFile, path: Path, as_of: dt.date,
    waivers: Iterable[Waiver] = (),
) -> SchemeResult:
    """Evaluate one answers file (self-assessment or spot audit) into a SchemeResult."""
    scheme_id, name = scheme_label(answers, path)
    spot = answers.mode is Mode.SPOT
    findings = evaluate_answers(catalog, answers.profile, answers.answers,
                                "audit" if spot else "self-assessment")
    own = None
    if answers.mode is Mode.SPOT:
        own_answers = load_self_assessment(catalog, answers, path)
        own = evaluate_answers(catalog, answers.profile, own_answers.answers)
        findings = with_self_assessment(findings, own)
    waived, expired = apply_waivers(findings, waivers, scheme_id, as_of)
    return scheme_result(scheme_id, name, answers.profile, waived, expired, own)


def load_self_assessment(catalog: Catalog, audit: AnswersFile, path: Path) -> AnswersFile:
    """The self-assessment a spot audit was checked against (relative to the audit file)."""
    if not audit.self_assessment:
        raise AnswersError("a spot audit must name its 'self_assessment' file", path)
    own_path = Path(audit.self_assessment)
    if not own_path.is_absolute():
        own_path = path.parent / own_path
    return load_answers(own_path, catalog)


def import_workbook(catalog: Catalog, workbook: Path) -> tuple[Path, AnswersFile]:
    """A filled questionnaire saved as the YAML answers file beside it, for a walk to resume.

    Refuses (AnswersError) when that file exists: it may hold answers given since.
    """
    target = workbook.with_name(f"{workbook.stem}.answers.yaml")
    if target.exists():
        raise AnswersError(f"{target} already exists (imported before?): to carry on, pass it "
                           f"to --answers; nothing was overwritten", workbook)
    answers = load_answers(workbook, catalog)
    answers.save(target)
    return target, answers


def answers_report(
    catalog: Catalog, path: Path, as_of: dt.date | None = None, waivers: Iterable[Waiver] = ()
) -> Report:
    """The report for one answers file."""
    answers = load_answers(path, catalog)
    when = resolve_as_of(as_of, answers)
    result = answers_result(catalog, answers, path, when, waivers)
    meta: dict[str, Any] = {"assessor": answers.assessor, "mode": answers.mode.value,
            "started_at": answers.started_at, "updated_at": answers.updated_at}
    if answers.mode is Mode.SPOT:
        meta.update(self_assessment=answers.self_assessment, register=answers.register,
                    sample_seed=answers.sample_seed)
    kind = "spot" if answers.mode is Mode.SPOT else "self"
    return build_report(kind, catalog, [result], when, [str(path)], meta=meta)


# what a folder given to --answers is searched for: answers files and filled workbooks
ANSWER_SUFFIXES = (".yaml", ".yml", *WORKBOOK_SUFFIXES)
Answers = tuple[Path, AnswersFile]


def load_self_assessments(catalog: Catalog, paths: Iterable[Path]) -> list[Answers]:
    """Every answers file named, or found in a folder named, read and validated."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(f for f in path.iterdir()  # not Excel's ~$ lock files
                            if f.suffix.lower() in ANSWER_SUFFIXES and f.is_file()
                            and not f.name.startswith(("~$", ".")))
        elif path.exists():
            files.append(path)
        else:
            raise AnswersError("file not found", path)
    return [(f, load_answers(f, catalog)) for f in files]


def answers_date(answers: AnswersFile) -> dt.date | None:
    """When a self-assessment was last touched: updated_at, else its latest answer."""
    stamps = [answers.updated_at, *(r.answered_at for r in answers.answers.values()),
              answers.started_at]
    for stamp in stamps:
        try:
            return dt.datetime.fromisoformat(stamp).date() if stamp else None
        except ValueError:
            continue
    return None


def match_answers(
    schemes: Iterable[SchemeRow], loaded: Iterable[Answers], as_of: dt.date, max_age: int,
) -> tuple[dict[str, tuple[AnswersFile, SelfAssessment]], dict[str, Any]]:
    """Each register scheme's self-assessment (by scheme_id, ignoring case) and a summary:
    files that matched no scheme (and why), schemes without one, stale ones."""
    ids = {scheme_key(s.scheme_id): s.scheme_id for s in schemes}
    matched: dict[str, tuple[AnswersFile, SelfAssessment]] = {}
    where: dict[str, Path] = {}
    unmatched = []
    for path, answers in loaded:
        given = str(answers.profile.get("scheme_id") or "")
        sid = ids.get(scheme_key(given.strip())) if given else None
        why = ("a spot audit, not a self-assessment" if answers.mode is Mode.SPOT
               else "no scheme_id in its profile" if not given
               else f"scheme '{given}' is not in the register" if sid is None else "")
        if why or sid is None:
            unmatched.append({"path": str(path), "scheme_id": given, "why": why})
            continue
        if sid in matched:
            raise AnswersError(f"a second self-assessment for scheme {sid} (the first is "
                               f"{where[sid]}): give one answers file per scheme", path)
        day = answers_date(answers)
        age = (as_of - day).days if day is not None else None
        matched[sid] = (answers, SelfAssessment(
            str(path), day.isoformat() if day else "", age, age is None or age > max_age))
        where[sid] = path
    summary = {
        "files": len(matched) + len(unmatched), "max_age_days": max_age,
        "matched": sorted(matched), "unmatched": unmatched,
        "without_answers": [sid for sid in ids.values() if sid not in matched],
        "stale": sorted(sid for sid, (_, info) in matched.items() if info.stale),
    }
    return matched, summary


def register_report(
    catalog: Catalog,
    register: Register,
    as_of: dt.date,
    waivers: Iterable[Waiver] = (),
    show_names: bool = False,
    progress: Progress | None = None,
    cite: bool = True,
    answers: Iterable[Answers] | None = None,
) -> Report:
    """Score every scheme of a register that has been read, with each scheme's own
    self-assessment where ``answers`` gives one (see ``engine.with_answers``).

    With ``cite=False`` findings carry counts but not the rows behind them, and the
    report scores each area itself if it shows them: enough for a league table, and much
    faster on a million-row register.
    """
    evaluator = RegisterEvaluator(catalog, register, as_of, show_names, cite, progress)
    waiver_list = list(waivers)
    matched, summary = ({}, None) if answers is None else match_answers(
        evaluator.schemes, answers, as_of, int(catalog.parameters["answers_max_age_days"].value))
    results = []
    total = len(evaluator.schemes)
    # the findings' scores and their areas', all at once (before any is cited)
    scores = evaluator.scores()
    areas = evaluator.area_scores() if cite else [None] * len(scores)
    every = evaluator.every_finding()
    for n, (scheme, found) in enumerate(zip(evaluator.schemes, every, strict=True), 1):
        own, info = None, None
        # answers or a waiver change a scheme's findings: those are scored afresh
        score = None if for_scheme(waiver_list, scheme.scheme_id) else scores[n - 1]
        if scheme.scheme_id in matched:
            score = None
            own_answers, info = matched[scheme.scheme_id]
            own = evaluate_answers(catalog, scheme.profile, own_answers.answers)
            if info.stale:
                own = as_stale(own, info.date)
            found = with_answers(found, own)
        findings, expired = apply_waivers(found, waiver_list, scheme.scheme_id, as_of)
        results.append(scheme_result(scheme.scheme_id, scheme.scheme_name, scheme.profile,
                                     findings, expired, own, info, score,
                                     areas[n - 1] if score is not None else None))
        if progress is not None:
            progress("scoring schemes", n, total)
    return build_report("batch", catalog, results, as_of, register.sources,
                        register.data_quality, unlisted=evaluator.unlisted(), answers=summary)


def unused_text_columns(catalog: Catalog, show_names: bool) -> set[tuple[str, str]]:
    """Text columns no check, profile or citation of this run reads (safe to skip)."""
    needed = {("schemes", f.name) for f in catalog.profile} | {("schemes", "scheme_name")}
    for control in catalog.controls.values():
        needed |= {(check.table, column) for check in control.register
                   for column in check.columns()}
    # record ids always: they name the rows of schemes nobody lists, and cited rows
    needed |= {(name, spec.key) for name, spec in TABLES.items() if spec.key}
    if show_names:
        needed.add(("adults", "name"))
    return {(name, column.name) for name, spec in TABLES.items() for column in spec.columns
            if column.type == "text" and (name, column.name) not in needed}


def score_register(
    catalog: Catalog,
    paths: list[Path],
    mapping: Path | None = None,
    as_of: dt.date | None = None,
    waivers: Iterable[Waiver] = (),
    show_names: bool = False,
    progress: Progress | None = None,
    cite: bool = True,
    answers_paths: Iterable[Path] | None = None,
) -> Report:
    """Read a register export (and any self-assessments) and score every scheme in it."""
    from youthscheme_audit.registers import read_register

    answers = (load_self_assessments(catalog, answers_paths) if answers_paths is not None
               else None)
    register = read_register(paths, mapping, unused_text_columns(catalog, show_names),
                             progress)
    return register_report(catalog, register, resolve_as_of(as_of), waivers, show_names,
                           progress, cite, answers)


def register_evidence(
    catalog: Catalog, paths: list[Path], scheme_id: str, as_of: dt.date,
    mapping: Path | None = None,
) -> dict[str, Finding]:
    """What a register says about each control for one scheme (for spot audits).

    Returns control id -> the register's finding (status, reason, cited rows).
    Raises RegisterError when the scheme is not in the register.
    """
    from youthscheme_audit.registers import read_register

    register = read_register(paths, mapping)
    evaluator = RegisterEvaluator(catalog, register, as_of)
    scheme = evaluator.scheme(scheme_id, str(paths[0]))
    return {f.control_id: f for f in evaluator.findings(scheme)}
