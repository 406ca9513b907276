"""The questionnaire workbook: the walk's questions as an XLSX a lead fills in a spreadsheet.

``write_workbook`` lays out a first sheet of instructions (with the checklist versions it
was made from), a sheet for the scheme profile, then one sheet per area with one row per
control. ``read_workbook`` reads a filled workbook back as an ``AnswersFile``: rows are
matched by their control id cell (never by position) and columns by their header text,
so a lead who sorts, filters, adds columns or leaves blank rows loses nothing. A cell
that cannot be read is refused with its sheet, row and column, like a bad line of an
answers file.

XlsxWriter writes (see the README's dependency notes); python-calamine reads.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from youthscheme_audit import __version__
from youthscheme_audit.answers import AnswerRecord, AnswersFile, now, parse_answer
from youthscheme_audit.catalog import Catalog, Control, ProfileField, parse_profile_value
from youthscheme_audit.engine import TYPE_WORDS, not_applicable_reason
from youthscheme_audit.errors import AnswersError
from youthscheme_audit.models import Answer, Mode, SchemeType, Severity, shown
from youthscheme_audit.yamlio import atomic_write_bytes

FORMAT = "youthscheme-audit/questionnaire@1"
INSTRUCTIONS_SHEET = "How to fill in"
PROFILE_SHEET = "About the scheme"
ASSESSOR = "assessor"  # the profile sheet's extra row: who filled the workbook in
LABELS = [a.label for a in Answer]  # the drop-down: yes, no, partly, not applicable, don't know
ALLOWED = ", ".join(LABELS)
SHEET_NAME_MAX = 31  # Excel's limit
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_SEARCH_ROWS = 30  # a header row may sit below a few rows a lead added
FORMAT_LABEL = "Workbook format"
MADE_LABEL = "Made on"
VERSION_COLUMNS = ("Checklist", "Title and sheet", "Version", "Controls")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the reader finds it by ``key``, the first words of its header."""

    key: str
    header: str
    width: int


ID, ANSWER, NOTE, EVIDENCE, OWNER = "control id", "answer", "note", "evidence", "owner"
# widths add up to what A4 landscape prints at about 80 %: on screen the answer columns
# sit right of the question, the long help text last
CONTROL_COLUMNS = (
    Column(ID, "Control ID", 8),
    Column("severity", "Severity", 8),
    Column("question", "Question", 38),
    Column("applies", "Applies to this scheme?", 19),  # fits social_media_accounts
    Column(ANSWER, "Answer (choose from the list)", 13),
    Column(NOTE, "Note (what is missing; for not applicable, why)", 22),
    Column(EVIDENCE, "Evidence reference (document, record, date)", 22),
    Column(OWNER, "Owner (who will act on a gap)", 13),
    Column("help", "Help and why it matters", 46),
)
FIELD = "field"
PROFILE_COLUMNS = (
    Column(FIELD, "Field", 22),
    Column("question", "Question", 56),
    Column(ANSWER, "Answer (choose or type)", 26),
    Column("allowed", "Allowed answers and help", 62),
)
SHORT_NAMES = {ID: "Control ID", ANSWER: "Answer", NOTE: "Note", EVIDENCE: "Evidence reference",
               OWNER: "Owner", FIELD: "Field"}
# by font size: characters per unit of column width (a little under what Calibri and
# LibreOffice's Carlito fit) and points per line, measured on LibreOffice's PDF
CHARS_PER_WIDTH = {10: 1.15, 9: 1.5}
LINE_POINTS = {10: 12.75, 9: 10.5}
SEVERITY_COLOURS = {Severity.CRITICAL: "#C00000", Severity.HIGH: "#C55A11"}
INPUT_FILL, GREY_FILL, HEADER_FILL = "#FFF9DB", "#EDEDED", "#DDEBF7"


# --- applicability in words ---------------------------------------------------------------


def applicability(control: Control, profile: dict[str, Any]) -> tuple[str | None, str]:
    """(why the profile rules ``control`` out, or None; its applicability in words).

    With no scheme type yet, only a condition the profile does answer can rule a control
    out: the lead may still say this is a whole-force assessment on the profile sheet.
    """
    scheme_type = profile.get("scheme_type")
    probe = profile if scheme_type else {**profile, "scheme_type": _types(control)[0]}
    reason = not_applicable_reason(control, probe)
    if reason is not None:
        return reason, f"No: {reason}"
    # field names, as the profile sheet's Field column and the report's reasons give them
    open_conditions = [c.describe() for c in control.when if c.holds(profile) is None]
    parts = []
    if not scheme_type:
        parts.append("For " + _join([TYPE_WORDS[t][0] for t in _types(control)]))
    if open_conditions:
        parts.append("only when " + " and ".join(open_conditions))
    if not parts:
        return None, "Yes"
    text = ", ".join(parts)
    return None, text[0].upper() + text[1:]


