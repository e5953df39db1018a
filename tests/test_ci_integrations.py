"""The CI integrations: the pre-commit hook, the example GitHub workflow, .ci/run, the README's CI section."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from importlib import resources

import jsonschema
from ruamel.yaml import YAML

from conftest import REPO, replace_once

WORKFLOW = REPO / ".github" / "workflows" / "harmonize.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
CI_RUN = REPO / ".ci" / "run"


def _yaml(path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_workflow_is_valid_against_schemastore():
    schema = json.loads(resources.files("check_jsonschema").joinpath(
        "builtin_schemas/vendor/github-workflows.json").read_text(encoding="utf-8"))
    workflow = _yaml(WORKFLOW)
    cls = jsonschema.validators.validator_for(schema)
    cls(schema).validate(workflow)


def test_workflow_does_what_the_drafters_need():
    wf = _yaml(WORKFLOW)
    assert "pull_request" in wf["on"]
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the main branch's history, for --baseline origin/main
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "harmonize validate policies --format github" in runs
    assert "harmonize check --baseline origin/main --format github" in runs
    assert "--format markdown" in runs and '>> "$GITHUB_STEP_SUMMARY"' in runs
    assert "gh pr comment" in runs
    assert "harmonize report --format html --out-dir reports" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == "reports"


def test_pre_commit_hook_definition():
    hooks = _yaml(HOOKS)
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["id"] == "harmonize-validate" and hook["entry"] == "harmonize validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for path in ("policies/la/tax.yaml", "policies/vn/land.yml", "policies/parks/ordinary-ip-zone2.yaml"):
        assert files.search(path)
    for path in ("policies/README.md", "schema/policy.schema.json", "tests/policies/x.yaml"):
        assert not files.search(path)


def _hook_argv(filenames):
    hook = _yaml(HOOKS)[0]
    return shlex.split(hook["entry"])[1:] + list(filenames)  # what pre-commit runs, minus the program


def test_the_hook_accepts_the_filenames_pre_commit_passes(run, monkeypatch):
    monkeypatch.chdir(REPO)
    files = ["policies/la/tax.yaml", "policies/vn/land.yaml", "policies/parks/ordinary-ip-zone2.yaml",
             "policies/catalogue.yaml"]
    code, out, err = run(*_hook_argv(files))
    assert code == 0, out + err
    assert f"All {len(files)} files valid." in out


def test_the_hook_reports_a_broken_staged_file(run, tree, monkeypatch):
    replace_once(tree / "la" / "tax.yaml", "status: verified", "stauts: verified")
    monkeypatch.chdir(tree.parent)
    code, out, _ = run(*_hook_argv(["policies/la/tax.yaml", "policies/vn/tax.yaml"]))
    assert code == 1 and out.startswith("policies/la/tax.yaml:") and "S201" in out


def test_ci_run_dogfoods_without_hiding_failures():
    assert os.access(CI_RUN, os.X_OK)
    text = CI_RUN.read_text(encoding="utf-8")
    lines = [x.strip() for x in text.splitlines() if x.strip() and not x.strip().startswith("#")]
    assert lines[0] == "set -euo pipefail"
    commands = [x for x in lines[1:] if not x.startswith("cd ")]
    assert commands[0] == "make test"
    assert ".venv/bin/harmonize validate policies" in commands
    assert ".venv/bin/harmonize check --baseline baseline/compatibility.json" in commands
    for hiding in ("|| true", "|| :", "set +e", "2>/dev/null", "|| exit 0"):
        assert hiding not in text
    subprocess.run(["bash", "-n", str(CI_RUN)], check=True)


def test_readme_documents_ci():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## CI"):]
    for word in ("--baseline", "--fail-under", "--max-drop", "harmonize diff", "baseline update",
                 ".pre-commit-hooks.yaml", "exit"):
        assert word in section
