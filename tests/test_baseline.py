"""The accepted baseline: ``harmonize baseline update|show``, its file format, and checks against it."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import POLICIES, REPO
from gitrepo import AS_OF, git, init_repo, set_field
from harmonize.gates.baseline import FORMAT, load_baseline


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A baseline of a private copy of the policies, made with the CLI in a git repository."""
    from harmonize.cli import main

    r = init_repo(tmp_path_factory.mktemp("bl") / "repo")
    dest = r / "baseline" / "compatibility.json"
    assert main(["baseline", "update", str(r / "policies"), "--file", str(dest), "--as-of", AS_OF]) == 0
    return r, dest


def test_the_file_is_deterministic_and_round_trips(saved, run):
    r, dest = saved
    text = dest.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == FORMAT and data["as_of"] == AS_OF
    assert json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n" == text  # sorted keys
    # the summary is what a reviewer's diff shows: small; the full results live beside it
    assert len(text) < 20_000 and "results" not in data and "values" not in data
    full_file = dest.with_name(data["full"]["file"])
    full = json.loads(full_file.read_text(encoding="utf-8"))
    parks = {"ez-specific-ez", "lao-bao-densavanh", "ordinary-ip-zone2", "moc-bai-bavet",
             "triangle-bo-y.kh-la", "triangle-bo-y.kh-vn", "triangle-bo-y.la-vn"}
    assert set(full["results"]) == set(data["summary"]) == parks
    assert all({"overall", "bounds", "coverage", "gaps"} <= set(v) for v in data["summary"].values())
    assert data["policies"]["commit"] == git(r, "rev-parse", "HEAD")  # clean tree: the commit is recorded
    assert data["policies"]["digest"].startswith("sha256:")
    assert "wht_dividends" in full["values"]["jurisdictions"]["la"]["provisions"]
    b = load_baseline(dest)
    for key, result in b.results.items():
        assert json.loads(result.to_json()) == full["results"][key]  # CheckResult round trip
        assert str(result.as_of) == AS_OF
    # again: byte for byte the same (no timestamps), nothing left behind by the atomic write
    code, out, _ = run("baseline", "update", r / "policies", "--file", dest)  # the pinned date is kept
    assert code == 0 and "unchanged" in out and f"as of {AS_OF}" in out
    assert dest.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in dest.parent.iterdir()) == ["compatibility.full.json", "compatibility.json"]


def test_a_full_file_that_does_not_match_its_summary_is_refused(saved, run, tmp_path):
    import shutil

    shutil.copytree(saved[1].parent, tmp_path / "baseline")
    dest = tmp_path / "baseline" / "compatibility.json"
    full_file = dest.with_name("compatibility.full.json")
    full_file.write_text(full_file.read_text(encoding="utf-8").replace('"score": ', '"score": 1', 1),
                         encoding="utf-8")
    code, _, err = run("check", "--baseline", dest)
    assert code == 2 and "SHA-256" in err and "baseline update" in err
    full_file.unlink()
    code, _, err = run("check", "--baseline", dest)
    assert code == 2 and "cannot be read" in err


def test_check_against_the_baseline_file(saved, run, tmp_path):
    r, dest = saved
    code, out, err = run("check", r / "policies", "--baseline", dest)
    assert code == 0, out + err
    assert out.count("PASS gate/max-drop") == 7  # every park of the file (a park of three: its three pairs)
    assert "the policies are the baseline's" in out and f"as of {AS_OF}: the baseline's date" in out
    # a drop fails against the file, named
    head = tmp_path / "policies"
    shutil.copytree(r / "policies", head)
    set_field(head, "la", "vat_standard_rate", "value", "25")
    code, out, _ = run("check", head, "--baseline", dest, "--park", "ordinary-ip-zone2")
    assert code == 1 and "FAIL gate/max-drop [ordinary-ip-zone2]" in out and "vat_standard_rate" in out
    # the file keeps every value's basis: a lost article is found without a git ref
    head2 = tmp_path / "p2" / "policies"
    shutil.copytree(r / "policies", head2)
    set_field(head2, "vn", "land_rent_exempt_construction", "article", "null")
    code, out, _ = run("check", head2, "--baseline", dest)
    assert code == 1 and "FAIL gate/legal-basis" in out


