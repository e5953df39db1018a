"""``harmonize diff BASE [HEAD]``: every changed value with both legal bases, per-park score and gap
movements, every format, exit codes."""

from __future__ import annotations

import json
import shutil
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import POLICIES
from gitrepo import AS_OF, branch, git, init_repo, set_field, value_line
from test_formats import sarif_schema


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """main: the shipped policies; branch 'change': Lao dividend WHT 10 → 25 (the text's example)."""
    r = init_repo(tmp_path_factory.mktemp("diff") / "repo")
    wt = branch(r, "change", lambda p: set_field(p, "la", "wht_dividends", "value", "25"), "la dividends 25")
    return r, wt


def diff(run, wt, *args):
    return run("diff", *args, "--policies", wt / "policies", "--as-of", AS_OF)


def test_lists_exactly_the_changed_value_with_both_legal_bases(repo, run):
    _, wt = repo
    code, out, err = diff(run, wt, "main", "HEAD", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["different"] is True and data["items"] == []
    [v] = data["values"]
    assert (v["jurisdiction"], v["provision"], v["measure"], v["change"]) == ("la", "wht_dividends",
                                                                              "wht_dividends", "changed")
    assert v["fields"] == ["value"] and v["before"]["value"] == 10 and v["after"]["value"] == 25
    for side in ("before", "after"):
        assert v[side]["instrument"] == "la-income-tax-law-2019" and v[side]["number"]
        assert "article" in v[side] and v[side]["from"] and v[side]["status"] == "verified"
    assert v["basis_lost"] == []
    # per park: the movement it causes (engine.delta), by measure
    assert {p["park"] for p in data["parks"]} == {"ez-specific-ez", "lao-bao-densavanh", "ordinary-ip-zone2",
                                                  "moc-bai-bavet", "triangle-bo-y.kh-la", "triangle-bo-y.kh-vn",
                                                  "triangle-bo-y.la-vn"}
    for p in data["parks"]:
        moved = [m["measure"] for m in p["delta"]["measures"]]
        assert moved == (["wht_dividends"] if "la" in p["pair"] else []), p["park"]


def test_text_shows_old_and_new_value_and_both_bases(repo, run):
    _, wt = repo
    code, out, _ = diff(run, wt, "main", "--no-scores")  # HEAD: the working tree's policies
    assert code == 0
    assert "la wht_dividends (measure wht_dividends) value changed: 10 % → 25 %" in out
    assert out.count("67/NA") == 2  # before: and after: lines, instrument number
    assert "before:" in out and "after:" in out


def test_a_score_drop_is_shown_per_park(repo, run, tmp_path):
    head = tmp_path / "policies"
    shutil.copytree(POLICIES, head)
    set_field(head, "la", "vat_standard_rate", "value", "25")
    code, out, _ = run("diff", POLICIES, head, "--as-of", AS_OF, "--park", "ordinary-ip-zone2")
    assert code == 0
    assert "park ordinary-ip-zone2" in out and "measure vat_standard_rate: −" in out


def test_exit_code(repo, run):
    _, wt = repo
    assert diff(run, wt, "main", "HEAD", "--exit-code", "--no-scores")[0] == 1
    assert diff(run, wt, "main", "main", "--exit-code")[0] == 0
    code, out, _ = diff(run, wt, "HEAD", "HEAD", "--exit-code")
    assert code == 0 and "No value, provision, instrument or measure changed." in out


def test_folders_and_bad_input(run, tmp_path):
    assert run("diff", POLICIES, POLICIES, "--no-scores")[0] == 0
    code, _, err = run("diff", "no-such-ref-xyz", POLICIES, "--policies", POLICIES)
    assert code == 2 and "no-such-ref-xyz" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("diff", empty, POLICIES)
    assert code == 2 and "catalogue.yaml" in err


def test_removed_provision_and_instrument_are_listed_and_lose_their_basis(run, tmp_path):
    head = tmp_path / "policies"
    shutil.copytree(POLICIES, head)
    text = (head / "la" / "tax.yaml").read_text(encoding="utf-8")
    start = text.index("  wht_interest:")
    end = text.index("\n  wht_", start + 5)
    (head / "la" / "tax.yaml").write_text(text[:start] + text[end + 1:], encoding="utf-8")
    code, out, _ = run("diff", POLICIES, head, "--no-scores", "--format", "json")
    data = json.loads(out)
    assert {"kind": "provision", "jurisdiction": "la", "id": "wht_interest", "change": "removed"}.items() <= \
        next(i for i in data["items"] if i["id"] == "wht_interest").items()
    removed = [v for v in data["values"] if v["provision"] == "wht_interest"]
    assert removed and all(v["change"] == "removed" and v["basis_lost"] for v in removed)


def test_github_annotation_points_at_the_changed_value(repo, run, monkeypatch):
    _, wt = repo
    monkeypatch.chdir(wt)
    code, out, _ = run("diff", "main", "--as-of", AS_OF, "--format", "github")
    assert code == 0
    _, line, col, _ = value_line(wt / "policies", "la", "wht_dividends")
    assert f"::notice file=policies/la/tax.yaml,line={line},col={col},title=value/changed value-changed::" in out


def test_sarif_is_valid_and_located(repo, run, monkeypatch):
    _, wt = repo
    monkeypatch.chdir(wt)
    code, out, _ = run("diff", "main", "--as-of", AS_OF, "--format", "sarif")
    log = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    res = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "value/changed")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "policies/la/tax.yaml"
    assert loc["region"]["startLine"] == value_line(wt / "policies", "la", "wht_dividends")[1]


