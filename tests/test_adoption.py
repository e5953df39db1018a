"""End to end, as a policy repository adopts harmonize: scaffold it with `harmonize init`, install the
tool the way the action does, and run the action's own steps (parsed from action.yml) on pull
requests, plus the pre-commit hook. This is what the README's CI section and the example workflow
promise."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import POLICIES, REPO
from gitrepo import ENV, git, value_line

ACTION = REPO / "action.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
AS_OF = "2026-06-01"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _yaml(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, str]:
    """harmonize installed from a copy of this checkout, as the action's install step does
    (`python -m pip install "$GITHUB_ACTION_PATH"`), offline: the dependencies are this environment's."""
    base = tmp_path_factory.mktemp("install")
    src, target = base / "src", base / "site"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "reports", ".hypothesis", ".pytest_cache", "*.egg-info", "build", "__pycache__"))
    step = next(s for s in _yaml(ACTION)["runs"]["steps"] if s.get("name") == "Install harmonize")
    assert step["run"].startswith("python -m pip install")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "--no-deps", "--target", str(target), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "HARMONIZE_"))}
    env.update(ENV)
    env.update({"PATH": f"{target / 'bin'}{os.pathsep}{env.get('PATH', '')}", "PYTHONPATH": str(target)})
    where = subprocess.run(["harmonize", "--version"], env=env, capture_output=True, text=True, cwd=base)
    assert where.returncode == 0, where.stderr
    mod = subprocess.run([sys.executable, "-c", "import harmonize; print(harmonize.__file__)"], env=env,
                         capture_output=True, text=True, cwd=base)
    assert Path(mod.stdout.strip()).is_relative_to(target), "the installed copy must be the one that runs"
    return env


def sh(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env={**env, "HOME": str(cwd.parent)}, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture()
def repo(tmp_path, installed) -> Path:
    """A policy repository scaffolded by `harmonize init`, holding the shipped law and its accepted
    baseline, committed on main."""
    repo = tmp_path / "law"
    out = sh(["harmonize", "init", str(repo), "--action", "example/harmonize@v0"], tmp_path, installed)
    assert out.returncode == 0, out.stderr
    for item in POLICIES.iterdir():
        if item.is_dir():
            shutil.copytree(item, repo / "policies" / item.name, dirs_exist_ok=True)
    assert sh(["git", "init", "-q", "-b", "main"], repo, installed).returncode == 0
    out = sh(["harmonize", "baseline", "update", "--as-of", AS_OF], repo, installed)
    assert out.returncode == 0, out.stdout + out.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the law and its accepted baseline")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def run_action(repo: Path, env: dict[str, str], **inputs: str) -> dict[str, subprocess.CompletedProcess]:
    """The action's steps as GitHub runs them (bash -eo pipefail; a step after a failure runs only when
    its condition says !cancelled()), with its inputs; the setup and install steps are the fixture's."""
    action = _yaml(ACTION)
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    values["target"] = "main"  # on GitHub, origin/main; this repository has no remote
    values.update(inputs)
    summary = repo.parent / "step-summary.md"
    results, failed = {}, False
    for step in action["runs"]["steps"]:
        if "run" not in step or step.get("name") == "Install harmonize":
            continue
        cond = step.get("if", "")
        if failed and "!cancelled()" not in cond:
            continue
        if "inputs.report == 'true'" in cond and values["report"] != "true":
            continue
        step_env = {k: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(v))
                    for k, v in (step.get("env") or {}).items()}
        proc = sh(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], repo,
                  {**env, **step_env, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_BASE_REF": "main",
                   "GITHUB_ACTION_PATH": str(REPO)})
        results[step["name"]] = proc
        failed = failed or proc.returncode != 0
    return results


