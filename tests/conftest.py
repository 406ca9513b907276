"""Shared pytest configuration."""

from __future__ import annotations

import pytest

pytest_plugins = ["walk_support"]  # the walk tests' shared fixtures


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden", action="store_true", default=False,
        help="Rewrite the golden report files in tests/golden/ instead of comparing them.",
    )
    parser.addoption(
        "--slow", action="store_true", default=False,
        help="Also run the slow tests (marked slow), such as printing a report with Chromium.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a heavy test, run only with --slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked slow unless --slow is given."""
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files."""
    return bool(request.config.getoption("--regen-golden"))
