"""The YAML test suite's 402 inputs: every one gets a clean, located message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, YAML_TEST_SUITE, problems
from harmonize.cli.validate import collect

INPUTS = sorted(YAML_TEST_SUITE.rglob("in.yaml")) if YAML_TEST_SUITE.is_dir() else []
pytestmark = pytest.mark.skipif(not INPUTS, reason="shared/data/yaml-test-suite is not beside the repo")


def test_corpus_is_complete():
    assert len(INPUTS) == 402


def test_every_input_gets_a_located_message():
    # None of these is a policy file, so each must get at least one problem, located in the file.
    for path in INPUTS:
        diagnostics, checked = collect([path])
        assert len(checked) == 1
        assert diagnostics, path
        lines = path.read_bytes().count(b"\n") + 1
        for d in diagnostics:
            assert 1 <= d.line <= lines + 1 and d.column >= 1, (path, d)
            assert "\n" not in d.format()


# Inputs the spec marks invalid that libyaml (ruamel.yaml's C parser) accepts; they still get a
# located schema error because none is a policy file. A parser fix may shrink this set, never grow it.
LIBYAML_LENIENT = {
    "9C9N", "9JBA", "CVW2", "DK95/01", "G5U8", "MUS6/00", "QB6E", "S98Z", "SU5Z", "X4QW", "Y79Y/003", "YJV2",
}


def test_inputs_marked_error_get_a_yaml_level_error():
    lenient = set()
    for path in INPUTS:
        if (path.parent / "error").exists():
            codes = {d.code for d in collect([path])[0]}
            if not codes & {"Y110", "Y111", "Y112", "Y113", "Y114", "Y115"}:
                assert codes, path
                lenient.add(path.parent.relative_to(YAML_TEST_SUITE).as_posix())
    assert lenient <= LIBYAML_LENIENT, sorted(lenient - LIBYAML_LENIENT)


def test_whole_corpus_through_the_real_command():
    proc = subprocess.run(
        [sys.executable, "-m", "harmonize", "validate", str(YAML_TEST_SUITE)],
        capture_output=True, text=True, timeout=300, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert "Traceback" not in proc.stdout
    assert len({p[0] for p in problems(proc.stdout)}) == 402
