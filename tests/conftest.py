"""Shared pytest configuration."""

from __future__ import annotations

import pytest

pytest_plugins = ["walk_support"]  # the walk tests' shared fixtures


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden", action="store_true", default=False,
        help="Rewrite the golden report files in tests/golden/ instead of comparing them.",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files."""
    return bool(request.config.getoption("--regen-golden"))
