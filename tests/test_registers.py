"""The register reader: messy XLSX and CSV exports give the same tables and issues."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from youthscheme_audit import registers
from youthscheme_audit.catalog import require_catalog
from youthscheme_audit.engine import RegisterEvaluator
from youthscheme_audit.errors import RegisterError
from youthscheme_audit.models import DataIssue
from youthscheme_audit.registers import Register, read_register, sniff_delimiter
from youthscheme_audit.values import BLANK, Unknown

D = dt.date
NOT_RECOGNISED = "not recognised; ignored (map it with --mapping)"

# Each sheet as rows from spreadsheet row 1; None is an empty cell.
Rows = list[list[Any]]
SCHEMES: Rows = [
    [None, "Oakfield force: scheme register"],
    [],
    [None, "Scheme ID", "Scheme name", "Type", "Host", "Approval date", "Registered centrally",
     "Min age", "Max age", "Notes"],
    [None, "S-01", "Oakfield Mini Police", "Mini Police", "Oakfield Primary School",
     D(2024, 3, 1), True, 9, 11, "ok"],
    [None, "S-02 ", "Bramley Youth Club", "locally run", "village hall", "01/03/2024", "TBC",
     "10", 14.0, None],
    [None, "S-03", "Force VPC", "VPC", "police station", 45123, "Y", "ten", 18, None],
]
ADULTS: Rows = [
    ["Adults register 2024"],
    [None, None, None, "DBS", None, None],  # merged D2:F2 over a two-row header
    ["Scheme", "Staff ID", "Name", "Level", "Issue date", "Update service",
     "Safeguarding training", "Code signed"],
    ["S-01", "P-001", "Ann £Smith", "Enhanced + barred, update service", D(2023, 1, 5),
     "Yes – 2019", "2 March 2024", "Y"],
    ["S-01", 1234, "Bob", "Enhanced", "31/02/2025", "yes", 45123, True],
    ["S-09", "P-003", "Cal", "basic", "03/25/2024", "no", "N/A", "x"],
    [],
    [None, "P-004", "Dee", "Enhanced with children's barred list", "2024-02-29", "TRUE", "TBC",
     "N"],
    ["S-02", "P-005", "Eve", "frog", "01-Mar-2019", "maybe", "1/3/24", "no"],
]
SESSIONS: Rows = [
    ["Scheme ID", "Session ID", "Date", "Type", "Organised by", "Adults", "Young people",
     "Teacher present"],
    ["S-01", "A1", D(2024, 5, 1), "weekly session", "PCSO Smith", 2, 15, "✓"],
    ["S-02", "A2", "14/05/2024", "Day trip", "Oakfield Primary School", "3", "2.5", "✗"],
]
LOOKUPS: Rows = [["code", "meaning"], ["x", "y"]]
SHEETS: dict[str, Rows] = {"Scheme register": SCHEMES, "Volunteers": ADULTS, "Sessions": SESSIONS,
          "Lookups": LOOKUPS}


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with one sheet per entry, cells where the rows put them."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    if "Volunteers" in sheets:
        book["Volunteers"].merge_cells("D2:F2")
        book["Volunteers"].cell(row=14, column=2, value=" ")  # a formatted blank row
    book.save(path)
    return path


def as_csv_cell(value: Any) -> str:
    """A cell as Excel writes it to CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(
            [[as_csv_cell(v) for v in row] for row in rows]
        )
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "register.xlsx", SHEETS)


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "csv"
    folder.mkdir()
    write_csv(folder / "Scheme register.csv", SCHEMES, "utf-8-sig")  # Excel's "CSV UTF-8"
    write_csv(folder / "Volunteers.csv", ADULTS + [[], [" "]], "cp1252")  # old Windows export
    write_csv(folder / "Sessions.csv", SESSIONS)
    write_csv(folder / "Lookups.csv", LOOKUPS)
    return folder


