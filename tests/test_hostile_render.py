"""Control characters from a register never reach a report, in any format."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run

from youthscheme_audit.render.common import inert, md_escape
from youthscheme_audit.render.csv_out import safe_cell

NASTY = "Oak\x1b[2J\x07 Lane\x9b31m\u202eevil"  # clear screen, bell, 8-bit CSI, bidi override
CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "schemes.csv"
    path.write_text(f"scheme_id,scheme_name,approval_date\nS-1,{NASTY},31/02/2025{chr(7)}\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("fmt", "shown"), [("markdown", "Oak\\\\x1b\\[2J\\\\x07 Lane"),
                                            ("html", "Oak\\x1b[2J\\x07 Lane"),
                                            ("csv", "Oak\\x1b[2J\\x07 Lane"),
                                            ("terminal", "Oak\\x1b[2J\\x07 Lane")])
def test_reports_show_control_characters_as_escapes(fmt: str, shown: str, register: Path,
                                                    tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    code, _, err = run("score", str(register), "--as-of", "2026-11-22", "--format", fmt,
                       "-o", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert not [c for c in CONTROLS if c in text]
    assert shown in text


def test_the_per_scheme_set_and_the_league_table_too(register: Path, tmp_path: Path) -> None:
    code, out, err = run("score", str(register), "--as-of", "2026-11-22")
    assert code == 0, err
    assert not [c for c in CONTROLS if c in out]
    code, _, err = run("score", str(register), "--format", "html", "-o", f"{tmp_path}/set/")
    assert code == 0, err
    for page in (tmp_path / "set").iterdir():
        assert not [c for c in CONTROLS if c in page.read_text(encoding="utf-8")], page


def test_one_helper_makes_text_inert() -> None:
    assert inert("a\x1bb\tc\nd\u2066") == "a\\x1bb\tc\nd\\u2066"
    assert inert(3) == 3
    assert md_escape("x\x07y") == "x\\\\x07y"
    assert safe_cell("=1+\x07") == "'=1+\\x07"


def test_error_lines_are_printable_too(tmp_path: Path) -> None:
    bad = tmp_path / "a\x1b[31mb.yaml"
    code, _, err = run("report", str(bad))
    assert code == 2
    assert "\x1b" not in err and "a\\x1b[31mb.yaml: file not found" in err
