"""Answers files: the YAML a walk writes and ``report`` reads, readable and hand-editable.

Saved atomically after every answer, so the file on disk is always complete and valid.
Loading checks every value and names the file, the line and what is allowed.

Two guards keep answers from being lost to another writer. A walk holds a lock on its
file (``AnswersLock``: ``<answers>.lock`` beside it, naming the pid, host and start
time), so a second walk on the same file is refused; a lock left by a walk that died
on this host is taken over. And a file remembers what it held when read or last
saved: a save onto a file that has changed since (an editor, a copy) is refused
rather than written over it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import socket
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from youthscheme_audit.catalog import Catalog, age_problem, parse_profile_value
from youthscheme_audit.errors import AnswersError, YamlError
from youthscheme_audit.models import Answer, Mode, iso_date
from youthscheme_audit.yamlio import (
    YDict,
    atomic_write,
    dump_yaml,
    parse_yaml,
    read_text,
    unknown_keys,
)

FORMAT = "youthscheme-audit/answers@1"
TOP_KEYS = {
    "format", "mode", "assessor", "started_at", "updated_at", "as_of", "checklists", "profile",
    "self_assessment", "register", "sample_seed", "answers", "skipped",
}
ANSWER_KEYS = {"answer", "note", "evidence", "owner", "answered_at"}
ALIASES = {
    "y": Answer.YES, "n": Answer.NO, "p": Answer.PARTIAL, "partly": Answer.PARTIAL,
    "n/a": Answer.NA, "not applicable": Answer.NA, "not_applicable": Answer.NA,
    "dk": Answer.UNKNOWN, "don't know": Answer.UNKNOWN, "dont know": Answer.UNKNOWN,
    "dont_know": Answer.UNKNOWN,
}
ALLOWED = ", ".join(a.value for a in Answer)


def slug(name: str) -> str:
    """A file-name-safe scheme name: "St Mary's Mini Police" -> 'st-mary-s-mini-police'."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "scheme"


def now() -> str:
    """The current time as an ISO timestamp with time zone, to the second."""
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class AnswerRecord:
    """One control's answer, with the assessor's note and evidence reference."""

    answer: Answer
    note: str = ""
    evidence: str = ""
    owner: str = ""  # who will act on a gap (the action plan's owner column)
    answered_at: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"answer": self.answer.value}
        if self.note:
            out["note"] = self.note
        if self.evidence:
            out["evidence"] = self.evidence
        if self.owner:
            out["owner"] = self.owner
        out["answered_at"] = self.answered_at
        return out


# --- the lock a walk holds ------------------------------------------------------------

LOCK_SUFFIX = ".lock"
GARBLED_AFTER = 10.0  # seconds: a lock file still without its content by then is stale


def lock_path(path: str | Path) -> Path:
    """The lock file of an answers file: ``<answers>.lock`` beside it (links resolved)."""
    real = Path(path).resolve()
    return real.with_name(real.name + LOCK_SUFFIX)


def _alive(pid: int) -> bool:
    """Whether a process with this id runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0  # someone else's process (or an id we cannot test): assume alive
    return True


def _holder(lock: Path) -> dict[str, Any] | None:
    """What a lock file says (pid, host, since), or None if it is unreadable."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _stale(lock: Path, holder: dict[str, Any] | None) -> bool:
    """A lock whose walk is gone: a dead pid on this host, or never filled in."""
    if holder is None:
        try:
            return time.time() - lock.stat().st_mtime > GARBLED_AFTER
        except OSError:
            return True  # gone meanwhile
    pid = holder.get("pid")
    return (holder.get("host") == socket.gethostname() and isinstance(pid, int)
            and not _alive(pid))


