"""Packaging: the wheel ships the checklists, templates and schema, and nothing stray."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_checklists_templates_and_schema(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("youthscheme_audit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    checklists = {Path(n).name for n in names if n.startswith("youthscheme_audit/checklists/")}
    bundled = {p.name for p in (ROOT / "checklists").glob("*.yaml")}
    assert checklists == bundled
    assert any(n.startswith("youthscheme_audit/report_templates/") for n in names)
    assert "youthscheme_audit/schema/report.schema.json" in names
    assert "youthscheme_audit/schema/compare.schema.json" in names
    assert not [n for n in names if n.startswith(("tests/", "examples/", "benchmarks/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_module_entry_point_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "youthscheme_audit", "--version"],
                            capture_output=True, text=True, check=True)
    assert "youthscheme-audit" in result.stdout


def test_help_has_an_example_for_every_command() -> None:
    from click.testing import CliRunner

    from youthscheme_audit.cli import main

    for name in main.commands:
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, name


def test_help_does_not_import_heavy_modules() -> None:
    """--help must start fast: rich, jinja2, yaml and the XLSX reader load only when used."""
    code = (
        "import sys\n"
        "from youthscheme_audit.cli import main\n"
        "sys.argv = ['youthscheme-audit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('rich', 'jinja2', 'yaml', 'python_calamine', 'xlsxwriter', 'polars')\n"
        "print(','.join(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stderr.strip() == ""


SCRIPT = Path(sys.executable).parent / "youthscheme-audit"


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed here")
def test_the_console_script_ends_a_scored_register_with_everything_written(
        tmp_path: Path) -> None:
    """``entry`` ends a scored run without tearing the report down: the outputs, the
    league on a pipe and the exit codes are still exactly those of ``main``."""
    from click.testing import CliRunner

    from youthscheme_audit.cli import main

    register = str(ROOT / "examples" / "register.xlsx")
    args = ["score", register, "--as-of", "2026-11-22"]
    league = subprocess.run([str(SCRIPT), "--no-color", *args], capture_output=True,
                            text=True, check=True)
    assert league.stdout == CliRunner().invoke(main, ["--no-color", *args]).stdout
    out = tmp_path / "result.json"
    done = subprocess.run([str(SCRIPT), *args, "--format", "json", "-o", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and f"wrote {out}" in done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["schemes"] >= 1
    failing = subprocess.run([str(SCRIPT), *args, "--fail-on", "critical"],
                             capture_output=True, text=True)
    assert failing.returncode == 1 and "League table" in failing.stdout
    module = subprocess.run([sys.executable, "-m", "youthscheme_audit", "--no-color", *args],
                            capture_output=True, text=True, check=True)
    assert module.stdout == league.stdout
