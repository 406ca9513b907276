"""Sources by title, retired ids, the catalogue export, and the seed's traceability.

Controls cite keys of checklists/sources.yaml (``- key`` or ``- key: part``); lint refuses an
unknown key with file:line; reports print titles, never file names; an answers file that
still uses a retired id is told which controls replaced it; ``checklists --format json``
exports everything and matches the shipped schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from cli_support import run

from youthscheme_audit.catalog import load_catalog
from youthscheme_audit.models import Severity

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "youthscheme_audit" / "schema" / "catalogue.schema.json")
                    .read_text(encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(SCHEMA)
SEED_FILE = re.compile(r"\b00[03]_[0-9a-f]{16}\.txt\b")
GMP = "iopc-gmp-2020"
CASE = "iopc-learning-unofficial-cadet"

# each requirement or uncovered risk of the two IOPC documents -> the control that checks it
TRACEABILITY = {
    "someone checks the unofficial scheme's conditions are kept": ("GOV-12", CASE),
    "the conditions are written down and known": ("GOV-02", CASE),
    "no field trips arranged by the force": ("TRP-01", CASE),
    "a teacher always present (not leaving after registration)": ("SUP-04", CASE),
    "the word 'cadet' not used": ("NAM-01", CASE),
    "no contact with a child through personal social media": ("SOC-03", CASE),
    "explicit personal social media policy for all officers and staff": ("POL-01", GMP),
    "dedicated inputs or line manager discussions, every officer and member of staff":
        ("TRN-08", GMP),
    "the message reaches people outside the official VPC": ("POL-02", GMP),
    "contact attempts reported and logged on the risk register": ("REP-01", GMP),
    "legitimate contact logged the same way": ("REP-02", GMP),
    "supervision of the police adults (one-to-ones)": ("SUP-11", CASE),
    "patrol oversight (parked near the child's home)": ("SUP-12", CASE),
    "warning signs briefed to adults": ("TRN-07", CASE),
    "warning signs told to young people and parents": ("POL-08", CASE),
    "review of other children's contact after an allegation": ("REP-09", CASE),
    "duty to refer to the DBS": ("REP-10", CASE),
    "a separate whistleblowing route": ("REP-11", CASE),
    "abuse of position and boundaries awareness": ("TRN-05", CASE),
    "vetting, risk assessment and safeguarding for any scheme": ("GOV-03", CASE),
}
# the nine VPC social media rules (GMP's accepted action, Recommendation 2), one control each
VPC_RULES = {1: "SOC-01", 2: "SOC-02", 3: "SOC-10", 4: "SOC-11", 5: "SOC-12", 6: "SOC-13",
             7: "SOC-14", 8: "SOC-15", 9: "SOC-04"}


def test_every_citation_resolves_to_a_title_and_no_text_names_a_seed_file() -> None:
    catalog, problems = load_catalog()
    assert problems == []
    assert catalog.sources[GMP].title == \
        "IOPC recommendations to Greater Manchester Police (December 2020)"
    assert catalog.sources[CASE].title == "IOPC learning case: Unofficial cadet scheme"
    for control in catalog.controls.values():
        assert control.citations and len(control.citations) == len(control.sources)
        for text in (control.title, control.question, control.why, control.help,
                     control.evidence, control.remediation, *control.sources):
            assert not SEED_FILE.search(text), (control.id, text)
        for citation, shown in zip(control.citations, control.sources, strict=True):
            assert shown == citation.text() and shown.startswith(citation.source.title)
    for field in catalog.profile:
        assert not SEED_FILE.search(field.help)
    for parameter in catalog.parameters.values():
        assert not SEED_FILE.search(parameter.source) and ".md" not in parameter.source


@pytest.mark.parametrize(("requirement", "expected"), sorted(TRACEABILITY.items()))
def test_each_seed_requirement_is_a_control_citing_the_seed(
        requirement: str, expected: tuple[str, str]) -> None:
    catalog, _ = load_catalog()
    cid, seed = expected
    control = catalog.controls[cid]
    assert seed in {c.source.key for c in control.citations}, requirement


def test_the_nine_vpc_rules_map_one_to_one() -> None:
    catalog, _ = load_catalog()
    assert len(set(VPC_RULES.values())) == 9
    for number, cid in VPC_RULES.items():
        control = catalog.controls[cid]
        assert f"(VPC rule {number} of 9)" in control.title
        assert GMP in {c.source.key for c in control.citations}
    titled = [c.id for c in catalog.controls.values() if "(VPC rule" in c.title]
    assert sorted(titled) == sorted(VPC_RULES.values())


def test_severities_the_review_asked_for() -> None:
    catalog, _ = load_catalog()
    wanted = {"TRN-05": Severity.HIGH, "TRN-06": Severity.LOW, "SOC-09": Severity.MEDIUM,
              "GOV-12": Severity.CRITICAL, "REP-10": Severity.CRITICAL}
    for cid, severity in wanted.items():
        assert catalog.controls[cid].severity is severity, cid


def layer(tmp_path: Path, control_sources: str, sources_yaml: str | None = None) -> Path:
    """A --checklists directory with one control citing ``control_sources``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "local.yaml").write_text(
        "checklist: local\ntitle: Local\ncontrols:\n"
        "  - id: LOC-01\n    title: Local rule\n    question: Is it kept?\n"
        "    severity: low\n    applies_to: [official]\n    why: w\n    evidence: e\n"
        "    remediation: r\n" + control_sources, encoding="utf-8")
    if sources_yaml is not None:
        (tmp_path / "sources.yaml").write_text(sources_yaml, encoding="utf-8")
    return tmp_path