def _types(control: Control) -> list[SchemeType]:
    """The scheme types a control applies to, in the order the enum lists them."""
    return [t for t in SchemeType if t in control.applies_to]


def _join(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --- writing ---------------------------------------------------------------------------


def write_workbook(catalog: Catalog, path: str | Path, profile: dict[str, Any],
                   assessor: str = "") -> None:
    """Write the questionnaire for a scheme with this (partly) preset profile, atomically."""
    import xlsxwriter  # imported lazily: only `form` needs it

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    styles = _Styles(book)
    sheets = _sheet_names([a.title for a in catalog.areas])
    _instructions(book, styles, catalog, profile, sheets)
    _profile_sheet(book, styles, catalog, profile, assessor)
    for area, name in zip(catalog.areas, sheets, strict=True):
        controls = [catalog.controls[c] for c in area.control_ids]
        if controls:
            _area_sheet(book, styles, name, controls, profile)
    book.set_properties({"title": "Self-assessment questionnaire", "comments": FORMAT})
    book.close()
    atomic_write_bytes(path, buffer.getvalue())


class _Styles:
    """The cell formats of the workbook, made once."""

    def __init__(self, book: Any) -> None:
        base = {"text_wrap": True, "valign": "top", "font_size": 10, "border": 1,
                "border_color": "#BFBFBF"}
        self.header = book.add_format({**base, "bold": True, "bg_color": HEADER_FILL})
        self.text = book.add_format(base)
        self.bold = book.add_format({"bold": True, "font_size": 10})
        self.id = book.add_format({**base, "bold": True})
        self.severity = {s: book.add_format({**base, "bold": True,
                                             "font_color": SEVERITY_COLOURS.get(s, "#000000")})
                         for s in Severity}
        self.help = book.add_format({**base, "font_size": 9, "font_color": "#404040"})
        self.input = book.add_format({**base, "locked": False, "bg_color": INPUT_FILL})
        grey = {"bg_color": GREY_FILL, "font_color": "#767676"}
        self.grey = book.add_format({**base, **grey})
        self.grey_help = book.add_format({**base, **grey, "font_size": 9})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.topic = book.add_format({"bold": True, "valign": "top", "font_size": 10})
        self.prose = book.add_format({"text_wrap": True, "valign": "top", "font_size": 10})


def _sheet_names(titles: Sequence[str]) -> list[str]:
    """Area titles as valid, unique sheet names (Excel allows 31 characters)."""
    taken = {INSTRUCTIONS_SHEET.casefold(), PROFILE_SHEET.casefold(), "history"}
    out = []
    for title in titles:
        name = " ".join(BAD_SHEET_CHARS.sub(" ", title).split()).strip("'") or "Controls"
        if len(name) > SHEET_NAME_MAX:  # cut at a word and drop a dangling 'and', 'of' ...
            words = name[:SHEET_NAME_MAX + 1].split()[:-1] or [name[:SHEET_NAME_MAX]]
            while len(words) > 1 and words[-1].casefold() in ("and", "or", "of", "the", "&"):
                words.pop()
            name = " ".join(words)
        unique, n = name, 2
        while unique.casefold() in taken:
            suffix = f" ({n})"
            unique, n = name[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
        taken.add(unique.casefold())
        out.append(unique)
    return out


def _protect(sheet: Any) -> None:
    """Lock the sheet without a password; filtering, sorting and resizing stay allowed."""
    sheet.protect("", {"autofilter": True, "sort": True, "format_columns": True,
                       "format_rows": True})


def _print_setup(sheet: Any, header_row: bool = True) -> None:
    """A4 landscape, one page wide, the header row repeated on every page."""
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&L&A&RPage &P of &N")
    if header_row:
        sheet.repeat_rows(0)


def _columns(sheet: Any, styles: _Styles, columns: Sequence[Column]) -> None:
    """The header row and column widths; the header row stays in view when scrolling."""
    for i, column in enumerate(columns):
        sheet.set_column(i, i, column.width)
        sheet.write_string(0, i, column.header, styles.header)
    sheet.set_row(0, _row_height([(c.header, c.width, 10) for c in columns]))
    sheet.freeze_panes(1, 0)


def _row_height(cells: Sequence[tuple[str, int, int]]) -> float:
    """Points a row needs so its wrapped cells show whole: (text, column width, font size).

    Spreadsheets do not all fit row heights to wrapped text when they open a file
    (LibreOffice keeps the default height), so the writer works it out.
    """
    def lines(text: str, width: int, size: int) -> int:
        per_line = max(1, int(width * CHARS_PER_WIDTH[size]))
        return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))

    return max(LINE_POINTS[size] * lines(text, width, size) + 4 for text, width, size in cells)


