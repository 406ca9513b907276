"""The command line: parse options, call the pipeline, render, and map errors to exit codes.

No rule logic lives here. Heavy modules are imported inside the commands so that
``youthscheme-audit --help`` starts fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from youthscheme_audit import __version__
from youthscheme_audit.errors import AuditError, ExitCode

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
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")

    return wrapper  # type: ignore[return-value]


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        help="Judge every date rule as of this day (YYYY-MM-DD; default today).",
    )(func)


def output_options(func: F) -> F:
    # a str, not a Path: a trailing slash (score -o reports/) asks for a directory
    func = click.option("-o", "--output", type=click.Path(dir_okay=True, path_type=str),
                        help="Write to this file instead of standard output.")(func)
    func = click.option("--format", "fmt", type=click.Choice(FORMATS), default="terminal",
                        show_default=True, help="Output format.")(func)
    func = click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                        help="Exit 1 if a gap at or above this severity remains (not waived).")(
        func)
    func = click.option("--waivers", type=click.Path(path_type=Path), default=None,
                        help="YAML file of approved waivers (see README).")(func)
    return func


def day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


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
    """List the checklists and controls in use.

    \b
    Example:
      youthscheme-audit checklists --format json
    """
    import json

    catalog = settings.catalog()
    areas: list[dict[str, Any]] = []
    for area in catalog.areas:
        controls = [catalog.controls[c] for c in area.control_ids]
        kinds = sorted({t.value for c in controls for t in c.applies_to})
        areas.append({
            "id": area.id, "title": area.title, "version": area.version, "file": area.path,
            "controls": len(controls), "applies_to": kinds,
            "control_list": [
                {"id": c.id, "title": c.title, "severity": c.severity.value,
                 "applies_to": sorted(t.value for t in c.applies_to), "file": c.path,
                 "line": c.line, "register_checks": len(c.register)}
                for c in controls
            ],
        })
    if fmt == "json":
        click.echo(json.dumps({"checklists": areas,
                               "parameters": {p.name: p.value for p in
                                              catalog.parameters.values()}}, indent=2))
        return
    from rich.table import Table

    table = Table(title=f"{len(catalog.controls)} controls in {len(areas)} checklists")
    for col in ("id", "title", "version", "controls", "applies to", "file"):
        table.add_column(col)
    for a in areas:
        table.add_row(a["id"], a["title"], a["version"], str(a["controls"]),
                      ", ".join(a["applies_to"]), a["file"])
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
@as_of_option
@click.pass_obj
@user_errors
def walk(settings: Settings, answers_path: Path | None, scheme_name: str | None,
         sets: tuple[str, ...], assessor: str | None, review: bool, mode: str,
         self_path: Path | None, registers: tuple[Path, ...], mapping: Path | None,
         scheme_id: str | None, sample_seed: int | None, as_of: dt.datetime | None) -> None:
    """Answer the checklists for one scheme, question by question, saving after each answer.

    \b
    Keys: y yes, n no, p partly, a not applicable, d don't know,
          ? help and why it matters, b back, s save and stop.
    Run the same command again to carry on where you stopped; --review to change answers.
    When input is piped, each answer is one line (y, n, p, na, dk).

    \b
    Examples:
      youthscheme-audit walk --scheme-name "Oak Lane Mini Police"
      yes y | youthscheme-audit walk --answers a.yaml --set scheme_type=unofficial ...
      youthscheme-audit walk --mode spot --self oak-lane.answers.yaml --register reg.xlsx
    """
    from youthscheme_audit import interview
    from youthscheme_audit.models import Mode
    from youthscheme_audit.prompter import Hangup, TerminalPrompter, hangup_raises

    catalog = settings.catalog()
    if mode == "self" and (self_path or registers or scheme_id or sample_seed is not None):
        raise AuditError("--self, --register, --scheme-id and --sample-seed need --mode spot")
    request = interview.WalkRequest(
        answers_path=answers_path, presets=interview.parse_presets(catalog, sets, scheme_name),
        assessor=assessor, review=review, as_of=as_of.date().isoformat() if as_of else "",
        mode=Mode(mode), self_path=self_path, registers=registers, sample_seed=sample_seed)
    prompter = TerminalPrompter(settings.console())
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
                    resolve_as_of(day(as_of), session.answers), mapping)
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
    from youthscheme_audit.render.terminal import print_report
    from youthscheme_audit.report import report_dict
    from youthscheme_audit.yamlio import atomic_write

    data = report_dict(answers_report(catalog, session.path, day(as_of)))
    prompter.show()
    print_report(data, settings.console())
    html = html_report_path(session.path)
    atomic_write(html, renderer(Format.HTML)(data))
    prompter.show(f"HTML report: {html}", "ok")


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
    elif output is None:
        stream(data, sys.stdout)
    else:
        from youthscheme_audit.yamlio import atomic_writer

        with atomic_writer(output) as handle:
            if fmt == "csv":
                handle.write("\ufeff")  # the byte-order mark tells Excel the file is UTF-8
            stream(data, handle)
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
@output_options
@click.pass_obj
@user_errors
def report(settings: Settings, answers: Path, as_of: dt.datetime | None, fmt: str,
           output: str | None, fail_on: str | None, waivers: Path | None) -> None:
    """Render a gap report from an answers file (written by walk or by hand).

    \b
    Examples:
      youthscheme-audit report examples/unofficial-school-scheme.yaml
      youthscheme-audit report answers.yaml --format html -o report.html
    """
    from youthscheme_audit.pipeline import answers_report
    from youthscheme_audit.report import report_dict

    catalog = settings.catalog()
    waiver_list = load_waiver_file(settings, waivers)
    result = answers_report(catalog, answers, day(as_of), waiver_list)
    emit(settings, report_dict(result), fmt, Path(output) if output else None)
    exit_for(result, fail_on)


@main.command()
@click.argument("register", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--mapping", type=click.Path(path_type=Path), default=None,
              help="YAML mapping of other header names to canonical columns.")
@click.option("--show-names", is_flag=True, help="Name adults in findings (default: person_id).")
@as_of_option
@output_options
@click.pass_obj
@user_errors
def score(settings: Settings, register: tuple[Path, ...], mapping: Path | None,
          show_names: bool, as_of: dt.datetime | None, fmt: str, output: str | None,
          fail_on: str | None, waivers: Path | None) -> None:
    """Score every scheme in an exported register (one XLSX, or CSV files per table).

    Prints a league table, worst first. With -o DIR, writes one report per scheme in
    the chosen format plus an index page.

    \b
    Examples:
      youthscheme-audit score examples/register.xlsx
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
        result = score_register(catalog, list(register), mapping, day(as_of), waiver_list,
                                show_names, tick, cite=not league_only)
    if target is not None and as_dir:
        from youthscheme_audit.render.per_scheme import write_per_scheme

        index = write_per_scheme(report_dict(result), target, fmt,
                                 say=lambda line: click.echo(f"note: {line}", err=True))
        click.echo(f"wrote {len(result.schemes)} scheme reports and {index}", err=True)
    else:
        data = report_dict(result, detail=not league_only, lazy=fmt in ("json", "csv"))
        emit_league(settings, data, fmt, target)
    exit_for(result, fail_on)


