"""Library entry points: every job loads, collects evidence, evaluates, scores, reports.

The CLI only parses options and calls these; everything here is callable from Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from youthscheme_audit.answers import AnswersFile, load_answers, slug
from youthscheme_audit.catalog import Catalog
from youthscheme_audit.engine import (
    RegisterEvaluator,
    apply_waivers,
    evaluate_answers,
    with_self_assessment,
)
from youthscheme_audit.errors import AnswersError
from youthscheme_audit.models import Finding, Mode, Report, SchemeResult, Waiver
from youthscheme_audit.registers import Register
from youthscheme_audit.report import build_report, scheme_result
from youthscheme_audit.tables import TABLES


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
    findings = evaluate_answers(catalog, answers.profile, answers.answers)
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


def register_report(
    catalog: Catalog,
    register: Register,
    as_of: dt.date,
    waivers: Iterable[Waiver] = (),
    show_names: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cite: bool = True,
) -> Report:
    """Score every scheme of a register that has been read.

    With ``cite=False`` findings carry counts but not the rows behind them: enough for
    a league table, and much faster on a million-row register.
    """
    evaluator = RegisterEvaluator(catalog, register, as_of, show_names, cite)
    waiver_list = list(waivers)
    results = []
    total = len(evaluator.schemes)
    every = evaluator.every_finding()
    for n, (scheme, found) in enumerate(zip(evaluator.schemes, every, strict=True), 1):
        findings, expired = apply_waivers(found, waiver_list, scheme.scheme_id, as_of)
        results.append(scheme_result(scheme.scheme_id, scheme.scheme_name, scheme.profile,
                                     findings, expired))
        if progress is not None:
            progress(n, total)
    return build_report("batch", catalog, results, as_of, register.sources,
                        register.data_quality)


def unused_text_columns(
    catalog: Catalog, cite: bool, show_names: bool
) -> set[tuple[str, str]]:
    """Text columns no check, profile or citation of this run reads (safe to skip)."""
    needed = {("schemes", f.name) for f in catalog.profile} | {("schemes", "scheme_name")}
    for control in catalog.controls.values():
        needed |= {(check.table, column) for check in control.register
                   for column in check.columns()}
    if cite:
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
    progress: Callable[[int, int], None] | None = None,
    cite: bool = True,
) -> Report:
    """Read a register export and score every scheme in it."""
    from youthscheme_audit.registers import read_register

    register = read_register(paths, mapping, unused_text_columns(catalog, cite, show_names))
    return register_report(catalog, register, resolve_as_of(as_of), waivers, show_names,
                           progress, cite)


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
