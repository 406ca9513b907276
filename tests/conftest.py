"""Shared pytest configuration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

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


@pytest.fixture(scope="session")
def example_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example register as CSV files, written by examples/make_register.py (schemes.csv
    with a byte-order mark, adults.csv in Windows-1252, as Excel saves them). Read only:
    copy it to spoil it."""
    directory = tmp_path_factory.mktemp("example-csv")
    subprocess.run([sys.executable, str(ROOT / "examples" / "make_register.py"),
                    str(directory / "register.xlsx"), "--csv", str(directory)], check=True)
    (directory / "register.xlsx").unlink()
    return directory
