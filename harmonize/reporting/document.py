"""The language-neutral report document (``report.json``) and the provenance of the policies."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..engine.delta import ResultDelta
from ..engine.joint import JointView
from ..engine.result import CheckResult
from ..engine.simulation import ScenarioResult

REPORT_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(_Model):
    """Which policy files the report was made from, when they live in a git checkout."""

    policies: str = Field(description="The policy folder, relative to the repository root when in git")
    commit: Optional[str] = Field(None, description="Last commit that touched the policy folder")
    uncommitted_changes: Optional[bool] = Field(None, description="The working tree has uncommitted policy changes")


class ParkSection(_Model):
    check: CheckResult
    baseline: Optional[ResultDelta] = Field(None, description="What changed since the baseline (--baseline)")


class ScenarioSet(_Model):
    """Investor scenarios for one pair: ILLUSTRATIVE hypothetical investors under each side's law."""

    pair: list[str]
    as_of: date
    parameter_set: Optional[str] = None
    illustrative: Literal[True] = True
    results: list[ScenarioResult] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list, description="Scenarios that could not be run, and why")


class ReportDocument(_Model):
    """What ``harmonize report --format json`` writes: every check, scenario and delta shown."""

    report_version: Literal["1.0"] = REPORT_VERSION
    as_of: date
    parks: list[ParkSection]
    scenarios: list[ScenarioSet] = Field(default_factory=list)
    provenance: Optional[Provenance] = None
    joints: list[JointView] = Field(default_factory=list, description="Parks of three: the joint view of their three pairs")

    def to_json(self) -> str:
        return dumps(self.model_dump(mode="json"), end="\n")


def dumps(data: object, end: str = "") -> str:
    """``json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + end``, the same text, about
    twice as fast: with ``indent`` the json module runs its pure-Python encoder, a generator per level
    through which every token passes; here each container deep in the document is one join and each
    string goes through the json module's C escaper. The outer levels (``_FLAT``) go into one list of
    pieces joined once, so the whole text is built once rather than copied at every level (a report
    of 10 × 2,000 one pair: 11 MB of JSON). Anything but JSON's own types (a key that is not a string,
    say) is left to ``json.dumps``, which gives its own answer or error. Held equal to it by
    tests/test_report_document.py."""
    try:
        pieces: list[str] = []
        _encode_into(data, "\n", pieces, _FLAT)
        pieces.append(end)
        return "".join(pieces)
    except _NotPlain:
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + end


_FLAT = 6  # levels written piece by piece (down to a result row); below them each container is one string


def _encode_into(x: object, newline: str, out: list[str], levels: int) -> None:
    """``_encode(x, newline)``, appended to ``out`` in pieces for the outer ``levels``."""
    kind = type(x)
    if levels <= 0 or not (kind is dict or kind is list or kind is tuple) or not x:
        out.append(_encode(x, newline))
        return
    inner = newline + "  "
    if kind is dict:
        if not all(type(k) is str for k in x):
            raise _NotPlain
        out.append("{")
        for i, k in enumerate(sorted(x)):
            out.append(("," + inner if i else inner) + _string(k) + ": ")
            _encode_into(x[k], inner, out, levels - 1)
        out.append(newline + "}")
    else:
        out.append("[")
        for i, v in enumerate(x):
            out.append("," + inner if i else inner)
            _encode_into(v, inner, out, levels - 1)
        out.append(newline + "]")


class _NotPlain(Exception):
    pass


_string = json.encoder.encode_basestring  # the C escaper when the json module has its accelerator
_SCALARS = {type(None): lambda x: "null", bool: lambda x: "true" if x else "false", int: int.__repr__, str: _string}


def _float(x: float) -> str:
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    return float.__repr__(x)


_SCALARS[float] = _float


def _encode(x: object, newline: str) -> str:
    """``x`` as JSON text at the indentation ``newline`` (a newline and the current indent)."""
    kind = type(x)
    scalar = _SCALARS.get(kind)
    if scalar is not None:
        return scalar(x)
    if kind is dict:
        if not x:
            return "{}"
        inner = newline + "  "
        keys = sorted(x) if all(type(k) is str for k in x) else None
        if keys is None:
            raise _NotPlain
        get = _SCALARS.get
        parts = []
        for k in keys:
            v = x[k]
            scalar = get(type(v))
            parts.append(f'{_string(k)}: {scalar(v) if scalar is not None else _encode(v, inner)}')
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list or kind is tuple:
        if not x:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join([_encode(v, inner) for v in x]) + newline + "]"
    raise _NotPlain  # subclasses, other types: json.dumps decides


def _git(root: Path, *args: str) -> Optional[str]:
    from ..gitrun import GitError, git

    try:
        return git(root, *args, timeout=20)
    except (GitError, OSError):
        return None


def provenance(root: Optional[Path]) -> Optional[Provenance]:
    """The last commit of the policy folder and whether it has uncommitted changes; None outside git.
    No ``git status``: a repository's fsmonitor hook or filters would run (see ``harmonize.gitrun``)."""
    from ..gitrun import worktree_matches_head

    if root is None:
        return None
    root = Path(root).resolve()
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != "true":
        return None
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip().rstrip("/") or "."
    commit = (_git(root, "log", "-1", "--format=%H", "--end-of-options", "HEAD", "--", ".") or "").strip() or None
    top = _git(root, "rev-parse", "--show-toplevel")
    matches = None if top is None else worktree_matches_head(Path(top), prefix)
    return Provenance(policies=prefix, commit=commit, uncommitted_changes=None if matches is None else not matches)