def comparable(register: Register) -> dict[str, Any]:
    """Tables as plain data, Unknowns as (raw, problem)."""
    def plain(v: Any) -> Any:
        return ("?", v.raw, v.problem) if isinstance(v, Unknown) else v
    return {
        name: (t.header_row, t.nrows, {c: [plain(v) for v in vs] for c, vs in t.columns.items()})
        for name, t in register.tables.items()
    }


def issues(register: Register, table: str | None = None) -> list[tuple[Any, ...]]:
    return [
        (d.table, d.row, d.column, d.value, d.problem, d.scheme_id)
        for d in register.data_quality if table is None or d.table == table
    ]


# --- the messy export ------------------------------------------------------------------


def test_xlsx_tables(workbook: Path) -> None:
    reg = read_register([workbook])
    assert list(reg.tables) == ["schemes", "adults", "activities"]
    schemes = reg.tables["schemes"]
    assert schemes.header_row == 3
    assert schemes.source == f"{workbook} [Scheme register]"
    assert schemes.columns["scheme_id"] == ["S-01", "S-02", "S-03"]
    assert schemes.columns["scheme_type"] == ["official", "unofficial", "official"]
    assert schemes.columns["host_type"] == ["school", "community", "police"]
    assert schemes.columns["approval_date"] == [D(2024, 3, 1), D(2024, 3, 1), D(2023, 7, 16)]
    assert schemes.columns["central_registration"][::2] == [True, True]
    assert schemes.columns["central_registration"][1].raw == "TBC"
    assert schemes.columns["age_max"] == [11, 14, 18]
    assert "scheme_name" in schemes.columns and "approval_conditions" not in schemes.columns

    adults = reg.tables["adults"]
    assert adults.header_row == 3  # the lower row of the two-row header
    assert adults.nrows == 6  # the blank row in the middle is kept, trailing blanks trimmed
    assert adults.row_number(0) == 4
    assert adults.columns["person_id"][:2] == ["P-001", "1234"]
    assert adults.columns["name"][0] == "Ann £Smith"
    assert adults.columns["dbs_level"][:3] == ["enhanced_barred", "enhanced", "basic"]
    assert adults.columns["dbs_level"][4] == "enhanced_barred"
    assert adults.columns["dbs_issue_date"][0] == D(2023, 1, 5)
    assert adults.columns["dbs_issue_date"][4] == D(2024, 2, 29)
    assert adults.columns["dbs_update_service"][:3] == [True, True, False]
    assert adults.columns["safeguarding_training_date"][:2] == [D(2024, 3, 2), D(2023, 7, 16)]
    assert adults.columns["code_of_conduct_signed"][:3] == [True, True, True]
    assert all(adults.columns[c][3] is BLANK for c in adults.columns)

    sessions = reg.tables["activities"]
    assert sessions.columns["kind"] == ["session", "offsite"]
    assert sessions.columns["arranged_by"] == ["force", "school"]
    assert sessions.columns["teacher_present"] == [True, False]
    assert sessions.columns["adults_present"] == [2, 3]


EXPECTED_ISSUES = [
    ("Lookups{ext}", 0, "", "", "{kind} 'Lookups{ext}' is not a register table; ignored", ""),
    ("schemes", 3, "Notes", "Notes", f"column 'Notes' {NOT_RECOGNISED}", ""),
    ("schemes", 6, "age_min", "ten", "not a whole number", "S-03"),
    ("adults", 5, "dbs_issue_date", "31/02/2025", "not a real date (31 February 2025)", "S-01"),
    ("adults", 6, "dbs_issue_date", "03/25/2024", "not a day-first date (month 25)", "S-09"),
    ("adults", 8, "scheme_id", "", "row has no scheme_id; not counted", ""),
    ("adults", 9, "dbs_level", "frog", "not one of basic, standard, enhanced, enhanced_barred",
     "S-02"),
    ("adults", 9, "dbs_update_service", "maybe", "not yes or no", "S-02"),
    ("activities", 3, "young_people_present", "2.5", "not a whole number", "S-02"),
]


