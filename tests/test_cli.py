"""The command line: exit codes, help, and `python -m harmonize`."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO


def test_usage_errors_exit_2(run, tmp_path, monkeypatch):
    assert run()[0] == 2
    assert run("validate", "--format", "xml")[0] == 2
    assert run("no-such-command")[0] == 2
    monkeypatch.chdir(tmp_path)
    status, _, err = run("validate")
    assert status == 2 and "no policies/ folder" in err


def test_version_and_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "harmonize", "--version"], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0 and proc.stdout.startswith("harmonize ")


def test_summary_counts_by_status(run):
    status, out, _ = run("summary", "policies")
    assert status == 0
    assert "verified" in out and "secondary" in out and "unverified" in out
    assert any(line.startswith("vn ") for line in out.splitlines())


def test_summary_on_invalid_tree_is_a_usage_error(tree, run):
    (tree / "vn" / "tax.yaml").write_text("jurisdiction: vn\nprovisions: [", encoding="utf-8")
    status, _, err = run("summary", tree)
    assert status == 2 and "harmonize validate" in err
