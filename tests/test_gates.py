"""CI gates on ``harmonize check``: --fail-under, --baseline (git ref or file), --max-drop, new critical
gaps, lost legal basis; exit codes 0 / 1 / 2 and messages that name the gate and the measure."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import POLICIES, REPO
from gitrepo import AS_OF, branch, git, init_repo, set_field, value_line
from test_formats import sarif_schema

PARK = "ordinary-ip-zone2"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """main: the shipped policies; branches (each a worktree):
    drop     Lao standard VAT 10 → 25 (compatibility falls)
    rise     Lao interest WHT 10 → 5 (Viet Nam's rate: compatibility rises)
    article  a Vietnamese value's article set to null (legal basis lost)
    unverify a Lao value's status set to unverified"""
    root = tmp_path_factory.mktemp("ci")
    r = init_repo(root / "repo")
    wts = {
        "main": r,
        "drop": branch(r, "drop", lambda p: set_field(p, "la", "vat_standard_rate", "value", "25"), "la VAT 25"),
        "rise": branch(r, "rise", lambda p: set_field(p, "la", "wht_interest", "value", "5"), "la WHT interest 5"),
        "article": branch(r, "article", lambda p: set_field(p, "vn", "land_rent_exempt_construction", "article",
                                                            "null"), "article unknown"),
        "unverify": branch(r, "unverify", lambda p: set_field(p, "la", "wht_interest", "status", "unverified"),
                           "status"),
    }
    return wts


def check(run, wt, *args):
    return run("check", wt / "policies", "--as-of", AS_OF, "--park", PARK, *args)


def test_a_drop_past_the_threshold_fails_and_names_the_measure(repo, run):
    code, out, err = check(run, repo["drop"], "--baseline", "main")
    assert code == 1, err
    line = next(x for x in out.splitlines() if x.startswith("FAIL gate/max-drop"))
    assert "vat_standard_rate" in line and "la 10 % → 25 %" in line
    assert "more than --max-drop 0" in line
    assert "PASS gate/legal-basis" in out


def test_a_large_enough_max_drop_passes(repo, run):
    code, out, err = check(run, repo["drop"], "--baseline", "main", "--max-drop", "50", "--allow-new-critical")
    assert code == 0, out + err
    assert "PASS gate/max-drop" in out


def test_a_change_that_raises_compatibility_passes(repo, run):
    code, out, err = check(run, repo["rise"], "--baseline", "main")
    assert code == 0, out + err
    assert "wht_interest: +" in out  # the text names the measure that moved


def test_a_null_article_fails_the_legal_basis_gate(repo, run):
    code, out, err = check(run, repo["article"], "--baseline", "main")
    assert code == 1
    fail = next(x for x in out.splitlines() if x.startswith("FAIL gate/legal-basis"))
    assert "land_rent_exempt_construction" in fail and "Art. 39(2)" in fail
    assert "PASS gate/max-drop" in out  # the score did not move: only the basis did


def test_a_status_dropped_to_unverified_fails_the_legal_basis_gate(repo, run):
    code, out, _ = check(run, repo["unverify"], "--baseline", "main", "--max-drop", "100", "--allow-new-critical")
    assert code == 1
    assert "status dropped from" in out and "wht_interest" in out


def test_baseline_ref_does_not_touch_the_working_tree(repo, run):
    wt = repo["drop"]
    before = git(wt, "status", "--porcelain"), git(wt, "rev-parse", "HEAD"), git(wt, "stash", "list")
    check(run, wt, "--baseline", "main")
    check(run, wt, "--baseline", "HEAD~1")
    assert (git(wt, "status", "--porcelain"), git(wt, "rev-parse", "HEAD"), git(wt, "stash", "list")) == before


def test_fail_under_overall_and_domain(run):
    code, out, _ = run("check", POLICIES, "--as-of", AS_OF, "--park", PARK, "--fail-under", "0", "--fail-under",
                       "tax=0")
    assert code == 0 and "PASS gate/overall" in out and "PASS gate/domain/tax" in out
    code, out, _ = run("check", POLICIES, "--as-of", AS_OF, "--park", PARK, "--fail-under", "100", "--fail-under",
                       "tax=100")
    assert code == 1
    overall = next(x for x in out.splitlines() if x.startswith("FAIL gate/overall"))
    assert "below --fail-under 100" in overall and "responsible:" in overall
    tax = next(x for x in out.splitlines() if x.startswith("FAIL gate/domain/tax"))
    assert "below --fail-under tax=100" in tax


@pytest.mark.parametrize("args", [
    ["--fail-under", "abc"], ["--fail-under", "nosuch=50"], ["--fail-under", "120"],
    ["--max-drop", "1"], ["--baseline", "no-such-ref-xyz"], ["--max-drop", "-1", "--baseline", "HEAD"],
])
def test_bad_gate_arguments_are_usage_errors(run, args):
    code, _, err = run("check", POLICIES, "--as-of", AS_OF, "--park", PARK, *args)
    assert code == 2 and err.startswith("harmonize: ")


def test_a_result_file_baseline_is_like_with_like(repo, run, tmp_path):
    code, out, _ = check(run, repo["main"], "--format", "json")
    saved = tmp_path / "result.json"
    saved.write_text(out, encoding="utf-8")
    # the drop fails against the saved result too; the baseline's date is used and said
    code, out, _ = run("check", repo["drop"] / "policies", "--park", PARK, "--baseline", saved)
    assert code == 1 and "FAIL gate/max-drop" in out and f"as of {AS_OF}: the baseline's date" in out
    # another date would compare unlike results
    code, _, err = run("check", repo["drop"] / "policies", "--park", PARK, "--baseline", saved, "--as-of", "2025-01-01")
    assert code == 2 and "like with like" in err
    # another park than the saved result's
    code, _, err = run("check", repo["drop"] / "policies", "--park", "ez-specific-ez", "--baseline", saved)
    assert code == 2 and PARK in err


def test_a_broken_baseline_file_is_a_usage_error(run, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run("check", POLICIES, "--baseline", bad)
    assert code == 2 and "not JSON" in err


# --- formats of check ----------------------------------------------------------------------------


def test_github_annotation_points_at_the_changed_value(repo, run, monkeypatch):
    wt = repo["drop"]
    monkeypatch.chdir(wt)
    code, out, _ = run("check", "policies", "--as-of", AS_OF, "--park", PARK, "--baseline", "main",
                       "--format", "github")
    assert code == 1
    path, line, col, _ = value_line(wt / "policies", "la", "vat_standard_rate")
    assert f"::error file=policies/la/tax.yaml,line={line},col={col},title=gate/max-drop gate-failed::" in out
    assert "vat_standard_rate" in out


def test_github_annotations_one_per_place_and_none_for_passing_gates(repo, run, monkeypatch):
    wt = repo["drop"]
    monkeypatch.chdir(wt)
    code, out, _ = run("check", "policies", "--as-of", AS_OF, "--baseline", "main", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert not any("gate-passed" in x for x in lines)  # a notice per passing gate is noise
    places = [x.split("::")[1].split(",title=")[0] + x.split("title=")[1].split("::")[0] for x in lines]
    assert len(places) == len(set(places))  # one annotation per rule and place, naming every park
    grouped = [x for x in lines if "gate/max-drop" in x]
    assert grouped and all(f"[{p}" in "".join(grouped) or p in "".join(grouped)
                           for p in ("ez-specific-ez", "lao-bao-densavanh", "ordinary-ip-zone2"))


def test_sarif_is_valid_and_located(repo, run, monkeypatch):
    wt = repo["drop"]
    monkeypatch.chdir(wt)
    code, out, _ = run("check", "policies", "--as-of", AS_OF, "--park", PARK, "--baseline", "main",
                       "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    res = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "gate/max-drop")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "policies/la/tax.yaml", "uriBaseId": "%SRCROOT%"}
    _, line, _, _ = value_line(wt / "policies", "la", "vat_standard_rate")
    assert loc["region"]["startLine"] == line


def test_sarif_without_gates_lists_located_gaps(run, monkeypatch):
    monkeypatch.chdir(POLICIES.parent)
    code, out, _ = run("check", "policies", "--as-of", AS_OF, "--park", PARK, "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    results = log["runs"][0]["results"]
    assert results and all(r["ruleId"].startswith("gap/") for r in results)
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("policies/")
               for r in results if "locations" in r)


def test_junit_has_one_case_per_gate_and_per_measure(repo, run):
    code, out, _ = check(run, repo["drop"], "--baseline", "main", "--format", "junit", "--fail-under", "0")
    assert code == 1
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    cases = suite.findall("testcase")
    code, js, _ = check(run, repo["drop"], "--baseline", "main", "--format", "json", "--fail-under", "0")
    data = json.loads(js)
    n_measures = len(data["parks"][0]["result"]["measures"])
    assert len(data["gates"]) == 4  # overall, max-drop, new-critical, legal-basis
    assert len(cases) == int(suite.get("tests")) == len(data["gates"]) + n_measures
    failures = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures")) == len(failures)
    assert {c.get("name") for c in failures} == {"gate/max-drop", "gate/new-critical", "measure/vat_standard_rate"}
    ids = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(set(ids)) == len(ids)  # stable, unique names: a measure keeps its name passing or failing
    blamed = next(c for c in failures if c.get("name") == "measure/vat_standard_rate")
    assert blamed.get("file").endswith("la/tax.yaml")
    assert not data["passed"]


def test_markdown_summary_names_gates_and_moves(repo, run):
    code, out, _ = check(run, repo["drop"], "--baseline", "main", "--format", "markdown")
    assert code == 1
    assert out.startswith("### harmonize check") and ":x: **" in out
    assert "`gate/max-drop`" in out and "`vat_standard_rate`" in out
    assert "la: 10 % → 25 %" in out


def test_out_writes_the_report_and_keeps_the_exit_code(repo, run, tmp_path):
    dest = tmp_path / "summary.md"
    code, out, err = check(run, repo["drop"], "--baseline", "main", "--format", "markdown", "--out", dest)
    assert code == 1 and out == "" and "gate(s) failed" in err
    assert dest.read_text(encoding="utf-8").startswith("### harmonize check")


def test_help_documents_gates_and_exit_codes(run):
    code, out, _ = run("check", "--help")
    assert code == 0
    for word in ("--fail-under", "--baseline", "--max-drop", "--allow-new-critical", "gate/legal-basis",
                 "exit codes: 0 pass, 1 a gate failed, 2 invalid input"):
        assert word in out


def test_one_park_against_a_baseline_prints_the_compact_delta_not_the_whole_report(run):
    code, out, _ = run("check", POLICIES, "--park", "ordinary-ip-zone2", "--baseline", REPO / "baseline" /
                       "compatibility.json")
    assert code == 0
    assert "ordinary-ip-zone2 (vn:la, as of" in out and "Compatibility of" not in out
    code, out, _ = run("check", POLICIES, "--park", "ordinary-ip-zone2", "--fail-under", "1")
    assert "Compatibility of" in out  # no baseline: the park's report is the content
