"""Parks of three: a profile with three sites is checked as its three pairs (each with its own
bilateral layer, through the unchanged two-side check) and a joint view composed from them."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from conftest import POLICIES, replace_once
from harmonize.engine.joint import AGREE, joint_view
from harmonize.policy.loader import load_tree
from harmonize.policy.parks import expand_parks, load_parks

AS_OF = "2026-01-01"
TRIO = "triangle-bo-y"


def test_a_park_of_three_expands_into_its_three_pairs_each_with_its_own_layer():
    ps = load_tree(POLICIES)
    parks, diags = load_parks(POLICIES, ps)
    assert diags == []
    flat, trios = expand_parks(parks)
    assert trios == {TRIO: [f"{TRIO}.kh-la", f"{TRIO}.kh-vn", f"{TRIO}.la-vn"]}
    assert TRIO not in flat and "moc-bai-bavet" in flat
    for sid in trios[TRIO]:
        sub = flat[sid]
        assert len(sub.pair) == 2 and set(sub.sites) == set(sub.pair) and sub.bilateral is None
    from harmonize.engine.run import find_layer

    layers = {sid: find_layer(ps, *flat[sid].pair, flat[sid]).code for sid in trios[TRIO]}
    assert layers == {f"{TRIO}.kh-la": "kh-la", f"{TRIO}.kh-vn": "kh-vn", f"{TRIO}.la-vn": "vn-la"}


def _trio_json(run):
    code, out, err = run("check", POLICIES, "--park", TRIO, "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_check_gives_the_three_pairwise_results_and_the_joint_view(run):
    doc = _trio_json(run)
    assert doc["schema"] == "harmonize-check-three/1" and doc["park"] == TRIO
    assert [r["pair"] for r in doc["pairs"]] == [["kh", "la"], ["kh", "vn"], ["la", "vn"]]
    assert [r["bilateral"] for r in doc["pairs"]] == ["kh-la", "kh-vn", "vn-la"]
    joint = doc["joint"]
    assert joint["countries"] == ["kh", "la", "vn"]
    assert [p["score"] for p in joint["pairs"]] == [r["overall"]["score"] for r in doc["pairs"]]
    assert sum(joint["counts"].values()) == len(joint["measures"])


def test_agreement_and_outliers_follow_the_pairwise_similarities(run):
    joint = _trio_json(run)["joint"]
    kinds = {m["agreement"] for m in joint["measures"]}
    assert {"all_agree", "outlier", "all_differ"} <= kinds
    for m in joint["measures"]:
        agree = {tuple(c["pair"]): c["scored"] and c["similarity"] is not None and c["similarity"] >= AGREE
                 for c in m["pairs"]}
        if m["agreement"] == "all_agree":
            assert all(agree.values())
        elif m["agreement"] == "outlier":
            x = m["outlier"]
            assert [p for p, ok in agree.items() if ok] == [tuple(sorted(set(joint["countries"]) - {x}))]
            assert sorted(m["agreeing"]) == sorted(set(joint["countries"]) - {x})
        elif m["agreement"] == "all_differ":
            assert not any(agree.values())
    # the standard rate is counted inside the CIT package (issue 11), but the joint view still shows it
    std = next(m for m in joint["measures"] if m["measure"] == "cit_standard_rate")
    assert [v["display"] for v in std["values"]] == ["20 %"] * 3


def test_the_roadmap_ranks_changes_by_pairwise_gaps_closed(run):
    joint = _trio_json(run)["joint"]
    road = joint["roadmap"]
    assert road and [c["rank"] for c in road] == list(range(1, len(road) + 1))
    keys = [(-c["gaps_closed"], -round(c["points"], 9)) for c in road]
    assert keys == sorted(keys)
    outliers = {m["measure"]: m["outlier"] for m in joint["measures"] if m["agreement"] == "outlier"}
    for c in road:
        if outliers.get(c["measure"]) == c["jurisdiction"] and len(c["align_with"]) == 2:
            assert c["gaps_closed"] == len(c["pairs_closed"]) and c["gaps_closed"] >= 1
    assert road[0]["gaps_closed"] == 2


def test_a_pair_of_the_park_of_three_can_be_checked_alone(run):
    code, out, err = run("check", POLICIES, "--park", TRIO, "--pair", "vn:kh", "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    r = json.loads(out)
    assert r["park"]["id"] == f"{TRIO}.kh-vn" and r["pair"] == ["vn", "kh"] and r["bilateral"] == "kh-vn"
    code, _, err = run("check", POLICIES, "--park", TRIO, "--pair", "vn:vn", "--as-of", AS_OF)
    assert code == 2


def test_text_and_markdown_show_the_joint_view(run):
    code, out, _ = run("check", POLICIES, "--park", TRIO, "--as-of", AS_OF)
    assert code == 0 and out.count("Compatibility of") == 3 and "Joint view of a park of three" in out
    code, out, _ = run("check", POLICIES, "--park", TRIO, "--as-of", AS_OF, "--format", "markdown")
    assert code == 0 and "## Joint view: triangle-bo-y" in out


def test_the_report_lists_the_new_parks_and_the_joint_view(run, tmp_path):
    code, _, err = run("report", POLICIES, "--as-of", AS_OF, "--out-dir", tmp_path, "--format", "all", "--lang", "all")
    assert code == 0, err
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    ids = [s["check"]["park"]["id"] for s in doc["parks"]]
    assert "moc-bai-bavet" in ids and {f"{TRIO}.kh-la", f"{TRIO}.kh-vn", f"{TRIO}.la-vn"} <= set(ids)
    assert [j["park"] for j in doc["joints"]] == [TRIO]
    from harmonize.reporting.i18n import LANGS

    for lang in LANGS:
        md = (tmp_path / f"report.{lang}.md").read_text(encoding="utf-8")
        html = (tmp_path / f"report.{lang}.html").read_text(encoding="utf-8")
        assert "moc-bai-bavet" in md and f"{TRIO}.kh-vn" in md
        assert 'id="joints"' in html and f'id="joint-{TRIO}"' in html


def test_the_layer_of_a_park_of_three_must_have_its_three_parties(tree, run):
    replace_once(tree / "parks" / f"{TRIO}.yaml", "bilateral: kh-la-vn", "bilateral: kh-vn")
    code, out, err = run("check", tree, "--park", TRIO, "--as-of", AS_OF)
    assert code == 2 and "layer 'kh-vn' is not between kh, la, vn" in err


def test_joint_view_needs_three_pairs_of_three_countries():
    ps = load_tree(POLICIES)
    from harmonize.cli.args import load_parameter_set
    from harmonize.engine.run import run_check

    params = load_parameter_set(POLICIES)
    r = run_check(ps, ("vn", "la"), date(2026, 1, 1), None, params=params)
    with pytest.raises(ValueError):
        joint_view([r, r, r])


def test_all_pairs_prints_the_matrix_of_three_countries(run):
    code, out, _ = run("check", POLICIES, "--all-pairs", "--as-of", AS_OF)
    assert code == 0
    lines = out.splitlines()
    assert [ln.split()[0] for ln in lines[1:4]] == ["kh:la", "kh:vn", "la:vn"]
    i = next(k for k, ln in enumerate(lines) if ln.startswith("matrix:"))
    assert lines[i + 1].split() == ["kh", "la", "vn"]
    assert [ln.split()[0] for ln in lines[i + 2:i + 5]] == ["kh", "la", "vn"]
    assert all(re.search(r"\(\d+%( provisional)?; \d+\.\d–\d+\.\d\)", ln) for ln in lines[i + 2:i + 5])
