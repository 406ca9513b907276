"""One exception base for every user mistake, and the exit codes they map to."""

from __future__ import annotations

import re
from enum import IntEnum
from pathlib import Path

# C0/C1 controls and bidi overrides: in an error line they could move the cursor,
# ring the bell or disguise the text, so they are shown as escapes instead
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EXCERPT = 60  # characters of a user's value quoted in a message
_RUN_ON = re.compile(r"[^\s:]{1000,}")  # no path is this long: a pasted value, cut down to size


class ExitCode(IntEnum):
    """The exit codes of the command-line contract (product.md)."""

    OK = 0
    FINDINGS = 1  # --fail-on tripped, lint problems, compare regression
    INPUT_ERROR = 2  # usage or input error


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b``-style escapes: one inert line."""
    if text.isprintable():
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                        else f"\\u{ord(m[0]):04x}", text)


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A user's value short enough to quote in a message (a 5,000-digit number is not)."""
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit - 12]}... ({len(text):,} characters)"


class AuditError(Exception):
    """A problem with the user's input, reported as one line and exit code 2.

    The location is rendered the way editors and CI logs understand it:
    ``file:line: message`` (or ``file: row 12, column dbs_level: message``).
    Whatever the message or path holds, the result is one printable line.
    """

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        where: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        place = self.path or ""
        if self.line is not None:
            place += f":{self.line}"
        if self.where:
            place += f": {self.where}" if place else self.where
        text = f"{place}: {self.message}" if place else self.message
        text = _RUN_ON.sub(lambda m: excerpt(m[0]), " ".join(text.split("\n")))
        return printable(text)


class YamlError(AuditError):
    """A YAML file could not be read safely."""


class CatalogError(AuditError):
    """A checklist definition is invalid."""


class AnswersError(AuditError):
    """An answers file is invalid."""


class RegisterError(AuditError):
    """A register export cannot be read as a register."""


class WaiverError(AuditError):
    """A waiver file is invalid."""


class OutputError(AuditError):
    """An output file or folder cannot be written (the message names the user's path)."""