def _lower_compatibility(repo: Path, env: dict[str, str]) -> tuple[str, int]:
    """Move one scored rate of the second side far from the first side's; (file, line) of the edit."""
    out = sh(["harmonize", "check", "--park", "ordinary-ip-zone2", "--as-of", AS_OF, "--format", "json"], repo, env)
    result = json.loads(out.stdout)
    for m in result["measures"]:
        a, b = m["a"]["value"], m["b"]["value"]
        if not (m["scored"] and m["similarity"] > 0.5 and a and b and isinstance(a.get("value"), (int, float))
                and not isinstance(a.get("value"), bool) and m["b"]["jurisdiction"] == "la"):
            continue
        new = 0 if a["value"] > 50 else 99
        path, line, _, _ = value_line(repo / "policies", "la", b["provision"])
        lines = path.read_text(encoding="utf-8").split("\n")
        for k in range(line - 1, line + 3):
            if re.search(r"\bvalue: [0-9.]+", lines[k]):
                lines[k] = re.sub(r"(\bvalue: )[0-9.]+", rf"\g<1>{new}", lines[k], count=1)
                path.write_text("\n".join(lines), encoding="utf-8")
                return path.relative_to(repo).as_posix(), k + 1
    raise AssertionError("no scored numeric measure to move")


def test_a_change_that_lowers_compatibility_is_red_and_annotated_at_its_line(repo, installed):
    file, line = _lower_compatibility(repo, installed)
    git(repo, "commit", "-q", "-am", "lower a rate")
    steps = run_action(repo, installed)
    assert steps["Validate the policy files"].returncode == 0
    gate = steps["Gate on the accepted baseline"]
    assert gate.returncode == 1, gate.stdout + gate.stderr
    assert f"::error file={file},line={line}" in gate.stdout
    assert steps["Summary against the target branch (not gated)"].returncode == 0  # reported, not gated
    assert "harmonize diff" in (repo.parent / "step-summary.md").read_text(encoding="utf-8")


def test_the_same_change_with_the_baseline_updated_is_green(repo, installed):
    _lower_compatibility(repo, installed)
    assert sh(["harmonize", "baseline", "update"], repo, installed).returncode == 0
    git(repo, "commit", "-q", "-am", "lower a rate; accept its effect")
    steps = run_action(repo, installed)
    assert {name: p.returncode for name, p in steps.items()} == dict.fromkeys(steps, 0), \
        {n: p.stdout[-2000:] + p.stderr[-2000:] for n, p in steps.items() if p.returncode}
    assert (repo / "reports" / "report.en.html").is_file()


def test_deleting_a_park_is_red(repo, installed):
    (repo / "policies" / "parks" / "ordinary-ip-zone2.yaml").unlink()
    git(repo, "commit", "-q", "-am", "drop a park")
    steps = run_action(repo, installed)
    gate = steps["Gate on the accepted baseline"]
    assert gate.returncode == 1, gate.stdout + gate.stderr
    assert "gate/park-removed" in gate.stdout and "ordinary-ip-zone2" in gate.stdout


def test_a_shallow_clone_gets_a_hint(repo, installed, tmp_path):
    clone = tmp_path / "shallow"
    out = sh(["git", "clone", "-q", "--depth", "1", "--single-branch", "--branch", "pr", repo.as_uri(), str(clone)],
             tmp_path, installed)
    assert out.returncode == 0, out.stderr
    out = sh(["harmonize", "check", "--baseline", "origin/main"], clone, installed)
    assert out.returncode == 2
    assert "shallow" in out.stderr and "fetch-depth: 0" in out.stderr


def test_the_pre_commit_hook_fails_a_commit_that_breaks_another_file(repo, installed):
    config = _yaml(repo / ".pre-commit-config.yaml")
    ids = [h["id"] for r in config["repos"] for h in r["hooks"]]
    hook = next(h for h in _yaml(HOOKS) if h["id"] in ids)
    instruments = repo / "policies" / "la" / "instruments.yaml"
    text = instruments.read_text(encoding="utf-8")
    m = re.search(r"^  (la-[a-z0-9-]+):\n", text, re.M)
    end = text.index("\n  la-", m.end()) + 1
    instruments.write_text(text[:m.start()] + text[end:], encoding="utf-8")
    git(repo, "add", "-A")
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert staged == ["policies/la/instruments.yaml"] and re.search(hook["files"], staged[0])
    argv = hook["entry"].split() + ([] if hook["pass_filenames"] is False else staged)
    out = sh(argv, repo, installed)
    assert out.returncode == 1
    assert any(line.split(":")[0] != "policies/la/instruments.yaml" and m.group(1) in line
               for line in out.stdout.splitlines())