def test_junit_and_markdown(repo, run):
    _, wt = repo
    code, out, _ = diff(run, wt, "main", "HEAD", "--format", "junit", "--no-scores")
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert int(suite.get("tests")) == len(suite.findall("testcase")) == 1
    assert int(suite.get("failures")) == 0
    code, out, _ = diff(run, wt, "main", "HEAD", "--format", "markdown")
    assert out.startswith("### harmonize diff")
    row = next(x for x in out.splitlines() if x.startswith("| la | `wht_dividends`"))
    assert "10 %" in row and "25 %" in row and row.count("67/NA") == 2
    assert "#### Park ordinary-ip-zone2" in out


def test_the_working_tree_is_untouched(repo, run):
    r, wt = repo
    before = [git(x, "status", "--porcelain") for x in (r, wt)], git(wt, "rev-parse", "HEAD")
    diff(run, wt, "main", "HEAD~1", "--no-scores")
    assert ([git(x, "status", "--porcelain") for x in (r, wt)], git(wt, "rev-parse", "HEAD")) == before


def test_both_refs_are_named_as_in_the_repository_with_the_changed_lines(repo, run, monkeypatch):
    # diff main HEAD reads both sides from git into temporary folders; every format must still name
    # the repository's files, at the lines of the side that changed (not a deleted temporary folder)
    _, wt = repo
    monkeypatch.chdir(wt)
    path, line, _, _ = value_line(wt / "policies", "la", "wht_dividends")
    for extra in ([], ["--no-scores"]):
        code, out, _ = run("diff", "main", "HEAD", "--as-of", AS_OF, "--format", "github", *extra)
        assert code == 0
        assert "/tmp" not in out and "harmonize-base" not in out
        assert f"::notice file=policies/la/tax.yaml,line={line}," in out
        code, out, _ = run("diff", "main", "HEAD", "--as-of", AS_OF, *extra)
        assert f"policies/la/tax.yaml:{line}:" in out
    code, out, _ = run("diff", "main", "HEAD", "--as-of", AS_OF, "--format", "json", "--no-scores")
    assert json.loads(out)["values"][0]["file"] == "policies/la/tax.yaml"  # as check names files
    # the score annotations point at the Lao value that changed, not at the Vietnamese one
    code, out, _ = run("diff", "main", "HEAD", "--as-of", AS_OF, "--format", "github")
    scores = [x for x in out.splitlines() if "score-moved" in x]
    assert scores and all(f"file=policies/la/tax.yaml,line={line}," in x for x in scores)
    levels = [x.split(" ", 1)[0] for x in scores]
    assert len(levels) == len(set(levels))  # one annotation per place and level, naming every park
    assert all(f"[{p}]" in scores[0] for p in ("ez-specific-ez", "lao-bao-densavanh", "ordinary-ip-zone2"))
    assert any("[triangle-bo-y.kh-la]" in x for x in scores)  # a park of three's pair with Laos moves too


def test_a_change_of_dates_only_says_so(tmp_path, run):
    base = tmp_path / "base"
    shutil.copytree(POLICIES, base)
    head = tmp_path / "head"
    shutil.copytree(POLICIES, head)
    text = (head / "la" / "tax.yaml").read_text(encoding="utf-8")
    assert "until: 2024-04-30" in text
    (head / "la" / "tax.yaml").write_text(text.replace("until: 2024-04-30", "until: 2024-04-29", 1), encoding="utf-8")
    for fmt in ("text", "markdown", "github"):
        code, out, _ = run("diff", base, head, "--no-scores", "--format", fmt)
        assert code == 0
        assert "until 2024-04-30 → 2024-04-29" in out
        assert "7 % → 7 %" not in out and "7 %25 → 7 %25" not in out


def test_every_score_diff_prints_comes_with_its_bounds_and_coverage(repo, run):
    _, wt = repo
    for fmt in ("text", "markdown"):
        code, out, _ = diff(run, wt, "main", "HEAD", "--format", fmt)
        assert code == 0
        assert out.count("coverage") >= 3 and "[" in out  # one per park: score [lower–upper], coverage
