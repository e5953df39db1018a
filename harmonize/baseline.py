"""``harmonize baseline``: the accepted compatibility results the repository keeps, and git refs.

    harmonize baseline update [PATH] [--file FILE] [--as-of DATE]
    harmonize baseline show [--file FILE] [--format text|json]

The baseline file (default ``baseline/compatibility.json``) holds one CheckResult per park profile,
all as of one pinned date, the snapshot of every dated value with its legal basis (so the
legal-basis gate works against the file), and the policies' content digest and commit when known.
It is deterministic (sorted keys, no timestamps): its git diff is the change in compatibility.

This module also reads a policy tree at a git ref without touching the working tree
(``git archive REF -- PATH`` extracted into a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

FORMAT = "harmonize-baseline/1"
DEFAULT_FILE = Path("baseline") / "compatibility.json"


# --- git -----------------------------------------------------------------------------------------


class GitError(Exception):
    pass


def _git(cwd: Path, *args: str, binary: bool = False):
    try:
        proc = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace").strip()


def git_toplevel(path: Path) -> Optional[Path]:
    folder = path if path.is_dir() else path.parent
    try:
        return Path(_git(folder.resolve(), "rev-parse", "--show-toplevel"))
    except GitError:
        return None


def ref_commit(top: Path, ref: str) -> str:
    if ref.startswith("-"):
        raise GitError(f"not a git ref: {ref!r}")
    try:
        return _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(f"'{ref}' is neither a file, a folder nor a commit of the repository at {top}") from None


@dataclass
class TreeAtRef:
    """A policy tree read from a commit into a temporary folder; ``cleanup()`` removes it."""

    ref: str
    commit: str
    root: Path
    tmp: Any = None

    def cleanup(self) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()
            self.tmp = None


def tree_at_ref(ref: str, policies: Path) -> TreeAtRef:
    """The policy folder ``policies`` (a path in the working tree) as it was at ``ref``.

    Uses ``git archive`` (nothing in the working tree, the index or HEAD changes). Raises GitError."""
    import io
    import tarfile

    policies = policies.resolve()
    top = git_toplevel(policies)
    if top is None:
        raise GitError(f"{policies} is not inside a git repository; give a folder or a result file instead of '{ref}'")
    top = top.resolve()
    try:
        rel = policies.relative_to(top).as_posix()
    except ValueError:
        raise GitError(f"{policies} is not inside the repository {top}") from None
    commit = ref_commit(top, ref)
    spec = [] if rel in ("", ".") else ["--", rel]
    try:
        data = _git(top, "archive", "--format=tar", commit, *spec, binary=True)
    except GitError as exc:
        raise GitError(f"'{rel}' does not exist at {ref} ({commit[:12]}): {exc}") from None
    tmp = tempfile.TemporaryDirectory(prefix="harmonize-base-")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        try:
            tar.extractall(tmp.name, filter="data")  # no links or paths out of the folder
        except TypeError:  # Python before 3.11.4: git archive writes plain relative members
            tar.extractall(tmp.name)
    root = Path(tmp.name) / rel if rel not in ("", ".") else Path(tmp.name)
    if not root.is_dir():
        tmp.cleanup()
        raise GitError(f"'{rel}' does not exist at {ref}")
    return TreeAtRef(ref, commit, root, tmp)


def policies_commit(policies: Path) -> Optional[str]:
    """The last commit that changed ``policies`` when the working tree matches it, else None."""
    top = git_toplevel(policies)
    if top is None:
        return None
    try:
        rel = policies.resolve().relative_to(top.resolve()).as_posix() or "."
        if _git(top, "status", "--porcelain", "--", rel):
            return None
        return _git(top, "log", "-1", "--format=%H", "--", rel) or None
    except (GitError, ValueError):
        return None


# --- the baseline file ---------------------------------------------------------------------------


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
        "domains": {d.domain: r(d.score) for d in result.domains},
        "gaps": {sev: sorted(g.measure for g in result.gaps if g.severity == sev)
                 for sev in ("critical", "major", "minor")},
        "scored": f"{result.coverage.scored} of {result.coverage.measures_compared}",
    }


def build(ps, results: list, as_of, policies: Path) -> dict:
    from .policydiff import digest, snapshot

    snap = snapshot(ps)
    return {
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "policies": {"path": policies.as_posix(), "commit": policies_commit(policies), "digest": digest(snap)},
        "summary": {park_key(r): summary_of(r) for r in results},
        "results": {park_key(r): r.model_dump(mode="json") for r in results},
        "values": snap,
    }


def dumps(data: dict) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> Baseline:
    """A baseline file or a CheckResult JSON file. Raises ValueError with a readable message."""
    from pydantic import ValidationError

    from .engine.result import CheckResult

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a baseline file or a check result (a JSON object)")
    try:
        if data.get("format") == FORMAT:
            results = {k: CheckResult.model_validate(v) for k, v in sorted((data.get("results") or {}).items())}
            if not results:
                raise ValueError(f"{path}: the baseline holds no results")
            from datetime import date

            pol = data.get("policies") or {}
            return Baseline(path, "baseline", date.fromisoformat(data["as_of"]), results, data.get("values"),
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


# --- the command ---------------------------------------------------------------------------------


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "baseline", help="write or show the accepted compatibility baseline (baseline/compatibility.json)",
        description="The accepted baseline: one result per park as of a pinned date, plus every value's legal "
                    "basis. Update it after a deliberate change of law and commit it with the change; "
                    "'harmonize check --baseline baseline/compatibility.json' gates against it.")
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    u = sub.add_parser("update", help="recompute every park and rewrite the file atomically")
    u.add_argument("path", nargs="?", default="policies", metavar="PATH", help="policy folder (default: policies/)")
    u.add_argument("--file", default=str(DEFAULT_FILE), metavar="FILE", help=f"baseline file (default {DEFAULT_FILE})")
    u.add_argument("--as-of", metavar="DATE",
                   help="pin this date (default: the date already pinned in the file, else today)")
    u.add_argument("--params", metavar="SET", help="economic parameter set (default: the scenarios file's default)")
    u.set_defaults(func=_update)
    s = sub.add_parser("show", help="print the baseline's scores and gaps per park")
    s.add_argument("--file", default=str(DEFAULT_FILE), metavar="FILE", help=f"baseline file (default {DEFAULT_FILE})")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=_show)
    p.set_defaults(func=_no_action)


def _no_action(args: argparse.Namespace) -> int:
    from .cli import UsageError

    raise UsageError("baseline: say 'update' or 'show' (see harmonize baseline --help)")


def _update(args: argparse.Namespace) -> int:
    from datetime import date

    from .atomic import write_atomic
    from .check import all_parks
    from .cli import EXIT_OK, UsageError, load_or_fail, parse_date
    from .engine.run import load_parameter_set, run_check

    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    dest = Path(args.file)
    if args.as_of:
        as_of = parse_date(args.as_of)
    elif dest.is_file():
        try:
            as_of = load_baseline(dest).as_of
        except ValueError as exc:
            raise UsageError(f"{exc}; give --as-of to start a new baseline") from None
    else:
        as_of = date.today()
    ps = load_or_fail(path)
    try:
        params = load_parameter_set(ps.root, args.params)
    except ValueError as exc:
        raise UsageError(f"--params: {exc}") from None
    results = [run_check(ps, pair, as_of, park, park_id=pid, params=params) for park, pid, pair in all_parks(ps)]
    text = dumps(build(ps, results, as_of, path))
    old = dest.read_text(encoding="utf-8") if dest.is_file() else None
    write_atomic(dest, text)
    what = "unchanged" if old == text else ("written" if old is None else "updated")
    print(f"{dest}: {what}; {len(results)} park{'s' * (len(results) != 1)} as of {as_of.isoformat()}")
    for r in results:
        print(f"  {park_key(r) or '(no park)'}: overall {_fmt(r.overall.score)}")
    return EXIT_OK


def _fmt(x) -> str:
    from .check import fmt_score

    return fmt_score(x)


def _show(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, UsageError

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no baseline file {path}; create it with 'harmonize baseline update --as-of DATE'")
    try:
        b = load_baseline(path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        sys.stdout.write(dumps({"as_of": b.as_of.isoformat(), "commit": b.commit, "digest": b.digest,
                                "summary": {k: summary_of(r) for k, r in b.results.items()}}))
        return EXIT_OK
    print(f"baseline {path} as of {b.as_of.isoformat()}"
          + (f", policies at commit {b.commit[:12]}" if b.commit else "")
          + (f", {b.digest[:19]}" if b.digest else ""))
    for key, r in b.results.items():
        print(f"\n{key or '(no park)'} ({r.pair[0]}:{r.pair[1]}): overall {_fmt(r.overall.score)}")
        for d in r.domains:
            print(f"  {d.domain:<22} {_fmt(d.score):>10}")
        crit = [g.measure for g in r.gaps if g.severity == "critical"]
        print(f"  critical gaps ({len(crit)}): {', '.join(crit) or 'none'}")
    for n in b.notes:
        print(f"note: {n}")
    return EXIT_OK
