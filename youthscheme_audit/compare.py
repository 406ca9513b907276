"""What changed between two JSON results (of ``report`` or ``score``) of the same scheme(s).

``compare_results(old, new)`` is pure: two result dicts in, one plain dict out. That
dict is the JSON output of ``youthscheme-audit compare --format json``, documented by
``schema/compare.schema.json`` (shipped in the package; the tests validate against it):

.. code-block:: text

    {
      "old": {"path", "kind", "as_of", "generated_at", "tool_version", "schemes"},
      "new": {... the same for NEW ...},
      "summary": {"compared", "added", "removed", "new_gaps", "resolved_gaps",
                  "regressions", "improvements", "ratings_worsened", "has_regression"},
      "schemes": [                            # schemes in both, worst change first
        {"scheme_id", "scheme_name",
         "score_old", "score_new", "score_delta",   # numbers or null (nothing scored)
         "rating_old", "rating_new",
         "rating_change": "worse" | "better" | "same",
         "new_gaps": [control ids],           # gap now, not gap before (or absent before)
         "resolved_gaps": [control ids],      # gap before; met, partial, n/a or waived now
         "regressions": [{"control_id", "title", "severity", "old", "new"}],
         "improvements": [{"control_id", "title", "severity", "old", "new"}],
         "other_changes": [{"control_id", "title", "severity", "old", "new"}],
         "note": "..."}                       # only when two single schemes were paired
      ],
      "added": [scheme ids only in NEW],
      "removed": [scheme ids only in OLD],
      "added_schemes": [{"scheme_id", "scheme_name", "score", "rating"}],
      "removed_schemes": [{... the same ...}]
    }

A regression is a control whose status got worse on the met > partial > gap ladder
(met to partial, met or partial to gap); an improvement is the reverse. Every other
status change (for example met to unverified, or a gap becoming waived) is an
``other_change``. ``has_regression`` is true when any scheme has a new gap or a
regressed control: that is what ``--fail-on-regression`` exits 1 on.

A result names each control's title and severity once, in ``controls``; results written
before it did (the text inside every finding) compare as well, with each other or with
newer ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from youthscheme_audit.errors import AuditError
from youthscheme_audit.models import RANKS, WEIGHTS
from youthscheme_audit.yamlio import open_regular

# the ladder regressions and improvements are measured on
STATUS_RANK = {"met": 0, "partial": 1, "gap": 2}
RATING_RANK = {"green": 0, "amber": 1, "red": 2}
SEVERITY_RANK = {s.value: rank for s, rank in RANKS.items()}
SEVERITY_WEIGHT = {s.value: weight for s, weight in WEIGHTS.items()}
RESOLVED = frozenset({"met", "partial", "not_applicable", "waived"})
NOT_A_RESULT = ("is not a youthscheme-audit JSON result ({detail}); give the output of "
                "'report' or 'score' with --format json")


class ResultError(AuditError):
    """A file that is not a JSON result of report or score."""


# --- loading ---------------------------------------------------------------------------


def load_result(path: Path) -> dict[str, Any]:
    """Read and check one JSON result; a ResultError naming the file (and line) otherwise."""
    try:
        with open_regular(path, ResultError, "JSON result") as handle:  # not a FIFO or device
            text = handle.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResultError("is not UTF-8 text, so not a JSON result", path) from None
    except OSError as exc:
        raise ResultError(f"cannot read file ({exc.strerror or exc})", path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultError(f"not valid JSON: {exc.msg}", path, exc.lineno,
                          f"column {exc.colno}") from None
    check_result(data, path)
    result: dict[str, Any] = data
    return result


def check_result(data: Any, path: Path | str) -> None:
    """Raise a ResultError unless ``data`` looks like a report_dict."""
    def bad(detail: str) -> ResultError:
        return ResultError(NOT_A_RESULT.format(detail=detail), path)

    if not isinstance(data, dict):
        raise bad(f"the top level is a JSON {type(data).__name__}, not an object")
    schemes = data.get("schemes")
    if not isinstance(schemes, list):
        raise bad("no 'schemes' list")
    for n, scheme in enumerate(schemes, 1):
        if not isinstance(scheme, dict) or not isinstance(scheme.get("scheme_id"), str):
            raise bad(f"scheme {n} has no scheme_id")
        findings = scheme.get("findings")
        if not isinstance(findings, list):
            raise bad(f"scheme '{scheme['scheme_id']}' has no 'findings' list")
        for f in findings:
            if (not isinstance(f, dict) or not isinstance(f.get("control_id"), str)
                    or not isinstance(f.get("status"), str)):
                raise bad(f"a finding of scheme '{scheme['scheme_id']}' has no control_id "
                          "or status")
    controls = data.get("controls", {})
    if not isinstance(controls, dict) or not all(isinstance(c, dict)
                                                 for c in controls.values()):
        raise bad("'controls' is not an object of controls by id")


def control_text(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Control id to its text (title, severity ...): the result's ``controls``; a result
    written before the JSON result had them carries each control's text in its findings."""
    if "controls" in result:
        controls: dict[str, dict[str, Any]] = result["controls"]
        return controls
    return {f["control_id"]: f for s in result["schemes"] for f in s["findings"]}


