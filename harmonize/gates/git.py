"""Reading a policy tree at a git ref without touching the working tree (the commit's objects, read with
plumbing into a temporary folder), and the commit of a folder. Every git call goes through
``harmonize.gitrun``."""

from __future__ import annotations

import os
import posixpath
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..gitrun import GitError, git, ls_tree, toplevel, worktree_matches_head
from ..policy.tree import register_display_root

__all__ = ["GitError", "TreeAtRef", "git_toplevel", "policies_commit", "ref_commit", "tree_at_ref"]

MAX_TREE_BYTES = 256 * 1024 * 1024  # what one ref's policy folder may hold, all files together


def git_toplevel(path: Path) -> Optional[Path]:
    return toplevel(path)


def ref_commit(top: Path, ref: str) -> str:
    if not ref.strip() or ref.startswith("-"):
        raise GitError(f"not a git ref: {ref!r}")
    try:
        return git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        hint = ""
        try:
            if git(top, "rev-parse", "--is-shallow-repository") == "true":
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
            register_display_root(self.root, None)
            self.tmp.cleanup()
            self.tmp = None


def _safe_relative(path: str, rel: str) -> Optional[str]:
    """``path`` (from the top of the repository) relative to ``rel``, when it is a plain path inside it."""
    prefix = "" if rel in ("", ".") else rel + "/"
    if not path.startswith(prefix):
        return None
    inner = path[len(prefix):]
    parts = inner.split("/")
    if not inner or any(p in ("", ".", "..", ".git") or "\0" in p for p in parts):
        return None
    return inner


def tree_at_ref(ref: str, policies: Path) -> TreeAtRef:
    """The policy folder ``policies`` (a path in the working tree) as it was at ``ref``.

    Reads the commit's objects with plumbing (``ls-tree``, ``cat-file``): ``.gitattributes`` cannot hide
    or rewrite a file (``export-ignore``, ``export-subst``), and nothing in the working tree, the index or
    HEAD changes. Only regular files are written, each with a plain path inside a new temporary folder; a
    symbolic link is copied from its target when that target is a file of the same policy folder, and
    refused when it leaves it. Raises GitError."""
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
    entries = ls_tree(top, commit, rel)
    where = rel if rel not in ("", ".") else "the repository"
    files: dict[str, str] = {}  # inner path -> object id
    links: dict[str, str] = {}  # inner path -> target (inner path)
    for mode, kind, oid, path in entries:
        inner = _safe_relative(path, rel)
        if kind != "blob":
            continue  # submodules hold no policy
        if inner is None:
            raise GitError(f"{ref}:{path}: not a plain path inside {where}")
        if mode == "120000":
            target = git(top, "cat-file", "blob", oid, binary=True).decode("utf-8", "replace")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(inner), target))
            if target.startswith("/") or resolved == ".." or resolved.startswith("../"):
                raise GitError(f"{ref}:{path}: a symbolic link to {target!r}, outside {where}; "
                               f"policy files must be files of the policy folder")
            links[inner] = resolved
        else:
            files[inner] = oid
    if not files and not links:
        raise GitError(f"'{rel}' does not exist at {ref} ({commit[:12]})")
    for inner, target in links.items():
        if target not in files:
            raise GitError(f"{ref}:{rel}/{inner}: a symbolic link to {target!r}, which is not a file of {where}")
        files[inner] = files[target]
    blobs = _read_blobs(top, sorted(set(files.values())))
    tmp = tempfile.TemporaryDirectory(prefix="harmonize-base-")
    try:
        base = Path(tmp.name)
        root = base / rel if rel not in ("", ".") else base
        root.mkdir(parents=True, exist_ok=True)
        for inner, oid in sorted(files.items()):
            dest = root.joinpath(*inner.split("/"))
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(blobs[oid])
    except BaseException:
        tmp.cleanup()
        raise
    register_display_root(root, f"{ref}:{rel}" if rel not in ("", ".") else f"{ref}:")
    return TreeAtRef(ref, commit, root, tmp)


def _read_blobs(top: Path, oids: list[str]) -> dict[str, bytes]:
    """The content of each blob, with one ``git cat-file --batch``; at most MAX_TREE_BYTES in all."""
    out = git(top, "cat-file", "--batch", binary=True, stdin="".join(o + "\n" for o in oids).encode("ascii"))
    blobs, pos, total = {}, 0, 0
    for oid in oids:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].decode("ascii").split(" ")
        if len(header) != 3 or header[1] != "blob":
            raise GitError(f"cannot read object {oid}")
        size = int(header[2])
        total += size
        if total > MAX_TREE_BYTES:
            raise GitError(f"the policy folder at this ref holds more than {MAX_TREE_BYTES // 1048576} MiB")
        blobs[oid] = out[nl + 1:nl + 1 + size]
        pos = nl + 1 + size + 1
    return blobs


def policies_commit(policies: Path) -> Optional[str]:
    """The last commit that changed ``policies`` when the working tree matches it, else None."""
    top = git_toplevel(policies)
    if top is None:
        return None
    try:
        rel = policies.resolve().relative_to(top.resolve()).as_posix() or "."
        if not worktree_matches_head(top, rel):
            return None
        return git(top, "log", "-1", "--format=%H", "--end-of-options", "HEAD", "--", rel) or None
    except (GitError, ValueError):
        return None


# --- the baseline file ---------------------------------------------------------------------------
