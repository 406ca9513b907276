"""``score -o DIR``: one report per scheme, so each lead gets their own gap list, plus an index.

The set is written into a new folder beside DIR (``.DIR.new``), made durable once,
then swapped in whole: DIR is renamed aside (``.DIR.old``), the new folder renamed to
DIR, and the old one removed. Killed at any moment, DIR holds the old complete set or
the new one; the next run finds what an interrupted one left (a half-written
``.DIR.new``, or a swap cut between its two renames), puts it right and says what it
did. Only a folder of our own reports (or an empty or absent one) is ever replaced,
and every error names DIR, never a temporary folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from youthscheme_audit.errors import OutputError
from youthscheme_audit.models import Progress
from youthscheme_audit.render import Format, renderer
from youthscheme_audit.render.common import gap_counts, safe_name
from youthscheme_audit.render.force import self_cells
from youthscheme_audit.render.json_out import text as json_text
from youthscheme_audit.report import league

EXTENSIONS = {Format.TERMINAL: ".txt", Format.MARKDOWN: ".md", Format.HTML: ".html",
              Format.JSON: ".json", Format.CSV: ".csv"}
INDEX_NAMES = {Format.HTML: "index.html", Format.JSON: "index.json",
               Format.CSV: "index.csv"}  # otherwise index.md
INDEXES = frozenset(INDEX_NAMES.values()) | {"index.md"}
INDEX_COLUMNS = ("rank", "scheme_id", "scheme_name", "scheme_type", "rating", "score",
                 "coverage", "critical", "high", "medium", "low", "file")
Say = Callable[[str], None]


# what a scheme's own report shows but the index does not: not kept once it is written
PER_SCHEME_ONLY = frozenset({"findings", "actions", "divergences", "in_scope", "audit"})


def issues_by_scheme(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Data-quality issues grouped by scheme id ('' for issues tied to no scheme)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for issue in report.get("data_quality") or ():
        out.setdefault(issue.get("scheme_id") or "", []).append(issue)
    return out


def single_report(report: dict[str, Any], scheme: dict[str, Any],
                  issues: list[dict[str, Any]]) -> dict[str, Any]:
    """The batch report cut down to one scheme and its own data-quality issues."""
    summary = {"schemes": 1, "red": 0, "amber": 0, "green": 0,
               "data_quality_issues": len(issues)}
    summary[scheme["rating"]] += 1
    return {**report, "summary": summary, "schemes": [scheme], "data_quality": issues}


def index_rows(report: dict[str, Any], files: dict[int, str]) -> list[dict[str, Any]]:
    """One row per scheme, worst first, naming its report file, with each area's rating
    (the heat map) and, with --answers, self-assessed coverage and overclaims."""
    rows = []
    for s in league(report):
        own, over = self_cells(s)
        rows.append({
            "scheme_id": s["scheme_id"], "scheme_name": s["scheme_name"],
            "scheme_type": s["scheme_type"], "rating": s["rating"], "score": s["score"],
            "coverage": s["coverage"], "open_gaps": gap_counts(s), "file": files[id(s)],
            "areas": {a["area"]: a["rating"] for a in s.get("areas") or ()},
            "self_coverage": own, "overclaims": over,
        })
    return rows


def csv_index(report: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The index as a spreadsheet: first the scheme ids the schemes table does not list
    (rated "unlisted", with their records per table), then every scheme worst first."""
    from io import StringIO

    from youthscheme_audit.render.csv_out import write_rows

    unlisted = [
        ["", u["scheme_id"], "records for a scheme the force does not list: " + "; ".join(
            f"{r['table']} row {r['row']} {r['record']}".rstrip() for r in u["rows"]), "",
         "unlisted", "", "", "", "", "", "", ""]
        for u in report.get("unlisted_schemes") or ()]
    out = StringIO()
    write_rows(out, INDEX_COLUMNS, [*unlisted, *(
        [n, r["scheme_id"], r["scheme_name"], r["scheme_type"], r["rating"],
         "" if r["score"] is None else f"{r['score']:.1f}",
         "" if r["coverage"] is None else f"{r['coverage']:.1f}",
         *(r["open_gaps"][s] for s in ("critical", "high", "medium", "low")), r["file"]]
        for n, r in enumerate(rows, 1))])
    return out.getvalue()


def render_index(fmt: Format, report: dict[str, Any], rows: list[dict[str, Any]],
                 unassigned: list[dict[str, Any]]) -> str:
    """The index page in the format's own kind: HTML, JSON, CSV, or markdown for the rest."""
    if fmt is Format.CSV:
        return csv_index(report, rows)
    if fmt is Format.JSON:
        data: dict[str, Any] = {k: report[k] for k in ("kind", "as_of", "generated_at",
                                                       "tool_version",
                                       "summary", "unlisted_schemes", "picture", "answers")
                if k in report}
        data.update(schemes=rows, data_quality=unassigned)
        return json_text(data)
    from youthscheme_audit.render.templating import render_index as render_template

    html = fmt is Format.HTML
    return render_template("index.html.j2" if html else "index.md.j2", rows, report,
                           unassigned, autoescape=html)


# --- the folder swap ---------------------------------------------------------------------


def siblings(target: Path) -> tuple[Path, Path]:
    """Where a new set is written, and where the old one waits during the swap."""
    return target.with_name(f".{target.name}.new"), target.with_name(f".{target.name}.old")