def expected(kind: str, ext: str) -> list[tuple[Any, ...]]:
    return [tuple(str(x).format(kind=kind, ext=ext) if isinstance(x, str) else x for x in row)
            for row in EXPECTED_ISSUES]


def test_xlsx_issues_carry_the_rows_excel_shows(workbook: Path) -> None:
    reg = read_register([workbook])
    assert issues(reg) == expected("sheet", "")
    book = openpyxl.load_workbook(workbook)
    for issue in reg.data_quality:
        if issue.row and issue.value and issue.table != "Lookups":
            sheet = {"schemes": "Scheme register", "adults": "Volunteers",
                     "activities": "Sessions"}[issue.table]
            row_values = [as_csv_cell(c.value).strip() for c in book[sheet][issue.row]]
            assert issue.value in row_values, issue


def test_csv_gives_the_same_tables_and_issues(workbook: Path, csv_dir: Path) -> None:
    from_xlsx = read_register([workbook])
    from_csv = read_register([csv_dir])
    assert comparable(from_csv) == comparable(from_xlsx)
    cp1252 = ("adults", 0, "", "", "Volunteers.csv was read as Windows-1252, not UTF-8 (first "
              "non-UTF-8 byte on line 4); save it as CSV UTF-8", "")
    found = issues(from_csv)
    assert cp1252 in found  # the encoding used is said, with the first line that needed it
    found.remove(cp1252)
    assert found == expected("file", ".csv")
    assert from_csv.tables["adults"].columns["name"][0] == "Ann £Smith"  # cp1252 decoded
    assert from_csv.tables["schemes"].columns["scheme_id"][0] == "S-01"  # BOM dropped


def test_csv_files_named_one_by_one(csv_dir: Path) -> None:
    files = sorted(csv_dir.glob("*.csv"))
    reg = read_register(files)
    assert set(reg.tables) == {"schemes", "adults", "activities"}
    assert reg.sources == tuple(str(f) for f in files)


def test_rows_across_chunks_keep_their_numbers(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registers, "CHUNK_ROWS", 7)
    rows: list[list[Any]] = [["Register"], ["scheme_id", "person_id", "dbs_issue_date"]]
    rows += [["S-01", f"P-{i}", "01/03/2024" if i % 10 else "31/02/2025"] for i in range(50)]
    write_csv(tmp_path / "schemes.csv", [["scheme_id"], ["S-01"]])
    write_csv(tmp_path / "adults.csv", rows)
    reg = read_register([tmp_path / "schemes.csv", tmp_path / "adults.csv"])
    bad = [d.row for d in reg.data_quality if d.column == "dbs_issue_date"]
    assert bad == [3 + i for i in range(0, 50, 10)]
    adults = reg.tables["adults"]
    assert adults.nrows == 50
    assert all(adults.columns["person_id"][r - 3] == f"P-{r - 3}" for r in bad)


# --- layouts ---------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(tmp_path: Path, delimiter: str) -> None:
    write_csv(tmp_path / "schemes.csv",
              [["Scheme ID", "Scheme name", "Min age"], ["S-01", "Oak, Ash", "9,5"]],
              delimiter=delimiter)
    reg = read_register([tmp_path / "schemes.csv"])
    assert reg.tables["schemes"].columns["scheme_name"] == ["Oak, Ash"]


def test_sniff_prefers_the_consistent_delimiter() -> None:
    assert sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n") == ";"
    assert sniff_delimiter("title\n\na,b\n1,2\n") == ","
    assert sniff_delimiter("") == ","