def test_update_after_a_change_shows_in_the_file_diff(saved, run, tmp_path):
    r, dest = saved
    work = tmp_path / "copy"
    shutil.copytree(r, work)
    git(work, "add", "baseline")
    git(work, "commit", "-q", "-m", "accept the baseline")
    set_field(work / "policies", "la", "vat_standard_rate", "value", "25")
    code, out, _ = run("baseline", "update", work / "policies", "--file", work / "baseline" / "compatibility.json")
    assert code == 0 and "updated" in out
    data = json.loads((work / "baseline" / "compatibility.json").read_text(encoding="utf-8"))
    assert data["policies"]["commit"] is None  # the change is not committed yet
    before = json.loads(dest.read_text(encoding="utf-8"))
    assert data["summary"]["ordinary-ip-zone2"]["overall"] < before["summary"]["ordinary-ip-zone2"]["overall"]
    diff = git(work, "diff", "--", "baseline/compatibility.json")
    # reviewers see the score move in the rounded summary at the top of the file
    assert any(x.startswith("-") and '"overall"' in x for x in diff.splitlines())
    assert any(x.startswith("+") and '"vat_standard_rate"' in x for x in diff.splitlines())


def test_show(saved, run):
    _, dest = saved
    code, out, _ = run("baseline", "show", "--file", dest)
    assert code == 0 and f"as of {AS_OF}" in out and "ordinary-ip-zone2 (vn:la): overall" in out
    code, out, _ = run("baseline", "show", "--file", dest, "--format", "json")
    assert json.loads(out)["as_of"] == AS_OF


def test_usage_errors(run, tmp_path):
    assert run("baseline")[0] == 2
    assert run("baseline", "show", "--file", tmp_path / "none.json")[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "harmonize-baseline/2"}', encoding="utf-8")
    code, _, err = run("baseline", "show", "--file", bad)
    assert code == 2 and "no results" in err


def test_an_old_baseline_gets_a_clear_message_and_migrates(run, tmp_path):
    # issue 11 changed what a score means: an old file is not compared, it is re-accepted
    old = tmp_path / "old.json"
    old.write_text('{"format": "harmonize-baseline/1", "as_of": "2026-01-01", "results": {"x": {}}}',
                   encoding="utf-8")
    code, _, err = run("baseline", "show", "--file", old)
    assert code == 2 and "older harmonize" in err and "harmonize baseline update" in err
    assert "Traceback" not in err
    code, _, err = run("check", POLICIES, "--baseline", old)
    assert code == 2 and "older harmonize" in err and "Traceback" not in err
    result = tmp_path / "result.json"
    result.write_text('{"schema_version": "1.0", "pair": ["vn", "la"]}', encoding="utf-8")
    code, _, err = run("check", POLICIES, "--baseline", result)
    assert code == 2 and "schema 1.0" in err
    code, out, _ = run("baseline", "update", POLICIES, "--file", old)
    assert code == 0 and "older baseline format" in out and "2026-01-01" in out
    assert load_baseline(old).as_of.isoformat() == "2026-01-01"
    assert run("baseline", "update", POLICIES, "--file", tmp_path / "x.json", "--as-of", "soon")[0] == 2


def test_the_committed_baseline_is_pinned_and_loadable():
    b = load_baseline(REPO / "baseline" / "compatibility.json")
    assert b.kind == "baseline" and str(b.as_of) == "2026-11-23" and b.snapshot is not None
    from harmonize.policy.parks import expand_parks, load_parks

    flat, _ = expand_parks(load_parks(POLICIES)[0])
    assert set(b.results) == set(flat)  # a park of three is kept as its three pairs
