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

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "harmonize.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
CI_RUN = REPO / ".ci" / "run"


def _yaml(path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


ACTION = REPO / "action.yml"


def _schema(name):
    return json.loads(resources.files("check_jsonschema").joinpath(
        f"builtin_schemas/vendor/{name}.json").read_text(encoding="utf-8"))


def _validate(schema, data):
    jsonschema.validators.validator_for(schema)(schema).validate(data)


def test_workflow_and_action_are_valid_against_schemastore():
    _validate(_schema("github-workflows"), _yaml(WORKFLOW))
    _validate(_schema("github-actions"), _yaml(ACTION))


def test_the_action_gates_on_the_accepted_baseline_and_reports_the_target():
    action = _yaml(ACTION)
    assert action["runs"]["using"] == "composite"
    steps = {s.get("name", s.get("uses")): s for s in action["runs"]["steps"]}
    assert '"$GITHUB_ACTION_PATH"' in steps["Install harmonize"]["run"]  # installs itself, at the tag used
    assert "harmonize validate" in steps["Validate the policy files"]["run"]
    gate = steps["Gate on the accepted baseline"]
    assert '--baseline "$BASELINE" --format github' in gate["run"] and "if" not in gate
    summary = steps["Summary against the target branch (not gated)"]
    assert '|| [ "$?" -eq 1 ]' in summary["run"]  # a failed gate against the target is reported, not gated
    assert "harmonize diff" in summary["run"] and "GITHUB_STEP_SUMMARY" in summary["run"]


def test_example_workflow_uses_the_action():
    wf = _yaml(WORKFLOW)
    assert "pull_request" in wf["on"]
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the target branch's history, for the summary against it
    assert any(s.get("uses") == "./" for s in steps)
    assert "gh pr comment" in "\n".join(s.get("run", "") for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == "reports"


def test_pre_commit_hook_validates_the_whole_tree():
    hooks = _yaml(HOOKS)
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["id"] == "harmonize-validate" and hook["entry"] == "harmonize validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("policies/la/tax.yaml", "policies/vn/land.yml", "policies/parks/ordinary-ip-zone2.yaml",
                 "baseline/compatibility.json"):
        assert files.search(path)
    for path in ("policies/README.md", "schema/policy.schema.json", "tests/policies/x.yaml"):
        assert not files.search(path)


def _hook_argv():
    hook = _yaml(HOOKS)[0]
    return shlex.split(hook["entry"])[1:]  # what pre-commit runs (no file names), minus the program


def test_the_hook_passes_the_shipped_tree(run, monkeypatch):
    monkeypatch.chdir(REPO)
    code, out, err = run(*_hook_argv())
    assert code == 0, out + err
    # R317 warnings (verified values on low-tier sources) are listed but never fail the hook
    assert any(line.startswith("All ") and line.endswith("files valid.") for line in out.splitlines()), out
    assert all(" R317 " in line for line in out.splitlines() if ": R" in line or ": S" in line or ": Y" in line)


def test_the_hook_fails_a_commit_that_breaks_another_file(run, tree, monkeypatch):
    # the staged change is to instruments.yaml; the files it breaks are the ones citing the instrument
    text = (tree / "la" / "instruments.yaml").read_text(encoding="utf-8")
    m = re.search(r"^  (la-[a-z0-9-]+):\n", text, re.M)
    cited = m.group(1)
    end = text.index("\n  la-", m.end()) + 1
    (tree / "la" / "instruments.yaml").write_text(text[:m.start()] + text[end:], encoding="utf-8")
    monkeypatch.chdir(tree.parent)
    code, out, _ = run(*_hook_argv())
    assert code == 1
    broken = [line for line in out.splitlines() if "R301" in line and cited in line]
    assert broken and not all(line.startswith("policies/la/instruments.yaml") for line in broken)


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
