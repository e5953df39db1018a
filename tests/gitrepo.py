"""A throw-away git repository holding a copy of the shipped policies, for the CI tests.

Edits are made at the value in force on AS_OF, found through the loader, so the tests keep working
when values are added to the shipped files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

from conftest import POLICIES

AS_OF = "2026-11-23"
ENV = {
    "GIT_AUTHOR_NAME": "Test Drafter", "GIT_AUTHOR_EMAIL": "drafter@example.org",
    "GIT_COMMITTER_NAME": "Test Drafter", "GIT_COMMITTER_EMAIL": "drafter@example.org",
    "GIT_AUTHOR_DATE": "2026-11-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-11-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **ENV, "HOME": str(repo.parent)}
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True)
    shutil.copytree(POLICIES, repo / "policies")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "shipped policies")
    return repo


def value_line(policies: Path, jur: str, pid: str, *sub: object) -> tuple[Path, int, int, int]:
    """(file, 1-based line, column, index) of the value of ``pid`` in force on AS_OF (or a key below it)."""
    from harmonize.policy.loader import load_tree
    from harmonize.policy.query import value_in_force

    ps = load_tree(policies)
    j = ps.jurisdictions[jur]
    prov = j.provisions[pid]
    dv, _ = value_in_force(prov, date.fromisoformat(AS_OF))
    index = prov.values.index(dv)
    origin = j.origins[("provisions", pid)]
    line, col = origin.source.locate(origin.path + ("values", index, *sub))
    return origin.source.path, line, col, index


def set_field(policies: Path, jur: str, pid: str, key: str, new: str) -> tuple[Path, int]:
    """Replace ``key: <old>`` by ``key: new`` in the value of ``pid`` in force on AS_OF; (file, line)."""
    sub = ("basis",) if key in ("article", "instrument") else ()
    path, line, _, index = value_line(policies, jur, pid, *sub)
    lines = path.read_text(encoding="utf-8").split("\n")
    # the key is on the value's line or one of the few after it
    for k in range(line - 1, min(line + 12, len(lines))):
        pattern = rf"(\b{key}: )(\[[^\]]*\]|[^,}}\n]+)"
        if re.search(pattern, lines[k]):
            lines[k] = re.sub(pattern, lambda m: m.group(1) + new, lines[k], count=1)
            path.write_text("\n".join(lines), encoding="utf-8")
            return path, value_line(policies, jur, pid)[1]
    raise AssertionError(f"no '{key}:' near {path}:{line}")


def branch(repo: Path, name: str, edits, message: str) -> Path:
    """A worktree on a new branch off main with ``edits`` (a function of its policies folder) committed."""
    wt = repo.parent / f"wt-{name}"
    git(repo, "worktree", "add", "-q", "-b", name, str(wt), "main")
    edits(wt / "policies")
    git(wt, "commit", "-q", "-am", message)
    return wt