def _instructions(book: Any, styles: _Styles, catalog: Catalog, profile: dict[str, Any],
                  sheets: Sequence[str]) -> None:
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    sheet.set_column(0, 0, 24)  # the widths _row_height is given below
    sheet.set_column(1, 1, 92)
    sheet.set_column(2, 3, 11)
    name = profile.get("scheme_name")
    sheet.write_string(0, 0, "Self-assessment questionnaire" + (f": {name}" if name else ""),
                       styles.title)
    row = 2
    for topic, text in _instruction_text(catalog, profile):
        sheet.write_string(row, 0, topic, styles.topic)
        sheet.write_string(row, 1, text, styles.prose)
        sheet.set_row(row, _row_height([(topic, 24, 10), (text, 92, 10)]))
        row += 1
    row += 1
    sheet.write_string(row, 0, "Made from these checklists", styles.topic)
    row += 1
    for i, header in enumerate(VERSION_COLUMNS):
        sheet.write_string(row, i, header, styles.header)
    for area, sheet_name in zip(catalog.areas, sheets, strict=True):
        row += 1
        title = area.title if sheet_name == area.title else f"{area.title} (sheet '{sheet_name}')"
        sheet.write_string(row, 0, area.id, styles.text)
        sheet.write_string(row, 1, title, styles.text)
        sheet.write_string(row, 2, area.version, styles.text)
        sheet.write_number(row, 3, len(area.control_ids), styles.text)
    row += 2
    sheet.write_string(row, 0, FORMAT_LABEL, styles.topic)
    sheet.write_string(row, 1, FORMAT, styles.prose)
    sheet.write_string(row + 1, 0, MADE_LABEL, styles.topic)
    sheet.write_string(row + 1, 1, f"{now()} by youthscheme-audit {__version__}", styles.prose)
    _protect(sheet)
    _print_setup(sheet, header_row=False)
    sheet.fit_to_pages(1, 1)
    sheet.activate()


def _instruction_text(catalog: Catalog, profile: dict[str, Any]) -> list[tuple[str, str]]:
    """The first sheet's explanations, one (topic, text) per row."""
    preset = [f.name for f in catalog.profile if profile.get(f.name) not in (None, "")]
    ruled = ("Rows in grey do not apply to a scheme with the profile given when the workbook "
             "was made; the column 'Applies to this scheme?' says why. " if preset else "")
    return [
        ("What this is", "The questions of the youthscheme-audit self-assessment, one row per "
         "control. Fill it in with Excel or LibreOffice, save it as an Excel workbook (.xlsx) and "
         "send it back: the same answers give the same gap report as the walk in a terminal."),
        ("1. About the scheme", f"Answer the questions on the sheet '{PROFILE_SHEET}' first "
         "(choose from the list where there is one). They decide which controls apply."),
        ("2. One sheet per area", "On each area sheet, answer every question in the column "
         f"'Answer': choose {ALLOWED}. Answer for the scheme as it is today, not as it should "
         "be."),
        ("Blank is never yes", "A question left blank counts as not answered (unverified), "
         "never as met. If you do not know, choose \"don't know\": the control stays "
         "unverified, which is honest."),
        ("Yes on critical and high", "A \"yes\" on a critical or high control needs an evidence "
         "reference: what a checker could look at (a document, a record, a date), for example "
         "\"DBS log, row 14, checked 3 Sept 2026\". Without one it is claimed, not shown, and a "
         "scheme whose critical controls are not all shown cannot be rated green."),
        ("Not applicable", "\"not applicable\" needs the reason in the column 'Note'. Without a "
         "reason it counts as unverified."),
        ("No or partly", "Say in 'Note' what is missing, and in 'Owner' who will put it right."),
        ("Applies to this scheme?", ruled + "\"Only when ...\" names a profile answer it "
         "depends on. Whatever this column says, the report works out which controls apply "
         f"from your answers on '{PROFILE_SHEET}'."),
        ("Sorting and filtering", "The filter buttons in the header row work. Answers are matched "
         "by control id, so any order is fine; do not change the 'Control ID' cells or the "
         "header row. Question cells are locked to keep them intact; the sheets have no "
         "password, so to sort in Excel choose Review > Unprotect Sheet first."),
        ("Sending it back", "Keep the file as .xlsx. Whoever runs youthscheme-audit reads it with "
         "'youthscheme-audit report questionnaire.xlsx', or carries on in a terminal with "
         "'youthscheme-audit walk --answers questionnaire.xlsx'."),
    ]


