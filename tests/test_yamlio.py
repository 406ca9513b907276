"""Safe YAML: the guards every user-supplied file goes through."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from youthscheme_audit.errors import YamlError
from youthscheme_audit.yamlio import atomic_write, dump_yaml, load_yaml, parse_yaml

ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
       for i in range(8)]
)


def test_yaml_11_words_stay_strings_and_only_true_false_are_booleans() -> None:
    data = parse_yaml("a: no\nb: yes\nc: 012\nd: 12:30\ne: true\nf: 2024-01-01\ng: 7\nh: on\n")
    assert data == {"a": "no", "b": "yes", "c": "012", "d": "12:30", "e": True,
                    "f": "2024-01-01", "g": 7, "h": "on"}


def test_lines_are_remembered() -> None:
    data = parse_yaml("top:\n  first: 1\n  second:\n    - x\n    - y\n")
    assert data.line_of("top") == 1
    assert data["top"].line_of("second") == 3
    assert data["top"]["second"].item_lines == [4, 5]


def test_round_trip_keeps_strings_that_look_like_other_types() -> None:
    original = {"answer": "no", "id": "012", "time": "12:30", "flag": True, "n": None}
    assert parse_yaml(dump_yaml(original)) == original


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ALIAS_BOMB, "anchors"),
        ("a: *x\n", "aliases"),
        ("a: &x 1\n", "anchors"),
        ("a: !!python/object/apply:os.system [ls]\n", "tags"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("[" * 60 + "]" * 60, "nesting deeper"),
        ("a: [1, 2\n", "invalid YAML"),
        ("---\na: 1\n---\nb: 2\n", "only one YAML document"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused_with_a_line(text: str, message: str) -> None:
    with pytest.raises(YamlError) as info:
        parse_yaml(text, "f.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith("f.yaml:")


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)
    start = time.perf_counter()
    with pytest.raises(YamlError):
        load_yaml(path)
    assert time.perf_counter() - start < 1.0


def test_deep_nesting_does_not_crash_the_c_parser() -> None:
    with pytest.raises(YamlError, match="nesting"):
        parse_yaml("a: " + "[" * 50_000 + "]" * 50_000)


def test_huge_and_missing_files(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" * 10)
    with pytest.raises(YamlError, match="limit"):
        load_yaml(big, max_bytes=20)
    with pytest.raises(YamlError, match="file not found"):
        load_yaml(tmp_path / "absent.yaml")
    with pytest.raises(YamlError, match="directory"):
        load_yaml(tmp_path)


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("good")


    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    atomic_write(target, "new")
    assert target.read_text() == "new"


def test_atomic_write_respects_umask_and_keeps_existing_modes(tmp_path: Path) -> None:
    import os

    new = tmp_path / "new.txt"
    old_umask = os.umask(0o022)
    try:
        atomic_write(new, "x")
    finally:
        os.umask(old_umask)
    assert new.stat().st_mode & 0o777 == 0o644
    private = tmp_path / "private.yaml"
    private.write_text("a")
    private.chmod(0o600)
    atomic_write(private, "b")
    assert private.stat().st_mode & 0o777 == 0o600
