"""The command line: parse options, call the pipeline, render, and map errors to exit codes.

No rule logic lives here. Heavy modules are imported inside the commands so that
``youthscheme-audit --help`` starts fast.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from youthscheme_audit import __version__
from youthscheme_audit.errors import AuditError, ExitCode
from youthscheme_audit.models import DEFAULT_MARKING

if TYPE_CHECKING:
    from youthscheme_audit.catalog import Catalog
    from youthscheme_audit.models import Report

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ["terminal", "markdown", "html", "json", "csv"]
SEVERITIES = ["critical", "high", "medium", "low"]


class Settings:
    """Global options shared by every command."""

    def __init__(self, checklists: tuple[str, ...], no_color: bool) -> None:
        self.checklist_dirs = checklists
        self.no_color = no_color
        self._catalog: Catalog | None = None

    def catalog(self) -> Catalog:
        """The validated catalog in use (bundled plus --checklists), loaded once."""
        if self._catalog is None:
            from youthscheme_audit.catalog import require_catalog

            self._catalog = require_catalog(self.checklist_dirs)
        return self._catalog

    def console(self, stderr: bool = False) -> Any:
        """A rich console honouring --no-color and NO_COLOR."""
        from rich.console import Console

        return Console(stderr=stderr, no_color=self.no_color, highlight=False,
                       soft_wrap=False)


def fail(message: str) -> None:
    """Print one error line on stderr and exit 2."""
    click.echo(f"error: {message}", err=True)
    sys.exit(ExitCode.INPUT_ERROR)


# what a scored register's run keeps to the very end when ``entry`` started it (see there)
_KEPT: list[Any] | None = None


def entry() -> None:
    """The console script (and ``python -m youthscheme_audit``): ``main``, and a run that
    scored a register then ends at once, as mypy's fast exit does, without taking its
    report apart. Freeing millions of findings, cited rows and dicts one by one took
    0.3 s of a 7 s league table and 1 s of a JSON run, and the process ends anyway. By
    then every output is written, closed and in place; standard output and error are
    flushed first. Every other command, and ``main`` under tests, ends normally."""
    global _KEPT
    _KEPT = []
    try:
        main()
    except SystemExit as done:
        if not _KEPT:
            raise
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        for stream in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):  # a reader that went away: nothing to lose
                stream.flush()
        os._exit(code)


def user_errors(func: F) -> F:
    """Turn every user mistake into one line on stderr and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AuditError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # the reader (head, less) stopped reading: stay quiet
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)  # as a shell reports a process ended by SIGPIPE
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")

    return wrapper  # type: ignore[return-value]


