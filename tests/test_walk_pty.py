"""``walk`` in a real pseudo-terminal: single keys, kill -9, Ctrl-C and hang-up."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest
from walk_support import SETS

from youthscheme_audit.answers import load_answers
from youthscheme_audit.catalog import Catalog
from youthscheme_audit.models import Answer

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 15


def spawn(path: Path, *extra: str) -> pexpect.spawn:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                                    os.environ.get("PYTHONPATH")])),
               COLUMNS="200", LINES="50", TERM="xterm")
    env.pop("NO_COLOR", None)
    args = ["-m", "youthscheme_audit", "walk", "--answers", str(path), *SETS,
            "--assessor", "Sam", "--as-of", "2026-06-01", *extra]
    child = pexpect.spawn(sys.executable, args, cwd=str(path.parent), env=env,
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 200))
    child.delaybeforesend = None  # each key waits for its prompt anyway
    return child


def answer(child: pexpect.spawn, n: int, total: int, key: str) -> None:
    """Wait for question ``n`` (1-based) and answer it with one key."""
    child.expect_exact(f"overall {n} of {total}")
    press(child, key)


def follow_up(child: pexpect.spawn, catalog: Catalog, cid: str, key: str, n: int) -> None:
    """Answer what the walk asks after a key: evidence after yes on critical and high,
    a reason after not applicable, a note and evidence after no or partly."""
    asks_evidence = catalog.controls[cid].severity in ("critical", "high")
    if key == "y" and asks_evidence:
        child.expect_exact("Evidence reference: what a checker could look at")
        child.sendline(f"record {n}" if n % 2 else "")  # every other one stays claimed
    elif key == "a":
        child.expect_exact("Why does it not apply?")
        child.sendline(f"reason {n}")
    elif key in "np":
        child.expect_exact("Note: what is missing?")
        child.sendline(f"note {n}")
        child.expect_exact("Evidence reference")
        child.sendline(f"ref {n}")


def press(child: pexpect.spawn, key: str) -> None:
    """Send one key once the prompt reads raw keys (raw mode discards earlier type-ahead)."""
    child.expect_exact("> ")
    assert child.waitnoecho(timeout=TIMEOUT)
    child.send(key)


def test_full_walk_with_single_keys_ends_with_the_report(catalog: Catalog, ids: list[str],
                                                         tmp_path: Path) -> None:
    path = tmp_path / "oak.yaml"
    child = spawn(path)
    keys = ["y"] * len(ids)
    keys[1] = "n"
    for n, key in enumerate(keys, 1):
        answer(child, n, len(ids), key)
        follow_up(child, catalog, ids[n - 1], key, n)
    child.expect_exact("Oak Lane Mini Police")  # the terminal report names the scheme
    child.expect_exact(f"HTML report: {tmp_path / 'oak.html'}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = load_answers(path, catalog)
    assert list(saved.answers) == ids
    assert saved.answers[ids[1]].note == "note 2"
    assert saved.answers[ids[0]].evidence == "record 1"  # GOV-01, critical
    # the walk's report has the numbers `report` gives for the saved file
    from click.testing import CliRunner

    from youthscheme_audit.cli import main

    result = CliRunner().invoke(main, ["report", str(path), "--format", "json"])
    scheme = json.loads(result.stdout)["schemes"][0]
    html = (tmp_path / "oak.html").read_text()
    assert f"{scheme['score']:.1f}" in html and f"{scheme['coverage']:.1f}%" in html
    assert scheme["rating"].upper() in html


def test_kill_9_loses_nothing_answered_and_resume_skips_it(catalog: Catalog, ids: list[str],
                                                            tmp_path: Path) -> None:
    path = tmp_path / "oak.yaml"
    child = spawn(path)
    keys = ["y", "p", "d", "a", "n"]
    for n, key in enumerate(keys, 1):
        answer(child, n, len(ids), key)
        follow_up(child, catalog, ids[n - 1], key, n)
    child.expect_exact(f"overall {len(keys) + 1} of {len(ids)}")  # on screen: question 6
    child.kill(signal.SIGKILL)
    child.close()
    saved = load_answers(path, catalog).answers
    assert list(saved) == ids[:len(keys)]
    assert [r.answer for r in saved.values()] == [Answer.YES, Answer.PARTIAL, Answer.UNKNOWN,
                                                  Answer.NA, Answer.NO]
    assert (saved[ids[4]].note, saved[ids[4]].evidence) == ("note 5", "ref 5")

    child = spawn(path)
    child.expect_exact(f"Resuming: {len(keys)} of {len(ids)} answered.")
    child.expect_exact(f"overall {len(keys) + 1} of {len(ids)}")
    assert not any(f"{cid} ·" in (child.before or "") for cid in ids[:len(keys)])
    press(child, "y")
    follow_up(child, catalog, ids[len(keys)], "y", len(keys) + 1)
    child.expect_exact(f"overall {len(keys) + 2} of {len(ids)}")
    press(child, "s")
    child.expect_exact(f"Stopped: {len(keys) + 1} of {len(ids)} answered")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert list(load_answers(path, catalog).answers) == ids[:len(keys) + 1]


@pytest.mark.parametrize("how", ["ctrl-c key", "SIGINT", "SIGHUP"])
def test_interrupt_leaves_a_valid_file(catalog: Catalog, ids: list[str], tmp_path: Path,
                                       how: str) -> None:
    path = tmp_path / "oak.yaml"
    child = spawn(path)
    answer(child, 1, len(ids), "y")
    follow_up(child, catalog, ids[0], "y", 2)
    answer(child, 2, len(ids), "n")
    child.expect_exact("Note: what is missing?")
    if how == "ctrl-c key":  # at the next single-key prompt, where the terminal is raw
        child.sendline("")
        child.expect_exact("Evidence reference")
        child.sendline("")
        child.expect_exact(f"overall 3 of {len(ids)}")
        child.expect_exact("> ")
        assert child.waitnoecho(timeout=TIMEOUT)
        child.sendcontrol("c")
    else:  # half-way through typing the note
        child.kill(signal.SIGINT if how == "SIGINT" else signal.SIGHUP)
    if how != "SIGHUP":
        child.expect_exact(f"Interrupted: 2 of {len(ids)} answered")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == (129 if how == "SIGHUP" else 130)
    saved = load_answers(path, catalog).answers
    assert [r.answer for r in saved.values()] == [Answer.YES, Answer.NO]
    assert not list(tmp_path.glob(".*.tmp"))
