"""A reproducible sample of one scheme's records for an auditor to verify by hand.

The sample is stratified: every row that a register check already flags for the
scheme (a row cited by a ``gap`` or ``unverified`` finding) is always in it, and
the rest of ``size`` is drawn at random from the scheme's other rows with
``random.Random(seed)``. The same register, scheme, table, size, seed and as-of
date always give the same sample. Flagged rows count toward ``size`` but are never
dropped, so a sample can be larger than ``size``.

``select_sample`` is pure (a Register in, a ``Sample`` out); ``render_csv``,
``render_markdown`` and ``render_terminal`` turn a ``Sample`` into text.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from youthscheme_audit.catalog import Catalog
from youthscheme_audit.engine import RegisterEvaluator, SchemeRow
from youthscheme_audit.errors import RegisterError
from youthscheme_audit.models import Status, shown
from youthscheme_audit.registers import Register, Table
from youthscheme_audit.render.common import md_escape
from youthscheme_audit.render.csv_out import write_rows
from youthscheme_audit.tables import TABLES
from youthscheme_audit.values import Unknown

# the tables an auditor samples, and the fields they check by hand on each record
SAMPLE_FIELDS: dict[str, tuple[str, ...]] = {
    "adults": ("role", "dbs_level", "dbs_issue_date", "dbs_update_service",
               "safeguarding_training_date"),
    "activities": ("date", "kind", "arranged_by", "teacher_present", "adults_present",
                   "young_people_present", "risk_assessment_date", "consent_forms"),
}
DEFAULT_SIZE = 10
FLAGGING = (Status.GAP, Status.UNVERIFIED)


@dataclass(frozen=True)
class Flag:
    """Why a register check flags a row: the control, its status and the row message."""

    control_id: str
    status: str
    message: str

    def __str__(self) -> str:
        status = "" if self.status == Status.GAP.value else f" ({self.status})"
        return f"{self.control_id}{status} {self.message}"


@dataclass(frozen=True)
class SampleRow:
    """One sampled record."""

    index: int  # 0-based data row index in the table
    row: int  # the spreadsheet row number
    record: str  # person_id or activity_id ("" when the cell is blank)
    flags: tuple[Flag, ...]  # empty for a random pick
    fields: dict[str, str]  # the key fields as the register shows them
    name: str = ""  # only filled with show_names

    @property
    def picked(self) -> str:
        """``flagged`` or ``random``."""
        return "flagged" if self.flags else "random"

    @property
    def why(self) -> str:
        """Why it was picked: ``flagged: VET-03 ...; TRN-02 ...`` or ``random``."""
        if not self.flags:
            return "random"
        return "flagged: " + "; ".join(str(f) for f in self.flags)


@dataclass(frozen=True)
class Sample:
    """A sample of one scheme's rows of one table."""

    scheme_id: str
    scheme_name: str
    table: str
    key: str  # person_id or activity_id
    seed: int
    size: int  # the size asked for
    as_of: str
    population: int  # the scheme's rows in the table
    flagged: int  # how many of them are flagged (all in the sample)
    fields: tuple[str, ...]  # the key fields shown, in order
    rows: tuple[SampleRow, ...]  # flagged first, then random, each by spreadsheet row
    show_names: bool = False
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def rerun_hint(self) -> str:
        """The line that tells the auditor how to get the same sample again."""
        return f"seed {self.seed}: re-run with --seed {self.seed} for the same sample"


# --- selection -------------------------------------------------------------------------


def display(value: Any) -> str:
    """A register value as the sample shows it: dates ISO, unknown as its raw text."""
    if isinstance(value, Unknown):
        return value.raw
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return shown(value)


def flagged_rows(
    evaluator: RegisterEvaluator, scheme: SchemeRow, table: Table
) -> dict[int, list[Flag]]:
    """Row index -> the flags on it, for every row of ``table`` a check flags for ``scheme``.

    Rows come from the check runs behind the scheme's ``gap`` and ``unverified``
    findings (all of them, not only the ones a finding cites), each flagged with its own
    outcome: a row that fails is a gap, a row that cannot be checked is unverified.
    """
    flags: dict[int, list[Flag]] = {}

    def add(index: int, flag: Flag) -> None:
        entry = flags.setdefault(index, [])
        if flag not in entry:
            entry.append(flag)

    for finding in evaluator.findings(scheme):
        if finding.status not in FLAGGING:
            continue
        for index, check, status in evaluator.flagged_rows(
            finding.control_id, scheme.scheme_id, table
        ):
            message = check.explain(table, index, evaluator.ctx)[3]
            add(index, Flag(finding.control_id, status.value, message))
    return flags