# --- comparing -------------------------------------------------------------------------


def _score(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _change(f_old: dict[str, Any] | None, f_new: dict[str, Any] | None,
            control_id: str, controls: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ref = controls.get(control_id, {})
    return {"control_id": control_id, "title": ref.get("title", ""),
            "severity": ref.get("severity", ""),
            "old": f_old["status"] if f_old else None,
            "new": f_new["status"] if f_new else None}


def _order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda c: (SEVERITY_RANK.get(c["severity"], 9), c["control_id"]))


def compare_scheme(old: dict[str, Any], new: dict[str, Any],
                   controls: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What changed for one scheme between two results (``controls``: control id to its
    title and severity)."""
    before = {f["control_id"]: f for f in old["findings"]}
    after = {f["control_id"]: f for f in new["findings"]}
    order = list(after) + [c for c in before if c not in after]
    new_gaps: list[dict[str, Any]] = []
    resolved: list[dict[str, Any]] = []
    regressions: list[dict[str, Any]] = []
    improvements: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for cid in order:
        f_old, f_new = before.get(cid), after.get(cid)
        s_old = f_old["status"] if f_old else None
        s_new = f_new["status"] if f_new else None
        if s_old == s_new:
            continue
        change = _change(f_old, f_new, cid, controls)
        if s_new == "gap":
            new_gaps.append(change)
        if s_old == "gap" and s_new in RESOLVED:
            resolved.append(change)
        if s_old in STATUS_RANK and s_new in STATUS_RANK:
            (regressions if STATUS_RANK[s_new] > STATUS_RANK[s_old] else improvements).append(
                change)
        else:
            other.append(change)
    score_old, score_new = _score(old.get("score")), _score(new.get("score"))
    delta = (round(score_new - score_old, 1)
             if score_old is not None and score_new is not None else None)
    r_old, r_new = old.get("rating"), new.get("rating")
    rating_change = "same"
    if r_old in RATING_RANK and r_new in RATING_RANK and r_old != r_new:
        rating_change = "worse" if RATING_RANK[r_new] > RATING_RANK[r_old] else "better"
    return {
        "scheme_id": new["scheme_id"],
        "scheme_name": new.get("scheme_name") or old.get("scheme_name") or new["scheme_id"],
        "score_old": score_old,
        "score_new": score_new,
        "score_delta": delta,
        "rating_old": r_old,
        "rating_new": r_new,
        "rating_change": rating_change,
        "new_gaps": [c["control_id"] for c in _order(new_gaps)],
        "resolved_gaps": [c["control_id"] for c in _order(resolved)],
        "regressions": _order(regressions),
        "improvements": _order(improvements),
        "other_changes": _order(other),
        "_details": {"new_gaps": _order(new_gaps), "resolved_gaps": _order(resolved)},
    }


def badness(change: dict[str, Any]) -> tuple[Any, ...]:
    """Sort key: worst change first (rating worse, heavy new or regressed gaps, score drop)."""
    controls = {c["control_id"]: c["severity"]
                for c in change["regressions"] + change["_details"]["new_gaps"]}
    weight = sum(SEVERITY_WEIGHT.get(s, 1) for s in controls.values())
    rating = {"worse": 0, "same": 1, "better": 2}[change["rating_change"]]
    delta = change["score_delta"] if change["score_delta"] is not None else 0.0
    return (rating, -weight, delta, change["scheme_id"])


def _brief(scheme: dict[str, Any]) -> dict[str, Any]:
    return {"scheme_id": scheme["scheme_id"], "scheme_name": scheme.get("scheme_name"),
            "score": _score(scheme.get("score")), "rating": scheme.get("rating")}


def _meta(result: dict[str, Any], path: str | None) -> dict[str, Any]:
    return {"path": path, "kind": result.get("kind"), "as_of": result.get("as_of"),
            "generated_at": result.get("generated_at"),
            "tool_version": result.get("tool_version"), "schemes": len(result["schemes"])}


def _pairs(old: dict[str, Any], new: dict[str, Any]) -> tuple[
        list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]],
        list[dict[str, Any]], str]:
    """Schemes matched by scheme_id; (pairs, only in old, only in new, pairing note)."""
    before: dict[str, dict[str, Any]] = {}
    for s in old["schemes"]:
        before.setdefault(s["scheme_id"], s)
    after: dict[str, dict[str, Any]] = {}
    for s in new["schemes"]:
        after.setdefault(s["scheme_id"], s)
    single = (len(before) == len(after) == 1 and old.get("kind") != "batch"
              and new.get("kind") != "batch")
    if single and set(before) != set(after):
        (o,), (n,) = before.values(), after.values()
        note = (f"paired the only scheme of each result although the ids differ "
                f"('{o['scheme_id']}' before, '{n['scheme_id']}' now)")
        return [(o, n)], [], [], note
    pairs = [(before[sid], s) for sid, s in after.items() if sid in before]
    removed = [s for sid, s in before.items() if sid not in after]
    added = [s for sid, s in after.items() if sid not in before]
    return pairs, removed, added, ""


def compare_results(
    old: dict[str, Any], new: dict[str, Any], old_path: str | None = None,
    new_path: str | None = None,
) -> dict[str, Any]:
    """Everything that changed between two results, as the documented plain dict."""
    pairs, removed, added, note = _pairs(old, new)
    controls = {**control_text(old), **control_text(new)}  # as the newer result has it
    changes = [compare_scheme(o, n, controls) for o, n in pairs]
    if note:
        changes[0]["note"] = note
    changes.sort(key=badness)
    for c in changes:
        del c["_details"]
    summary = {
        "compared": len(changes),
        "added": len(added),
        "removed": len(removed),
        "new_gaps": sum(len(c["new_gaps"]) for c in changes),
        "resolved_gaps": sum(len(c["resolved_gaps"]) for c in changes),
        "regressions": sum(len(c["regressions"]) for c in changes),
        "improvements": sum(len(c["improvements"]) for c in changes),
        "ratings_worsened": sum(c["rating_change"] == "worse" for c in changes),
    }
    summary["has_regression"] = bool(summary["new_gaps"] or summary["regressions"])
    return {
        "old": _meta(old, old_path),
        "new": _meta(new, new_path),
        "summary": summary,
        "schemes": changes,
        "added": [s["scheme_id"] for s in added],
        "removed": [s["scheme_id"] for s in removed],
        "added_schemes": [_brief(s) for s in added],
        "removed_schemes": [_brief(s) for s in removed],
    }


def has_regression(comparison: dict[str, Any]) -> bool:
    """Whether any scheme has a new gap or a regressed control."""
    return bool(comparison["summary"]["has_regression"])


# --- a series of results -----------------------------------------------------------------


def trend(results: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Scores and rating counts per result, for the force and for each scheme.

    ``results`` are (path, result), oldest first. A scheme missing from a result has
    ``null`` there, so every series has one value per result.
    """
    points = []
    for path, result in results:
        scores = [x for s in result["schemes"] if (x := _score(s.get("score"))) is not None]
        ratings = [s.get("rating") for s in result["schemes"]]
        points.append({
            "path": path, "as_of": result.get("as_of"), "schemes": len(result["schemes"]),
            **{r: ratings.count(r) for r in ("red", "amber", "green")},
            "mean_score": round(sum(scores) / len(scores), 1) if scores else None,
        })
    series: dict[str, dict[str, Any]] = {}
    for n, (_, result) in enumerate(results):
        for s in result["schemes"]:
            entry = series.setdefault(s["scheme_id"], {
                "scheme_id": s["scheme_id"], "scheme_name": s.get("scheme_name"),
                "scores": [None] * len(results), "ratings": [None] * len(results)})
            entry["scores"][n], entry["ratings"][n] = _score(s.get("score")), s.get("rating")
    return {"points": points, "schemes": list(series.values())}


def compare_series(results: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Results given oldest first: the last two compared (what changed), and the trend
    over all of them."""
    (old_path, old), (new_path, new) = results[-2], results[-1]
    comparison = compare_results(old, new, old_path, new_path)
    comparison["trend"] = trend(results)
    return comparison
