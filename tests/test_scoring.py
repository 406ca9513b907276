"""Scoring policy edges (product.md): pure functions, no files."""

from __future__ import annotations

import pytest

from youthscheme_audit.models import Finding, Rating, Severity, Status
from youthscheme_audit.scoring import score_findings


def f(status: str, severity: str = "medium", cid: str = "X-01") -> Finding:
    return Finding(
        control_id=cid, title="t", area="a", area_title="A", severity=Severity(severity),
        status=Status(status), reason="", question="", remediation="", sources=(),
    )


def test_no_applicable_controls_has_no_score_and_is_not_green() -> None:
    s = score_findings([f("not_applicable"), f("not_applicable", "critical")])
    assert s.score is None and s.coverage is None
    assert s.rating is Rating.AMBER
    assert any("no score" in r for r in s.rating_reasons)


def test_empty_findings() -> None:
    s = score_findings([])
    assert (s.score, s.coverage, s.rating) == (None, None, Rating.AMBER)


def test_all_unverified_is_amber_with_zero_coverage() -> None:
    s = score_findings([f("unverified", "critical"), f("unverified", "low")])
    assert s.score is None
    assert s.coverage == 0.0
    assert s.rating is Rating.AMBER


def test_only_partials_score_fifty_and_red() -> None:
    s = score_findings([f("partial", "high"), f("partial", "low")])
    assert s.score == 50.0
    assert s.rating is Rating.RED


def test_critical_gap_caps_at_red_even_with_score_99() -> None:
    findings = [f("met", "critical", f"M-{i:02}") for i in range(100)] + [
        f("gap", "critical", "C-01")
    ]
    s = score_findings(findings)
    assert s.score == pytest.approx(99.0)
    assert s.rating is Rating.RED
    assert "C-01" in s.rating_reasons[0]


def test_weights_are_ten_five_two_one() -> None:
    s = score_findings([f("met", "critical"), f("gap", "high"), f("met", "medium"),
                        f("gap", "low")])
    assert s.weights["met"] == 12 and s.weights["gap"] == 6
    assert s.score == round(100 * 12 / 18, 1)


def test_half_weight_for_partial() -> None:
    s = score_findings([f("met", "high"), f("partial", "high")])
    assert s.score == 75.0


def test_high_gap_makes_amber() -> None:
    findings = [f("met", "critical", f"M-{i:02}") for i in range(20)] + [f("gap", "high")]
    s = score_findings(findings)
    assert s.score is not None and s.score > 95
    assert s.rating is Rating.AMBER


@pytest.mark.parametrize(
    ("met", "gap", "rating"),
    [(60, 40, Rating.AMBER), (59, 41, Rating.RED), (85, 15, Rating.GREEN),
     (84, 16, Rating.AMBER)],
)
def test_score_thresholds(met: int, gap: int, rating: Rating) -> None:
    findings = [f("met", "low", f"M-{i:03}") for i in range(met)]
    findings += [f("gap", "low", f"G-{i:03}") for i in range(gap)]
    assert score_findings(findings).rating is rating


@pytest.mark.parametrize(("evidenced", "rating"), [(75, Rating.GREEN), (74, Rating.AMBER)])
def test_coverage_threshold(evidenced: int, rating: Rating) -> None:
    findings = [f("met", "low", f"M-{i:03}") for i in range(evidenced)]
    findings += [f("unverified", "low", f"U-{i:03}") for i in range(100 - evidenced)]
    s = score_findings(findings)
    assert s.coverage == float(evidenced)
    assert s.rating is rating


def test_not_applicable_is_outside_coverage_and_score() -> None:
    s = score_findings([f("met", "high"), f("not_applicable", "critical")])
    assert (s.score, s.coverage, s.rating) == (100.0, 100.0, Rating.GREEN)


def test_waived_gap_leaves_denominator_but_is_shown_without_waivers() -> None:
    s = score_findings([f("met", "high"), f("waived", "critical")])
    assert s.score == 100.0
    assert s.score_without_waivers == round(100 * 5 / 15, 1)
    assert s.rating is Rating.GREEN  # the critical gap is waived
    assert s.counts["waived"] == 1


def test_waived_counts_as_evidenced_for_coverage() -> None:
    s = score_findings([f("waived", "low"), f("unverified", "low")])
    assert s.coverage == 50.0