def scheme_indices(table: Table, scheme_id: str) -> list[int]:
    """Every data row index of ``table`` that belongs to ``scheme_id``."""
    ids = table.columns["scheme_id"]
    return [i for i in range(table.nrows) if ids[i] == scheme_id]


def select_sample(
    catalog: Catalog,
    register: Register,
    scheme_id: str,
    table: str = "adults",
    size: int = DEFAULT_SIZE,
    seed: int = 0,
    as_of: dt.date | None = None,
    show_names: bool = False,
) -> Sample:
    """Every flagged row of the scheme, then random other rows up to ``size``."""
    if table not in SAMPLE_FIELDS:
        raise RegisterError(f"cannot sample table '{table}' (tables: {', '.join(SAMPLE_FIELDS)})")
    if size < 0:
        raise RegisterError(f"the sample size must not be negative (got {size})")
    when = as_of or dt.date.today()
    schemes = register.tables.get("schemes")
    where = schemes.source if schemes is not None else None
    evaluator = RegisterEvaluator(catalog, register, when)  # names never in messages
    scheme = evaluator.scheme(scheme_id, where)
    data = register.tables.get(table)
    if data is None:
        raise RegisterError(f"the register has no {table} table to sample", where)
    key = TABLES[table].key or ""
    notes = []
    if key not in data.columns:
        notes.append(f"the {table} table has no {key} column; records are named by row")
    population = scheme_indices(data, scheme.scheme_id)
    flags = flagged_rows(evaluator, scheme, data)
    members = set(population)
    flagged = sorted(i for i in flags if i in members)
    rest = [i for i in population if i not in flags]
    draw = max(0, min(size - len(flagged), len(rest)))
    picked = sorted(random.Random(seed).sample(rest, draw))
    fields = SAMPLE_FIELDS[table]
    missing = [f for f in fields if f not in data.columns]
    if missing:
        notes.append(f"the {table} table has no {', '.join(missing)} column"
                     f"{'s' if len(missing) > 1 else ''}; shown blank")
    rows = tuple(_row(data, i, key, fields, tuple(flags.get(i, ())), show_names)
                 for i in [*flagged, *picked])
    return Sample(
        scheme_id=scheme.scheme_id, scheme_name=scheme.scheme_name, table=table, key=key,
        seed=seed, size=size, as_of=when.isoformat(), population=len(population),
        flagged=len(flagged), fields=fields, rows=rows, show_names=show_names,
        sources=register.sources, notes=tuple(notes),
    )


def _row(table: Table, index: int, key: str, fields: Iterable[str], flags: tuple[Flag, ...],
         show_names: bool) -> SampleRow:
    def cell(column: str) -> str:
        values = table.columns.get(column)
        return display(values[index]) if values is not None else ""

    name = cell("name") if show_names and table.name == "adults" else ""
    return SampleRow(index=index, row=table.row_number(index), record=cell(key), flags=flags,
                     fields={f: cell(f) for f in fields}, name=name)


# --- rendering -------------------------------------------------------------------------


def columns(sample: Sample) -> list[str]:
    """The output columns, in order (CSV headers; other formats use the same order)."""
    names = ["name"] if sample.show_names and sample.table == "adults" else []
    return [sample.key or "record", *names, "row", "picked", "why", *sample.fields, "verified"]


def cells(sample: Sample, row: SampleRow) -> list[str]:
    """One sampled row's cells, in ``columns`` order (``verified`` left blank)."""
    names = [row.name] if sample.show_names and sample.table == "adults" else []
    return [row.record, *names, str(row.row), row.picked, row.why,
            *(row.fields[f] for f in sample.fields), ""]