class Day(click.ParamType):
    """A date as YYYY-MM-DD or, as people in the UK write it, DD/MM/YYYY."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for layout in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, layout).date()
            except ValueError:
                continue
        self.fail(f"'{value}' is not a date: give YYYY-MM-DD (2026-11-22) or DD/MM/YYYY "
                  "(22/11/2026)", param, ctx)


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of", type=Day(), default=None,
        help="The day every date rule is judged as of: 2026-11-22 or 22/11/2026 "
             "(default today).",
    )(func)


def marking_option(func: F) -> F:
    return click.option(
        "--marking", default=DEFAULT_MARKING, show_default=True, metavar="TEXT",
        help="Protective marking printed at the top and bottom of the report (every page "
             "in print).",
    )(func)


def output_options(folder: bool = False) -> Callable[[F], F]:
    """-o, --format, --fail-on and --waivers; ``folder``: -o may name a folder."""
    return lambda func: _output_options(func, folder)


def _output_options(func: F, folder: bool) -> F:
    # a str, not a Path: a trailing slash (score -o reports/) asks for a directory
    where = ("Write to this file; or to a folder (an existing one, or a name ending in /): "
             "one report per scheme in the chosen format, plus an index." if folder
             else "Write to this file instead of standard output.")
    func = click.option("-o", "--output", type=click.Path(dir_okay=True, path_type=str),
                        metavar="FILE|DIR/" if folder else "FILE", help=where)(func)
    func = click.option("--format", "fmt", type=click.Choice(FORMATS), default="terminal",
                        show_default=True, help="Output format.")(func)
    func = click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                        help="Exit 1 if a gap at or above this severity remains (not waived).")(
        func)
    func = click.option("--waivers", type=click.Path(path_type=Path), default=None,
                        help="YAML file of approved waivers (see README).")(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="youthscheme-audit")
@click.option("--checklists", "checklists", multiple=True, type=click.Path(path_type=str),
              help="Directory of extra or replacement checklist YAML (repeatable).")
@click.option("--no-color", is_flag=True, envvar="NO_COLOR", help="Plain output, no colour.")
@click.pass_context
def main(ctx: click.Context, checklists: tuple[str, ...], no_color: bool) -> None:
    """Audit police-run youth schemes: VPC units and unofficial cadet-like schemes.

    \b
    Examples:
      youthscheme-audit walk --answers my-scheme.yaml
      youthscheme-audit report examples/unofficial-school-scheme.yaml
      youthscheme-audit score examples/register.xlsx
    """
    ctx.obj = Settings(checklists, no_color)


# --- checklists and lint ---------------------------------------------------------------


@main.command("checklists")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_obj
@user_errors
def checklists_cmd(settings: Settings, fmt: str) -> None:
    """List the checklists and controls in use, or export them all as JSON.

    The JSON holds every control's full text, applicability, register checks and sources
    (title, publisher, date, link, part cited), plus the sources, parameters, profile and
    retired ids (schema: youthscheme_audit/schema/catalogue.schema.json).

    \b
    Example:
      youthscheme-audit checklists --format json > catalogue.json
    """
    import json

    from youthscheme_audit.catalog import export

    catalog = settings.catalog()
    if fmt == "json":
        click.echo(json.dumps(export(catalog, __version__), indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=f"{len(catalog.controls)} controls in {len(catalog.areas)} checklists")
    for col in ("id", "title", "version", "controls", "applies to", "file"):
        table.add_column(col)
    for area in catalog.areas:
        controls = [catalog.controls[c] for c in area.control_ids]
        kinds = sorted({t.value for c in controls for t in c.applies_to})
        table.add_row(area.id, area.title, area.version, str(len(controls)), ", ".join(kinds),
                      area.path)
    settings.console().print(table)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--waivers", type=click.Path(path_type=Path), default=None,
              help="Also validate this waiver file against the checklists.")
@click.pass_obj
@user_errors
def lint(settings: Settings, paths: tuple[Path, ...], waivers: Path | None) -> None:
    """Validate checklist files: every problem as file:line: control-id: message.

    With no PATHS, lints the checklists in use (bundled plus --checklists).
    Exit 0 when clean, 1 when problems were found, 2 when input cannot be read.

    \b
    Example:
      youthscheme-audit lint my-force-checklists/
    """
    from youthscheme_audit.catalog import lint_files, load_catalog

    problems = lint_files(paths) if paths else load_catalog(settings.checklist_dirs)[1]
    for problem in problems:
        click.echo(str(problem))
    if waivers is not None and not problems:
        from youthscheme_audit.waivers import load_waivers

        load_waivers(waivers, settings.catalog())
    if problems:
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", err=True)
        sys.exit(ExitCode.FINDINGS)
    click.echo("no problems found", err=True)


# --- walk ------------------------------------------------------------------------------


@main.command()
# plain paths: a directory is refused by the reader in one line, not click's usage dump
@click.option("--answers", "answers_path", type=click.Path(path_type=Path),
              help="Answers file to write or resume (default: ./<scheme name>.answers.yaml; "
                   "spot audits: <self>.audit.yaml).")
@click.option("--scheme-name", help="The scheme's name (same as --set scheme_name=NAME).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="Preset a profile field, e.g. --set scheme_type=unofficial (repeatable).")
@click.option("--assessor", help="Your name, recorded in the answers file.")
@click.option("--review", is_flag=True,
              help="Go through answered controls again; Enter keeps an answer.")
@click.option("--mode", type=click.Choice(["self", "spot"]), default="self", show_default=True,
              help="self: a scheme assesses itself; spot: an auditor checks a self-assessment.")
@click.option("--self", "self_path", type=click.Path(path_type=Path),
              help="Spot audits: the scheme's own answers file.")
@click.option("--register", "registers", multiple=True, type=click.Path(path_type=Path),
              help="Spot audits: register export to show evidence from (repeatable).")
@click.option("--mapping", type=click.Path(path_type=Path), default=None,
              help="Spot audits: YAML mapping of other register headers to canonical columns.")
@click.option("--scheme-id", help="Spot audits: the scheme's id in the register "
                                  "(default: the profile's scheme_id).")
@click.option("--sample-seed", type=int, default=None,
              help="Spot audits: the seed of the record sample you checked (recorded).")
@click.option("--divergent-first", is_flag=True,
              help="Spot audits: first the controls where the scheme's answer and the "
                   "register disagree, then those the register flags, then the rest.")
@as_of_option
@marking_option
@click.pass_obj
@user_errors
def walk(settings: Settings, answers_path: Path | None, scheme_name: str | None,
         sets: tuple[str, ...], assessor: str | None, review: bool, mode: str,
         self_path: Path | None, registers: tuple[Path, ...], mapping: Path | None,
         scheme_id: str | None, sample_seed: int | None, divergent_first: bool,
         as_of: dt.date | None, marking: str) -> None:
    """Answer the checklists for one scheme, question by question, saving after each answer.

    \b
    Keys: y yes, n no, p partly, a not applicable, d don't know,
          ? help and why it matters, b back, s save and stop.
    After no or partly, one line: note | evidence | owner (any part may be left out).
    Run the same command again to carry on where you stopped; --review to change answers.
    When input is piped, each answer is one line (y, n, p, na, dk), with what follows
    it after a colon: 'y: DBS log 2026-10', 'n: no letter | minutes | Insp Lee'.

    \b
    Examples:
      youthscheme-audit walk --scheme-name "Oak Lane Mini Police"
      yes y | youthscheme-audit walk --answers a.yaml --set scheme_type=unofficial ...
      youthscheme-audit walk --mode spot --self oak-lane.answers.yaml --register reg.xlsx \\
          --scheme-id S-001 --divergent-first
    """
    from youthscheme_audit import interview
    from youthscheme_audit.models import Mode
    from youthscheme_audit.prompter import Hangup, TerminalPrompter, hangup_raises

    catalog = settings.catalog()
    if mode == "self" and (self_path or registers or scheme_id or sample_seed is not None
                           or divergent_first):
        raise AuditError("--self, --register, --scheme-id, --sample-seed and "
                         "--divergent-first need --mode spot")
    if divergent_first and not registers:
        raise AuditError("--divergent-first orders controls by what the register shows: "
                         "give --register REGISTER")
    request = interview.WalkRequest(
        answers_path=answers_path, presets=interview.parse_presets(catalog, sets, scheme_name),
        assessor=assessor, review=review, as_of=as_of.isoformat() if as_of else "",
        mode=Mode(mode), self_path=self_path, registers=registers, sample_seed=sample_seed,
        divergent_first=divergent_first)
    prompter = TerminalPrompter(settings.console())
    if answers_path is not None and is_workbook(answers_path):
        answers_path = import_for_walk(catalog, answers_path, mode, prompter)
        request.answers_path = answers_path
    session = None
    try:
        with hangup_raises():
            session = interview.open_walk(catalog, prompter, request)
            if registers:
                from youthscheme_audit.pipeline import register_evidence, resolve_as_of

                sid = scheme_id or session.answers.profile.get("scheme_id")
                if not sid:
                    raise AuditError("the profile has no scheme_id: give --scheme-id ID to "
                                     "find the scheme in the register")
                session.evidence = register_evidence(
                    catalog, list(registers), str(sid),
                    resolve_as_of(as_of, session.answers), mapping)
            outcome = session.run()
    except KeyboardInterrupt:
        prompter.show()
        prompter.show(session.stop_message("Interrupted") if session is not None
                      else "Interrupted: nothing saved yet.", "hint")
        sys.exit(130)
    except Hangup:
        sys.exit(129)  # the terminal is gone; every answer given is already saved
    finally:
        if session is not None:
            session.answers.release()  # the answers file's lock: another walk may open it
    if not outcome.finished:
        why = "Input ended" if outcome.status == "input_ended" else "Stopped"
        prompter.show()
        prompter.show(session.stop_message(why), "ok")
        return
    from youthscheme_audit.pipeline import answers_report
    from youthscheme_audit.render import Format, renderer
    from youthscheme_audit.render.terminal import closing_lines, print_report
    from youthscheme_audit.report import report_dict
    from youthscheme_audit.yamlio import atomic_write

    data = report_dict(answers_report(catalog, session.path, as_of), marking=marking)
    html = html_report_path(session.path)
    atomic_write(html, renderer(Format.HTML)(data))
    prompter.show()
    console = settings.console()
    print_report(data, console)
    # after some 200 lines of report, the two things to take away, where the eye lands
    console.print(closing_lines(data["schemes"][0], html), soft_wrap=True)


def is_workbook(path: Path) -> bool:
    """True for a questionnaire workbook (read like an answers file, never written to)."""
    from youthscheme_audit.answers import WORKBOOK_SUFFIXES

    return path.suffix.casefold() in WORKBOOK_SUFFIXES


def import_for_walk(catalog: Catalog, workbook: Path, mode: str, prompter: Any) -> Path:
    """``walk --answers q.xlsx``: import the workbook beside it and walk the YAML file."""
    if mode != "self":
        raise AuditError(f"{workbook}: a questionnaire workbook is a self-assessment: give it "
                         "to --self, and the audit its own --answers file")
    from youthscheme_audit.pipeline import import_workbook

    target, answers = import_workbook(catalog, workbook)
    prompter.show(f"Imported {len(answers.answers)} answers from {workbook} into {target}; "
                  "carrying on with the questions still open.", "ok")
    return target


# --- form ------------------------------------------------------------------------------


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The workbook to write (.xlsx).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="Preset a profile field, e.g. --set scheme_type=unofficial (repeatable).")
@click.option("--scheme-name", help="The scheme's name (same as --set scheme_name=NAME).")
@click.option("--assessor", help="Who will fill it in (they can change it in the workbook).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.pass_obj
@user_errors
def form(settings: Settings, output: Path, sets: tuple[str, ...], scheme_name: str | None,
         assessor: str | None, force: bool) -> None:
    """Write the questionnaire workbook for a lead who does not use a terminal.

    The lead fills it in with Excel or LibreOffice; 'report' reads it back like an
    answers file, and 'walk --answers FILE.xlsx' carries on from it in the terminal.
    Controls the preset profile rules out are listed in grey with the reason.

    \b
    Examples:
      youthscheme-audit form -o questionnaire.xlsx
      youthscheme-audit form --scheme-name "Oak Lane Club" --set scheme_type=unofficial \\
          --set host_type=school -o oak-lane.xlsx
      youthscheme-audit report oak-lane.xlsx
    """
    from youthscheme_audit.interview import parse_presets
    from youthscheme_audit.questionnaire import write_workbook

    if output.suffix.casefold() != ".xlsx":
        raise AuditError(f"{output}: the workbook's name must end in .xlsx")
    if output.exists() and not force:
        raise AuditError(f"{output}: already exists and may hold answers: choose another name "
                         "(or --force to replace it)")
    catalog = settings.catalog()
    write_workbook(catalog, output, parse_presets(catalog, sets, scheme_name), assessor or "")
    click.echo(f"wrote {output}", err=True)


def html_report_path(answers: Path) -> Path:
    """Where a finished walk writes its HTML report: beside the answers, never onto them
    (``walk --answers r.html`` must not replace its own answers with the report)."""
    html = answers.with_suffix(".html")
    return html if html != answers else answers.with_name(f"{answers.stem}.report.html")


# --- report and score ---------------------------------------------------------------


def load_waiver_file(settings: Settings, path: Path | None) -> list[Any]:
    if path is None:
        return []
    from youthscheme_audit.waivers import load_waivers

    return load_waivers(path, settings.catalog())


def emit(settings: Settings, data: dict[str, Any], fmt: str, output: Path | None) -> None:
    """Render the report dict in ``fmt`` to ``output`` (atomically) or standard output.

    JSON and CSV stream (``data["schemes"]`` may be lazy); the rest render to text.
    """
    from youthscheme_audit.render import Format, renderer, writer

    if fmt == "terminal" and output is None:
        from youthscheme_audit.render.terminal import print_report

        print_report(data, settings.console())
        return
    stream = writer(Format(fmt))
    if stream is None:
        write_text(renderer(Format(fmt))(data), output)
    else:
        write_stream(stream.write, data, output, stream.binary)


def write_stream(stream: Callable[[dict[str, Any], Any], None], data: dict[str, Any],
                 output: Path | None, binary: bool = False) -> None:
    """A streaming writer's output to ``output`` (atomically) or standard output; a
    ``binary`` writer (JSON) is handed the byte stream beneath the text handle."""
    if output is None:
        if binary:
            sys.stdout.flush()
            raw = sys.stdout.buffer
            stream(data, raw)
            raw.flush()  # here, where a closed pipe is handled, not at exit
        else:
            stream(data, sys.stdout)
        return
    from youthscheme_audit.yamlio import atomic_writer

    with atomic_writer(output) as handle:
        stream(data, handle.buffer if binary else handle)
    click.echo(f"wrote {output}", err=True)


def exit_for(report: Report, fail_on: str | None) -> None:
    """Exit 1 when --fail-on names a severity and a gap at or above it remains."""
    if fail_on is None:
        return
    at_or_above = set(SEVERITIES[: SEVERITIES.index(fail_on) + 1])
    if any(f.status == "gap" and f.severity in at_or_above
           for scheme in report.schemes for f in scheme.findings):
        sys.exit(ExitCode.FINDINGS)


@main.command()
@click.argument("answers", type=click.Path(path_type=Path))
@as_of_option
@output_options()
@click.option("--actions", "actions_only", is_flag=True,
              help="With --format csv: only the action plan, one row per action (what to "
                   "do, severity, owner, due date), ready for a tracker.")
@marking_option
@click.pass_obj
@user_errors
def report(settings: Settings, answers: Path, as_of: dt.date | None, fmt: str,
           output: str | None, fail_on: str | None, waivers: Path | None,
           actions_only: bool, marking: str) -> None:
    """Render a gap report from an answers file (written by walk or by hand).

    \b
    Examples:
      youthscheme-audit report examples/unofficial-school-scheme.yaml
      youthscheme-audit report answers.yaml --format html -o report.html
      youthscheme-audit report answers.yaml --format csv --actions -o actions.csv
    """
    if actions_only and fmt != "csv":
        raise click.UsageError("--actions writes the action plan as CSV: add --format csv")
    from youthscheme_audit.pipeline import answers_report
    from youthscheme_audit.report import report_dict

    catalog = settings.catalog()
    waiver_list = load_waiver_file(settings, waivers)
    result = answers_report(catalog, answers, as_of, waiver_list)
    data = report_dict(result, marking=marking, compact=fmt == "json")
    target = Path(output) if output else None
    if actions_only:
        from youthscheme_audit.render.csv_out import write_actions

        write_stream(write_actions, data, target)
    else:
        emit(settings, data, fmt, target)
    exit_for(result, fail_on)


@main.command()
@click.argument("register", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--mapping", type=click.Path(path_type=Path), default=None,
              help="YAML mapping of other header names to canonical columns.")
@click.option("--show-names", is_flag=True, help="Name adults in findings (default: person_id).")
@click.option("--answers", "answers", multiple=True, type=click.Path(path_type=Path),
              help="Self-assessments (answers files, or folders of them) to score beside the "
                   "register, matched by scheme_id (repeatable).")
@as_of_option
@output_options(folder=True)
@marking_option
@click.pass_obj
@user_errors
def score(settings: Settings, register: tuple[Path, ...], mapping: Path | None,
          show_names: bool, answers: tuple[Path, ...], as_of: dt.date | None, fmt: str,
          output: str | None, fail_on: str | None, waivers: Path | None, marking: str) -> None:
    """Score every scheme in an exported register (one XLSX, or CSV files per table).

    Prints a league table, worst first. With -o DIR, writes one report per scheme in
    the chosen format plus an index page. With --answers, each scheme's own
    self-assessment counts where the register cannot evidence a control, and where
    both speak and disagree the scheme's report lists the divergence (overclaims first).

    \b
    Examples:
      youthscheme-audit score examples/register.xlsx
      youthscheme-audit score examples/register.xlsx --answers examples/self-assessments/
      youthscheme-audit score register/*.csv --format html -o reports/
    """
    from youthscheme_audit.pipeline import score_register
    from youthscheme_audit.report import report_dict

    catalog = settings.catalog()
    waiver_list = load_waiver_file(settings, waivers)
    target = Path(output) if output else None
    as_dir = output is not None and (Path(output).is_dir() or output.endswith(("/", os.sep)))
    league_only = fmt == "terminal" and target is None  # needs scores, not cited rows
    with progress_bar(settings) as tick:
        with collector_paused():
            result = score_register(catalog, list(register), mapping, as_of, waiver_list,
                                    show_names, tick, cite=not league_only,
                                    answers_paths=list(answers) if answers else None)
            # JSON, CSV and a folder of reports stream each scheme's dict (built as it is
            # written, then freed)
            data = report_dict(result, detail=not league_only,
                               lazy=as_dir or fmt in ("json", "csv"), marking=marking,
                               compact=fmt == "json")
        if target is not None and as_dir:
            from youthscheme_audit.render.per_scheme import write_per_scheme

            index = write_per_scheme(data, target, fmt,
                                     say=lambda line: click.echo(f"note: {line}", err=True),
                                     progress=tick)
    if target is not None and as_dir:
        click.echo(f"wrote {len(result.schemes)} scheme reports and {index}", err=True)
    else:
        emit_league(settings, data, fmt, target)
    if _KEPT is not None:  # not taken apart before the process ends (see ``entry``)
        _KEPT.append((result, data))
    exit_for(result, fail_on)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a register is read and scored and its
    report dict built; what was built is then frozen (``gc.freeze``) before it resumes.

    That build makes millions of objects (rows, findings, cited rows, report dicts) that
    live to the end of the run and hardly any cyclic garbage, and every full collection
    walks all of them again. On a 2,000-scheme register (benchmarks/json_writer.py) the
    collector took 1.6 to 2.0 s of the JSON run's build (about 30 s) and 0.3 to 0.5 s of
    the league table's (about 4 s); paused, none, and peak memory was the same. Frozen,
    they are never walked again: writing 2,000 HTML reports then spent 1.1 s in the
    collector instead of 5.6 s.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def emit_league(settings: Settings, data: dict[str, Any], fmt: str, output: Path | None) -> None:
    """A batch result: the league table on a terminal, the full result in other formats."""
    if fmt == "terminal" and output is None:
        from youthscheme_audit.render.terminal import print_league

        print_league(data, settings.console())
        return
    emit(settings, data, fmt, output)


class progress_bar:  # noqa: N801 - used as a context manager like a function
    """Progress on stderr for long runs: the step (reading, checking, scoring, writing),
    how many of how many, and the time since the start. Silent when not a terminal."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.progress: Any = None
        self.task: Any = None
        self.step = ""

    def __enter__(self) -> Callable[[str, int, int | None], None] | None:
        if not sys.stderr.isatty():
            return None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=self.settings.console(stderr=True), transient=True)
        self.progress.start()
        self.task = self.progress.add_task("starting", total=None)
        return self.tick

    def tick(self, step: str, done: int, total: int | None) -> None:
        if step != self.step:
            self.step = step
            self.progress.update(self.task, description=step, completed=done, total=total)
        elif done % max(1, (total or 20_000) // 100) == 0 or (total and done + 1 >= total):
            self.progress.update(self.task, completed=done)  # about a hundred redraws a step

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


# --- sample and compare -------------------------------------------------------------------


def write_text(text: str, output: Path | None) -> None:
    """``text`` to ``output`` (atomically, then a 'wrote' line on stderr) or standard output."""
    if output is None:
        click.echo(text, nl=False)
        return
    from youthscheme_audit.yamlio import atomic_write

    atomic_write(output, text)
    click.echo(f"wrote {output}", err=True)


def print_or_write(settings: Settings, draw: Callable[[Any], None], output: Path | None) -> None:
    """Rich output on the terminal, or the same rendered as plain text into ``output``."""
    if output is None:
        draw(settings.console())
        return
    from youthscheme_audit.render.terminal import plain_text

    write_text(plain_text(draw, width=160), output)  # wide: sample tables have many columns


@main.command()
@click.argument("register", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--scheme", "scheme_id", required=True, help="The scheme_id to sample.")
@click.option("--size", type=click.IntRange(min=0), default=10, show_default=True,
              help="Records in the sample; flagged records are always added, even beyond it.")
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Random seed; the same seed gives the same sample (default: a new one).")
@click.option("--table", type=click.Choice(["adults", "activities"]), default="adults",
              show_default=True, help="Which records to sample.")
@click.option("--mapping", type=click.Path(path_type=Path), default=None,
              help="YAML mapping of other header names to canonical columns.")
@click.option("--format", "fmt", type=click.Choice(["terminal", "csv", "markdown"]),
              default="terminal", show_default=True, help="Output format.")
# a plain Path: a directory is refused by the writer in one line, not click's usage dump
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--show-names", is_flag=True, help="Name adults (default: person_id only).")
@as_of_option
@click.pass_obj
@user_errors
def sample(settings: Settings, register: tuple[Path, ...], scheme_id: str, size: int,
           seed: int | None, table: str, mapping: Path | None, fmt: str, output: Path | None,
           show_names: bool, as_of: dt.date | None) -> None:
    """Pick a reproducible random sample of one scheme's records to verify by hand.

    Every record a register check flags for the scheme (a gap or an unverified
    finding) is always in the sample; the rest is drawn at random up to --size.
    The seed is printed and recorded in the output: the same seed, register and
    --as-of give the same sample.

    \b
    Example:
      youthscheme-audit sample register/*.csv --scheme VPC-014 --size 12 --seed 48213
      youthscheme-audit sample register.xlsx --scheme VPC-014 --table activities \\
          --format csv -o sample.csv
    """
    import secrets

    from youthscheme_audit.pipeline import resolve_as_of
    from youthscheme_audit.registers import read_register
    from youthscheme_audit.sampling import (
        render_csv,
        render_markdown,
        render_terminal,
        select_sample,
    )

    catalog = settings.catalog()
    chosen = seed if seed is not None else secrets.randbelow(10**6)
    data = read_register(list(register), mapping)
    result = select_sample(catalog, data, scheme_id, table, size, chosen,
                           resolve_as_of(as_of), show_names)
    if fmt == "csv":
        write_text(render_csv(result), output)
    elif fmt == "markdown":
        write_text(render_markdown(result), output)
    else:
        print_or_write(settings, lambda console: render_terminal(result, console), output)
    if fmt != "terminal" or output is not None:  # the terminal view prints it itself
        click.echo(result.rerun_hint, err=True)


@main.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["terminal", "json", "markdown", "html"]),
              default="terminal", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--fail-on-regression", is_flag=True,
              help="Exit 1 if any scheme has a new gap or a control that got worse "
                   "(latest result against the one before).")
@click.pass_obj
@user_errors
def compare(settings: Settings, results: tuple[Path, ...], fmt: str, output: Path | None,
            fail_on_regression: bool) -> None:
    """Show what changed between JSON results of report or score, and the trend.

    Give two results or more, oldest first: the last is compared with the one
    before (schemes matched by scheme_id: score and
    rating before and after, new and resolved gaps, controls that regressed or improved,
    schemes added or removed), and scores and rating counts are shown over all of them.

    \b
    Example:
      youthscheme-audit score q1/*.csv --format json -o q1.json
      youthscheme-audit score q2/*.csv --format json -o q2.json
      youthscheme-audit compare q1.json q2.json --fail-on-regression
      youthscheme-audit compare q1.json q2.json q3.json --format html -o trend.html
    """
    from youthscheme_audit.compare import compare_series, has_regression, load_result
    from youthscheme_audit.render.compare_out import render_json, render_page, render_terminal

    if len(results) < 2:
        raise AuditError("compare needs two results or more (JSON from report or score)")
    result = compare_series([(str(path), load_result(path)) for path in results])
    if fmt == "json":
        write_text(render_json(result), output)
    elif fmt in ("markdown", "html"):
        write_text(render_page(result, html=fmt == "html"), output)
    else:
        print_or_write(settings, lambda console: render_terminal(result, console), output)
    if fail_on_regression and has_regression(result):
        sys.exit(ExitCode.FINDINGS)
