"""The questionnaire workbook: written by `form`, filled as a lead would, read back by `report`.

Every workbook here is written through the real command and filled with openpyxl the way
a person edits a spreadsheet: cells found by their header text and control id, a sheet
sorted, a blank row inserted, answers typed loosely.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from openpyxl.worksheet.worksheet import Worksheet
from walk_support import PROFILE, SETS

from youthscheme_audit.answers import AnswerRecord, AnswersFile, load_answers
from youthscheme_audit.catalog import Catalog
from youthscheme_audit.cli import main
from youthscheme_audit.engine import not_applicable_reason
from youthscheme_audit.models import Answer

ALLOWED = "yes, no, partly, not applicable, don't know"
TYPED = {  # how a lead might type each answer, and what it means
    Answer.YES: "Yes ", Answer.NO: "NO", Answer.PARTIAL: "partly", Answer.NA: "N/A",
    Answer.UNKNOWN: "dont know",
}


def run(*args: str, lines: list[str] | None = None) -> Result:
    text = "".join(f"{line}\n" for line in lines) if lines is not None else None
    return CliRunner().invoke(main, list(args), input=text)


def make_form(tmp_path: Path, *args: str, name: str = "q.xlsx") -> Path:
    path = tmp_path / name
    result = run("form", *args, "-o", str(path))
    assert result.exit_code == 0, result.output
    assert f"wrote {path}" in result.stderr
    return path


def headers(ws: Worksheet) -> dict[str, int]:
    """Column number by the first word of the header, as a person reads the header row."""
    return {str(c.value).split()[0].casefold(): c.column for c in ws[1] if c.value}


def control_sheets(book: Any) -> Iterator[Worksheet]:
    for ws in book.worksheets:
        if ws.cell(1, 1).value == "Control ID":
            yield ws


def row_of(book: Any, cid: str) -> tuple[Worksheet, int]:
    """The sheet and row holding control ``cid`` (wherever sorting put it)."""
    for ws in control_sheets(book):
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, 1).value == cid:
                return ws, row
    raise AssertionError(f"{cid} is not in the workbook")


def fill(path: Path, answers: dict[str, tuple[str, str, str, str]],
         profile: dict[str, Any] | None = None) -> None:
    """Type answers (answer, note, evidence, owner) and profile values into the workbook."""
    book = openpyxl.load_workbook(path)
    for cid, values in answers.items():
        ws, row = row_of(book, cid)
        cols = headers(ws)
        for key, value in zip(("answer", "note", "evidence", "owner"), values, strict=True):
            if value:
                ws.cell(row, cols[key], value)
    if profile:
        ws = book["About the scheme"]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for name, value in profile.items():
            ws.cell(rows[name], headers(ws)["answer"], value)
    book.save(path)


def sort_sheet(path: Path, sheet: str, blank_row_at: int | None = None) -> None:
    """Sort a sheet's rows by answer then id, descending, as a lead sorting might; add a
    blank row and a column of the lead's own."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    width = ws.max_column
    rows = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(2, ws.max_row + 1)]
    answer = headers(ws)["answer"] - 1
    rows.sort(key=lambda r: (str(r[answer] or ""), r[0]), reverse=True)
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values, 1):
            ws.cell(r, c).value = value  # cell(r, c, None) would keep the old value
    ws.cell(1, width + 1, "My remarks")
    ws.cell(2, width + 1, "ask Jo about this")
    if blank_row_at is not None:
        ws.insert_rows(blank_row_at)
    book.save(path)


def planned_answers(ids: list[str]) -> dict[str, tuple[Answer, str, str, str]]:
    """Every kind of answer over the applicable controls, some with notes, evidence and
    owners, and every seventh left blank."""
    kinds = list(Answer)
    out = {}
    for n, cid in enumerate(ids):
        if n % 7 == 6:
            continue
        answer = kinds[n % len(kinds)]
        note = f"note on {cid}" if answer is not Answer.YES or n % 3 == 0 else ""
        if answer is Answer.NA and n % 2:
            note = ""  # not applicable without a reason: unverified, in both forms
        evidence = f"Record {n}, 3 Sept 2026" if answer is Answer.YES and n % 2 == 0 else ""
        owner = f"Owner {n}" if answer in (Answer.NO, Answer.PARTIAL) else ""
        out[cid] = (answer, note, evidence, owner)
    return out


def as_yaml(tmp_path: Path, catalog: Catalog,
            planned: dict[str, tuple[Answer, str, str, str]]) -> Path:
    path = tmp_path / "same.answers.yaml"
    AnswersFile(assessor="Sam", checklists=catalog.versions(), profile=dict(PROFILE), answers={
        cid: AnswerRecord(a, note, evidence, owner) for cid, (a, note, evidence, owner)
        in planned.items()}).save(path)
    return path


