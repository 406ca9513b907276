"""Checklist YAML -> a validated Catalog, with every problem reported as file:line.

A checklist directory holds ``profile.yaml`` (the scheme profile questions),
``parameters.yaml`` (thresholds a force may change), ``sources.yaml`` (the documents
controls cite, by key) and one file per area. Later directories (``--checklists DIR``)
add controls, replace controls with the same id, add or replace sources and override
parameter values. An area file may also declare ``retired:`` ids, so an answers file
that still uses one is told which controls replaced it. ``load_catalog`` never stops
at the first problem: it returns the catalog it could build and the full list of
problems, so ``lint`` can show them all and every other command can refuse with the first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from youthscheme_audit import checks
from youthscheme_audit.checks.base import Check
from youthscheme_audit.errors import AuditError, CatalogError, excerpt
from youthscheme_audit.models import SchemeType, Severity, shown
from youthscheme_audit.tables import TABLES, VOCABULARIES, literal_problem
from youthscheme_audit.values import MAX_INT, parse_literal
from youthscheme_audit.yamlio import YDict, YList, load_yaml, unknown_keys

PROFILE_FILE = "profile.yaml"
PARAMETERS_FILE = "parameters.yaml"
SOURCES_FILE = "sources.yaml"
SPECIAL_FILES = (PROFILE_FILE, PARAMETERS_FILE, SOURCES_FILE)
SOURCE_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
CONTROL_ID = re.compile(r"[A-Z]{2,6}-[0-9]{2,3}\Z")
TEXT_PARAM = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")
FIELD_TYPES = ("text", "choice", "bool", "int")

AREA_KEYS = {"checklist", "title", "version", "order", "description", "controls", "retired"}
CONTROL_KEYS = {
    "id", "title", "question", "severity", "applies_to", "when", "why", "evidence",
    "remediation", "sources", "help", "register",
}
CONTROL_REQUIRED = (
    "id", "title", "question", "severity", "applies_to", "why", "evidence", "remediation",
    "sources",
)
FIELD_KEYS = {"field", "type", "question", "label", "help", "choices", "default"}
PARAM_KEYS = {"value", "description", "source"}
SOURCE_KEYS = {"title", "publisher", "date", "url", "note"}
RETIRED_KEYS = {"replaced_by", "why"}


def bundled_dir() -> Path:
    """The checklists shipped with the package (or the repository's, when run from source)."""
    packaged = Path(str(resources.files("youthscheme_audit"))) / "checklists"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "checklists"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition file."""

    path: str
    line: int
    item: str  # control id, field or parameter name ('' for the file)
    message: str

    def __str__(self) -> str:
        item = f" {self.item}:" if self.item else ""
        return f"{self.path}:{self.line}:{item} {self.message}"


@dataclass(frozen=True)
class ProfileField:
    """One question of the scheme profile; its name is a column of the schemes table."""

    name: str
    type: str  # text, choice, bool, int
    label: str
    question: str
    help: str = ""
    choices: dict[str, str] = field(default_factory=dict)  # value -> label


@dataclass(frozen=True)
class Condition:
    """An applicability condition on one profile field."""

    field: str
    values: tuple[Any, ...] = ()  # any of these, or
    minimum: int | None = None  # a number range
    maximum: int | None = None
    label: str = ""  # the field in words, for reasons a person reads

    def holds(self, profile: dict[str, Any]) -> bool | None:
        """True or False, or None when the profile does not say."""
        value = profile.get(self.field)
        if value is None or value == "":
            return None
        if self.values:
            return value in self.values
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        low = self.minimum is None or value >= self.minimum
        high = self.maximum is None or value <= self.maximum
        return low and high

    def describe(self) -> str:
        """The condition in words, e.g. ``off-site activities is yes``."""
        name = self.label or self.field
        if self.values:
            words = " or ".join(shown(v) for v in self.values)
            return f"{name} is {words}"
        if self.minimum is not None and self.maximum is not None:
            return f"{name} is between {self.minimum} and {self.maximum}"
        if self.minimum is not None:
            return f"{name} is at least {self.minimum}"
        return f"{name} is at most {self.maximum}"


@dataclass(frozen=True)
class Source:
    """A document controls cite: one entry of a ``sources.yaml``."""

    key: str
    title: str
    publisher: str
    date: str = ""
    url: str = ""
    note: str = ""  # what was and was not confirmed about it
    path: str = ""
    line: int = 0

    def describe(self, part: str = "") -> str:
        """The citation as reports print it: title (publisher, date), part."""
        date = "" if self.date and self.date in self.title else self.date  # not twice
        who = ", ".join(x for x in (self.publisher, date) if x)
        text = f"{self.title} ({who})" if who else self.title
        return f"{text}, {part}" if part else text


@dataclass(frozen=True)
class Citation:
    """One source a control cites, resolved: the source and the part cited."""

    source: Source
    part: str = ""

    def text(self) -> str:
        """The citation in words."""
        return self.source.describe(self.part)

    def as_dict(self) -> dict[str, str]:
        """The structured citation, for the JSON export."""
        s = self.source
        return {"key": s.key, "title": s.title, "publisher": s.publisher, "date": s.date,
                "url": s.url, "part": self.part, "text": self.text()}


@dataclass(frozen=True)
class Retired:
    """A control id no longer in use, and the controls that replaced it."""

    id: str
    replaced_by: tuple[str, ...]
    why: str
    path: str = ""
    line: int = 0

    def message(self, act: str = "answer") -> str:
        """What a file that still uses the id is told (``act``: answer, waive ...)."""
        return (f"'{self.id}' was retired and replaced by {', '.join(self.replaced_by)} "
                f"because {self.why}; {act} those instead")


@dataclass(frozen=True)
class Control:
    """One checklist control, complete and validated."""

    id: str
    title: str
    question: str
    severity: Severity
    applies_to: frozenset[SchemeType]
    when: tuple[Condition, ...]
    why: str
    evidence: str
    remediation: str
    sources: tuple[str, ...]  # each citation in words: title (publisher, date), part
    area: str
    area_title: str
    help: str = ""
    register: tuple[Check, ...] = ()
    path: str = ""
    line: int = 0
    citations: tuple[Citation, ...] = ()  # the same citations, structured


@dataclass(frozen=True)
class Area:
    """One checklist file: an area of controls."""

    id: str
    title: str
    version: str
    order: int
    description: str
    path: str
    control_ids: tuple[str, ...]


@dataclass(frozen=True)
class Parameter:
    """A threshold the sources leave open, with its documented default."""

    name: str
    value: Any
    description: str
    source: str
    path: str


@dataclass(frozen=True)
class Catalog:
    """Everything the engine needs to know about the controls in use."""

    areas: tuple[Area, ...]
    controls: dict[str, Control]
    profile: tuple[ProfileField, ...]
    parameters: dict[str, Parameter]
    sources: dict[str, Source] = field(default_factory=dict)
    retired: dict[str, Retired] = field(default_factory=dict)

    def ordered(self) -> list[Control]:
        """Controls in walk order: area by area, in file order."""
        return [self.controls[cid] for area in self.areas for cid in area.control_ids]

    def field(self, name: str) -> ProfileField | None:
        """The profile field called ``name``."""
        return next((f for f in self.profile if f.name == name), None)

    def unknown_control(self, cid: str, act: str = "answer") -> str:
        """Why ``cid`` cannot be used: retired (and what replaced it), or never a control."""
        retired = self.retired.get(cid)
        return retired.message(act) if retired else \
            f"'{cid}' is not a control in the checklists in use"

    def versions(self) -> list[dict[str, str]]:
        """Checklist ids and versions, as answers files and reports record them."""
        return [{"id": a.id, "title": a.title, "version": a.version} for a in self.areas]


class _Collector:
    """Gathers problems while building; each check reports and carries on."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int, item: str, message: str) -> None:
        self.problems.append(Problem(path, line, item, message))

    def unknown_keys(
        self, node: YDict, allowed: set[str], path: str, item: str, what: str
    ) -> None:
        for key, line, hint in unknown_keys(node, allowed):
            self.add(path, line, item, f"unknown {what} key '{key}' ({hint})")


def load_catalog(extra_dirs: Iterable[str | Path] = ()) -> tuple[Catalog, list[Problem]]:
    """Load the bundled checklists plus ``extra_dirs``; return the catalog and all problems."""
    dirs = [bundled_dir(), *(Path(d) for d in extra_dirs)]
    for directory in dirs[1:]:
        if not directory.is_dir():
            raise CatalogError("not a directory of checklist files", directory)
    return _Builder().build([sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml")) for d in dirs])


def lint_files(paths: Iterable[str | Path]) -> list[Problem]:
    """Validate checklist files (and directories of them) together with the bundled ones.

    Files named here are checked as one layer above the bundled checklists, so a
    force's extra controls are validated against the real profile and parameters.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml"))
        elif p.exists():
            files.append(p)
        else:
            raise CatalogError("file not found", p)
    bundled = sorted(bundled_dir().glob("*.yaml"))
    resolved = {f.resolve() for f in files}
    if any(b.resolve() in resolved for b in bundled):
        # linting the bundled set itself (or a copy of a file of it): one layer
        layers = [[b for b in bundled if b.resolve() not in resolved] + files]
    else:
        layers = [bundled, files]
    return _Builder().build(layers)[1]


def require_catalog(extra_dirs: Iterable[str | Path] = ()) -> Catalog:
    """Load the catalog, refusing (exit 2) if any definition has a problem."""
    catalog, problems = load_catalog(extra_dirs)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more: run 'lint')" if len(problems) > 1 else ""
        raise CatalogError(f"{first.item + ': ' if first.item else ''}{first.message}{more}",
                           first.path, first.line)
    return catalog


class _Builder(_Collector):
    def __init__(self) -> None:
        super().__init__()
        self.profile: dict[str, ProfileField] = {}
        self.parameters: dict[str, Parameter] = {}
        self.areas: dict[str, dict[str, Any]] = {}
        self.controls: dict[str, Control] = {}
        self.seen: dict[tuple[str, int], tuple[str, int]] = {}  # (id, layer) -> (path, line)
        self.sources: dict[str, Source] = {}
        self.retired: dict[str, Retired] = {}

    def build(self, layers: list[list[Path]]) -> tuple[Catalog, list[Problem]]:
        docs: list[tuple[int, Path, Any]] = []
        for layer, files in enumerate(layers):
            for path in files:
                try:
                    docs.append((layer, path, load_yaml(path)))
                except AuditError as exc:
                    self.add(exc.path or str(path), exc.line or 1, "", exc.message)
        # profile and parameters first: controls refer to them
        for _, path, doc in docs:
            if path.name == PROFILE_FILE:
                self._profile(path, doc)
            elif path.name == PARAMETERS_FILE:
                self._parameters(path, doc)
        if not self.profile:
            self.add(str(layers[0][0].parent) if layers[0] else "checklists", 1, "",
                     f"no {PROFILE_FILE} found: the scheme profile is not defined")
        for _, path, doc in docs:  # sources next: controls cite them
            if path.name == SOURCES_FILE:
                self._sources(path, doc)
        for layer, path, doc in docs:
            if path.name not in SPECIAL_FILES:
                self._area(layer, path, doc)
        self._check_retired()
        return self._finish(), self.problems

    # profile.yaml ----------------------------------------------------------------

    def _profile(self, path: Path, doc: Any) -> None:
        p = str(path)
        if not isinstance(doc, YDict) or not isinstance(doc.get("profile"), YList):
            self.add(p, getattr(doc, "line", 1) or 1, "", "expected a 'profile:' list of fields")
            return
        self.unknown_keys(doc, {"profile"}, p, "", "top-level")
        schemes = TABLES["schemes"]
        for node, line in zip(doc["profile"], doc["profile"].item_lines, strict=True):
            if not isinstance(node, YDict):
                self.add(p, line, "", "each profile entry must be a mapping")
                continue
            name = str(node.get("field", ""))
            self.unknown_keys(node, FIELD_KEYS, p, name, "profile field")
            column = schemes.column(name)
            if column is None:
                self.add(p, node.line_of("field"), name,
                         f"profile field '{name}' is not a column of the schemes table")
                continue
            ftype = node.get("type", "text")
            if ftype not in FIELD_TYPES:
                self.add(p, node.line_of("type"), name,
                         f"type '{ftype}' is not one of {', '.join(FIELD_TYPES)}")
                continue
            expected = "choice" if column.type in VOCABULARIES else column.type
            if expected == "date":
                expected = "text"
            if ftype != expected:
                self.add(p, node.line_of("type"), name,
                         f"type '{ftype}' does not match the schemes column ({expected})")
            choices = node.get("choices") or YDict()
            if not isinstance(choices, YDict):
                self.add(p, node.line_of("choices"), name,
                         "'choices' must map each value to its label")
                choices = YDict()
            if ftype == "choice":
                vocab = VOCABULARIES.get(column.type, {})
                if not choices:
                    self.add(p, node.line_of("choices"), name, "a choice field needs 'choices'")
                for value in choices:
                    if value not in vocab:
                        self.add(p, choices.line_of(value), name,
                                 f"choice '{value}' is not one of {', '.join(vocab)}")
            if not node.get("question"):
                self.add(p, node.line, name, "missing 'question'")
            self.profile[name] = ProfileField(
                name=name, type=ftype, label=str(node.get("label") or column.label),
                question=str(node.get("question") or ""), help=str(node.get("help") or ""),
                choices={str(k): str(v) for k, v in choices.items()},
            )

    # parameters.yaml ----------------------------------------------------------------

    def _parameters(self, path: Path, doc: Any) -> None:
        p = str(path)
        if not isinstance(doc, YDict) or not isinstance(doc.get("parameters"), YDict):
            self.add(p, getattr(doc, "line", 1) or 1, "", "expected a 'parameters:' mapping")
            return
        self.unknown_keys(doc, {"parameters"}, p, "", "top-level")
        for name, node in doc["parameters"].items():
            line = doc["parameters"].line_of(name)
            if not isinstance(node, YDict) or "value" not in node:
                self.add(p, line, name, "a parameter needs a 'value'")
                continue
            self.unknown_keys(node, PARAM_KEYS, p, name, "parameter")
            old = self.parameters.get(name)
            value = node["value"]
            if old is not None and isinstance(old.value, dict):
                value = self._override(p, node.line_of("value"), name, old.value, value)
            self.parameters[name] = Parameter(
                name=name, value=value,
                description=str(node.get("description") or (old.description if old else "")),
                source=str(node.get("source") or (old.source if old else "")), path=p,
            )

    # sources.yaml --------------------------------------------------------------------

    def _sources(self, path: Path, doc: Any) -> None:
        """Each entry of a sources.yaml; a later layer's entry replaces an earlier one."""
        p = str(path)
        if not isinstance(doc, YDict) or not isinstance(doc.get("sources"), YDict):
            self.add(p, getattr(doc, "line", 1) or 1, "", "expected a 'sources:' mapping")
            return
        self.unknown_keys(doc, {"sources"}, p, "", "top-level")
        entries = doc["sources"]
        for key, node in entries.items():
            line = entries.line_of(key)
            if not SOURCE_KEY.match(key):
                self.add(p, line, key, "a source key is lower-case words joined by dashes "
                         "(e.g. nspcc-ratios)")
                continue
            if not isinstance(node, YDict):
                self.add(p, line, key, "a source needs 'title' and 'publisher'")
                continue
            self.unknown_keys(node, SOURCE_KEYS, p, key, "source")
            texts = {k: node.get(k) for k in SOURCE_KEYS}
            bad = [k for k, v in texts.items() if v is not None and not isinstance(v, str)]
            for k in bad:
                self.add(p, node.line_of(k), key, f"'{k}' must be text (quote it)")
            missing = [k for k in ("title", "publisher") if not texts[k]]
            for k in missing:
                self.add(p, node.line, key, f"missing '{k}'")
            url = texts["url"]
            if isinstance(url, str) and url and not url.startswith(("https://", "http://")):
                self.add(p, node.line_of("url"), key, "'url' must start with https:// or http://")
            if bad or missing:
                continue
            self.sources[key] = Source(
                key=key, title=" ".join(str(texts["title"]).split()),
                publisher=" ".join(str(texts["publisher"]).split()),
                date=str(texts["date"] or ""), url=str(url or ""),
                note=" ".join(str(texts["note"] or "").split()), path=p, line=line,
            )

    def _citations(self, p: str, node: YDict, cid: str) -> tuple[Citation, ...]:
        """A control's ``sources:``: each item a source key, or ``key: part`` (one entry)."""
        spec = node.get("sources")
        if spec is None:
            return ()
        if not isinstance(spec, YList):
            self.add(p, node.line_of("sources"), cid,
                     "sources must be a list of source keys (or 'key: part')")
            return ()
        out = []
        for item, line in zip(spec, spec.item_lines, strict=True):
            if isinstance(item, YDict) and len(item) == 1:
                key, part = next(iter(item.items()))
            elif isinstance(item, str):
                key, part = item, ""
            else:
                self.add(p, line, cid, "a citation is a source key or 'key: part' "
                         "(quote a part that contains ': ')")
                continue
            if not isinstance(part, str) or (isinstance(item, YDict) and not part.strip()):
                self.add(p, line, cid, f"the part cited of '{key}' must be text, "
                         "e.g. 'Overview' or 'para 6'")
                continue
            source = self.sources.get(key)
            if source is None:
                close = difflib.get_close_matches(key, list(self.sources), n=1)
                hint = f"did you mean '{close[0]}'?" if close else \
                    f"add it to {SOURCES_FILE}"
                self.add(p, line, cid, f"unknown source key '{key}' ({hint})")
                continue
            out.append(Citation(source, " ".join(part.split())))
        return tuple(out)

    # retired ids -----------------------------------------------------------------------

    def _retired_ids(self, p: str, doc: YDict) -> None:
        """An area's ``retired:`` mapping: old id -> {replaced_by: [ids], why: text}."""
        spec = doc.get("retired")
        if spec is None:
            return
        if not isinstance(spec, YDict):
            self.add(p, doc.line_of("retired"), "",
                     "'retired' must map each old id to {replaced_by: [ids], why: ...}")
            return
        for old, node in spec.items():
            line = spec.line_of(old)
            if not CONTROL_ID.match(old):
                self.add(p, line, old, "id must look like AREA-01 (capitals, dash, digits)")
                continue
            if not isinstance(node, YDict):
                self.add(p, line, old, "a retired id needs 'replaced_by' and 'why'")
                continue
            self.unknown_keys(node, RETIRED_KEYS, p, old, "retired")
            ids = node.get("replaced_by")
            why = node.get("why")
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
                self.add(p, node.line_of("replaced_by"), old,
                         "'replaced_by' must list the ids that replace it")
                continue
            if not isinstance(why, str) or not why.strip():
                self.add(p, node.line_of("why"), old, "'why' must say in a line why it went")
                continue
            self.retired[old] = Retired(old, tuple(ids), " ".join(why.split()), p,
                                        node.line_of("replaced_by"))

    def _check_retired(self) -> None:
        """A retired id is never a control again, and it points only at real controls."""
        for old, retired in self.retired.items():
            if old in self.controls:
                control = self.controls[old]
                self.add(control.path, control.line, old,
                         f"id is retired (see {retired.path}:{retired.line}) and cannot be "
                         "used for a control: give the control a new id")
            for new in retired.replaced_by:
                if new not in self.controls:
                    self.add(retired.path, retired.line, old,
                             f"replaced_by names '{new}', which is not a control")

    def _override(self, p: str, line: int, name: str, default: dict[str, Any], value: Any
                  ) -> dict[str, Any]:
        """A force's value for a mapping parameter: only the keys it changes, same types."""
        if not isinstance(value, dict):
            self.add(p, line, name, f"'value' must map {', '.join(default)} to values")
            return default
        merged = dict(default)
        for key, item in value.items():
            if key not in default:
                self.add(p, line, name, f"'{key}' is not one of {', '.join(default)}")
            elif type(item) is not type(default[key]) or (isinstance(item, int) and item < 0):
                self.add(p, line, name, f"'{key}' must be a whole number of 0 or more, "
                         f"like the default {default[key]}" if isinstance(default[key], int)
                         else f"'{key}' must be like the default {default[key]!r}")
            else:
                merged[key] = item
        return merged

    # area files ----------------------------------------------------------------------

    def _area(self, layer: int, path: Path, doc: Any) -> None:
        p = str(path)
        if not isinstance(doc, YDict):
            self.add(p, 1, "", "expected a checklist mapping with 'checklist' and 'controls'")
            return
        self.unknown_keys(doc, AREA_KEYS, p, "", "checklist")
        area_id = doc.get("checklist")
        if not isinstance(area_id, str) or not area_id:
            self.add(p, doc.line, "", "missing 'checklist' (the area id)")
            return
        controls = doc.get("controls")
        if not isinstance(controls, YList):
            self.add(p, doc.line_of("controls"), "", "missing 'controls' list")
            return
        area = self.areas.setdefault(area_id, {
            "title": str(doc.get("title") or area_id),
            "version": doc.text_of("version") if doc.get("version") is not None else "",
            "order": doc.get("order", 99), "description": str(doc.get("description") or ""),
            "path": p, "ids": [],
        })
        if doc.get("version"):
            area["version"] = doc.text_of("version")  # versions are text: 1.10 is not 1.1
        self._retired_ids(p, doc)
        for node, line in zip(controls, controls.item_lines, strict=True):
            control = self._control(layer, p, line, node, area_id, area["title"])
            if control is not None and control.id not in area["ids"]:
                for other in self.areas.values():  # an override may move areas
                    if control.id in other["ids"]:
                        other["ids"].remove(control.id)
                area["ids"].append(control.id)

    def _control(
        self, layer: int, p: str, line: int, node: Any, area_id: str, area_title: str
    ) -> Control | None:
        if not isinstance(node, YDict):
            self.add(p, line, "", "each control must be a mapping")
            return None
        cid = str(node.get("id") or "")
        before = len(self.problems)
        self.unknown_keys(node, CONTROL_KEYS, p, cid or "?", "control")
        for key in CONTROL_REQUIRED:
            if node.get(key) in (None, "", []):
                self.add(p, node.line, cid or "?", f"missing '{key}'")
        if cid and not CONTROL_ID.match(cid):
            self.add(p, node.line_of("id"), cid,
                     "id must look like AREA-01 (capitals, dash, digits)")
        if (cid, layer) in self.seen:
            other_path, other_line = self.seen[(cid, layer)]
            self.add(p, node.line_of("id"), cid,
                     f"duplicate id (also at {other_path}:{other_line})")
        elif cid:
            self.seen[(cid, layer)] = (p, node.line_of("id"))
        severity = node.get("severity")
        if severity is not None and severity not in Severity.__members__.values():
            self.add(p, node.line_of("severity"), cid,
                     f"severity '{severity}' is not one of {', '.join(Severity)}")
        applies = node.get("applies_to") or []
        if not isinstance(applies, list):
            applies = [applies]
        for value in applies:
            if value not in SchemeType.__members__.values():
                self.add(p, node.line_of("applies_to"), cid,
                         f"applies_to '{value}' is not one of {', '.join(SchemeType)}")
        citations = self._citations(p, node, cid)
        when = self._conditions(p, node, cid)
        register = self._register(p, node, cid)
        texts = {k: self._text(p, node, cid, k) for k in
                 ("title", "question", "why", "evidence", "remediation", "help")}
        if len(self.problems) > before or not cid:
            return None
        control = Control(
            id=cid, title=texts["title"], question=texts["question"],
            severity=Severity(str(severity)),
            applies_to=frozenset(SchemeType(v) for v in applies),
            when=when, why=texts["why"], evidence=texts["evidence"],
            remediation=texts["remediation"], sources=tuple(c.text() for c in citations),
            area=area_id, area_title=area_title, help=texts["help"], register=register, path=p,
            line=node.line, citations=citations,
        )
        self.controls[cid] = control
        return control

    def _text(self, p: str, node: YDict, cid: str, key: str) -> str:
        """A text field with ``${parameter}`` placeholders filled in."""
        text = node.get(key)
        if text is None:
            return ""
        if not isinstance(text, str):
            self.add(p, node.line_of(key), cid, f"'{key}' must be text")
            return str(text)

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.parameters:
                self.add(p, node.line_of(key), cid, f"unknown parameter '${{{name}}}' in {key}")
                return match.group(0)
            return str(self.parameters[name].value)

        return " ".join(TEXT_PARAM.sub(fill, text).split())

    def _conditions(self, p: str, node: YDict, cid: str) -> tuple[Condition, ...]:
        spec = node.get("when")
        if spec is None:
            return ()
        if not isinstance(spec, YDict):
            self.add(p, node.line_of("when"), cid, "'when' must map profile fields to values")
            return ()
        out = []
        for name, value in spec.items():
            line = spec.line_of(name)
            pfield = self.profile.get(name)
            if pfield is None:
                known = ", ".join(self.profile)
                self.add(p, line, cid, f"condition names unknown profile field '{name}' "
                         f"(known: {known})")
                continue
            if isinstance(value, YDict):
                bad = set(value) - {"min", "max"}
                nums = [v for k, v in value.items() if k in ("min", "max")]
                if bad or not nums or not all(isinstance(v, int) for v in nums):
                    self.add(p, line, cid, f"condition on '{name}' takes {{min: N, max: N}}")
                    continue
                if pfield.type != "int":
                    self.add(p, line, cid, f"'{name}' is not a number field")
                    continue
                out.append(Condition(name, minimum=value.get("min"), maximum=value.get("max"),
                                     label=pfield.label))
                continue
            values = tuple(value) if isinstance(value, list) else (value,)
            for v in values:
                problem = literal_problem(pfield.type, v, pfield.choices)
                if problem:
                    self.add(p, line, cid, f"condition on '{name}': {problem}")
            out.append(Condition(name, values=values, label=pfield.label))
        return tuple(out)

    def _register(self, p: str, node: YDict, cid: str) -> tuple[Check, ...]:
        spec = node.get("register")
        if spec is None:
            return ()
        if isinstance(spec, YDict):
            spec = YList([spec])
            spec.line, spec.item_lines = spec[0].line, [spec[0].line]
        if not isinstance(spec, YList):
            self.add(p, node.line_of("register"), cid, "'register' must be a check or a list")
            return ()
        built = []
        for item, line in zip(spec, spec.item_lines, strict=True):
            check = self._check(p, line, item, cid)
            if check is not None:
                built.append(check)
        return tuple(built)

    def _check(self, p: str, line: int, item: Any, cid: str) -> Check | None:
        if not isinstance(item, YDict):
            self.add(p, line, cid, "a register check must be a mapping")
            return None
        kind_name = item.get("kind")
        kind = checks.KINDS.get(str(kind_name))
        if kind is None:
            self.add(p, item.line_of("kind"), cid,
                     f"unknown check kind '{kind_name}' (known: {', '.join(checks.KINDS)})")
            return None
        table = item.get("table")
        if not isinstance(table, str) or table not in TABLES:
            self.add(p, item.line_of("table"), cid,
                     f"unknown table '{table}' (known: {', '.join(TABLES)})")
            return None
        before = len(self.problems)
        params: dict[str, Any] = {}
        declared = kind.parameters()
        for key, line, hint in unknown_keys(item, {"kind", "table", *declared}):
            self.add(p, line, cid, f"unknown parameter '{key}' for check kind {kind_name} "
                     f"({hint})")
        for key, raw in item.items():
            if key in ("kind", "table") or key not in declared:
                continue
            params[key] = self._param(p, item.line_of(key), cid, table, key,
                                      declared[key].kind, raw, item.get("column"))
        for key, spec in declared.items():
            if spec.required and key not in item:
                self.add(p, item.line, cid, f"check kind {kind_name} needs '{key}'")
        if len(self.problems) == before:
            for message in kind.extra_problems(table, params):
                self.add(p, item.line, cid, f"{kind_name}: {message}")
        if len(self.problems) > before:
            return None
        return kind(table, params)

    def _param(self, p: str, line: int, cid: str, table: str, key: str, pkind: str,
               raw: Any, column: Any = None) -> Any:
        value = self._resolve(p, line, cid, raw)
        spec = TABLES[table]

        def column_ok(name: Any) -> bool:
            if not isinstance(name, str) or spec.column(name) is None:
                self.add(p, line, cid, f"'{name}' is not a column of table {table}")
                return False
            return True

        def literals(name: str, given: Any) -> Any:
            """Literals for column ``name`` read as its register cells are (Basic is basic);
            one the column can never hold is a problem, so it cannot match nothing quietly."""
            col = spec.column(name)
            assert col is not None
            out = []
            for v in given if isinstance(given, list) else [given]:
                parsed, problem = parse_literal(col.type, v)
                if problem:
                    self.add(p, line, cid, f"'{key}': {name}: {problem}")
                out.append(parsed)
            return out if isinstance(given, list) else out[0]

        if pkind == "column":
            column_ok(value)
        elif pkind == "columns":
            if not isinstance(value, list) or not value:
                self.add(p, line, cid, f"'{key}' must be a list of columns")
                return []
            for name in value:
                column_ok(name)
        elif pkind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.add(p, line, cid, f"'{key}' must be a number")
            elif problem := number_problem(key, value):
                self.add(p, line, cid, f"'{key}' {problem}")
        elif pkind == "flag":
            if not isinstance(value, bool):
                self.add(p, line, cid, f"'{key}' must be true or false")
        elif pkind == "values":
            if not isinstance(value, list):
                value = [value]
            if isinstance(column, str) and spec.column(column) is not None:
                value = literals(column, value)
        elif pkind == "regex":
            try:
                re.compile(str(value))
            except re.error as exc:
                self.add(p, line, cid, f"'{key}' is not a valid regular expression ({exc})")
        elif pkind == "filter":
            if not isinstance(value, dict) or not value:
                self.add(p, line, cid, f"'{key}' must map columns to values")
                return {}
            value = {name: literals(name, allowed) if column_ok(name) else allowed
                     for name, allowed in value.items()}
        elif pkind == "bands":
            ok = isinstance(value, list) and value and all(
                isinstance(b, dict) and set(b) == {"max_age", "per_adult"}
                and all(isinstance(b[k], int) and 0 < b[k] <= MAX_INT for k in b)
                for b in value
            )
            if not ok:
                self.add(p, line, cid, f"'{key}' must be a list of {{max_age, per_adult}}")
        return value

    def _resolve(self, p: str, line: int, cid: str, raw: Any) -> Any:
        """Replace ``$name`` with the parameter's value (recursively in lists)."""
        if isinstance(raw, str) and raw.startswith("$"):
            name = raw[1:]
            if name not in self.parameters:
                self.add(p, line, cid, f"unknown parameter '{raw}'")
                return raw
            return self.parameters[name].value
        if isinstance(raw, list):
            return [self._resolve(p, line, cid, r) for r in raw]
        return raw

    def _finish(self) -> Catalog:
        areas = [
            Area(
                id=aid, title=a["title"], version=a["version"],
                order=a["order"] if isinstance(a["order"], int) else 99,
                description=a["description"], path=a["path"],
                control_ids=tuple(c for c in a["ids"] if c in self.controls),
            )
            for aid, a in self.areas.items()
        ]
        areas.sort(key=lambda a: (a.order, a.id))
        return Catalog(
            areas=tuple(areas), controls=self.controls, profile=tuple(self.profile.values()),
            parameters=self.parameters, sources=self.sources, retired=self.retired,
        )


# a check's amount of time spans at most this many years: dates stay inside year 1-9999
MAX_SPAN_YEARS = 200
_SPANS = {"years": MAX_SPAN_YEARS, "months": 12 * MAX_SPAN_YEARS, "days": 366 * MAX_SPAN_YEARS}


def number_problem(key: str, value: float) -> str | None:
    """What is wrong with a check's number (None if nothing): finite, not negative, and a
    span of years, months or days no longer than ``MAX_SPAN_YEARS``, so date arithmetic
    on it cannot leave the calendar; other numbers (counts) up to ``MAX_INT``."""
    unit = key.rsplit("_", 1)[-1]
    limit = _SPANS.get(unit, MAX_INT)
    if not 0 <= value <= limit:  # also false for nan
        return f"must be between 0 and {limit:,}{' ' + unit if unit in _SPANS else ''}"
    return None


def age_problem(catalog: Catalog, profile: dict[str, Any]) -> str | None:
    """What is wrong with a profile's age range (the youngest older than the oldest), or None.

    The one rule answers files, the walk and --set share (a register notes it per row)."""
    low, high = profile.get("age_min"), profile.get("age_max")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        names = [f.label if (f := catalog.field(n)) else n for n in ("age_min", "age_max")]
        return (f"{names[0]} {low} is above {names[1]} {high}: the youngest cannot be older "
                "than the oldest")
    return None


def parse_profile_value(pfield: ProfileField, text: str) -> Any:
    """A profile value typed by a user (--set, a prompt): validated and converted.

    Raises ValueError with the allowed values when the text does not fit the field,
    naming the field in words ("youngest age"), not by its column name. Whole numbers
    are 0 to ``values.MAX_INT`` (like the register's), checked before ``int()``, which
    refuses strings over 4,300 digits.
    """
    raw = text.strip()
    if pfield.type == "text":
        return raw
    if pfield.type == "int":
        digits = raw.lstrip("+")
        if not digits.isdigit() or not digits.isascii() or len(digits.lstrip("0")) > 7 \
                or int(digits) > MAX_INT:
            whole = digits.lstrip("-").isdigit() and digits.isascii()
            why = f"must be a whole number from 0 to {MAX_INT:,}" if whole \
                else "must be a whole number"
            raise ValueError(f"{pfield.label} {why}, not '{excerpt(raw)}'")
        return int(digits)
    if pfield.type == "bool":
        low = raw.casefold()
        if low in ("y", "yes", "true", "1"):
            return True
        if low in ("n", "no", "false", "0"):
            return False
        raise ValueError(f"{pfield.label} must be yes or no, not '{raw}'")
    for value in pfield.choices:  # choices are lower-case words; typing 'Official' is fine
        if raw.casefold() == value.casefold():
            return value
    raise ValueError(f"{pfield.label} must be one of {', '.join(pfield.choices)}, not '{raw}'")


# --- the catalogue as data, for a force's own systems --------------------------------------

EXPORT_FORMAT = "youthscheme-audit/catalogue@1"


def _control_export(control: Control) -> dict[str, Any]:
    """One control with its full text, resolved sources and register checks described."""
    when = []
    for cond in control.when:
        item: dict[str, Any] = {"field": cond.field, "text": cond.describe()}
        if cond.values:
            item["values"] = list(cond.values)
        else:
            item["min"], item["max"] = cond.minimum, cond.maximum
        when.append(item)
    return {
        "id": control.id, "title": control.title, "area": control.area,
        "question": control.question, "severity": control.severity.value,
        "applies_to": sorted(t.value for t in control.applies_to), "when": when,
        "why": control.why, "evidence": control.evidence, "remediation": control.remediation,
        "help": control.help, "sources": [c.as_dict() for c in control.citations],
        "register_checks": [
            {"kind": check.NAME, "table": check.table, "text": check.describe(),
             "failures_only": check.failures_only}
            for check in control.register
        ],
        "file": control.path, "line": control.line,
    }


def export(catalog: Catalog, tool_version: str) -> dict[str, Any]:
    """Every checklist and control in use, with the sources, parameters, profile and retired
    ids: the document ``checklists --format json`` writes (schema/catalogue.schema.json)."""
    return {
        "format": EXPORT_FORMAT,
        "tool_version": tool_version,
        "checklists": [
            {"id": area.id, "title": area.title, "version": area.version, "order": area.order,
             "description": area.description, "file": area.path,
             "controls": [_control_export(catalog.controls[c]) for c in area.control_ids]}
            for area in catalog.areas
        ],
        "retired": {r.id: {"replaced_by": list(r.replaced_by), "why": r.why}
                    for r in catalog.retired.values()},
        "sources": {s.key: {"title": s.title, "publisher": s.publisher, "date": s.date,
                            "url": s.url, "note": s.note}
                    for s in catalog.sources.values()},
        "parameters": {p.name: {"value": p.value, "description": p.description,
                                "source": p.source}
                       for p in catalog.parameters.values()},
        "profile": [{"field": f.name, "type": f.type, "label": f.label, "question": f.question,
                     "help": f.help, "choices": f.choices} for f in catalog.profile],
    }
