"""Spot audits end to end: the README's example as written, a partial audit, divergent first."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from youthscheme_audit.answers import load_answers
from youthscheme_audit.catalog import Catalog, require_catalog
from youthscheme_audit.cli import main
from youthscheme_audit.engine import not_applicable_reason

ROOT = Path(__file__).resolve().parent.parent
SELF = ROOT / "examples" / "unofficial-school-scheme.yaml"
REGISTER = ROOT / "examples" / "register.xlsx"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return require_catalog()


def readme_commands(heading: str) -> list[list[str]]:
    """The commands of the first shell block after ``heading`` in the README, as argv lists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(heading):].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.replace("\\\n", " ").splitlines()
    return [shlex.split(line, comments=True) for line in lines if line.strip()]


def cli(args: list[str], lines: list[str] | None = None) -> Result:
    assert args[0] == "youthscheme-audit"
    text = "".join(f"{line}\n" for line in lines or [])
    return CliRunner().invoke(main, args[1:], input=text)


def test_the_readme_spot_audit_runs_as_written_on_a_fresh_clone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    commands = readme_commands("### Spot audits")
    assert [c[1] for c in commands] == ["sample", "walk", "report"]
    for args in commands:
        assert all(not a.startswith("examples/") or Path(a).exists() for a in args), args
        result = cli(args, lines=["y", "n", "p", "d"] * 3)  # the walk: 12 answers, then EOF
        assert result.exit_code == 0, (args, result.output)
    found = re.search(r"12 of (\d+) controls audited; (\d+) not yet audited", result.stdout)
    assert found and int(found[1]) == 12 + int(found[2])


def test_a_partial_spot_audit_counts_only_what_it_audited(catalog: Catalog,
                                                          tmp_path: Path) -> None:
    own = tmp_path / "oak.answers.yaml"
    shutil.copy(SELF, own)
    audit = tmp_path / "oak.audit.yaml"
    result = cli(["youthscheme-audit", "walk", "--mode", "spot", "--self", str(own),
                  "--assessor", "PSD", "--as-of", "2026-11-22"],
                 lines=["y: seen", "n: not on file", "p: half of it", "d"] * 3)
    assert result.exit_code == 0, result.output
    answered = set(load_answers(audit, catalog).answers)
    assert len(answered) == 12
    profile = load_answers(own, catalog).profile
    in_scope = [c.id for c in catalog.ordered() if not_applicable_reason(c, profile) is None]
    report = cli(["youthscheme-audit", "report", str(audit), "--format", "json"])
    scheme = json.loads(report.stdout)["schemes"][0]
    assert (scheme["audit"]["audited"], scheme["audit"]["controls"]) == (12, len(in_scope))
    assert len(scheme["audit"]["not_audited"]) == len(in_scope) - 12
    assert scheme["divergences"], "the audit disagrees with some of the scheme's answers"
    assert {d["control_id"] for d in scheme["divergences"]} <= answered
    assert {a["control_id"] for a in scheme["actions"]} <= answered
    for fmt, words in (("terminal", f"12 of {len(in_scope)} controls audited"),
                       ("markdown", f"Audited: 12 of {len(in_scope)} controls audited"),
                       ("html", f"Audited: 12 of {len(in_scope)} controls audited")):
        out = cli(["youthscheme-audit", "report", str(audit), "--format", fmt]).stdout
        assert words in " ".join(out.split()), fmt
        assert f"Not yet audited ({len(in_scope) - 12})" in out, fmt


def test_divergent_first_takes_disagreements_then_flags(catalog: Catalog,
                                                        tmp_path: Path) -> None:
    own = tmp_path / "oak.answers.yaml"
    shutil.copy(SELF, own)
    result = cli(["youthscheme-audit", "--no-color", "walk", "--mode", "spot", "--self",
                  str(own), "--register", str(REGISTER), "--scheme-id", "S-001",
                  "--assessor", "PSD", "--as-of", "2026-11-22", "--divergent-first"],
                 lines=["s"])
    assert result.exit_code == 0, result.output
    order = re.search(r"Divergent first: (\d+) where the scheme's answer and the register "
                      r"disagree, then (\d+) the register flags, then the other (\d+)\.",
                      result.output)
    assert order, result.output
    disagree = int(order.group(1))
    assert disagree > 0
    first = re.search(r"^(\w{3}-\d\d) · .* · overall 1 of ", result.output, re.M)
    assert first
    assert "disagree." in result.output.split("overall 1 of")[1].split("> ")[0], (
        "the first question is a disagreement, shown as one")


def test_divergent_first_needs_a_register(tmp_path: Path) -> None:
    own = tmp_path / "oak.answers.yaml"
    shutil.copy(SELF, own)
    result = cli(["youthscheme-audit", "walk", "--mode", "spot", "--self", str(own),
                  "--divergent-first"])
    assert result.exit_code == 2 and "give --register REGISTER" in result.stderr