def _profile_sheet(book: Any, styles: _Styles, catalog: Catalog, profile: dict[str, Any],
                   assessor: str) -> None:
    sheet = book.add_worksheet(PROFILE_SHEET)
    _columns(sheet, styles, PROFILE_COLUMNS)
    sheet.write_string(1, 0, ASSESSOR, styles.id)
    sheet.write_string(1, 1, "Your name (the person filling in this workbook)", styles.text)
    sheet.write_string(1, 2, assessor, styles.input)
    sheet.write_string(1, 3, "Any text.", styles.help)
    for row, pfield in enumerate(catalog.profile, 2):
        sheet.write_string(row, 0, pfield.name, styles.id)
        sheet.write_string(row, 1, pfield.question, styles.text)
        value = profile.get(pfield.name)
        if isinstance(value, int) and not isinstance(value, bool):
            sheet.write_number(row, 2, value, styles.input)
        else:
            sheet.write_string(row, 2, shown(value), styles.input)
        sheet.write_string(row, 3, _allowed_words(pfield), styles.help)
        widths = [c.width for c in PROFILE_COLUMNS]
        sheet.set_row(row, _row_height([(pfield.question, widths[1], 10),
                                        (_allowed_words(pfield), widths[3], 9)]))
        validation = _field_validation(pfield)
        if validation:
            sheet.data_validation(row, 2, row, 2, validation)
    last = len(catalog.profile) + 1
    sheet.autofilter(0, 0, last, len(PROFILE_COLUMNS) - 1)
    _protect(sheet)
    _print_setup(sheet)


def _allowed_words(pfield: ProfileField) -> str:
    """What a profile answer may be, in words, with the field's help."""
    if pfield.type == "choice":
        allowed = "\n".join(f"{value}: {label}" for value, label in pfield.choices.items())
    else:
        allowed = {"bool": "yes or no", "int": "A whole number.", "text": "Any text."}[pfield.type]
    return f"{allowed}\n{pfield.help}" if pfield.help else allowed


def _field_validation(pfield: ProfileField) -> dict[str, Any] | None:
    """The drop-down (or number check) for a profile answer cell."""
    if pfield.type in ("choice", "bool"):
        values = list(pfield.choices) if pfield.type == "choice" else ["yes", "no"]
        return {"validate": "list", "source": values, "error_title": "Not one of the choices",
                "error_message": f"Choose one of: {', '.join(values)}."}
    if pfield.type == "int":
        return {"validate": "integer", "criteria": ">=", "value": 0,
                "error_title": "Not a whole number", "error_message": "Type a whole number."}
    return None


