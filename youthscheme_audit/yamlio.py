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
* numbers have a sane range (``MAX_DIGITS``): a 5,000-digit number is refused with
  its line instead of reaching ``int()`` (which raises past 4,300 digits);
* every mapping and sequence remembers the line it starts on and the line of
  each key or item, so validation errors can say ``file:line``; a mapping also keeps
  the source text of its plain numeric values (``version: 1.10`` is not ``1.1``).

Inputs must be regular files (a FIFO would hang, ``/dev/zero`` never ends) and
outputs replace only regular files: ``atomic_writer`` refuses to turn a symlink or a
device node into a file, and every error it raises names the user's path.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import io
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import yaml

from youthscheme_audit.errors import AuditError, OutputError, YamlError, excerpt

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_DIGITS = 15  # whole numbers below 10**15; no file we read needs more
_FILE_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISLNK, "a symbolic link"))

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
    numbers: dict[str, str]  # key -> source text of a plain numeric value

    def line_of(self, key: str) -> int:
        """The line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)

    def text_of(self, key: str) -> str:
        """The value of ``key`` as written in the file: ``1.10`` stays ``1.10``."""
        numbers = getattr(self, "numbers", {})
        return numbers[key] if key in numbers else str(self.get(key, ""))


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
    """A plain scalar's value under the YAML 1.2 core schema; ValueError for huge numbers."""
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
        if len(text.lstrip("+-")) > MAX_DIGITS:
            raise ValueError(f"number {excerpt(text)} is too large (at most {MAX_DIGITS} "
                             "digits)")
        return int(text)
    if _FLOAT.match(text):
        number = float(text)
        if len(text) > 2 * MAX_DIGITS or not abs(number) < 10.0 ** MAX_DIGITS:
            raise ValueError(f"number {excerpt(text)} is out of range (below 10^{MAX_DIGITS}, "
                             f"at most {2 * MAX_DIGITS} characters)")
        return number
    return text


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    return next((word for test, word in _FILE_KINDS if test(mode)), "not a regular file")


def regular_file(path: str | Path, error: type[AuditError] = YamlError,
                 expected: str = "file") -> os.stat_result:
    """Stat an input before reading it: missing, a directory, a device or a pipe is refused.

    A FIFO would block the read for ever and ``/dev/zero`` never ends, so anything
    but a regular file is an input error (exit 2) before a byte is read.
    """
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise error("file not found", path) from None
    except OSError as exc:
        raise error(f"cannot read file ({exc.strerror})", path) from None
    kind = _kind(info.st_mode)
    if kind is not None:
        raise error(f"is {kind}, not a regular file: expected a {expected}", path)
    return info


def open_regular(path: str | Path, error: type[AuditError] = YamlError,
                 expected: str = "file") -> io.BufferedReader:
    """Open an input for reading in binary, refusing anything but a regular file."""
    regular_file(path, error, expected)
    try:  # non-blocking: if the path became a FIFO since the stat, open must not hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise error(f"cannot read file ({exc.strerror})", path) from None
    if _kind(os.fstat(fd).st_mode) is not None:
        os.close(fd)
        raise error(f"is not a regular file: expected a {expected}", path)
    return os.fdopen(fd, "rb")


def _line_at(data: bytes, offset: int) -> int:
    """The 1-based line holding byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, path: str | Path, error: type[AuditError] = YamlError) -> str:
    """UTF-8 text (a BOM dropped); UTF-16, NUL bytes and bad bytes are one clear line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("UTF-16 text, not UTF-8: save it as UTF-8", path, 1)
    nul = data.find(b"\x00")
    if nul >= 0:  # UTF-16 without a byte-order mark looks like text with NUL bytes
        raise error("NUL bytes: not UTF-8 text (UTF-16? save it as UTF-8)", path,
                    _line_at(data, nul))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path,
                    _line_at(data, exc.start)) from None


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file for parsing, refusing missing, huge, non-regular or undecodable files."""
    with open_regular(path, YamlError, "YAML file") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise YamlError(f"file is {size:,} bytes; the limit is {max_bytes:,}", path)
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise YamlError(f"cannot read file ({exc.strerror})", path) from None
    if len(data) > max_bytes:  # it grew while we read it
        raise YamlError(f"file is over the limit of {max_bytes:,} bytes", path)
    return decode_text(data, path)


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
    except yaml.reader.ReaderError as exc:  # a control character: no mark, a position
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character  # the C parser gives its code, the Python one the character
        code = char if isinstance(char, int) else ord(char)
        raise YamlError(f"invalid YAML: control character {code:#06x} is not allowed (only "
                        "tab and line breaks)", path, line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", path) from None


def _build(events: Iterator[yaml.Event], path: str | Path) -> Any:
    stack: list[tuple[Any, str | None]] = []  # (container, pending mapping key)
    root: Any = None
    documents = 0

    def attach(value: Any, line: int, source: str = "") -> None:
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
            if source and isinstance(value, int | float) and not isinstance(value, bool):
                container.numbers[key] = source
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
            try:
                value = _scalar(event)
            except ValueError as exc:
                raise YamlError(str(exc), path, line) from None
            attach(value, line, event.value)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if event.tag is not None and not event.implicit:
                raise YamlError(f"YAML tags ({event.tag}) are not allowed", path, line)
            if len(stack) >= MAX_DEPTH:
                raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", path, line)
            node: YDict | YList
            if isinstance(event, yaml.MappingStartEvent):
                node = YDict()
                node.key_lines = {}
                node.numbers = {}
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


def check_target(path: str | Path) -> bool:
    """Whether ``path`` exists as a regular file we may replace; refuse anything else.

    Replacing a symlink, a device node or a pipe with a regular file would break
    what the user set up (``-o /dev/null``, a link into a shared folder), so only an
    absent path or a regular file is written.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror})", path) from None
    kind = _kind(info.st_mode)
    if kind == "a directory":
        raise OutputError("is a directory: give a file name to write", path)
    if kind is not None:
        raise OutputError(f"is {kind}: refusing to replace it with a regular file "
                          "(give the path of a regular file)", path)
    return True


def _write_error(exc: OSError, path: str | Path, existed: bool) -> OutputError:
    """An OSError while writing ``path``, in words that name the user's path, not a temp file."""
    full = exc.errno == errno.ENOSPC
    why = "no space left on the device" if full else exc.strerror or str(exc)
    kept = "the old file is unchanged" if existed else "nothing was written"
    return OutputError(f"cannot write ({why}); {kept}", path)


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[TextIO]:
    """A text handle whose content replaces ``path`` only once it is complete.

    Writes go to a temporary file in the same directory, which is flushed, fsynced and
    renamed over the target (atomic on POSIX) when the block ends without an error, so
    a crash, an exception or ``kill -9`` mid-write leaves the previous version intact.
    Only an absent path or a regular file is replaced (see ``check_target``); an
    OSError (a full disk, a read-only folder) becomes an OutputError naming ``path``.
    """
    path = Path(path)
    existed = check_target(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        raise OutputError(f"cannot write: the folder {directory} does not exist", path) from None
    except OSError as exc:
        raise _write_error(exc, path, existed) from None
    try:
        os.chmod(tmp, _mode_for(path))  # mkstemp's 0600 would hide reports from colleagues
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        check_target(path)  # it may have become a symlink while we wrote
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _write_error(exc, path, existed) from None
    except BaseException:
        with contextlib.suppress(OSError):
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
