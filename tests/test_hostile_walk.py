"""Two walks on one answers file, a file edited during a walk, and the walk's HTML report path.

The walks are real processes (``python -m youthscheme_audit walk``) fed through pipes, so
the lock is held by one process while another tries to take it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from walk_support import SETS

from youthscheme_audit.answers import AnswersLock, lock_path
from youthscheme_audit.errors import AnswersError

WALK = [sys.executable, "-m", "youthscheme_audit", "walk", "--assessor", "Sam", *SETS]


def start(path: Path, answers: int) -> subprocess.Popen[str]:
    """A walk that has given ``answers`` answers and waits for more on its open stdin."""
    walk = subprocess.Popen([*WALK, "--answers", str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=path.parent)
    assert walk.stdin is not None
    walk.stdin.write("y\n" * answers)
    walk.stdin.flush()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until the answers are on disk
        if path.exists() and len(yaml.safe_load(path.read_text())["answers"]) >= answers:
            return walk
        time.sleep(0.05)
    walk.kill()
    raise AssertionError("the first walk did not save its answers")


def saved(path: Path) -> dict[str, str]:
    return {cid: rec["answer"] for cid, rec in yaml.safe_load(path.read_text())["answers"].items()}


def test_a_second_walk_on_the_same_file_is_refused_and_no_answer_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first = start(path, 12)
    try:
        second = subprocess.run([*WALK, "--answers", str(path)], input="n\n" * 60,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        [line] = second.stderr.splitlines()
        assert line.startswith(f"error: {path}: in use by another walk (pid {first.pid} on "
                               f"{socket.gethostname()}, since 20")
        assert f"delete {lock_path(path)}" in line
        out, err = first.communicate("y\n" * 3, timeout=60)
    finally:
        first.kill()
    assert first.returncode == 0, err
    answers = saved(path)
    assert len(answers) == 15 and set(answers.values()) == {"yes"}, "the second walk wrote none"
    assert not lock_path(path).exists()
    third = subprocess.run([*WALK, "--answers", str(path)], input="n\n", capture_output=True,
                           text=True, timeout=60)
    assert third.returncode == 0, third.stderr  # the lock went with the first walk
    assert len(saved(path)) == 16


def test_a_lock_left_by_a_killed_walk_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first = start(path, 2)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    assert lock_path(path).exists()
    again = subprocess.run([*WALK, "--answers", str(path)], input="y\n", capture_output=True,
                           text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert len(saved(path)) == 3 and not lock_path(path).exists()


def test_a_lock_held_on_another_host_is_never_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    lock_path(path).write_text(json.dumps({"pid": 1, "host": "laptop-7",
                                           "since": "2026-11-22T09:00:00+00:00"}))
    with pytest.raises(AnswersError) as info:
        AnswersLock.take(path)
    assert "in use by another walk (pid 1 on laptop-7, since 2026-11-22T09:00:00+00:00)" in str(
        info.value)


def test_a_file_changed_during_a_walk_is_not_written_over(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first = start(path, 3)
    try:
        with path.open("a") as handle:
            handle.write("# a note added in an editor meanwhile\n")
        edited = path.read_text()
        _, err = first.communicate("y\n", timeout=60)
    finally:
        first.kill()
    assert first.returncode == 2
    assert err.splitlines()[-1].startswith(
        f"error: {path}: changed on disk since this walk read it")
    assert path.read_text() == edited
    assert not lock_path(path).exists()


def test_the_html_report_never_lands_on_the_answers(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    walk = subprocess.run([*WALK, "--answers", str(path)], input="y\n" * 200,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert walk.returncode == 0, walk.stderr
    assert path.read_text().startswith("# youthscheme-audit answers file")
    report = tmp_path / "r.report.html"
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert walk.stdout.strip().endswith(f"HTML report: {report}")