def emit_league(settings: Settings, data: dict[str, Any], fmt: str, output: Path | None) -> None:
    """A batch result: the league table on a terminal, the full result in other formats."""
    if fmt == "terminal" and output is None:
        from youthscheme_audit.render.terminal import print_league

        print_league(data, settings.console())
        return
    emit(settings, data, fmt, output)


class progress_bar:  # noqa: N801 - used as a context manager like a function
    """A rich progress bar on stderr for large registers; silent when not a terminal."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.progress: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not sys.stderr.isatty():
            return None
        from rich.progress import Progress

        self.progress = Progress(console=self.settings.console(stderr=True), transient=True)
        self.progress.start()
        self.task = self.progress.add_task("scoring schemes", total=None)
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if done % 200 == 0 or done == total:
            self.progress.update(self.task, completed=done, total=total)

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
           show_names: bool, as_of: dt.datetime | None) -> None:
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
                           resolve_as_of(day(as_of)), show_names)
    if fmt == "csv":
        write_text(render_csv(result), output)
    elif fmt == "markdown":
        write_text(render_markdown(result), output)
    else:
        print_or_write(settings, lambda console: render_terminal(result, console), output)
    if fmt != "terminal" or output is not None:  # the terminal view prints it itself
        click.echo(result.rerun_hint, err=True)


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--fail-on-regression", is_flag=True,
              help="Exit 1 if any scheme has a new gap or a control that got worse.")
@click.pass_obj
@user_errors
def compare(settings: Settings, old: Path, new: Path, fmt: str, output: Path | None,
            fail_on_regression: bool) -> None:
    """Show what changed between two JSON results of report or score.

    Schemes are matched by scheme_id: score and rating before and after, new gaps,
    resolved gaps, controls that regressed or improved, and schemes added or removed.

    \b
    Example:
      youthscheme-audit score q1/*.csv --format json -o q1.json
      youthscheme-audit score q2/*.csv --format json -o q2.json
      youthscheme-audit compare q1.json q2.json --fail-on-regression
    """
    from youthscheme_audit.compare import (
        compare_results,
        has_regression,
        load_result,
        render_json,
        render_terminal,
    )

    before, after = load_result(old), load_result(new)
    result = compare_results(before, after, str(old), str(new))
    if fmt == "json":
        write_text(render_json(result), output)
    else:
        print_or_write(settings, lambda console: render_terminal(result, console), output)
    if fail_on_regression and has_regression(result):
        sys.exit(ExitCode.FINDINGS)
