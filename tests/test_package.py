"""Packaging: the wheel ships the checklists, templates and schema, and nothing stray."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

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
