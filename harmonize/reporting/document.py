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
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


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
