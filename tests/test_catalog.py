"""Bundled checklists, lint, and --checklists overrides."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from cli_support import run

from youthscheme_audit.catalog import bundled_dir, load_catalog
from youthscheme_audit.models import Severity

AREAS = {"governance", "vetting", "training", "supervision", "naming", "trips",
         "social_media", "reporting", "policy"}
SEED_KEYS = {"iopc-gmp-2020", "iopc-learning-unofficial-cadet"}
SEED_TITLES = ("IOPC recommendations to Greater Manchester Police (December 2020)",
               "IOPC learning case: Unofficial cadet scheme")


def test_bundled_checklists_are_clean_and_complete() -> None:
    catalog, problems = load_catalog()
    assert problems == []
    assert {a.id for a in catalog.areas} == AREAS
    assert len(catalog.controls) >= 100
    for control in catalog.controls.values():
        assert control.sources and control.why and control.remediation and control.evidence
        assert "?" in control.question, control.id


def test_seed_cases_are_controls_citing_the_seeds_by_title() -> None:
    catalog, _ = load_catalog()
    for cid in ("NAM-01", "SUP-04", "TRP-01", "SOC-03", "GOV-12"):
        control = catalog.controls[cid]
        assert control.severity in (Severity.CRITICAL, Severity.HIGH)
        assert SEED_KEYS & {c.source.key for c in control.citations}, cid
        assert any(title in s for s in control.sources for title in SEED_TITLES), cid


def test_lint_bundled_exits_zero() -> None:
    code, out, err = run("lint")
    assert code == 0, out
    assert "no problems found" in err


def broken_copy(tmp_path: Path) -> Path:
    """A copy of the bundled checklists with three deliberate mistakes."""
    target = tmp_path / "broken"
    shutil.copytree(bundled_dir(), target)
    gov = target / "governance.yaml"
    text = gov.read_text()
    text = text.replace("severity: critical", "severity: severe", 1)
    text = text.replace("  - id: GOV-02", "  - id: GOV-01", 1)
    text = text.replace("    question: >-", "    titel: Oops\n    question: >-", 1)
    gov.write_text(text)
    return target


def test_lint_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    target = broken_copy(tmp_path)
    code, out, err = run("lint", str(target))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) >= 3
    pattern = re.compile(r"^.*governance\.yaml:\d+: GOV-0[12]: .+$")
    assert all(pattern.match(line) for line in lines), lines
    assert any("severity 'severe' is not one of critical, high, medium, low" in x for x in lines)
    assert any("duplicate id (also at" in line for line in lines)
    assert any("unknown control key 'titel' (did you mean 'title'?)" in line for line in lines)
    assert "problems found" in err


def test_lint_points_at_the_right_line(tmp_path: Path) -> None:
    target = broken_copy(tmp_path)
    _, out, _ = run("lint", str(target))
    line = next(x for x in out.splitlines() if "severe" in x)
    number = int(line.split(":")[1])
    assert "severity: severe" in (target / "governance.yaml").read_text().splitlines()[number - 1]


EXTRA = """\
checklist: force_local
title: Local force rules
version: "1"
controls:
  - id: LOC-01
    title: Bad condition
    question: Is it?
    severity: high
    applies_to: [official]
    when: {venue_kind: school}
    why: w
    evidence: e
    remediation: r
    sources: [nspcc-checklist]
    register:
      - kind: count_rows
        table: adults
  - id: LOC-02
    title: Bad column
    question: Is it?
    severity: low
    applies_to: [official, pirate]
    why: w
    evidence: e
    remediation: r
    sources: [nspcc-checklist]
    register:
      - kind: date_age
        table: adults
        columns: [dbs_dat]
        max_years: $no_such_parameter
