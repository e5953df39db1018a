"""Every git command harmonize runs goes through ``git()``: plumbing only, with the programs a
repository's configuration could start switched off.

A checkout is not trusted: its ``.git/config`` may name an fsmonitor hook, hooks, a signature program
or an external diff, and its ``.gitattributes`` may ask for filters or ``export-ignore``. harmonize
runs no porcelain that consults them (no ``status``, ``archive`` or ``diff``), passes options after
``--end-of-options``, and turns the rest off here. Imports nothing of harmonize.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Optional

# Configuration that could make git start a program, or read something other than the objects asked for.
_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.untrackedCache=false",
    "core.pager=cat",
    "core.sshCommand=false",
    "diff.external=",
    "log.showSignature=false",
    "protocol.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
)
_SAFE_ENV = {
    "GIT_OPTIONAL_LOCKS": "0",  # read commands never write the index
    "GIT_NO_REPLACE_OBJECTS": "1",  # refs/replace cannot swap what a commit holds
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ATTR_NOSYSTEM": "1",
    "GIT_PAGER": "cat",
    "LC_ALL": "C",
}
_DROP_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
             "GIT_EXTERNAL_DIFF", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_EXEC_PATH")


class GitError(Exception):
    pass


def git(cwd: Path, *args: str, binary: bool = False, stdin: Optional[bytes] = None, timeout: float = 120):
    """Run ``git -C cwd [safe config] ARGS``; its stdout (str, stripped; or bytes). Raises GitError."""
    config = [x for item in _SAFE_CONFIG for x in ("-c", item)]
    env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
    env.update(_SAFE_ENV)
    try:
        proc = subprocess.run(["git", "-C", str(cwd), *config, *args], input=stdin, capture_output=True,
                              check=False, env=env, timeout=timeout)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {timeout:.0f} s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace").strip()


def toplevel(path: Path) -> Optional[Path]:
    folder = path if path.is_dir() else path.parent
    try:
        return Path(git(folder.resolve(), "rev-parse", "--show-toplevel"))
    except GitError:
        return None


def ls_tree(top: Path, commit: str, rel: str) -> list[tuple[str, str, str, str]]:
    """(mode, type, object id, path) of every entry under ``rel`` at ``commit`` (paths from the top)."""
    spec = [] if rel in ("", ".") else ["--", rel]
    out = git(top, "ls-tree", "-r", "-z", "--full-tree", commit, *spec, binary=True)
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, oid = meta.decode("ascii").split(" ")
        entries.append((mode, kind, oid, path.decode("utf-8", "surrogateescape")))
    return entries


def blob_id(data: bytes, algorithm: str) -> str:
    """The object id git gives a blob with these bytes."""
    h = hashlib.new(algorithm)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def worktree_matches_head(top: Path, rel: str) -> Optional[bool]:
    """Whether the files under ``rel`` are exactly HEAD's (no modified, deleted or untracked file), worked
    out by hashing the files here (no ``git status``: it would run the fsmonitor hook and clean filters a
    repository configures). None when it cannot be told."""
    try:
        algorithm = "sha256" if git(top, "rev-parse", "--show-object-format") == "sha256" else "sha1"
        entries = ls_tree(top, "HEAD", rel)
        spec = [] if rel in ("", ".") else ["--", rel]
        untracked = git(top, "ls-files", "-z", "--others", "--exclude-standard", *spec, binary=True)
    except GitError:
        return None
    if untracked.strip(b"\0"):
        return False
    for mode, kind, oid, path in entries:
        if kind != "blob":
            continue
        full = top / path
        try:
            if mode == "120000":
                data = os.readlink(full).encode("utf-8", "surrogateescape")
            else:
                if full.is_symlink():
                    return False
                data = full.read_bytes()
        except OSError:
            return False
        if blob_id(data, algorithm) != oid:
            return False
    return True