def _create(lock: Path, text: str) -> None:
    """Create ``lock`` holding ``text`` in one step (FileExistsError if it exists)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{lock.name}.", dir=lock.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            os.link(tmp, lock)  # atomic, and the lock is never seen half-written
        except FileExistsError:
            raise
        except OSError:  # a filesystem without hard links
            fd2 = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd2, "w", encoding="utf-8") as handle:
                handle.write(text)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _remove_if(lock: Path, text: str | None) -> None:
    """Remove ``lock`` if it still holds ``text`` (None: if it is still unreadable)."""
    try:
        current = lock.read_text(encoding="utf-8")
    except OSError:
        return
    if (text is None and _holder(lock) is None) or current == text:
        with contextlib.suppress(OSError):
            os.unlink(lock)


class AnswersLock:
    """A walk's claim on its answers file, released when the walk ends (or the process exits)."""

    def __init__(self, answers: Path, lock: Path, text: str) -> None:
        self.answers, self.path, self.text = answers, lock, text
        self._finalizer = weakref.finalize(self, _remove_if, lock, text)

    @classmethod
    def take(cls, answers: str | Path) -> AnswersLock:
        """Claim ``answers`` for this walk, or AnswersError naming who holds it and since when."""
        answers = Path(answers)
        lock = lock_path(answers)
        if not lock.parent.is_dir():
            raise AnswersError(f"cannot save answers here: the folder {answers.parent} does not "
                               "exist", answers)
        text = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": now()})
        for _ in range(2):
            try:
                _create(lock, text)
                return cls(answers, lock, text)
            except FileExistsError:
                holder = _holder(lock)
                if not _stale(lock, holder):
                    raise _in_use(answers, lock, holder) from None
                _remove_if(lock, json.dumps(holder) if holder is not None else None)
            except OSError as exc:
                raise AnswersError(f"cannot lock the answers file ({exc.strerror}: {lock})",
                                   answers) from None
        raise _in_use(answers, lock, _holder(lock))

    def release(self) -> None:
        """Give the file up (only our own lock is removed)."""
        self._finalizer()


def _in_use(answers: Path, lock: Path, holder: dict[str, Any] | None) -> AnswersError:
    """The error for a file another walk holds."""
    if holder is None:
        who = "another walk (its lock file is being written)"
    else:
        who = (f"another walk (pid {holder.get('pid')} on {holder.get('host')}, since "
               f"{holder.get('since')})")
    return AnswersError(f"in use by {who}: finish or stop that walk first; if it is no longer "
                        f"running, delete {lock}", answers)


# --- what the file held ---------------------------------------------------------------


