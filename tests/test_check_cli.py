"""``harmonize check`` on the shipped policies: text and JSON output, usage errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from harmonize.cli import main

POLICIES = str(Path(__file__).resolve().parent.parent / "policies")
AS_OF = "2026-11-23"


def run(capsys, *args):
    code = main(["check", POLICIES, "--as-of", AS_OF, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_text_report_shows_scores_gaps_and_roadmap(capsys):
    code, out, err = run(capsys)
    assert code == 0, err
    for title in ("Taxation", "Customs", "Land", "OVERALL", "Top gaps", "Roadmap"):
        assert title in out
    assert "vn:" in out and "la:" in out


@pytest.mark.parametrize("park", ["lao-bao-densavanh", "ordinary-ip-zone2", "ez-specific-ez"])
def test_json_parses_and_decomposes_per_measure(capsys, park):
    code, out, err = run(capsys, "--park", park, "--format", "json")
    assert code == 0, err
    r = json.loads(out)
    assert r["schema_version"] == "2.0" and r["pair"] == ["vn", "la"] and r["as_of"] == AS_OF
    assert r["park"]["id"] == park
    score = r["overall"]["score"]
    assert 0 <= score <= 100
    contribs = math.fsum(m["contribution"] for m in r["measures"])
    assert math.isclose(contribs, 100 - score, rel_tol=1e-12, abs_tol=1e-9)
    assert all(0 <= (d["score"] if d["score"] is not None else 0) <= 100 for d in r["domains"])
    # package parts are shown but counted once, in their package (issue 11)
    counted = [m for m in r["measures"] if m["counted_in"] is None]
    assert r["coverage"]["scored"] + r["coverage"]["unscored"] == len(counted)
    o = r["overall"]
    assert o["lower"] <= score <= o["upper"] and 0 <= o["coverage"] <= 1
    assert o["provisional"] == (o["coverage"] < o["coverage_threshold"])
    for g in r["gaps"]:
        assert g["severity"] in ("critical", "major", "minor", "info")
        for side in ("a", "b"):
            v = g[side]["value"]
            assert v is None or v["basis"]["instrument"]
    # deterministic
    code, out2, _ = run(capsys, "--park", park, "--format", "json")
    assert out2 == out


def test_pair_can_be_swapped(capsys):
    _, out1, _ = run(capsys, "--format", "json")
    _, out2, _ = run(capsys, "--format", "json", "--pair", "la:vn")
    r1, r2 = json.loads(out1), json.loads(out2)
    assert math.isclose(r1["overall"]["score"], r2["overall"]["score"], rel_tol=1e-12)


def test_no_park(capsys):
    code, out, err = run(capsys, "--park", "none", "--format", "json")
    assert code == 2 and "--pair is needed: there are 3 country jurisdictions" in err
    code, out, err = run(capsys, "--park", "none", "--pair", "la:vn", "--format", "json")
    assert code == 0, err
    r = json.loads(out)
    assert r["park"] is None and r["pair"] == ["la", "vn"]


@pytest.mark.parametrize("args, message", [
    (["--pair", "vn:xx"], "unknown jurisdiction 'xx'"),
    (["--pair", "vn"], "expected two jurisdiction codes"),
    (["--park", "nowhere"], "no profile 'nowhere'"),
    (["--params", "nope"], "unknown parameter set"),
])
def test_usage_errors_exit_2(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and message in err


def test_bad_date_exits_2(capsys):
    code = main(["check", POLICIES, "--as-of", "2026-13-01"])
    assert code == 2 and "not a date" in capsys.readouterr().err


def test_park_file_path_and_grandfathering_timing(capsys, tmp_path):
    park = tmp_path / "existing.yaml"
    park.write_text("title: Existing project in an ordinary park\npair: [vn, la]\nsites:\n"
                    "  vn: {zones: [industrial_park], sectors: [manufacturing], licensed_on: 2024-06-01}\n"
                    "  la: {zones: [zone2], sectors: [manufacturing_export], licensed_on: 2024-06-01}\n",
                    encoding="utf-8")
    code, out, err = run(capsys, "--park", str(park), "--format", "json")
    assert code == 0, err
    r = json.loads(out)
    assert r["park"]["id"] == "existing" and r["sites"]["vn"]["licensed_on"] == "2024-06-01"
    row = next(m for m in r["measures"] if m["measure"] == "cit_holiday")
    assert row["a"]["value"]["grandfathered"] is True


def test_bad_park_file_is_a_usage_error(capsys, tmp_path):
    park = tmp_path / "bad.yaml"
    park.write_text("title: t\npair: [vn, la]\nsites:\n  vn: {zones: [nowhere]}\n", encoding="utf-8")
    code, out, err = run(capsys, "--park", str(park))
    assert code == 2 and "R303" in err and "bad.yaml:4" in err