def is_complete(folder: Path) -> bool:
    """A set is complete once its index exists: the index is always written last."""
    return any((folder / name).is_file() for name in INDEXES)


def replaceable(target: Path, shown: Path) -> bool:
    """Whether ``target`` may be replaced: absent, empty, or a set of our reports (an index
    and report files only). Anything else (a link, a file, someone's folder) is refused;
    errors name ``shown``, the path as the user gave it."""
    if not os.path.lexists(target):
        return False
    if target.is_symlink():
        raise OutputError("is a symbolic link: refusing to replace it (give a real folder)",
                          shown)
    if not target.is_dir():
        raise OutputError("is a file, not a folder: give a folder for the per-scheme reports",
                          shown)
    entries = list(target.iterdir())
    ours = all(p.is_file() and not p.is_symlink() and p.suffix in EXTENSIONS.values()
               for p in entries)
    if entries and not (ours and is_complete(target)):
        raise OutputError("is a folder holding other things than reports written by "
                          "youthscheme-audit: give a new or empty folder, so that nothing "
                          "else is replaced", shown)
    return True


def recover(target: Path, shown: Path) -> list[str]:
    """Put right what an interrupted run left beside ``target``, and say what was done
    (naming the folders as the user's path ``shown`` spells them)."""
    new, old = siblings(target)
    shown_new, shown_old = siblings(shown)
    said = []
    if old.is_dir():
        if os.path.lexists(target):
            shutil.rmtree(old)
            said.append(f"removed {shown_old}, the previous reports an interrupted run had "
                        f"set aside; {shown} holds the complete set it wrote")
        elif is_complete(new):
            os.rename(new, target)
            shutil.rmtree(old)
            said.append(f"an interrupted run stopped between swapping folders: finished the "
                        f"swap, so {shown} holds the complete set that run wrote")
        else:
            os.rename(old, target)
            said.append(f"an interrupted run left {shown} aside: put the previous complete "
                        "set back")
    if new.is_dir():
        shutil.rmtree(new)
        said.append(f"removed {shown_new}, an unfinished set of reports from an interrupted "
                    f"run; {shown} was not touched by it")
    return said


def _durable(folder: Path, names: list[str]) -> None:
    """Flush the whole set to disk once (one sync, not an fsync per file: 22 % of the time
    of 20,000 reports went to those), so the swap never points at unwritten data."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for name in names:  # pragma: no cover - Windows has no os.sync
        with open(folder / name, "rb+") as handle:
            os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable (where the platform allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def swap_in(new: Path, target: Path, existed: bool) -> None:
    """Replace ``target`` by the complete folder ``new``: rename aside, rename in, remove."""
    old = siblings(target)[1]
    if existed:
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if existed:  # put the old set back rather than leave no folder at all
            os.rename(old, target)
        raise
    _fsync_dir(target.parent)
    if existed:
        shutil.rmtree(old)


def _write_set(report: dict[str, Any], folder: Path, form: Format,
               progress: Progress | None = None) -> list[str]:
    """Every scheme's report and then the index into ``folder``; the names written."""
    from youthscheme_audit.render.templating import shared_fragments

    render = renderer(form)
    issues = issues_by_scheme(report)
    taken: set[str] = set()
    files: dict[int, str] = {}
    total = report["summary"]["schemes"]
    kept = []  # what the index needs of each scheme (``schemes`` may be a one-shot iterator)
    with shared_fragments():  # one run's reports: the fragments schemes share made once
        for n, scheme in enumerate(report["schemes"]):
            if progress is not None:
                progress("writing reports", n, total)
            name = safe_name(scheme["scheme_id"], taken) + EXTENSIONS[form]
            own = issues.get(scheme["scheme_id"], [])
            (folder / name).write_text(render(single_report(report, scheme, own)),
                                       encoding="utf-8", newline="")
            summary = {k: v for k, v in scheme.items() if k not in PER_SCHEME_ONLY}
            kept.append(summary)
            files[id(summary)] = name
    report = {**report, "schemes": kept}
    index = INDEX_NAMES.get(form, "index.md")
    (folder / index).write_text(render_index(form, report, index_rows(report, files),
                                             issues.get("", [])), encoding="utf-8", newline="")
    return [*files.values(), index]


def write_per_scheme(report: dict[str, Any], directory: Path, fmt: str,
                     say: Say | None = None, progress: Progress | None = None) -> Path:
    """Write one report per scheme into ``directory`` plus an index; return the index path.

    ``say`` hears what was put right after an interrupted run (see the module docstring);
    ``progress`` how many reports are written.
    """
    form = Format(fmt)
    shown = Path(directory)
    target = Path(os.path.abspath(directory))
    if target == Path(os.path.abspath(os.curdir)) or Path.cwd().is_relative_to(target):
        raise OutputError("is the current folder (or holds it): give a new folder for the "
                          "reports", directory)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for line in recover(target, shown):
            if say is not None:
                say(line)
        existed = replaceable(target, shown)
        new = siblings(target)[0]
        new.mkdir()
    except OSError as exc:
        raise OutputError(f"cannot write the reports ({exc.strerror or exc})",
                          directory) from None
    try:
        names = _write_set(report, new, form, progress)
        _durable(new, names)
        swap_in(new, target, existed)
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        full = exc.errno == errno.ENOSPC
        why = "no space left on the device" if full else exc.strerror or str(exc)
        raise OutputError(f"cannot write the reports ({why}); the folder is unchanged",
                          directory) from None
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return shown / names[-1]