def _digest(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _on_disk(path: Path) -> str | None:
    """The digest of what ``path`` holds now (None when there is no file)."""
    if not os.path.lexists(path):
        return None
    try:
        return _digest(read_text(path))
    except YamlError:
        return "unreadable"


@dataclass
class Store:
    """Where an answers file lives, what it held when last read or saved, and its lock."""

    path: Path
    digest: str | None  # None: the file did not exist
    lock: AnswersLock | None = None

    def check(self) -> None:
        """Refuse to save over a file that changed on disk since it was read or saved."""
        if _on_disk(self.path) != self.digest:
            what = "was created" if self.digest is None else "changed"
            raise AnswersError(
                f"{what} on disk since this walk read it (edited or copied in meanwhile): not "
                "written over, so nothing in it is lost; the last answer given here is not "
                "saved. Run the walk again to carry on from the file as it is now",
                self.path)


@dataclass
class AnswersFile:
    """A self-assessment or spot audit in progress (a document being edited)."""

    mode: Mode = Mode.SELF
    assessor: str = ""
    started_at: str = field(default_factory=now)
    updated_at: str = ""
    as_of: str = ""
    checklists: list[dict[str, str]] = field(default_factory=list)
    profile: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, AnswerRecord] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # control id -> why not asked
    self_assessment: str = ""  # spot audits: the answers file checked
    register: str = ""  # spot audits: the register consulted
    sample_seed: int | None = None
    store: Store | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The file's content, in the order a person reads it."""
        out: dict[str, Any] = {"format": FORMAT, "mode": self.mode.value}
        for key in ("assessor", "started_at", "updated_at", "as_of"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.mode is Mode.SPOT:
            out["self_assessment"] = self.self_assessment
            if self.register:
                out["register"] = self.register
            if self.sample_seed is not None:
                out["sample_seed"] = self.sample_seed
        out["checklists"] = self.checklists
        out["profile"] = self.profile
        out["answers"] = {cid: rec.as_dict() for cid, rec in self.answers.items()}
        if self.skipped:
            out["skipped"] = self.skipped
        return out

    def save(self, path: str | Path) -> None:
        """Write the file atomically: readers see the old version or the new, never half.

        When the file was read (or created) through ``load_answers`` or ``track``, a save
        onto a file that changed on disk since is refused (see ``Store.check``).
        """
        self.updated_at = now()
        header = "# youthscheme-audit answers file: safe to edit by hand; answers are " \
                 f"{ALLOWED}\n"
        text = header + dump_yaml(self.to_dict())
        store = self.store if self.store is not None and self.store.path == Path(path) else None
        if store is not None:
            store.check()
        atomic_write(path, text)
        if store is not None:
            store.digest = _digest(text)

    def track(self, path: str | Path, lock: AnswersLock | None = None) -> None:
        """Remember that ``path`` does not exist yet (a new walk), and the walk's lock."""
        self.store = Store(Path(path), None, lock)

    def hold(self, lock: AnswersLock) -> None:
        """Keep the walk's lock with the file it guards (released by ``release``)."""
        if self.store is None:
            raise ValueError("hold() needs a file read by load_answers or tracked")
        self.store.lock = lock

    def release(self) -> None:
        """Release the walk's lock, if it holds one."""
        if self.store is not None and self.store.lock is not None:
            self.store.lock.release()
            self.store.lock = None


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # a questionnaire workbook from `form`


def load_answers(path: str | Path, catalog: Catalog) -> AnswersFile:
    """Read and validate an answers file (YAML, or a filled questionnaire workbook) against
    the catalog in use, remembering what a YAML file held, so a later save can tell whether
    the file changed in between."""
    path = Path(path)
    if path.suffix.casefold() in WORKBOOK_SUFFIXES:
        # the workbook module sits above this one (it builds AnswersFiles): import on use
        from youthscheme_audit.questionnaire import read_workbook

        return read_workbook(path, catalog)
    text = read_text(path)
    doc = parse_yaml(text, path)
    p = str(path)
    if not isinstance(doc, YDict) or doc.get("format") != FORMAT:
        line = doc.line_of("format") if isinstance(doc, YDict) else 1
        raise AnswersError(f"not a youthscheme-audit answers file (expected 'format: {FORMAT}')",
                           p, line)
    if extra := unknown_keys(doc, TOP_KEYS):
        key, line, hint = extra[0]
        raise AnswersError(f"unknown key '{key}' ({hint})", p, line)
    try:
        mode = Mode(doc.get("mode", "self"))
    except ValueError:
        raise AnswersError(f"mode '{doc.get('mode')}' is not one of self, spot", p,
                           doc.line_of("mode")) from None
    result = AnswersFile(
        mode=mode,
        assessor=_text(doc, "assessor", p),
        started_at=_text(doc, "started_at", p),
        updated_at=_text(doc, "updated_at", p),
        as_of=_date_text(doc, "as_of", p),
        checklists=_list_of_mappings(doc, "checklists", p),
        profile=_profile(doc, catalog, p),
        answers=_answers(doc, catalog, p),
        skipped={str(k): str(v) for k, v in _mapping(doc, "skipped", p).items()},
        self_assessment=_text(doc, "self_assessment", p),
        register=_text(doc, "register", p),
    )
    seed = doc.get("sample_seed")
    if seed is not None and not isinstance(seed, int):
        raise AnswersError("sample_seed must be a whole number", p, doc.line_of("sample_seed"))
    result.sample_seed = seed
    result.store = Store(path, _digest(text))
    return result


def _mapping(doc: YDict, key: str, p: str) -> YDict:
    """``doc[key]`` when it is a mapping (or absent), else an error at its line."""
    value = doc.get(key) or YDict()
    if not isinstance(value, YDict):
        raise AnswersError(f"'{key}' must be a mapping", p, doc.line_of(key))
    return value


def _list_of_mappings(doc: YDict, key: str, p: str) -> list[dict[str, str]]:
    """``doc[key]`` when it is a list of mappings (or absent), else an error at its line."""
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise AnswersError(f"'{key}' must be a list of mappings", p, doc.line_of(key))
    return [{str(k): str(v) for k, v in item.items()} for item in value]


def _text(doc: YDict, key: str, p: str) -> str:
    value = doc.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise AnswersError(f"'{key}' must be text", p, doc.line_of(key))
    return str(value)


def _date_text(doc: YDict, key: str, p: str) -> str:
    value = _text(doc, key, p)
    if value and iso_date(value) is None:
        raise AnswersError(f"'{key}' must be a date YYYY-MM-DD, not '{value}'", p,
                           doc.line_of(key))
    return value


def _profile(doc: YDict, catalog: Catalog, p: str) -> dict[str, Any]:
    node = doc.get("profile") or YDict()
    if not isinstance(node, YDict):
        raise AnswersError("'profile' must map profile fields to values", p, doc.line_of("profile"))
    known = ", ".join(f.name for f in catalog.profile)
    out: dict[str, Any] = {}
    for name, value in node.items():
        pfield = catalog.field(name)
        if pfield is None:
            raise AnswersError(f"unknown profile field '{name}' (allowed: {known})", p,
                               node.line_of(name))
        if value is None or value == "":
            out[name] = None
            continue
        try:
            out[name] = parse_profile_value(pfield, str(value).lower() if isinstance(value, bool)
                                            else str(value))
        except ValueError as exc:
            raise AnswersError(str(exc), p, node.line_of(name)) from None
    problem = age_problem(catalog, out)
    if problem:
        raise AnswersError(problem, p, node.line_of("age_min"))
    return out


def _answers(doc: YDict, catalog: Catalog, p: str) -> dict[str, AnswerRecord]:
    node = doc.get("answers") or YDict()
    if not isinstance(node, YDict):
        raise AnswersError("'answers' must map control ids to answers", p, doc.line_of("answers"))
    out: dict[str, AnswerRecord] = {}
    for cid, entry in node.items():
        line = node.line_of(cid)
        if cid not in catalog.controls:
            raise AnswersError(catalog.unknown_control(cid), p, line)
        if isinstance(entry, str | bool):  # short form: GOV-01: yes
            entry = YDict({"answer": entry})
            entry.line, entry.key_lines = line, {"answer": line}
        if not isinstance(entry, YDict):
            raise AnswersError(f"{cid}: expected 'answer:' with optional note and evidence",
                               p, line)
        if extra := unknown_keys(entry, ANSWER_KEYS):
            key, key_line, hint = extra[0]
            raise AnswersError(f"{cid}: unknown key '{key}' ({hint})", p, key_line)
        out[cid] = AnswerRecord(
            answer=parse_answer(entry.get("answer"), f"{cid}: ", p, entry.line_of("answer")),
            note=_text(entry, "note", p),
            evidence=_text(entry, "evidence", p),
            owner=_text(entry, "owner", p),
            answered_at=_text(entry, "answered_at", p),
        )
    return out


def parse_answer(value: Any, prefix: str = "", path: str | None = None,
                 line: int | None = None) -> Answer:
    """An answer from a file or a typed line; AnswersError names the allowed values."""
    if isinstance(value, bool):
        return Answer.YES if value else Answer.NO
    text = str(value if value is not None else "").strip().casefold()
    if text in Answer.__members__.values():
        return Answer(text)
    if text in ALIASES:
        return ALIASES[text]
    raise AnswersError(f"{prefix}answer '{value}' is not one of {ALLOWED}", path, line)
