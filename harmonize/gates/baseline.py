"""The accepted baseline file (default ``baseline/compatibility.json``): building, writing, reading.

It holds one CheckResult per park profile, all as of one pinned date, the snapshot of every dated
value with its legal basis (so the legal-basis gate works against the file), and the policies'
content digest and commit when known. It is deterministic (sorted keys, no timestamps): its git
diff is the change in compatibility.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from .git import policies_commit
from .policydiff import digest, snapshot

FORMAT = "harmonize-baseline/3"  # a small summary file, the full results in a file beside it
FULL_FORMAT = "harmonize-baseline-full/3"
SINGLE_FORMAT = "harmonize-baseline/2"  # everything in one file: still read
OLD_FORMATS = ("harmonize-baseline/1",)
MIGRATE = ("it was written by an older harmonize whose scores meant something else (result schema {old}: "
           "silence scored as a gap, the CIT package counted three times, no coverage or bounds). Its scores "
           "cannot be compared with today's: re-accept the current scores with `harmonize baseline update` "
           "(and review the diff of the baseline file), or compare with a git ref instead")
DEFAULT_FILE = Path("baseline") / "compatibility.json"


@dataclass
class Baseline:
    """A saved baseline: a baseline file (several parks) or a single CheckResult file."""

    path: Path
    kind: str  # "baseline" | "result"
    as_of: Any
    results: dict  # park id (or "" when no park) -> CheckResult
    snapshot: Optional[dict] = None
    commit: Optional[str] = None
    digest: Optional[str] = None
    notes: list[str] = field(default_factory=list)


def park_key(result) -> str:
    return result.park.id if result.park else ""


def summary_of(result) -> dict:
    """The short, rounded view of a result the baseline file leads with (a readable git diff)."""
    def r(x):
        return None if x is None else round(x, 2)

    return {
        "pair": list(result.pair),
        "overall": r(result.overall.score),
        "coverage": r(result.overall.coverage),
        "bounds": [r(result.overall.lower), r(result.overall.upper)],
        "provisional": result.overall.provisional,
        "domains": {d.domain: r(d.score) for d in result.domains},
        "gaps": {sev: sorted(g.measure for g in result.gaps if g.severity == sev)
                 for sev in ("critical", "major", "minor")},
        "scored": f"{result.coverage.scored} of {result.coverage.measures_compared}",
    }


def full_path(summary_file: Path) -> Path:
    """Where the full results of a baseline summary file live: beside it, ``<stem>.full.json``."""
    return summary_file.with_name(summary_file.stem + ".full.json")


def build(ps, results: list, as_of, policies: Path, full_name: str = "compatibility.full.json") -> tuple[str, str]:
    """(summary text, full text). The summary is what reviewers read in a pull request's diff: per park
    the score, its bounds and coverage, and the gaps by severity; the full results and every value's
    legal basis go to ``full_name`` beside it, bound to the summary by its SHA-256."""
    snap = snapshot(ps)
    full = dumps({"format": FULL_FORMAT, "as_of": as_of.isoformat(),
                  "results": {park_key(r): r.model_dump(mode="json") for r in results}, "values": snap})
    summary = dumps({
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "policies": {"path": policies.as_posix(), "commit": policies_commit(policies), "digest": digest(snap)},
        "summary": {park_key(r): summary_of(r) for r in results},
        "full": {"file": full_name, "sha256": hashlib.sha256(full.encode("utf-8")).hexdigest()},
    })
    return summary, full


def dumps(data: dict) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _read_full(path: Path, data: dict) -> dict:
    """The full results a summary file names, checked against the digest the summary holds."""
    ref = data.get("full") or {}
    name = ref.get("file")
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
        raise ValueError(f"{path}: 'full.file' must name a file beside it")
    full = path.with_name(name)
    try:
        raw = full.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: its full results {full} cannot be read ({exc.strerror}); "
                         f"run 'harmonize baseline update'") from None
    if hashlib.sha256(raw).hexdigest() != ref.get("sha256"):
        raise ValueError(f"{path}: {full.name} is not the file this summary was written with (SHA-256 differs); "
                         f"update both with 'harmonize baseline update'")
    inner = loads_finite(raw.decode("utf-8"))
    if not isinstance(inner, dict) or inner.get("format") != FULL_FORMAT or inner.get("as_of") != data.get("as_of"):
        raise ValueError(f"{path}: {full.name} is not its full results file")
    return inner


def pinned_date(path: Path) -> Optional[date]:
    """The as-of date a baseline file pins, whatever its format (to migrate an old file)."""
    try:
        data = loads_finite(path.read_text(encoding="utf-8"))
        return date.fromisoformat(data["as_of"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a harmonize result can hold")


def loads_finite(text: str) -> Any:
    """JSON as harmonize writes it: NaN, Infinity and numbers beyond the float range are refused (a
    forged NaN score compares false with every threshold and would pass every gate)."""
    return json.loads(text, parse_float=_finite, parse_constant=_no_constant)


def load_baseline(path: Path) -> Baseline:
    """A baseline file or a CheckResult JSON file. Raises ValueError with a readable message."""
    from pydantic import ValidationError

    from ..engine.result import SCHEMA_VERSION, CheckResult

    try:
        data = loads_finite(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror if isinstance(exc, OSError) else exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON: {exc}") from None
    except RecursionError:
        raise ValueError(f"{path}: the JSON nests too deeply to be a harmonize result") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a baseline file or a check result (a JSON object)")
    if data.get("format") in OLD_FORMATS:
        raise ValueError(f"{path}: baseline format {data['format']}: " + MIGRATE.format(old="1.0"))
    if "schema_version" in data and data["schema_version"] != SCHEMA_VERSION:
        raise ValueError(f"{path}: check result schema {data['schema_version']}: "
                         + MIGRATE.format(old=data["schema_version"]))
    try:
        if data.get("format") in (FORMAT, SINGLE_FORMAT, FULL_FORMAT):
            body = _read_full(path, data) if data["format"] == FORMAT else data
            results = {k: CheckResult.model_validate(v) for k, v in sorted((body.get("results") or {}).items())}
            if not results:
                raise ValueError(f"{path}: the baseline holds no results")
            pol = data.get("policies") or {}
            return Baseline(path, "baseline", date.fromisoformat(data["as_of"]), results, body.get("values"),
                            pol.get("commit"), pol.get("digest"))
        if "schema_version" in data:
            r = CheckResult.model_validate(data)
            return Baseline(path, "result", r.as_of, {park_key(r): r},
                            notes=["the baseline is a single check result: the legal-basis gate compares only the "
                                   "values it shows (a baseline file or a git ref compares every value)"])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{path}: not a valid harmonize result ({where}: {first['msg']})") from None
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a valid baseline file ({exc})") from None
    raise ValueError(f"{path}: neither a baseline file (format {FORMAT}) nor a check result (schema_version)")
