"""Reading a policy tree at a git ref without touching the working tree
(``git archive REF -- PATH`` extracted into a temporary folder), and the commit of a folder."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional


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
        hint = ""
        try:
            if _git(top, "rev-parse", "--is-shallow-repository") == "true":
                hint = ("; this clone is shallow (it has no history to read the ref from): fetch the history, "
                        "e.g. 'git fetch --unshallow origin', or in GitHub Actions check out with 'fetch-depth: 0'")
        except GitError:
            pass
        raise GitError(f"'{ref}' is neither a file, a folder nor a commit of the repository at {top}{hint}") from None


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