def _area_sheet(book: Any, styles: _Styles, name: str, controls: Sequence[Control],
                profile: dict[str, Any]) -> None:
    sheet = book.add_worksheet(name)
    _columns(sheet, styles, CONTROL_COLUMNS)
    col = {c.key: i for i, c in enumerate(CONTROL_COLUMNS)}
    for row, control in enumerate(controls, 1):
        ruled_out, words = applicability(control, profile)
        grey = styles.grey if ruled_out else None
        sheet.write_string(row, col[ID], control.id, grey or styles.id)
        sheet.write_string(row, col["severity"], control.severity.value,
                           grey or styles.severity[control.severity])
        sheet.write_rich_string(row, col["question"], styles.bold, control.title,
                                "\n" + control.question, grey or styles.text)
        sheet.write_string(row, col["applies"], words, grey or styles.text)
        for key in (ANSWER, NOTE, EVIDENCE, OWNER):
            sheet.write_blank(row, col[key], None, grey or styles.input)
        sheet.write_string(row, col["help"], _help_text(control),
                           styles.grey_help if ruled_out else styles.help)
        width = {c.key: c.width for c in CONTROL_COLUMNS}
        sheet.set_row(row, _row_height([
            (f"{control.title}\n{control.question}", width["question"], 10),
            (words, width["applies"], 10), (_help_text(control), width["help"], 9)]))
    last = len(controls)
    sheet.data_validation(1, col[ANSWER], last, col[ANSWER], {
        "validate": "list", "source": LABELS, "error_title": "Not an answer",
        "error_message": f"Choose one of: {ALLOWED}.",
    })
    sheet.autofilter(0, 0, last, len(CONTROL_COLUMNS) - 1)
    _protect(sheet)
    _print_setup(sheet)


def _help_text(control: Control) -> str:
    """Why the control matters, what would show it, and its help, in one cell."""
    parts = [("Why it matters", control.why), ("What would show it", control.evidence),
             ("Help", control.help)]
    return "\n\n".join(f"{title}: {text}" for title, text in parts if text)


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sheet:
    """One sheet's cells as calamine types them (row 0 is spreadsheet row 1)."""

    name: str
    rows: list[list[Any]]

    def cell(self, row: int, col: int) -> Any:
        line = self.rows[row] if row < len(self.rows) else []
        return line[col] if col < len(line) else ""


@dataclass(frozen=True)
class _Cell:
    """Where a cell is, for error messages."""

    path: str
    sheet: str
    row: int  # 0-based
    col: int  # 0-based
    column: str  # the column's short name

    def error(self, message: str) -> AnswersError:
        where = (f"sheet '{self.sheet}', row {self.row + 1}, column {column_letter(self.col)} "
                 f"({self.column})")
        return AnswersError(message, self.path, where=where)


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def read_workbook(path: str | Path, catalog: Catalog) -> AnswersFile:
    """A filled questionnaire as an answers file; AnswersError names the sheet, row, column."""
    path = Path(path)
    p = str(path)
    sheets = _read_sheets(path)
    meta, versions = _meta(sheets, p)
    profile, assessor = _read_profile(sheets, catalog, p)
    answers, stray, present = _read_answers(sheets, catalog, p, versions)
    _warn_missing(catalog, profile, present, stray, versions, p)
    ordered = {c.id: answers[c.id] for c in catalog.ordered() if c.id in answers}
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).astimezone()
    return AnswersFile(
        mode=Mode.SELF, assessor=assessor, started_at=meta.get(MADE_LABEL, ""),
        updated_at=modified.isoformat(timespec="seconds"), checklists=versions,
        profile=profile, answers=ordered,
    )


