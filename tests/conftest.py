"""Shared helpers: run the CLI in-process and work on throw-away copies of the shipped policies."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from harmonize.cli import main

REPO = Path(__file__).resolve().parent.parent
POLICIES = REPO / "policies"
YAML_TEST_SUITE = REPO.parent / "shared" / "data" / "yaml-test-suite"


@pytest.fixture
def run(capsys):
    """Run ``harmonize ARGS`` in-process; returns (exit code, stdout, stderr)."""

    def _run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def tree(tmp_path) -> Path:
    """A private copy of the shipped policy tree."""
    dest = tmp_path / "policies"
    shutil.copytree(POLICIES, dest)
    return dest


@pytest.fixture(scope="session")
def shipped_reports(tmp_path_factory) -> Path:
    """The shipped policies' reports in every format and language, made once for the test files that
    read them (the browser tests, the charts)."""
    from test_report import AS_OF

    out = tmp_path_factory.mktemp("shipped-reports")
    assert main(["report", str(POLICIES), "--as-of", AS_OF, "--out-dir", str(out), "--format", "all",
                 "--lang", "all"]) == 0
    return out


def position(path: Path, snippet: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column where ``snippet`` starts (its n-th occurrence) in a file."""
    text = path.read_text(encoding="utf-8")
    index = -1
    for _ in range(occurrence):
        index = text.index(snippet, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(out: str) -> list[tuple[str, int, int, str, str]]:
    """Parse ``path:line:col: CODE message`` lines."""
    rows = []
    for line in out.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit():
            code, _, message = parts[3].strip().partition(" ")
            rows.append((parts[0], int(parts[1]), int(parts[2]), code, message))
    return rows


# Runs ``python -m harmonize`` and, at exit, writes the process's own peak RSS (VmHWM, KiB) to the file named
# first. Not ru_maxrss: Linux carries the parent's high-water mark across the fork (vfork) and exec into the
# child's ru_maxrss, so a test worker that has grown past a limit would fail every memory test it starts.
_MEASURED = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def _peak():
    try:
        with open('/proc/self/status') as f:
            hwm = next((l.split()[1] for l in f if l.startswith('VmHWM:')), None)
    except OSError:
        return
    if hwm is not None:
        with open(out, 'w') as f:
            f.write(hwm)
atexit.register(_peak)
runpy.run_module('harmonize', run_name='__main__', alter_sys=True)
"""


def run_measured(args, timeout: float = 120, cwd: Path = REPO, env: dict | None = None):
    """``python -m harmonize ARGS`` as a real process: (exit code, stdout, stderr, its own peak RSS in KiB,
    its CPU seconds). The peak is the process's own (VmHWM, read by itself at exit; ru_maxrss where /proc
    is missing), the CPU from wait4 on that process alone (RUSAGE_CHILDREN would also count any earlier
    child of the test run)."""
    import subprocess
    import sys
    import time

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".peak") as peak:
        proc = subprocess.Popen([sys.executable, "-c", _MEASURED, peak.name, *map(str, args)], stdout=out,
                                stderr=err, cwd=cwd, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise TimeoutError(f"harmonize {' '.join(map(str, args))} took over {timeout} s")
            time.sleep(0.005)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        own = Path(peak.name).read_text().strip()
        return (proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                int(own) if own.isdigit() else usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