def report_json(path: Path, out: Path) -> dict[str, Any]:
    result = run("report", str(path), "--format", "json", "-o", str(out), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def without_times(schemes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for scheme in schemes:
        for finding in scheme["findings"]:
            finding.pop("answered_at")
    return schemes


def test_filled_workbook_reports_exactly_as_the_same_answers_file(
        catalog: Catalog, ids: list[str], tmp_path: Path) -> None:
    path = make_form(tmp_path, "--scheme-name", str(PROFILE["scheme_name"]), "--assessor", "Sam")
    planned = planned_answers(ids)
    typed = {cid: (TYPED[a], note, evidence, owner)
             for cid, (a, note, evidence, owner) in planned.items()}
    profile = {k: ("no" if v is False else v) for k, v in PROFILE.items() if k != "scheme_name"}
    profile["scheme_type"] = "Unofficial"  # a choice typed rather than picked
    fill(path, typed, profile)
    first_area = catalog.controls[ids[0]].area_title
    sort_sheet(path, first_area, blank_row_at=3)

    from_book = report_json(path, tmp_path / "book.json")
    from_yaml = report_json(as_yaml(tmp_path, catalog, planned), tmp_path / "yaml.json")
    assert without_times(from_book["schemes"]) == without_times(from_yaml["schemes"])
    statuses = {f["status"] for f in from_book["schemes"][0]["findings"]}
    assert {"met", "gap", "partial", "unverified", "not_applicable"} <= statuses

    book, same = load_answers(path, catalog), load_answers(tmp_path / "same.answers.yaml", catalog)
    assert book.profile == PROFILE and book.assessor == "Sam"
    assert {cid: (r.answer, r.note, r.evidence, r.owner) for cid, r in book.answers.items()} == \
        {cid: (r.answer, r.note, r.evidence, r.owner) for cid, r in same.answers.items()}


def test_answer_not_allowed_is_refused_with_sheet_row_and_column(
        catalog: Catalog, ids: list[str], tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS)
    fill(path, {ids[0]: ("yes", "", "", ""), ids[1]: ("maybe", "", "", "")})
    book = openpyxl.load_workbook(path)
    ws, row = row_of(book, ids[1])
    column = openpyxl.utils.get_column_letter(headers(ws)["answer"])
    out = tmp_path / "report.json"
    result = run("report", str(path), "--format", "json", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {path}: sheet '{ws.title}', row {row}, column {column} (Answer): 'maybe' is "
        f"not one of {ALLOWED}")
    assert not out.exists()


def test_profile_value_outside_its_choices_is_refused(tmp_path: Path) -> None:
    path = make_form(tmp_path)
    fill(path, {}, {"host_type": "church"})
    result = run("report", str(path))
    assert result.exit_code == 2
    assert "sheet 'About the scheme', row" in result.stderr
    assert "column C (Answer): host setting must be one of school, community, police, other, " \
           "not 'church'" in result.stderr


def test_unknown_control_id_is_refused(ids: list[str], tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS)
    book = openpyxl.load_workbook(path)
    ws, row = row_of(book, ids[0])
    ws.cell(row, 1, "ZZZ-99")
    ws.cell(row, headers(ws)["answer"], "yes")
    book.save(path)
    result = run("report", str(path))
    assert result.exit_code == 2
    assert f"sheet '{ws.title}', row {row}, column A (Control ID): 'ZZZ-99' is not a control " \
           "in the checklists in use" in result.stderr


def test_a_row_without_its_id_or_a_sheet_without_its_answer_column_is_refused(
        ids: list[str], tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS)
    fill(path, {ids[0]: ("yes", "", "DBS log", "")})
    book = openpyxl.load_workbook(path)
    ws, row = row_of(book, ids[0])
    ws.cell(row, 1).value = None
    book.save(path)
    result = run("report", str(path))
    assert result.exit_code == 2
    assert f"sheet '{ws.title}', row {row}, column A (Control ID): this row has an answer, " \
           "note, evidence or owner but no control id" in result.stderr
    ws.cell(row, 1, ids[0])
    ws.cell(1, headers(ws)["answer"], "Response")
    book.save(path)
    result = run("report", str(path))
    assert result.exit_code == 2
    assert f"sheet '{ws.title}', row 1, column A (Control ID): the header row has no 'Answer' " \
           "column" in result.stderr


def test_older_workbook_warns_of_controls_it_lacks_and_refuses_ids_now_gone(
        catalog: Catalog, ids: list[str], tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS)
    lost = ids[-1]  # a control "added since": its row is not in the old workbook
    area = catalog.controls[lost].area
    book = openpyxl.load_workbook(path)
    ws, row = row_of(book, lost)
    ws.delete_rows(row)
    versions = book["How to fill in"]
    version_row = next(r for r in range(1, versions.max_row + 1)
                       if versions.cell(r, 1).value == area)
    versions.cell(version_row, 3, "2025.1")
    book.save(path)
    fill(path, {ids[0]: ("yes", "", "DBS log", "")})
    result = run("report", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    now = catalog.areas[[a.id for a in catalog.areas].index(area)].version
    assert (f"warning: {path}: made from older checklists ({area} 2025.1, now {now}): 1 control "
            f"of the checklists in use is not in the workbook and stays unverified: {lost}"
            ) in result.stderr
    findings = {f["control_id"]: f for f in json.loads(result.stdout)["schemes"][0]["findings"]}
    assert findings[lost]["status"] == "unverified" and findings[ids[0]]["status"] == "met"

    book = openpyxl.load_workbook(path)
    ws, row = row_of(book, ids[0])
    ws.cell(row, 1, "OLD-01")  # a control the checklists have dropped since
    book.save(path)
    result = run("report", str(path))
    assert result.exit_code == 2
    assert "'OLD-01' is no longer a control in the checklists in use: this workbook was made " \
           f"from older checklists ({area} 2025.1, now {now}); controls no longer in them: " \
           "OLD-01" in result.stderr


def test_walk_imports_the_workbook_and_asks_only_what_is_open(
        catalog: Catalog, ids: list[str], tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS, "--assessor", "Sam")
    given = {ids[1]: ("no", "not written down", "", "Jo"), ids[4]: ("partly", "", "", ""),
             ids[-1]: ("yes", "", "Minutes 2026-09-03", "")}
    fill(path, given)
    result = run("walk", "--answers", str(path), lines=["y"] * (len(ids) - len(given)))
    assert result.exit_code == 0, result.output
    target = tmp_path / "q.answers.yaml"
    assert f"Imported 3 answers from {path} into {target}" in result.output
    saved = load_answers(target, catalog)
    assert set(saved.answers) == set(ids) and saved.assessor == "Sam"
    assert saved.answers[ids[1]] == AnswerRecord(Answer.NO, "not written down", "", "Jo", "")
    assert saved.answers[ids[4]].answer is Answer.PARTIAL
    assert saved.answers[ids[-1]].evidence == "Minutes 2026-09-03"
    assert all(saved.answers[c].answer is Answer.YES for c in ids if c not in given)
    assert (tmp_path / "q.answers.html").exists()

    before = target.read_text()
    again = run("walk", "--answers", str(path), lines=["y"])
    assert again.exit_code == 2
    assert f"{target} already exists" in again.stderr and "pass it to --answers" in again.stderr
    assert target.read_text() == before


def test_a_note_without_an_answer_is_not_an_answer_and_says_so(ids: list[str],
                                                              tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS)
    fill(path, {ids[0]: ("", "asked the school", "", "Jo"), ids[1]: ("yes", "", "", "")})
    result = run("report", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert f"warning: {path}: {ids[0]}: a note, evidence or owner but no answer; counted as " \
           "not answered" in result.stderr
    findings = {f["control_id"]: f for f in json.loads(result.stdout)["schemes"][0]["findings"]}
    assert findings[ids[0]]["reason"] == "not answered yet"


def test_score_reads_a_workbook_beside_the_register(tmp_path: Path) -> None:
    register = Path(__file__).resolve().parent.parent / "examples" / "register.xlsx"
    path = make_form(tmp_path, "--set", "scheme_id=S-001", "--set", "scheme_type=unofficial")
    result = run("score", str(register), "--answers", str(path), "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "1 of 1 answers file matched a scheme in the register" in result.output
    (tmp_path / "~$q.xlsx").write_bytes(b"Excel's lock file")  # a folder of them, as shared
    shutil.copy(Path(__file__).resolve().parent.parent / "examples" / "self-assessments"
                / "eastfield-vpc.yaml", tmp_path / "eastfield.yaml")
    folder = run("score", str(register), "--answers", str(tmp_path), "--as-of", "2026-11-22")
    assert folder.exit_code == 0, folder.output
    assert "2 of 2 answers files matched a scheme in the register" in folder.output


def test_a_workbook_is_not_a_spot_audit_file(tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS)
    result = run("walk", "--mode", "spot", "--self", str(path), "--answers", str(path))
    assert result.exit_code == 2 and "give it to --self" in result.stderr
    assert not (tmp_path / "q.answers.yaml").exists()


def test_one_sheet_per_area_with_drop_downs_of_exactly_the_allowed_answers(
        catalog: Catalog, tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS)
    book = openpyxl.load_workbook(path)
    sheets = list(control_sheets(book))
    assert len(sheets) == len(catalog.areas)
    for ws, area in zip(sheets, catalog.areas, strict=True):  # one sheet per area
        assert area.title.startswith(ws.title) and len(ws.title) <= 31
        assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == list(area.control_ids)
        answer = openpyxl.utils.get_column_letter(headers(ws)["answer"])
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert [dv.formula1 for dv in lists] == ['"yes,no,partly,not applicable,don\'t know"']
        assert str(lists[0].sqref) == f"{answer}2:{answer}{ws.max_row}"
        assert lists[0].showErrorMessage
    profile = book["About the scheme"]
    choices = {dv.formula1 for dv in profile.data_validations.dataValidation if dv.type == "list"}
    for field in catalog.profile:
        if field.type == "choice":
            assert f'"{",".join(field.choices)}"' in choices
    assert '"yes,no"' in choices


def test_sheets_are_protected_frozen_and_set_up_for_a4(catalog: Catalog, tmp_path: Path) -> None:
    path = make_form(tmp_path, *SETS)
    book = openpyxl.load_workbook(path)
    seen = []
    for ws in control_sheets(book):
        cols = headers(ws)
        assert ws.protection.sheet and not ws.protection.password
        assert ws.protection.autoFilter is False and ws.protection.sort is False  # allowed
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$1:$1"
        assert "Evidence reference (document, record, date)" in [c.value for c in ws[1]]
        for row in range(2, ws.max_row + 1):
            cid = ws.cell(row, 1).value
            seen.append(cid)
            ruled_out = not_applicable_reason(catalog.controls[cid], PROFILE) is not None
            applies = ws.cell(row, cols["applies"]).value
            assert applies.startswith("No: ") == ruled_out
            assert ws.cell(row, cols["question"]).protection.locked
            for key in ("answer", "note", "evidence", "owner"):
                assert ws.cell(row, cols[key]).protection.locked == ruled_out
    assert sorted(seen) == sorted(catalog.controls)


def test_without_a_profile_every_control_says_where_it_applies(catalog: Catalog,
                                                              tmp_path: Path) -> None:
    path = make_form(tmp_path)
    book = openpyxl.load_workbook(path)
    words = {}
    for ws in control_sheets(book):
        col = headers(ws)["applies"]
        words |= {ws.cell(r, 1).value: ws.cell(r, col).value for r in range(2, ws.max_row + 1)}
    assert set(words) == set(catalog.controls)
    assert all(w.startswith("For ") for w in words.values())
    conditional = [c for c in catalog.controls.values() if c.when]
    assert all(" only when " in words[c.id] for c in conditional)


def test_workbook_opens_with_calamine(catalog: Catalog, tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(make_form(tmp_path, *SETS)))
    assert book.sheet_names[:2] == ["How to fill in", "About the scheme"]
    rows = book.get_sheet_by_name(book.sheet_names[2]).to_python()
    assert rows[0][0] == "Control ID" and rows[1][0] == catalog.areas[0].control_ids[0]


def test_form_refuses_to_overwrite_a_workbook_and_other_names(tmp_path: Path) -> None:
    path = make_form(tmp_path)
    before = path.read_bytes()
    result = run("form", "-o", str(path))
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert path.read_bytes() == before
    assert run("form", "-o", str(path), "--force").exit_code == 0
    bad = run("form", "-o", str(tmp_path / "q.ods"))
    assert bad.exit_code == 2 and "must end in .xlsx" in bad.stderr
    bad = run("form", "--set", "host_type=church", "-o", str(tmp_path / "x.xlsx"))
    assert bad.exit_code == 2 and "host setting must be one of" in bad.stderr
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("content", [b"", b"not a zip file"])
def test_a_broken_workbook_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    result = run("report", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {path}: not a readable XLSX workbook " \
                                    "(damaged or not XLSX)"


def test_a_register_workbook_is_not_taken_for_a_questionnaire() -> None:
    register = Path(__file__).resolve().parent.parent / "examples" / "register.xlsx"
    result = run("report", str(register))
    assert result.exit_code == 2
    assert "not a questionnaire workbook from 'youthscheme-audit form'" in result.stderr