def _read_sheets(path: Path) -> list[_Sheet]:
    """Every sheet of the workbook, read by python-calamine."""
    from python_calamine import CalamineWorkbook  # imported lazily: the CLI starts faster

    if not path.exists():
        raise AnswersError("file not found", path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        return [_Sheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name in book.sheet_names]
    except Exception as exc:  # calamine raises several types for broken or encrypted files
        detail = "password-protected" if "password" in str(exc).lower() else "damaged or not XLSX"
        raise AnswersError(f"not a readable XLSX workbook ({detail})", path) from None


def _norm(value: Any) -> str:
    """Header or label text compared ignoring case and spacing."""
    return " ".join(str(value).split()).casefold() if isinstance(value, str) else ""


def _meta(sheets: Sequence[_Sheet], p: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The workbook's labelled cells (format, made on) and the checklist versions it records."""
    for sheet in sheets:
        labels = {_norm(row[0]): _cell_text(row[1]) for row in sheet.rows if len(row) > 1}
        if labels.get(_norm(FORMAT_LABEL)) != FORMAT:
            continue
        versions: list[dict[str, str]] = []
        header = next((i for i, row in enumerate(sheet.rows)
                       if [_norm(v) for v in row[:3]] == [_norm(v) for v in VERSION_COLUMNS[:3]]),
                      None)
        for row in sheet.rows[header + 1:] if header is not None else []:
            cid, title, version = (_cell_text(sheet_value) for sheet_value in (row + ["", ""])[:3])
            if not cid:
                break
            versions.append({"id": cid, "title": re.sub(r" \(sheet '.*'\)\Z", "", title),
                             "version": version})
        return {MADE_LABEL: labels.get(_norm(MADE_LABEL), "").split(" by ")[0]}, versions
    raise AnswersError("not a questionnaire workbook from 'youthscheme-audit form' (no "
                       f"'{FORMAT_LABEL}: {FORMAT}' cell); to score a register, use 'score'", p)


def _header(sheet: _Sheet, keys: Sequence[str], p: str) -> tuple[int, dict[str, int]] | None:
    """The header row whose cells include ``keys[0]``, and the column of each known key.

    The first key tells the kind of sheet ('Control ID': an area, 'Field': the profile);
    a sheet of that kind without the other ``keys`` is refused, naming the missing one.
    A header matches a key when its text starts with the key's words, so "Evidence
    reference (document, record, date)" is the evidence column.
    """
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            text = _norm(value)
            for key in (ID, ANSWER, NOTE, EVIDENCE, OWNER, FIELD):
                if text == key or (text.startswith(key) and not text[len(key)].isalnum()):
                    if key in found:
                        raise _Cell(p, sheet.name, r, c, SHORT_NAMES[key]).error(
                            f"two '{SHORT_NAMES[key]}' columns ({column_letter(found[key])} and "
                            f"{column_letter(c)}): keep one")
                    found[key] = c
        if keys[0] not in found:
            continue
        for key in keys[1:]:
            if key not in found:
                raise _Cell(p, sheet.name, r, found[keys[0]], SHORT_NAMES[keys[0]]).error(
                    f"the header row has no '{SHORT_NAMES[key]}' column")
        return r, found
    return None


def _read_profile(sheets: Sequence[_Sheet], catalog: Catalog, p: str,
                  ) -> tuple[dict[str, Any], str]:
    """The profile answers and the assessor, from the sheet with 'Field' and 'Answer' columns."""
    profile: dict[str, Any] = {}
    assessor = ""
    known = ", ".join([ASSESSOR, *(f.name for f in catalog.profile)])
    for sheet in sheets:
        found = _header(sheet, (FIELD, ANSWER), p)
        if found is None:
            continue
        header, cols = found
        for r in range(header + 1, len(sheet.rows)):
            name, value = _norm(sheet.cell(r, cols[FIELD])), sheet.cell(r, cols[ANSWER])
            if not name:
                continue
            text = _cell_text(value)
            if name == ASSESSOR:
                assessor = text
                continue
            pfield = catalog.field(name)
            if pfield is None:
                raise _Cell(p, sheet.name, r, cols[FIELD], "Field").error(
                    f"'{sheet.cell(r, cols[FIELD])}' is not a profile field (allowed: {known})")
            if not text:
                continue  # blank: not given, so a walk carrying on asks it
            try:
                profile[pfield.name] = parse_profile_value(pfield, text)
            except ValueError as exc:
                raise _Cell(p, sheet.name, r, cols[ANSWER], "Answer").error(str(exc)) from None
    return profile, assessor


@dataclass(frozen=True)
class _Row:
    """What one control row of a sheet says, and where its id and answer cells are."""

    cid: str
    answer: Any
    note: str
    evidence: str
    owner: str
    at: _Cell  # the id cell
    answer_at: _Cell

    @property
    def empty(self) -> bool:
        return not any((_cell_text(self.answer), self.note, self.evidence, self.owner))


def _control_rows(sheets: Sequence[_Sheet], p: str) -> Iterator[_Row]:
    """Every non-blank row of every sheet that has 'Control ID' and 'Answer' columns."""
    for sheet in sheets:
        found = _header(sheet, (ID, ANSWER), p)
        if found is None:
            continue
        header, cols = found
        for r in range(header + 1, len(sheet.rows)):
            text = {key: _cell_text(sheet.cell(r, cols[key])) if key in cols else ""
                    for key in (ID, NOTE, EVIDENCE, OWNER)}
            row = _Row(text[ID].upper(), sheet.cell(r, cols[ANSWER]), text[NOTE], text[EVIDENCE],
                       text[OWNER], _Cell(p, sheet.name, r, cols[ID], "Control ID"),
                       _Cell(p, sheet.name, r, cols[ANSWER], "Answer"))
            if row.cid or not row.empty:
                yield row


def _read_answers(sheets: Sequence[_Sheet], catalog: Catalog, p: str,
                  versions: list[dict[str, str]],
                  ) -> tuple[dict[str, AnswerRecord], list[str], set[str]]:
    """Each control's answer, matched by id; the ids with a note but no answer; every id."""
    rows = list(_control_rows(sheets, p))
    unknown = [row for row in rows if row.cid and row.cid not in catalog.controls]
    if unknown:
        raise _unknown_error(unknown, catalog, versions)
    seen: dict[str, _Row] = {}
    for row in rows:
        if not row.cid:
            raise row.at.error("this row has an answer, note, evidence or owner but no control "
                               "id: put the id back (answers are matched by it)")
        if row.cid in seen and not row.empty and not seen[row.cid].empty:
            first = seen[row.cid].at
            raise row.at.error(f"{row.cid} is answered twice (also on sheet '{first.sheet}', "
                               f"row {first.row + 1}): keep one row")
        if row.cid not in seen or not row.empty:
            seen[row.cid] = row
    answers: dict[str, AnswerRecord] = {}
    stray: list[str] = []  # a note, evidence or owner but no answer
    for cid, row in seen.items():
        if _cell_text(row.answer):
            answers[cid] = AnswerRecord(_answer(row), row.note, row.evidence, row.owner)
        elif not row.empty:
            stray.append(cid)
    return answers, stray, set(seen)


def _answer(row: _Row) -> Answer:
    """The row's answer; a spreadsheet's typographic apostrophe (don\u2019t know) is fine."""
    value = row.answer.replace("\u2019", "'") if isinstance(row.answer, str) else row.answer
    if isinstance(value, str | bool):
        try:
            return parse_answer(value)
        except AnswersError:
            pass
    raise row.answer_at.error(f"'{_cell_text(row.answer)}' is not one of {ALLOWED}")


def _changes(catalog: Catalog, versions: list[dict[str, str]]) -> str:
    """How the checklists in use differ from those the workbook was made from ('' if not)."""
    then = {v["id"]: v["version"] for v in versions}
    current = {a.id: a.version for a in catalog.areas}
    if then == current:
        return ""
    out = [f"{aid} {then[aid]}, now {current[aid]}" for aid in current
           if aid in then and then[aid] != current[aid]]
    out += [f"{aid} is new" for aid in current if aid not in then]
    out += [f"{aid} is no longer in use" for aid in then if aid not in current]
    return "; ".join(out)


def _unknown_error(unknown: Sequence[_Row], catalog: Catalog,
                   versions: list[dict[str, str]]) -> AnswersError:
    """The refusal for rows whose control id the checklists in use do not have."""
    changes = _changes(catalog, versions)
    first = unknown[0]
    if not changes:
        return first.at.error(f"'{first.cid}' is not a control in the checklists in use")
    ids = ", ".join(dict.fromkeys(row.cid for row in unknown))
    return first.at.error(
        f"'{first.cid}' is no longer a control in the checklists in use: this workbook was "
        f"made from older checklists ({changes}); controls no longer in them: {ids}. Delete "
        "those rows, or copy the answers into a new workbook from 'youthscheme-audit form'")


def _warn_missing(catalog: Catalog, profile: dict[str, Any], present: set[str],
                  stray: Sequence[str], versions: list[dict[str, str]], p: str) -> None:
    """Say on stderr what stays unverified for a reason the lead may not see."""
    missing = [c.id for c in catalog.ordered() if c.id not in present
               and not_applicable_reason(c, profile) is None]
    if missing:
        changes = _changes(catalog, versions)
        why = f"made from older checklists ({changes}): " if changes else ""
        _warn(f"{p}: {why}{_count(missing, 'control')} of the checklists in use "
              f"{'is' if len(missing) == 1 else 'are'} not in the workbook and stay"
              f"{'s' if len(missing) == 1 else ''} unverified: {', '.join(missing)}")
    if stray:
        _warn(f"{p}: {', '.join(stray)}: a note, evidence or owner but no answer; counted as "
              "not answered (choose an answer to record it)")


def _count(items: Sequence[Any], word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _warn(message: str) -> None:
    """One warning line on stderr: the read goes on (nothing is refused or lost)."""
    print(f"warning: {message}", file=sys.stderr)


def _cell_text(value: Any) -> str:
    """A cell as text: calamine types numbers, dates and booleans; blank is ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else \
            value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