def test_lint_refuses_an_unknown_source_key_with_file_and_line(tmp_path: Path) -> None:
    folder = layer(tmp_path, "    sources:\n      - nspcc-ratio: Supervision\n"
                             "      - Some free text citation\n")
    code, out, _ = run("lint", str(folder))
    assert code == 1
    lines = out.strip().splitlines()
    assert any(re.match(r".*local\.yaml:13: LOC-01: unknown source key 'nspcc-ratio' "
                        r"\(did you mean 'nspcc-ratios'\?\)$", x) for x in lines), lines
    assert any("local.yaml:14: LOC-01: unknown source key 'Some free text citation'" in x
               for x in lines), lines


@pytest.mark.parametrize(("spec", "message"), [
    ("    sources: nspcc-ratios\n", "sources must be a list of source keys"),
    ("    sources:\n      - {nspcc-ratios: a, kcsie: b}\n", "a citation is a source key"),
    ("    sources:\n      - nspcc-ratios: ''\n", "the part cited of 'nspcc-ratios' must be text"),
    ("    sources:\n      - [nspcc-ratios]\n", "a citation is a source key"),
])
def test_lint_refuses_malformed_citations(tmp_path: Path, spec: str, message: str) -> None:
    code, out, _ = run("lint", str(layer(tmp_path, spec)))
    assert code == 1
    assert re.search(r"local\.yaml:\d+: LOC-01: " + re.escape(message), out), out


def test_lint_checks_a_layers_sources_file(tmp_path: Path) -> None:
    bad = ("sources:\n  Force Policy:\n    title: t\n    publisher: p\n"
           "  force-policy:\n    publisher: Northshire Police\n    url: www.example.org\n"
           "    colour: blue\n")
    code, out, _ = run("lint", str(layer(tmp_path, "    sources: [nspcc-checklist]\n", bad)))
    assert code == 1
    assert "sources.yaml:2: Force Policy: a source key is lower-case words" in out
    assert "sources.yaml:6: force-policy: missing 'title'" in out
    assert "sources.yaml:7: force-policy: 'url' must start with https://" in out
    assert "sources.yaml:8: force-policy: unknown source key 'colour'" in out


def test_a_layer_adds_sources_and_reports_print_the_title(tmp_path: Path) -> None:
    sources = ("sources:\n  northshire-policy:\n    title: Youth schemes policy\n"
               "    publisher: Northshire Police\n    date: March 2026\n"
               "    url: https://example.org/policy\n")
    folder = layer(tmp_path / "layer", "    sources:\n      - northshire-policy: section 3\n"
                                       "      - nspcc-checklist\n", sources)
    catalog, problems = load_catalog([folder])
    assert problems == []
    local = catalog.controls["LOC-01"]
    assert local.sources == ("Youth schemes policy (Northshire Police, March 2026), section 3",
                             "Safeguarding checklist (NSPCC Learning)")
    assert local.citations[0].source.url == "https://example.org/policy"
    answers = tmp_path / "answers.yaml"
    answers.write_text("format: youthscheme-audit/answers@1\nmode: self\n"
                       "profile: {scheme_name: Local unit, scheme_type: official}\n"
                       "answers:\n  LOC-01: {answer: no, note: not kept}\n", encoding="utf-8")
    code, out, err = run("--checklists", str(folder), "report", str(answers),
                         "--format", "markdown", "--as-of", "2026-11-22")
    assert code == 0, err
    assert "Youth schemes policy (Northshire Police, March 2026), section 3" in out


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv", "html"])
def test_reports_show_titles_never_seed_file_names(fmt: str) -> None:
    code, out, err = run("report", str(ROOT / "examples" / "unofficial-school-scheme.yaml"),
                         "--format", fmt)
    assert code == 0, err
    assert not SEED_FILE.search(out)
    assert "IOPC learning case: Unofficial cadet scheme" in out
    code, out, err = run("score", str(ROOT / "examples" / "register.xlsx"), "--as-of",
                         "2026-11-22", "--format", fmt)
    assert code == 0, err
    assert not SEED_FILE.search(out)