def test_duplicate_and_unknown_headers(tmp_path: Path) -> None:
    write_csv(tmp_path / "schemes.csv",
              [["scheme_id", "Scheme ID", "Favourite colour"], ["S-01", "X", "blue"]])
    reg = read_register([tmp_path / "schemes.csv"])
    assert reg.tables["schemes"].columns == {"scheme_id": ["S-01"]}
    assert [d.problem for d in reg.data_quality] == [
        "column 'Scheme ID' is a second scheme_id column; ignored",
        f"column 'Favourite colour' {NOT_RECOGNISED}",
    ]


def test_top_rows_of_a_two_row_header_fill_unsplit_columns(tmp_path: Path) -> None:
    rows: Rows = [["Scheme", "DBS", None, "Name"], [None, "Level", "Issue date", None],
            ["S-01", "Enhanced", "01/03/2024", "Ann"]]
    write_csv(tmp_path / "schemes.csv", [["scheme_id"], ["S-01"]])
    write_csv(tmp_path / "adults.csv", rows)
    adults = read_register([tmp_path / "schemes.csv", tmp_path / "adults.csv"]).tables["adults"]
    assert adults.header_row == 2
    assert adults.columns == {"scheme_id": ["S-01"], "dbs_level": ["enhanced"],
                              "dbs_issue_date": [D(2024, 3, 1)], "name": ["Ann"]}


def test_duplicate_scheme_ids_are_noted(tmp_path: Path) -> None:
    write_csv(tmp_path / "schemes.csv", [["scheme_id"], ["S-01"], ["S-02"], ["S-01"]])
    reg = read_register([tmp_path / "schemes.csv"])
    assert issues(reg) == [("schemes", 4, "scheme_id", "S-01",
                            "scheme_id 'S-01' is also on row 2; this row is not counted",
                            "S-01")]


def test_a_second_sheet_for_a_table_is_ignored(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Schemes": [["scheme_id"], ["S-01"]],
                                            "Units": [["scheme_id"], ["S-02"]]})
    reg = read_register([path])
    assert reg.tables["schemes"].columns["scheme_id"] == ["S-01"]
    assert [d.problem for d in reg.data_quality] == [
        "sheet 'Units' is a second schemes table; ignored"]


def test_table_without_scheme_id_is_ignored_with_a_note(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Schemes": [["scheme_id"], ["S-01"]],
                                            "Adults": [["person_id", "name"], ["P-1", "Ann"]],
                                            "Activities": [["nothing"], ["here"]]})
    reg = read_register([path])
    assert list(reg.tables) == ["schemes"]
    assert issues(reg) == [
        ("adults", 0, "", "", "no scheme_id column found in the first 30 rows; table ignored", ""),
        ("activities", 0, "", "", "no header row found in the first 30 rows; table ignored", ""),
    ]


def test_empty_table_has_no_rows(tmp_path: Path) -> None:
    write_csv(tmp_path / "schemes.csv", [["scheme_id", "scheme_name"], ["S-01", "Oak"]])
    write_csv(tmp_path / "adults.csv", [["scheme_id", "person_id"]])
    table = read_register([tmp_path / "schemes.csv", tmp_path / "adults.csv"]).tables["adults"]
    assert table.nrows == 0 and table.columns == {"scheme_id": [], "person_id": []}


def test_a_schemes_table_with_only_a_header_is_nothing_to_score(tmp_path: Path) -> None:
    write_csv(tmp_path / "schemes.csv", [["scheme_id", "scheme_name"]])
    raises([tmp_path / "schemes.csv"], "schemes: no scheme rows below the header (row 1): "
           "nothing to score")


# --- the --mapping file ----------------------------------------------------------------


def test_mapping_names_tables_and_columns(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {
        "Units": [["scheme_id"], ["S-01"]],
        "People list": [["Unit", "Who", "Cert Date", "Shoe size"],
                        ["S-01", "P-1", "01/03/2024", 9]],
    })
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "tables:\n  People list: adults\n"
        "columns:\n  adults:\n    Unit: scheme_id\n    Cert Date: dbs_issue_date\n"
        "    Who: person_id\n    Shoe size: ignore\n",
        encoding="utf-8",
    )
    reg = read_register([path], mapping)
    assert reg.tables["adults"].columns == {
        "scheme_id": ["S-01"], "person_id": ["P-1"], "dbs_issue_date": [D(2024, 3, 1)]}
    assert reg.data_quality == []