"""


def test_lint_catches_conditions_kinds_columns_and_parameters(tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(EXTRA)
    code, out, _ = run("lint", str(tmp_path))
    assert code == 1
    assert "local.yaml:10: LOC-01: condition names unknown profile field 'venue_kind'" in out
    assert "local.yaml:16: LOC-01: unknown check kind 'count_rows'" in out
    assert "LOC-02: applies_to 'pirate' is not one of official, unofficial, force" in out
    assert "LOC-02: 'dbs_dat' is not a column of table adults" in out
    assert "LOC-02: unknown parameter '$no_such_parameter'" in out


def test_lint_of_unreadable_input_exits_two(tmp_path: Path) -> None:
    code, _, err = run("lint", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml: file not found" in err
    assert "Traceback" not in err


def test_invalid_yaml_in_a_checklist_is_a_lint_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("checklist: x\ncontrols: [\n")
    code, out, _ = run("lint", str(tmp_path))
    assert code == 1
    assert "bad.yaml:3:" in out and "invalid YAML" in out


OVERRIDE = """\
checklist: vetting
controls:
  - id: VET-03
    title: DBS renewed every ${dbs_recheck_years} years (force rule)
    question: Has every DBS been renewed within ${dbs_recheck_years} years?
    severity: critical
    applies_to: [official, unofficial]
    why: Force policy.
    evidence: DBS log.
    remediation: Renew it.
    sources: [{northshire-safeguarding: section 4.2}]
  - id: VET-90
    title: Local extra control
    question: Is the local induction done?
    severity: low
    applies_to: [official]
    why: Force policy.
    evidence: Induction record.
    remediation: Do it.
    sources: [{northshire-safeguarding: section 4.3}]
"""


FORCE_SOURCES = """\
sources:
  northshire-safeguarding:
    title: Safeguarding policy
    publisher: Northshire Police
    date: "2026"
"""


def test_checklists_dir_overrides_controls_and_parameters(tmp_path: Path) -> None:
    (tmp_path / "vetting.yaml").write_text(OVERRIDE)
    (tmp_path / "sources.yaml").write_text(FORCE_SOURCES)
    (tmp_path / "parameters.yaml").write_text("parameters:\n  dbs_recheck_years: {value: 5}\n")
    catalog, problems = load_catalog([tmp_path])
    assert problems == []
    vet3 = catalog.controls["VET-03"]
    assert vet3.severity is Severity.CRITICAL
    assert vet3.title == "DBS renewed every 5 years (force rule)"
    assert "VET-90" in catalog.controls
    assert catalog.parameters["dbs_recheck_years"].value == 5
    ids = [c.id for c in catalog.ordered()]
    assert ids.index("VET-03") < ids.index("VET-90")  # replaced in place, extra appended
    assert vet3.sources == ("Safeguarding policy (Northshire Police, 2026), section 4.2",)


def test_checklists_command_lists_files_and_counts(tmp_path: Path) -> None:
    code, out, _ = run("checklists", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {c["id"] for c in data["checklists"]} == AREAS
    gov = next(c for c in data["checklists"] if c["id"] == "governance")
    assert gov["file"].endswith("governance.yaml")
    assert {c["id"] for c in gov["controls"]} >= {"GOV-01", "GOV-12"}
    assert data["parameters"]["dbs_recheck_years"]["value"] == 3
    code, out, _ = run("checklists")
    assert code == 0 and "controls in 9 checklists" in out


def test_broken_override_dir_refuses_other_commands_with_exit_two(tmp_path: Path) -> None:
    (tmp_path / "vetting.yaml").write_text(OVERRIDE.replace("severity: low", "severity: meh"))
    (tmp_path / "sources.yaml").write_text(FORCE_SOURCES)
    code, _, err = run("--checklists", str(tmp_path), "checklists")
    assert code == 2
    assert "vetting.yaml:" in err and "severity 'meh'" in err
    assert err.count("\n") == 1


BAD_LITERALS = """\
checklist: local
controls:
  - id: LOC-05
    title: Bad literals
    question: Is it?
    severity: low
    applies_to: [official]
    when: {host_type: castle, offsite_activities: maybe}
    why: w
    evidence: e
    remediation: r
    sources: [nspcc-checklist]
    register:
      - kind: values_in
        table: activities
        column: teacher_present
        allowed: [true]
        where: {kind: picnic}
"""


def test_lint_checks_literals_against_vocabularies(tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(BAD_LITERALS)
    code, out, _ = run("lint", str(tmp_path))
    assert code == 1
    assert "condition on 'host_type': 'castle' is not one of school, community" in out
    assert "condition on 'offsite_activities': 'maybe' must be true or false" in out
    assert ("'where': kind: 'picnic' is not a value this column can hold (not one of session, "
            "offsite, residential") in out
