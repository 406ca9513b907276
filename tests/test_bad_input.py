"""Bad input through the real commands: one line on stderr naming the file, exit 2 or 1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import one_line_error, run
from click.testing import CliRunner

from youthscheme_audit.catalog import bundled_dir
from youthscheme_audit.cli import main

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT / "examples" / "register.xlsx"
SEED_LIKE = ROOT / "examples" / "unofficial-school-scheme.yaml"
ALIAS_BOMB = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("columns: [\n", ("mapping.yaml:2", "invalid YAML")),
        ("tables:\n  Volunteers: staff\n", ("mapping.yaml:2", "'staff' is not a register table")),
        ("tables:\n  Volunteers: [adults]\n", ("mapping.yaml:2", "is not a register table")),
        (ALIAS_BOMB, ("mapping.yaml:1", "anchors")),
    ],
)
def test_bad_mapping_file(body: str, expected: tuple[str, ...], tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(body)
    code, _, err = run("score", str(REGISTER), "--mapping", str(mapping))
    one_line_error(code, err, *expected)


def test_waiver_file_alias_bomb(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(ALIAS_BOMB)
    code, _, err = run("report", str(SEED_LIKE), "--waivers", str(waivers))
    one_line_error(code, err, "waivers.yaml:1", "anchors")


@pytest.mark.parametrize("kind", ["file", "missing"])
def test_checklists_option_must_be_a_directory(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "extra.yaml"
    if kind == "file":
        target.write_text("checklist: x\n")
    code, _, err = run("--checklists", str(target), "checklists")
    one_line_error(code, err, "extra.yaml", "not a directory")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("skipped: [GOV-01, GOV-02]\n", "'skipped' must be a mapping"),
        ("checklists: abc\n", "'checklists' must be a list of mappings"),
    ],
)
def test_answers_file_with_the_wrong_shape(body: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("format: youthscheme-audit/answers@1\nmode: self\n" + body)
    code, _, err = run("report", str(path))
    one_line_error(code, err, "answers.yaml:3", expected)


def test_profile_choices_are_matched_ignoring_case(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("format: youthscheme-audit/answers@1\nmode: self\n"
                    "profile:\n  scheme_type: Unofficial\n  host_type: School\n")
    code, out, err = run("report", str(path), "--format", "json")
    assert code == 0, err
    assert '"scheme_type": "unofficial"' in out


def broken_checklists(tmp_path: Path, old: str, new: str, name: str) -> Path:
    target = tmp_path / "lists"
    shutil.copytree(bundled_dir(), target)
    path = target / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return target


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("governance.yaml", "        table: schemes", "        table: [schemes]",
         "unknown table"),
        ("profile.yaml", "    type: text\n", "    type: text\n    choices: [a, b]\n",
         "'choices' must map each value to its label"),
        ("vetting.yaml", "        right: start_date", "        right: dbs_level",
         "cannot be compared"),
    ],
)
def test_lint_reports_malformed_definitions(name: str, old: str, new: str, expected: str,
                                            tmp_path: Path) -> None:
    target = broken_checklists(tmp_path, old, new, name)
    code, out, err = run("lint", str(target))
    assert code == 1, err
    assert expected in out and f"{name}:" in out
    assert "Traceback" not in err


AUDIT = ROOT / "examples" / "unofficial-school-scheme.yaml"


def spot(tmp_path: Path, *extra: str, own: Path | None = None) -> tuple[int, str, str]:
    own = own or tmp_path / "oak.yaml"
    if not own.exists():
        own.write_text(AUDIT.read_text())
    result = CliRunner().invoke(main, ["walk", "--mode", "spot", "--self", str(own),
                                       "--assessor", "PSD", *extra], input="")
    return result.exit_code, result.stdout, result.stderr


def test_spot_audit_refuses_a_spot_file_as_self(tmp_path: Path) -> None:
    audit = tmp_path / "audit.yaml"
    audit.write_text(AUDIT.read_text().replace("mode: self", "mode: spot\nself_assessment: x"))
    code, _, err = spot(tmp_path, own=audit)
    one_line_error(code, err, "audit.yaml", "not a self-assessment")


def test_spot_audit_is_saved_apart_from_the_self_assessment(tmp_path: Path) -> None:
    code, _, err = spot(tmp_path, "--answers", str(tmp_path / "oak.yaml"))
    one_line_error(code, err, "saved apart from the self-assessment")


def test_spot_audit_with_a_register_needs_a_scheme_in_it(tmp_path: Path) -> None:
    code, _, err = spot(tmp_path, "--register", str(REGISTER))
    one_line_error(code, err, "no scheme_id", "--scheme-id")
    code, _, err = spot(tmp_path, "--register", str(REGISTER), "--scheme-id", "S-999")
    one_line_error(code, err, "register.xlsx", "'S-999' is not in the schemes table")


def test_compare_refuses_a_directory_and_non_utf8(tmp_path: Path) -> None:
    code, _, err = run("compare", str(tmp_path), str(tmp_path))
    one_line_error(code, err, str(tmp_path))
    latin = tmp_path / "old.json"
    latin.write_bytes(b'{"schemes": ["\xa3"]}')
    code, _, err = run("compare", str(latin), str(latin))
    one_line_error(code, err, "old.json")


def test_sample_terminal_table_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "sample.txt"
    code, _, err = run("sample", str(REGISTER), "--scheme", "S-001", "--seed", "3",
                       "--as-of", "2026-11-22", "-o", str(out))
    assert code == 0, err
    text = out.read_text()
    assert "P-101" in text and "seed 3" in text and "\x1b[" not in text