def test_mapping_wins_over_a_synonym(tmp_path: Path) -> None:
    write_csv(tmp_path / "schemes.csv", [["Scheme", "Name"], ["S-01", "Ann"]])
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  schemes:\n    Name: lead_name\n", encoding="utf-8")
    reg = read_register([tmp_path / "schemes.csv"], mapping)
    assert reg.tables["schemes"].columns == {"scheme_id": ["S-01"], "lead_name": ["Ann"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns:\n  adults:\n    Cert: [unclosed\n", "invalid YAML"),
        ("tables:\n  Volunteers: grown_ups\n", "m.yaml:2: 'grown_ups' is not a register table"),
        ("columns:\n  people:\n    X: name\n", "m.yaml:2: 'people' is not a register table"),
        ("columns:\n  schemes:\n    A: scheme_id\n  adults:\n    Cert: dbs_dat\n",
         "m.yaml:5: 'dbs_dat' is not a column of table adults"),
        ("columns:\n  adults: dbs_issue_date\n", "m.yaml:2: 'adults' must map headers"),
        ("sheets:\n  A: adults\n", "m.yaml:1: unknown key 'sheets'"),
        ("- adults\n", "m.yaml:1: a mapping file is a YAML mapping"),
    ],
)
def test_bad_mapping_files(tmp_path: Path, text: str, message: str) -> None:
    write_csv(tmp_path / "schemes.csv", [["scheme_id"], ["S-01"]])
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RegisterError) as err:
        read_register([tmp_path / "schemes.csv"], tmp_path / "m.yaml")
    assert message in str(err.value)
    assert "m.yaml" in str(err.value)


# --- errors ----------------------------------------------------------------------------


def raises(paths: list[Path], fragment: str, mapping: Path | None = None) -> str:
    with pytest.raises(RegisterError) as err:
        read_register(paths, mapping)
    text = str(err.value)
    assert fragment in text, text
    assert "\n" not in text
    return text


def test_missing_file(tmp_path: Path) -> None:
    text = raises([tmp_path / "nope.xlsx"], "file not found")
    assert "nope.xlsx" in text


def test_missing_mapping_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "schemes.csv", [["scheme_id"], ["S-01"]])
    raises([tmp_path / "schemes.csv"], "m.yaml: file not found", tmp_path / "m.yaml")


def test_not_a_register_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert "notes.txt" in raises([tmp_path / "notes.txt"], "not a register export")


def test_corrupt_workbook(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    assert "broken.xlsx" in raises([tmp_path / "broken.xlsx"], "not a readable XLSX workbook")


def test_workbook_and_csv_together(tmp_path: Path, workbook: Path) -> None:
    write_csv(tmp_path / "schemes.csv", [["scheme_id"], ["S-01"]])
    raises([workbook, tmp_path / "schemes.csv"], "not both")


def test_directory_without_csv(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert "empty" in raises([tmp_path / "empty"], "no .csv files in this directory")


def test_no_schemes_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Adults": [["scheme_id"], ["S-1"]],
                                            "Notes": [["x"]]})
    text = raises([path], "no 'schemes' sheet or file found (sheets: Adults, Notes)")
    assert text.startswith(str(path))


def test_no_schemes_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "adults.csv", [["scheme_id"], ["S-1"]])
    raises([tmp_path / "adults.csv"], "no 'schemes' sheet or file found (files: adults.csv)")