def render_csv(sample: Sample) -> str:
    """A clean table: one row per sampled record, the seed in a ``sample_seed`` column."""
    out = io.StringIO()
    write_rows(out, ["sample_seed", "scheme_id", "table", *columns(sample)],
               ([str(sample.seed), sample.scheme_id, sample.table, *cells(sample, row)]
                for row in sample.rows))
    return out.getvalue()


def summary_line(sample: Sample) -> str:
    """What the sample is, in one line."""
    return (f"{len(sample.rows)} of {sample.population} {sample.table} rows "
            f"({sample.flagged} flagged by register checks, "
            f"{len(sample.rows) - sample.flagged} at random; size {sample.size}), "
            f"as of {sample.as_of}, seed {sample.seed}")


def render_markdown(sample: Sample) -> str:
    """A markdown worksheet: heading with the seed, a table with an empty verified column."""
    scheme = f"{md_escape(sample.scheme_name)} ({md_escape(sample.scheme_id)})"
    title = f"Sample of {sample.table} records: {scheme}"
    lines = [f"# {title}", "", f"- {md_escape(summary_line(sample))}",
             f"- {md_escape(sample.rerun_hint)}"]
    if sample.sources:
        lines.append(f"- register: {md_escape(', '.join(sample.sources))}")
    lines += [f"- note: {md_escape(n)}" for n in sample.notes]
    lines.append("")
    if not sample.rows:
        lines.append(f"No {sample.table} rows for this scheme.")
        return "\n".join(lines) + "\n"
    header = columns(sample)
    lines.append("| " + " | ".join(md_escape(h) for h in header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in sample.rows:
        lines.append("| " + " | ".join(md_escape(c) for c in cells(sample, row)) + " |")
    lines += ["", "## Checklist", ""]
    for row in sample.rows:
        who = f"{sample.key or 'row'} {row.record}" if row.record else f"row {row.row}"
        lines.append(f"- [ ] {md_escape(who)} (row {row.row}, {row.picked})")
    return "\n".join(lines) + "\n"


# short column headings for a terminal table
TERMINAL_HEADINGS = {
    "dbs_level": "DBS level", "dbs_issue_date": "DBS issued",
    "dbs_update_service": "update svc", "safeguarding_training_date": "trained",
    "arranged_by": "arranged by", "teacher_present": "teacher", "adults_present": "adults",
    "young_people_present": "young people", "risk_assessment_date": "risk assessed",
    "consent_forms": "consents",
}


MIN_WIDTHS = {"row": 3, "picked": 7, "person_id": 6, "activity_id": 6, "date": 10,
              "dbs_issue_date": 10, "safeguarding_training_date": 10,
              "risk_assessment_date": 10, "verified": 8}


def render_terminal(sample: Sample, console: Any) -> None:
    """A rich table on ``console``, then why each flagged record was picked.

    All register text is printed as text, never as console markup.
    """
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    from youthscheme_audit.render.terminal import clean

    console.print(Text(f"Sample of {sample.table} records: {clean(sample.scheme_name)} "
                       f"({clean(sample.scheme_id)})", style="bold"))
    console.print(Text(clean(summary_line(sample))))
    console.print(Text(clean(sample.rerun_hint)))
    for note in sample.notes:
        console.print(Text(f"note: {clean(note)}", style="yellow"))
    if not sample.rows:
        console.print(Text(f"No {sample.table} rows for this scheme."))
        return
    names = sample.show_names and sample.table == "adults"
    table = RichTable(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in [sample.key or "record", *(["name"] if names else []), "row", "picked",
                   *sample.fields, "verified"]:
        table.add_column(TERMINAL_HEADINGS.get(column, column), overflow="fold",
                         min_width=MIN_WIDTHS.get(column, 4))
    for row in sample.rows:
        values = [row.record, *([row.name] if names else []), str(row.row), row.picked,
                  *(row.fields[f] for f in sample.fields), ""]
        table.add_row(*(Text(clean(v)) for v in values), style="yellow" if row.flags else "")
    console.print(table)
    flagged = [row for row in sample.rows if row.flags]
    if flagged:
        console.print(Text("Why flagged:", style="bold"))
        for row in flagged:
            who = f"{sample.key} {row.record}" if row.record else "record"
            for flag in row.flags:
                console.print(Text(clean(f"  {who} (row {row.row}): {flag}")))
