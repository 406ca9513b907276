"""Hostile XLSX workbooks through the real command: one line and exit 2 within seconds, or read."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from cli_support import run

from youthscheme_audit import workbook
from youthscheme_audit.registers import read_register
from youthscheme_audit.values import Unknown


def book(path: Path, cells: dict[str, Any], sheet: str = "schemes") -> Path:
    """A workbook with a small schemes table plus ``cells`` (A1-style) on the same sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["scheme_id", "scheme_name", "age_min"])
    ws.append(["S-1", "Oak", 9])
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def rewrite_sheet(source: Path, target: Path, sheet_data: bytes) -> Path:
    """``source`` with its first sheet's <sheetData> replaced (openpyxl cannot write these)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b"<sheetData>") + len(b"<sheetData>")
                data = data[:start] + sheet_data + data[data.index(b"</sheetData>"):]
            zout.writestr(info, data)
    return target


def refuse(path: Path, *expected: str) -> str:
    start = time.perf_counter()
    code, _, err = run("score", str(path))
    assert time.perf_counter() - start < 5
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    for text in expected:
        assert text in err
    return err


def test_one_cell_at_the_last_row_and_column_is_refused_not_allocated(tmp_path: Path) -> None:
    path = book(tmp_path / "far.xlsx", {"XFD1048576": "x"})
    assert path.stat().st_size < 10_000
    # in a child process: if the check failed, calamine would abort the whole process
    result = subprocess.run([sys.executable, "-m", "youthscheme_audit", "score", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"error: {path}: sheet 'schemes': its used range reaches row 1,048,576 and column "
        "16,384 (17,179,869,184 cells; a register sheet may have at most 20,000,000): delete "
        "stray cells far below or right of the data, or save the tables as CSV\n")


CELL = b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>'
HEADER = b'<row r="1">' + CELL % (b"A1", b"scheme_id") + b"</row>"


@pytest.mark.parametrize(("name", "rows", "reach"), [
    # a cell whose reference says a row its <row> does not
    ("mismatch", HEADER + b'<row r="2">' + CELL % (b"A900000", b"S-1")
     + CELL % (b"ZZ2", b"x") + b"</row>", "row 900,000 and column 702"),
    # cells without a reference count on from the one before (calamine does the same)
    ("no refs", HEADER + b'<row r="1048576">' + b"<c><v>1</v></c>" * 40 + b"</row>",
     "column 40"),
    # rows out of order
    ("order", b'<row r="999999">' + CELL % (b"AB999999", b"x") + b"</row>" + HEADER,
     "row 999,999 and column 28"),
])
def test_a_sheet_that_lies_about_its_reach_is_still_measured(
        tmp_path: Path, name: str, rows: bytes, reach: str) -> None:
    path = rewrite_sheet(book(tmp_path / "base.xlsx", {}), tmp_path / "w.xlsx", rows)
    refuse(path, "sheet 'schemes'", reach)


def test_references_beyond_excels_grid_are_refused(tmp_path: Path) -> None:
    rows = HEADER + b'<row r="2">' + CELL % (b"A99999999999", b"S-1") + b"</row>"
    path = rewrite_sheet(book(tmp_path / "base.xlsx", {}), tmp_path / "w.xlsx", rows)
    refuse(path, "sheet 'schemes'", "a cell beyond Excel's last row or column")


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # the real thing (3 GB of XML in 6 MB) is in benchmarks/probe.py; here the cap is lowered
    monkeypatch.setattr(workbook, "MAX_SHEET_BYTES", 1 << 20)
    rows = HEADER + b'<row r="2">' + CELL % (b"A2", b"S-1") + b"</row>" + b" " * (2 << 20)
    path = rewrite_sheet(book(tmp_path / "base.xlsx", {}), tmp_path / "bomb.xlsx", rows)
    assert path.stat().st_size < 50_000
    refuse(path, "sheet 'schemes'", "uncompressed (the limit is 1,048,576)", "zip bomb")


def test_error_cells_are_unreadable_values_with_a_note(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "schemes"
    ws.append(["scheme_id", "age_min", "approval_date"])
    ws.append(["S-1", "#N/A", "#REF!"])  # openpyxl stores these as error cells (t="e")
    ws.append(["S-2", 9, "2026-01-01"])
    wb.save(tmp_path / "err.xlsx")
    reg = read_register([tmp_path / "err.xlsx"])
    ages = reg.tables["schemes"].columns["age_min"]
    assert isinstance(ages[0], Unknown) and ages[0].raw == "#N/A" and ages[0].problem
    assert ages[1] == 9
    assert [(d.row, d.column, d.value, d.problem) for d in reg.data_quality] == [
        (2, "age_min", "#N/A", "a spreadsheet error (#N/A), not a value: read as unreadable"),
        (2, "approval_date", "#REF!",
         "a spreadsheet error (#REF!), not a value: read as unreadable")]


def test_a_password_protected_workbook_says_so(tmp_path: Path) -> None:
    (tmp_path / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    refuse(tmp_path / "locked.xlsx", "not a readable XLSX workbook (password-protected")


def test_an_ordinary_workbook_reads_as_before(tmp_path: Path) -> None:
    path = book(tmp_path / "ok.xlsx", {"C3": 12, "A3": "S-2"})
    code, out, err = run("score", str(path), "--format", "json", "--as-of", "2026-11-22")
    assert code == 0, err
    assert [s["scheme_id"] for s in json.loads(out)["schemes"]] == ["S-1", "S-2"]
