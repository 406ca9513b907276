"""The walk's logic, driven through a scripted fake prompter (no terminal involved)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from youthscheme_audit.answers import AnswerRecord, AnswersFile, load_answers
from youthscheme_audit.catalog import Catalog, require_catalog
from youthscheme_audit.engine import base_finding, not_applicable_reason
from youthscheme_audit.errors import AuditError
from youthscheme_audit.interview import (
    EVIDENCE_PROMPT,
    GAP_HINT,
    GAP_PROMPT,
    LEGEND,
    Interview,
    WalkRequest,
    default_answers_path,
    default_audit_path,
    join_gap_line,
    open_walk,
    parse_presets,
    read_action,
    slug,
    split_gap_line,
)
from youthscheme_audit.models import Answer, Citation, Mode, Status

PROFILE: dict[str, Any] = {
    "scheme_name": "Oak Lane Mini Police", "scheme_id": "S-001", "scheme_type": "unofficial",
    "host_type": "school", "age_min": 10, "age_max": 13, "offsite_activities": False,
    "social_media_accounts": False,
}


class FakePrompter:
    """Replays scripted answers; records everything shown; EOFError when the script ends.

    Unless ``evidence`` is set, the evidence-reference prompt after a "yes" on a critical
    or high control is answered with Enter without using the script, so scripts about
    navigation need not know each control's severity.
    """

    def __init__(self, inputs: list[str], interactive: bool = True,
                 evidence: bool = False) -> None:
        self.inputs = list(inputs)
        self.interactive = interactive
        self.evidence = evidence
        self.shown: list[str] = []
        self.prompts: list[str] = []

    def show(self, text: str = "", style: str = "") -> None:
        self.shown.append(text)

    def key(self, prompt: str, allowed: str) -> str:
        return self._next(prompt)

    def line(self, prompt: str, default: str = "") -> str:
        if prompt == EVIDENCE_PROMPT and not self.evidence:
            self.prompts.append(prompt)
            return default
        return self._next(prompt) or default

    def _next(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.inputs:
            raise EOFError
        return self.inputs.pop(0)

    @property
    def text(self) -> str:
        return "\n".join(self.shown)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return require_catalog()


def applicable(catalog: Catalog, profile: dict[str, Any] = PROFILE) -> list[str]:
    return [c.id for c in catalog.ordered() if not_applicable_reason(c, profile) is None]


def new_walk(catalog: Catalog, path: Path, inputs: list[str], interactive: bool = True,
             scripted_evidence: bool = False, **kwargs: Any) -> tuple[Interview, FakePrompter]:
    answers = kwargs.pop("answers", None) or AnswersFile(profile=dict(PROFILE), assessor="Sam")
    prompter = FakePrompter(inputs, interactive, scripted_evidence)
    return Interview(catalog, answers, path, prompter, **kwargs), prompter


def test_full_walk_answers_every_applicable_control(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    ids = applicable(catalog)
    walk, _ = new_walk(catalog, path, ["y"] * len(ids))
    outcome = walk.run()
    assert outcome.finished and (outcome.answered, outcome.total) == (len(ids), len(ids))
    saved = load_answers(path, catalog)
    assert list(saved.answers) == ids
    assert all(r.answer is Answer.YES and r.answered_at for r in saved.answers.values())


def test_controls_the_profile_rules_out_are_skipped_with_reasons(catalog: Catalog,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    ids = applicable(catalog)
    walk, prompter = new_walk(catalog, path, ["y"] * len(ids))
    walk.run()
    saved = load_answers(path, catalog)
    assert set(saved.skipped) == set(catalog.controls) - set(ids)
    assert len(ids) + len(saved.skipped) == len(catalog.controls)
    offsite = [c.id for c in catalog.ordered() if "unofficial" in c.applies_to
               and any(w.field == "offsite_activities" for w in c.when)]
    assert offsite and all("off-site activities is yes" in saved.skipped[c] for c in offsite)
    assert not any(f"{cid} ·" in prompter.text for cid in saved.skipped)


def test_progress_line_names_area_and_counts(catalog: Catalog, tmp_path: Path) -> None:
    walk, prompter = new_walk(catalog, tmp_path / "a.yaml", ["y"])
    walk.run()
    first = catalog.controls[applicable(catalog)[0]]
    assert f"{first.id} · {first.area_title} 1 of " in prompter.text
    assert f"overall 1 of {len(applicable(catalog))}" in prompter.text


def test_back_goes_to_the_previous_question_showing_its_answer(catalog: Catalog,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first, second = applicable(catalog)[:2]
    walk, prompter = new_walk(catalog, path, ["y", "b", "n", "", "p", "", "s"])
    outcome = walk.run()
    assert outcome.status == "stopped"
    saved = load_answers(path, catalog)
    assert saved.answers[first].answer is Answer.NO
    assert saved.answers[second].answer is Answer.PARTIAL
    assert "Current answer: yes (Enter keeps it)" in prompter.text


def test_back_on_the_first_question_is_a_hint(catalog: Catalog, tmp_path: Path) -> None:
    walk, prompter = new_walk(catalog, tmp_path / "a.yaml", ["b", "y", "s"])
    assert walk.run().answered == 1
    assert "This is the first question." in prompter.text


def test_save_and_stop_keeps_what_was_answered(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    walk, _ = new_walk(catalog, path, ["y", "a", "The scheme is not locally run", "s"])
    outcome = walk.run()
    assert (outcome.status, outcome.answered) == ("stopped", 2)
    first, second = applicable(catalog)[:2]
    saved = load_answers(path, catalog)
    assert {k: r.answer for k, r in saved.answers.items()} == {first: Answer.YES,
                                                               second: Answer.NA}
    assert "2 of" in walk.stop_message("Stopped")


def test_resume_starts_at_the_first_unanswered_control(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    ids = applicable(catalog)
    new_walk(catalog, path, ["y", "y", "s"])[0].run()
    walk, prompter = new_walk(catalog, path, ["d", "s"], answers=load_answers(path, catalog))
    walk.run()
    assert f"Resuming: 2 of {len(ids)} answered." in prompter.text
    assert f"{ids[2]} ·" in prompter.text and f"{ids[0]} ·" not in prompter.text
    assert load_answers(path, catalog).answers[ids[2]].answer is Answer.UNKNOWN


def test_review_enter_keeps_every_answer(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    ids = applicable(catalog)
    new_walk(catalog, path, ["n", "missing | ref"] + ["y"] * (len(ids) - 1))[0].run()
    before = load_answers(path, catalog).answers
    walk, prompter = new_walk(catalog, path, [""] * (len(catalog.profile) + 1 + len(ids)),
                              review=True,
                              answers=load_answers(path, catalog))
    assert walk.run().finished
    assert load_answers(path, catalog).answers == before
    assert "Current answer: no; note: missing; evidence: ref (Enter keeps it)" in prompter.text


def test_review_answering_no_again_offers_the_line_to_keep(catalog: Catalog,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first = applicable(catalog)[0]
    new_walk(catalog, path, ["n", "missing | ref | Sam", "s"])[0].run()
    keep_profile = [""] * (len(catalog.profile) + 1)
    walk, prompter = new_walk(catalog, path, keep_profile + ["n", "", "s"], review=True,
                              answers=load_answers(path, catalog))
    walk.run()
    assert "Current: missing | ref | Sam (Enter keeps it)" in prompter.text
    saved = load_answers(path, catalog).answers[first]
    assert (saved.note, saved.evidence, saved.owner) == ("missing", "ref", "Sam")


def test_review_can_change_one_answer(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    ids = applicable(catalog)
    new_walk(catalog, path, ["y"] * len(ids))[0].run()
    keep_profile = [""] * (len(catalog.profile) + 1)
    walk, _ = new_walk(catalog, path, keep_profile + ["", "p", "half done", "s"], review=True,
                       answers=load_answers(path, catalog))
    walk.run()
    saved = load_answers(path, catalog).answers
    assert saved[ids[1]] == AnswerRecord(Answer.PARTIAL, "half done", "",
                                         answered_at=saved[ids[1]].answered_at)
    assert saved[ids[0]].answer is Answer.YES


def test_all_answered_without_review_finishes_at_once(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    new_walk(catalog, path, ["y"] * len(applicable(catalog)))[0].run()
    walk, prompter = new_walk(catalog, path, [], answers=load_answers(path, catalog))
    assert walk.run().finished
    assert "use --review" in prompter.text


def test_one_line_after_no_and_partial_takes_note_evidence_and_owner(
        catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first, second, third, fourth = applicable(catalog)[:4]
    walk, prompter = new_walk(catalog, path, [
        "n", "no written approval | email 2024-03 | Insp Lee", "p", "", "n", "|| Sgt Patel",
        "y", "s"])
    walk.run()
    saved = load_answers(path, catalog).answers
    assert (saved[first].note, saved[first].evidence, saved[first].owner) == (
        "no written approval", "email 2024-03", "Insp Lee")
    assert (saved[second].answer, saved[second].note, saved[second].owner) == (
        Answer.PARTIAL, "", "")
    assert (saved[third].note, saved[third].evidence, saved[third].owner) == (
        "", "", "Sgt Patel")
    assert saved[fourth].answer is Answer.YES
    assert prompter.prompts.count(GAP_PROMPT) == 3, "one line each, no extra Enter presses"
    assert "Saved: no, owner Insp Lee" in prompter.text


def test_the_key_legend_fits_80_columns() -> None:
    assert len(LEGEND) <= 80 and len(GAP_HINT) <= 80 and len(GAP_PROMPT) < 40


def test_gap_line_parts() -> None:
    assert split_gap_line("a | b | c | d") == ("a", "b", "c | d")
    assert split_gap_line(" only a note ") == ("only a note", "", "")
    assert join_gap_line("a", "", "") == "a" and join_gap_line("", "", "c") == " |  | c"
    assert split_gap_line(join_gap_line("", "", "c")) == ("", "", "c")


def test_piped_no_carries_note_evidence_and_owner(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first, second = applicable(catalog)[:2]
    walk, _ = new_walk(catalog, path, ["n: no letter | minutes 3 Sept | Insp Lee",
                                       "p: half the adults"], interactive=False)
    walk.run()
    saved = load_answers(path, catalog).answers
    assert (saved[first].note, saved[first].evidence, saved[first].owner) == (
        "no letter", "minutes 3 Sept", "Insp Lee")
    assert (saved[second].note, saved[second].owner) == ("half the adults", "")


def test_piped_input_reads_no_notes(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first, second = applicable(catalog)[:2]
    walk, _ = new_walk(catalog, path, ["no", "partly"], interactive=False)
    outcome = walk.run()
    assert outcome.status == "input_ended" and outcome.answered == 2
    saved = load_answers(path, catalog).answers
    assert saved[first].answer is Answer.NO and saved[second].answer is Answer.PARTIAL


def test_invalid_key_gets_a_hint_then_the_answer_counts(catalog: Catalog,
                                                        tmp_path: Path) -> None:
    walk, prompter = new_walk(catalog, tmp_path / "a.yaml", ["x", "\x1b[A", "", "y", "s"])
    assert walk.run().answered == 1
    assert "'x' is not an answer" in prompter.text
    assert "That key is not an answer" in prompter.text
    assert "Press a key: y, n, p, a or d" in prompter.text


def test_invalid_line_when_piped_is_an_error_naming_the_control(catalog: Catalog,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first, second = applicable(catalog)[:2]
    walk, _ = new_walk(catalog, path, ["y", "maybe", "y"], interactive=False)
    with pytest.raises(AuditError) as err:
        walk.run()
    assert second in str(err.value) and "'maybe'" in str(err.value)
    assert list(load_answers(path, catalog).answers) == [first]


def test_help_shows_why_evidence_and_sources(catalog: Catalog, tmp_path: Path) -> None:
    walk, prompter = new_walk(catalog, tmp_path / "a.yaml", ["?", "h", "y", "s"])
    walk.run()
    control = catalog.controls[applicable(catalog)[0]]
    assert f"Why it matters\t{control.why}" in prompter.shown
    assert f"What would show it\t{control.evidence}" in prompter.shown
    assert control.sources[0] in prompter.text
    assert prompter.shown.count(f"Why it matters\t{control.why}") == 2


def test_profile_is_asked_first_skipping_preset_fields(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    answers = AnswersFile(profile={"scheme_type": "unofficial"})
    walk, prompter = new_walk(
        catalog, path,
        ["Oak Lane Mini Police", "S-001", "1", "x", "10", "13", "n", "n", "Sam", "y", "s"],
        answers=answers, fixed={"scheme_type"},
    )
    walk.run()
    saved = load_answers(path, catalog)
    assert saved.profile == PROFILE
    assert saved.assessor == "Sam"
    assert "What kind of scheme is this?" not in prompter.text
    assert "youngest age must be a whole number, not 'x'" in prompter.text


def test_profile_line_that_does_not_fit_is_an_error_when_piped(catalog: Catalog,
                                                               tmp_path: Path) -> None:
    answers = AnswersFile(profile={k: v for k, v in PROFILE.items() if k != "age_min"})
    walk, _ = new_walk(catalog, tmp_path / "a.yaml", ["y"], interactive=False, answers=answers)
    with pytest.raises(AuditError, match="youngest age must be a whole number, not 'y'"):
        walk.run()


def test_spot_walk_shows_own_answer_and_register_evidence(catalog: Catalog,
                                                          tmp_path: Path) -> None:
    first = catalog.controls[applicable(catalog)[0]]
    own = AnswersFile(profile=dict(PROFILE),
                      answers={first.id: AnswerRecord(Answer.YES, "approved by Insp Lee")})
    cited = Citation("schemes", 3, "S-001", "approved_by", "", "a named officer",
                     "scheme S-001 (row 3): approved by is blank")
    evidence = {first.id: base_finding(first, Status.GAP, "no approval recorded", source="register",
                                       citations=(cited,))}
    audit = AnswersFile(mode=Mode.SPOT, profile=dict(PROFILE), self_assessment="self.yaml",
                        assessor="PSD")
    path = tmp_path / "audit.yaml"
    walk, prompter = new_walk(catalog, path, ["n", "not on file", "s"], answers=audit,
                              own=own, evidence=evidence)
    walk.run()
    assert "Scheme's own answer\tyes; note: approved by Insp Lee" in prompter.shown
    assert "Register\tgap: no approval recorded" in prompter.shown
    assert "\tscheme S-001 (row 3): approved by is blank" in prompter.shown
    saved = load_answers(path, catalog)
    assert saved.mode is Mode.SPOT and saved.answers[first.id].note == "not on file"


def test_open_walk_asks_the_name_and_saves_beside(catalog: Catalog, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    prompter = FakePrompter(["St Mary's Mini Police"])
    presets = {k: v for k, v in PROFILE.items() if k != "scheme_name"}
    walk = open_walk(catalog, prompter, WalkRequest(presets=presets, assessor="Sam"))
    assert walk.path == Path("st-mary-s-mini-police.answers.yaml")
    assert "Answers are saved to st-mary-s-mini-police.answers.yaml" in prompter.text
    assert load_answers(walk.path, catalog).profile["scheme_name"] == "St Mary's Mini Police"


def test_open_walk_refuses_a_bad_file_without_touching_it(catalog: Catalog,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    new_walk(catalog, path, ["y", "s"])[0].run()
    bad = path.read_text().replace("answer: 'yes'", "answer: maybe")
    path.write_text(bad)
    with pytest.raises(AuditError, match="answer 'maybe' is not one of"):
        open_walk(catalog, FakePrompter([]), WalkRequest(answers_path=path))
    assert path.read_text() == bad


def test_open_spot_walk_copies_the_profile_and_records_sources(catalog: Catalog,
                                                               tmp_path: Path) -> None:
    own_path = tmp_path / "oak.answers.yaml"
    AnswersFile(profile=dict(PROFILE), assessor="Lead").save(own_path)
    (tmp_path / "reg").mkdir()
    request = WalkRequest(mode=Mode.SPOT, self_path=own_path, assessor="PSD",
                          presets={"age_max": 14}, registers=(tmp_path / "reg" / "r.xlsx",),
                          sample_seed=7)
    walk = open_walk(catalog, FakePrompter([]), request)
    assert walk.path == tmp_path / "oak.audit.yaml"
    saved = load_answers(walk.path, catalog)
    assert saved.mode is Mode.SPOT and saved.profile == {**PROFILE, "age_max": 14}
    assert (saved.self_assessment, saved.register, saved.sample_seed) == (
        "oak.answers.yaml", "reg/r.xlsx", 7)
    assert saved.assessor == "PSD"


def test_presets_name_allowed_fields_and_values(catalog: Catalog) -> None:
    assert parse_presets(catalog, ["age_min=9", "offsite_activities=yes"], "Oak") == {
        "scheme_name": "Oak", "age_min": 9, "offsite_activities": True}
    with pytest.raises(AuditError, match="scheme_type, host_type"):
        parse_presets(catalog, ["colour=blue"])
    with pytest.raises(AuditError, match="scheme type must be one of official, unofficial"):
        parse_presets(catalog, ["scheme_type=secret"])


def test_small_helpers() -> None:
    assert slug("  St Mary's  Mini-Police! ") == "st-mary-s-mini-police"
    assert slug("???") == "scheme"
    assert default_answers_path("Oak Lane") == Path("oak-lane.answers.yaml")
    assert default_audit_path(Path("d/oak.answers.yaml")) == Path("d/oak.audit.yaml")
    assert default_audit_path(Path("st.marys.yaml")) == Path("st.marys.audit.yaml")
    assert read_action("Y") is Answer.YES and read_action("na") is Answer.NA
    assert read_action("dk") is Answer.UNKNOWN and read_action("a") is Answer.NA
    assert (read_action("?"), read_action("b"), read_action("s"), read_action(" ")) == (
        "help", "back", "stop", "keep")
    assert read_action("maybe") is None


def first_of(catalog: Catalog, severity: str) -> tuple[int, str]:
    """The position and id of the first applicable control of a severity."""
    return next((n, cid) for n, cid in enumerate(applicable(catalog))
                if catalog.controls[cid].severity == severity)


def test_yes_on_a_critical_control_asks_for_its_evidence(catalog: Catalog,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    n, cid = first_of(catalog, "critical")
    walk, prompter = new_walk(catalog, path, ["d"] * n + ["y", "Approval letter 2024-09-03",
                                                          "y", "", "s"],
                              scripted_evidence=True)
    walk.run()
    saved = load_answers(path, catalog).answers
    assert saved[cid].evidence == "Approval letter 2024-09-03"
    assert EVIDENCE_PROMPT in prompter.prompts
    assert "Saved: yes (claimed: no evidence reference)" in prompter.text


def test_not_applicable_needs_a_reason_on_critical_and_high(catalog: Catalog,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    n, cid = first_of(catalog, "critical")
    walk, prompter = new_walk(catalog, path, ["d"] * n + ["a", "", "a", "No trips: unit rule",
                                                          "s"])
    walk.run()
    assert "needs a reason to be marked not applicable" in prompter.text
    saved = load_answers(path, catalog).answers[cid]
    assert (saved.answer, saved.note) == (Answer.NA, "No trips: unit rule")


def test_not_applicable_on_a_medium_control_may_skip_the_reason(catalog: Catalog,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    n, cid = first_of(catalog, "medium")
    walk, _ = new_walk(catalog, path, ["d"] * n + ["a", "", "s"])
    walk.run()
    saved = load_answers(path, catalog).answers[cid]
    assert (saved.answer, saved.note) == (Answer.NA, "")


def test_piped_lines_carry_evidence_and_reasons_after_a_colon(catalog: Catalog,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first, second = applicable(catalog)[:2]
    walk, _ = new_walk(catalog, path, ["y: Central record EAST-01", "na: not locally run"],
                       interactive=False)
    walk.run()
    saved = load_answers(path, catalog).answers
    assert saved[first].evidence == "Central record EAST-01"
    assert (saved[second].answer, saved[second].note) == (Answer.NA, "not locally run")


def test_piped_not_applicable_without_a_reason_is_an_error(catalog: Catalog,
                                                          tmp_path: Path) -> None:
    n, cid = first_of(catalog, "critical")
    walk, _ = new_walk(catalog, tmp_path / "a.yaml", ["d"] * n + ["a"], interactive=False)
    with pytest.raises(AuditError, match=f"{cid}: not applicable needs a reason"):
        walk.run()


def test_an_owner_survives_a_changed_answer(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first = applicable(catalog)[0]
    answers = AnswersFile(profile=dict(PROFILE), assessor="Sam", answers={
        first: AnswerRecord(Answer.NO, "none yet", owner="Insp Lee")})
    walk, _ = new_walk(catalog, path, ["", "", "", "", "", "", "", "", "", "p", "", "s"],
                       review=True, answers=answers)
    walk.run()
    saved = load_answers(path, catalog).answers[first]
    assert (saved.answer, saved.owner) == (Answer.PARTIAL, "Insp Lee")
