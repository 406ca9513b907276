"""Safe YAML reading and writing with line numbers, for every file a user hands us.

PyYAML's ``safe_load`` is safe against code execution but not against alias bombs
(a tiny file that expands to gigabytes when walked), deep nesting (the C parser
crashes at depth ~50,000) or YAML 1.1 surprises (``no`` becoming ``False``,
``012`` becoming 10). So we build values straight from the parser's events:

* files over ``MAX_BYTES`` are refused before parsing;
* aliases and anchors are refused (nothing we read needs them);
* nesting deeper than ``MAX_DEPTH`` is refused;
* explicit tags are refused;
* plain scalars follow the YAML 1.2 core schema: only ``true``/``false`` are
  booleans, only ``null``/``~``/empty are null, numbers have no leading zeros;
  everything else (``no``, ``yes``, ``012``, ``12:30``, dates) stays a string;
* every mapping and sequence remembers the line it starts on and the line of
  each key or item, so validation errors can say ``file:line``.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import yaml

from youthscheme_audit.errors import YamlError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40

try:  # the C parser is ~10x faster; event parsing is iterative so depth is safe
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+([eE][-+]?[0-9]+)?\Z")


class YDict(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


def unknown_keys(node: YDict, allowed: Iterable[str]) -> list[tuple[str, int, str]]:
    """(key, line, hint) for each key of ``node`` not in ``allowed``.

    The hint suggests the closest allowed key ("did you mean 'title'?") or, when none
    is close, lists them all, so a typo in any file we read gets the same help.
    """
    names = sorted(allowed)
    out = []
    for key in node:
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(names)}"
            out.append((key, node.line_of(key), hint))
    return out


class YList(list[Any]):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


def _scalar(event: yaml.ScalarEvent) -> Any:
    if event.style not in (None, "") or not event.implicit[0]:
        return event.value  # quoted or block scalar: always a string
    text = event.value
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file for parsing, refusing missing, huge or undecodable files."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise YamlError("file not found", path) from None
    except OSError as exc:
        raise YamlError(f"cannot read file ({exc.strerror})", path) from None
    if path.is_dir():
        raise YamlError("is a directory, expected a YAML file", path)
    if size > max_bytes:
        raise YamlError(f"file is {size:,} bytes; the limit is {max_bytes:,}", path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(f"not UTF-8 text (byte {exc.start})", path) from None
    except OSError as exc:
        raise YamlError(f"cannot read file ({exc.strerror})", path) from None


def load_yaml(path: str | Path, max_bytes: int = MAX_BYTES) -> Any:
    """Load one YAML document from ``path`` safely; raise YamlError with file:line."""
    path = Path(path)
    return parse_yaml(read_text(path, max_bytes), path)


def parse_yaml(text: str, path: str | Path = "<string>") -> Any:
    """Parse YAML text into YDict/YList/scalars; see the module docstring for the rules."""
    try:
        return _build(yaml.parse(text, Loader=_Loader), path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", path, line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", path) from None


def _build(events: Iterator[yaml.Event], path: str | Path) -> Any:
    stack: list[tuple[Any, str | None]] = []  # (container, pending mapping key)
    root: Any = None
    documents = 0

    def attach(value: Any, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        container, key = stack[-1]
        if isinstance(container, YList):
            container.append(value)
            container.item_lines.append(line)
        elif key is None:
            if not isinstance(value, str | int | float | bool) or value is None:
                raise YamlError("mapping keys must be plain text", path, line)
            skey = str(value)
            if skey in container:
                raise YamlError(f"duplicate key '{skey}'", path, line)
            container.key_lines[skey] = line
            stack[-1] = (container, skey)
        else:
            container[key] = value
            stack[-1] = (container, None)

    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent):
            raise YamlError("YAML aliases (*name) are not allowed", path, line)
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise YamlError("YAML anchors (&name) are not allowed", path, line)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError("only one YAML document is allowed per file", path, line)
        elif isinstance(event, yaml.ScalarEvent):
            if event.tag is not None and not event.implicit[1]:
                raise YamlError(f"YAML tags ({event.tag}) are not allowed", path, line)
            attach(_scalar(event), line)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if event.tag is not None and not event.implicit:
                raise YamlError(f"YAML tags ({event.tag}) are not allowed", path, line)
            if len(stack) >= MAX_DEPTH:
                raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", path, line)
            node: YDict | YList
            if isinstance(event, yaml.MappingStartEvent):
                node = YDict()
                node.key_lines = {}
            else:
                node = YList()
                node.item_lines = []
            node.line = line
            attach(node, line)
            stack.append((node, None))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
    return root


class _BlockDumper(_Dumper):
    """A safe dumper that also writes our line-aware containers as plain YAML."""


_BlockDumper.add_representer(YDict, _BlockDumper.represent_dict)
_BlockDumper.add_representer(YList, _BlockDumper.represent_list)


def dump_yaml(data: Any) -> str:
    """Dump plain data as block-style YAML that ``parse_yaml`` reads back unchanged."""
    text: str = yaml.dump(
        data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
        width=100,
    )
    return text


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[TextIO]:
    """A text handle whose content replaces ``path`` only once it is complete.

    Writes go to a temporary file in the same directory, which is flushed, fsynced and
    renamed over the target (atomic on POSIX) when the block ends without an error, so
    a crash, an exception or ``kill -9`` mid-write leaves the previous version intact.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.chmod(tmp, _mode_for(path))  # mkstemp's 0600 would hide reports from colleagues
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    """The permissions a replaced file keeps, or a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path) as handle:
        handle.write(text)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` (a workbook, say) to ``path`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path) as handle:
        handle.buffer.write(data)  # below the text layer, which is left empty