def test_schemes_without_scheme_id(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Schemes": [["Title"], ["Scheme name", "Force"]]})
    text = raises([path], "schemes: no scheme_id column found in the first 30 rows")
    assert text.startswith(f"{path}: sheet 'Schemes'")


def test_csv_with_nul_bytes(tmp_path: Path) -> None:
    (tmp_path / "schemes.csv").write_text("scheme_id\nS-01\n", encoding="utf-16")
    text = raises([tmp_path / "schemes.csv"], "not a CSV text file (NUL bytes")
    assert "schemes.csv" in text


def test_a_cell_over_the_csv_limit_is_read_and_noted(tmp_path: Path) -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    (tmp_path / "schemes.csv").write_text(f'scheme_id,scheme_name\nS-01,"{huge}"\nS-02,Oak\n',
                                          encoding="utf-8")
    reg = read_register([tmp_path / "schemes.csv"])
    assert reg.tables["schemes"].columns["scheme_name"] == [huge, "Oak"]
    [issue] = reg.data_quality
    assert (issue.row, issue.column) == (2, "scheme_name")
    assert "a cell of 131,082 characters (over 131,072) on line 2" in issue.problem


def test_csv_neither_utf8_nor_cp1252(tmp_path: Path) -> None:
    (tmp_path / "schemes.csv").write_bytes(b"scheme_id\nS-01\x81\xff\n")
    raises([tmp_path / "schemes.csv"], "not UTF-8 or Windows-1252 text")


def test_issue_rows_match_table_row_numbers(workbook: Path) -> None:
    reg = read_register([workbook])
    adults = reg.tables["adults"]
    for issue in reg.data_quality:
        if issue.table == "adults" and issue.column == "dbs_issue_date":
            index = issue.row - adults.header_row - 1
            value = adults.columns["dbs_issue_date"][index]
            assert isinstance(value, Unknown) and value.raw == issue.value
    assert all(isinstance(d, DataIssue) for d in reg.data_quality)


def test_many_distinct_bad_values_and_unknown_ids(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registers, "CHUNK_ROWS", 16)
    rows: Rows = [["scheme_id", "person_id", "dbs_issue_date"]]
    rows += [[f"X-{i % 20}", f"P-{i}", f"{30 + i % 40}/01/2024"] for i in range(60)]
    write_csv(tmp_path / "schemes.csv", [["scheme_id"], ["S-01"], ["S-01"], ["S-01"]])
    write_csv(tmp_path / "adults.csv", rows)
    reg = read_register([tmp_path / "schemes.csv", tmp_path / "adults.csv"])
    # ids the schemes table lacks are a finding of their own, not data-quality issues
    assert not [d for d in reg.data_quality if d.column == "scheme_id" and "X-" in d.value]
    unlisted = RegisterEvaluator(require_catalog(), reg, dt.date(2026, 11, 22)).unlisted()
    assert sorted(r for u in unlisted for _, r, _ in u.rows) == list(range(2, 62))
    assert len(unlisted) == 20 and unlisted[0].rows[0] == ("adults", 2, "P-0")
    bad_dates = [d.row for d in reg.data_quality if d.column == "dbs_issue_date"]
    assert bad_dates == [2 + i for i in range(60) if 30 + i % 40 > 31]
    dupes = [d.row for d in reg.data_quality if "also on row 2" in d.problem]
    assert dupes == [3, 4]


def test_xlsx_data_far_from_the_top_left_keeps_excel_row_numbers(tmp_path: Path) -> None:
    # calamine's default skips the empty area above and left of the data; we must not
    rows: Rows = [[], [], [], [None, None, "scheme_id", "approval_date"],
                  [None, None, "S-01", "01/03/2024"], [None, None, "S-01", "31/02/2025"]]
    path = write_xlsx(tmp_path / "r.xlsx", {"Schemes": rows})
    reg = read_register([path])
    assert reg.tables["schemes"].header_row == 4
    assert [(d.row, d.column) for d in reg.data_quality] == [
        (6, "scheme_id"), (6, "approval_date")]
    sheet = openpyxl.load_workbook(path)["Schemes"]
    assert sheet.cell(row=6, column=4).value == "31/02/2025"