def test_an_answers_file_with_a_retired_id_is_told_what_replaced_it(tmp_path: Path) -> None:
    answers = tmp_path / "old.yaml"
    answers.write_text("format: youthscheme-audit/answers@1\nmode: self\n"
                       "profile: {scheme_name: Old unit, scheme_type: official}\n"
                       "answers:\n  GOV-01: yes\n  SOC-05: no\n", encoding="utf-8")
    code, out, err = run("report", str(answers))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "old.yaml:6: 'SOC-05' was retired and replaced by SOC-10, SOC-11, SOC-12" in err
    assert "answer those instead" in err


def test_retired_ids_point_at_real_controls_and_are_never_reused(tmp_path: Path) -> None:
    catalog, _ = load_catalog()
    assert set(catalog.retired) == {"VET-04", "VET-07", "VET-08", "SUP-03", "TRP-05",
                                    "TRP-07", "SOC-05", "SOC-06", "SOC-07", "REP-04"}
    for retired in catalog.retired.values():
        assert retired.id not in catalog.controls
        assert all(new in catalog.controls for new in retired.replaced_by)
    reuse = layer(tmp_path / "a", "    sources: [nspcc-checklist]\n").joinpath("local.yaml")
    reuse.write_text(reuse.read_text().replace("LOC-01", "SOC-05"))
    code, out, _ = run("lint", str(reuse))
    assert code == 1 and "SOC-05: id is retired (see " in out
    bad = layer(tmp_path / "b", "    sources: [nspcc-checklist]\n").joinpath("local.yaml")
    bad.write_text(bad.read_text().replace(
        "controls:", "retired:\n  LOC-09:\n    replaced_by: [LOC-77]\n    why: merged\n"
        "  LOC-08: {replaced_by: LOC-01}\ncontrols:"))
    code, out, _ = run("lint", str(bad))
    assert code == 1
    assert "local.yaml:5: LOC-09: replaced_by names 'LOC-77', which is not a control" in out
    assert "local.yaml:7: LOC-08: 'replaced_by' must list the ids that replace it" in out


def test_catalogue_export_has_every_control_in_full_and_matches_the_schema() -> None:
    code, out, err = run("checklists", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    catalog, _ = load_catalog()
    exported = {c["id"]: c for area in data["checklists"] for c in area["controls"]}
    assert set(exported) == set(catalog.controls)
    vet01 = exported["VET-01"]
    assert vet01["question"] == catalog.controls["VET-01"].question
    assert vet01["help"] and vet01["why"] and vet01["remediation"] and vet01["evidence"]
    assert [c["kind"] for c in vet01["register_checks"]] == ["values_in", "values_in"]
    assert "regulated activity is yes" in vet01["register_checks"][1]["text"]
    gov12 = exported["GOV-12"]
    assert gov12["applies_to"] == ["unofficial"] and gov12["severity"] == "critical"
    assert gov12["sources"][0] == {
        "key": CASE, "title": "IOPC learning case: Unofficial cadet scheme",
        "publisher": "IOPC", "date": "", "url": "",
        "part": "Overview of incident; Questions to consider, question 2",
        "text": "IOPC learning case: Unofficial cadet scheme (IOPC), Overview of incident; "
                "Questions to consider, question 2"}
    assert exported["SUP-04"]["when"] == [
        {"field": "host_type", "text": "host setting is school", "values": ["school"]}]
    assert data["sources"][GMP]["url"] == "https://policeconduct.gov.uk/node/4009"
    assert data["parameters"]["conditions_check_months"]["value"] == 3
    assert data["retired"]["SOC-05"]["replaced_by"] == ["SOC-10", "SOC-11", "SOC-12"]
    assert any(f["field"] == "scheme_type" for f in data["profile"])
    assert not SEED_FILE.search(out)


def test_catalogue_export_includes_a_layers_controls_and_sources(tmp_path: Path) -> None:
    sources = "sources:\n  northshire-policy:\n    title: Policy\n    publisher: Northshire\n"
    folder = layer(tmp_path, "    sources: [northshire-policy]\n", sources)
    code, out, err = run("--checklists", str(folder), "checklists", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    local = next(a for a in data["checklists"] if a["id"] == "local")
    assert local["controls"][0]["sources"][0]["text"] == "Policy (Northshire)"
    assert "northshire-policy" in data["sources"]
