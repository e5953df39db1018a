"""The hostile-input suite of issue 13: one test (or more) per finding.

Each test plays an attacker (a pull request from a stranger, a restored CI cache, a hostile file
name) or an unlucky CI (an unset variable, a full disk, a signal), and checks the same things: no
traceback, no code run, no forged value accepted, no file touched outside the intended place, and
exit 1 or 2 with one clear line. Every test is bounded in time.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

AS_OF = "2026-01-01"


def hz(*args, cwd=None, env=None, timeout=120, input=None):
    """``harmonize ARGS`` as a real process: (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "harmonize", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or REPO, input=input,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


def one_clear_line(status, err, expected=2):
    assert status == expected, err
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("harmonize"), err
    return lines[0]


def overall(tree, *extra):
    status, out, err = hz("check", tree, "--as-of", AS_OF, "--park", "none", "--format", "json", *extra)
    assert status == 0, err
    return json.loads(out)["overall"]["score"]


# --- 1. a cache that cannot lie: there is no parse cache any more ---------------------------------


def test_01_forged_cache_entries_change_nothing(tree, tmp_path):
    """A cache folder full of forged entries (under the key scheme the old cache used: format,
    versions and text) is never read, and nothing is written to it or to $XDG_CACHE_HOME."""
    from ruamel.yaml import __version__ as ruamel_version

    from harmonize import __version__

    honest = overall(tree)
    cache = tmp_path / "cache"
    for f in tree.rglob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        h = hashlib.sha256(f"1\0{__version__}\0{ruamel_version}\0".encode())
        h.update(text.encode("utf-8"))
        key = h.hexdigest()
        (cache / key[:2]).mkdir(parents=True, exist_ok=True)
        (cache / key[:2] / key).write_bytes(pickle.dumps({"jurisdiction": "forged"}))
    os.mkfifo(cache / "fifo")
    before = sorted(p.name for p in cache.rglob("*"))
    xdg = tmp_path / "xdg"
    env = {"HARMONIZE_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(xdg), "HOME": str(tmp_path / "home")}
    status, out, err = hz("check", tree, "--as-of", AS_OF, "--park", "none", "--format", "json", env=env)
    assert status == 0, err
    assert json.loads(out)["overall"]["score"] == honest
    assert sorted(p.name for p in cache.rglob("*")) == before
    assert not xdg.exists() and not (tmp_path / "home").exists()
