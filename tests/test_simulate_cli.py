"""``harmonize simulate`` in-process: output, formats and exit codes."""

from __future__ import annotations

import json

from conftest import POLICIES

AS_OF = "2026-01-01"


def test_text_output_for_one_scenario(run):
    code, out, err = run("simulate", POLICIES, "--scenario", "electronics-assembly", "--as-of", AS_OF,
                          "--pair", "la:vn")
    assert code == 0, err
    assert "== electronics-assembly" in out and "ILLUSTRATIVE" in out
    assert "parameters imf-dietr" in out and "[status verified]" in out and "EATR" in out and "METR" in out and "PV at 7.10 %" in out
    assert out.count("\n-- ") == 2 and "assumptions:" in out


def test_json_all_scenarios_is_deterministic(run):
    args = ("simulate", POLICIES, "--as-of", AS_OF, "--format", "json", "--params", "imf-dietr", "--pair", "la:vn")
    code, out, err = run(*args)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["illustrative"] is True and len(doc["results"]) >= 4
    assert {r["parameters"]["name"] for r in doc["results"]} == {"imf-dietr"}
    assert run(*args)[1] == out


def test_explicit_pair_orders_sides(run):
    code, out, _ = run("simulate", POLICIES, "--pair", "vn:la", "--scenario", "agro-processing",
                       "--as-of", AS_OF, "--format", "json")
    assert code == 0
    assert [s["jurisdiction"] for s in json.loads(out)["results"][0]["sides"]] == ["vn", "la"]


def test_bad_input_exits_2(run, tmp_path):
    cases = [
        ("--scenario", "nope"),
        ("--params", "nope"),
        ("--pair", "vn"),
        ("--pair", "vn:xx"),
        ("--pair", "vn:vn"),
        ("--as-of", "2026-13-01"),
        ("--format", "xml"),
    ]
    for extra in cases:
        code, _, err = run("simulate", POLICIES, "--as-of", AS_OF, *extra)
        assert code == 2, extra
        assert err.strip(), extra
    code, _, err = run("simulate", tmp_path)
    assert code == 2 and "catalogue.yaml" in err


def test_pair_without_a_site_is_a_usage_error(run):
    code, _, err = run("simulate", POLICIES, "--pair", "vn:vn-la", "--as-of", AS_OF, "--scenario", "agro-processing")
    assert code == 2 and "no site for 'vn-la'" in err


def test_broken_scenario_file_is_reported_with_location(run, tree):
    path = tree / "scenarios" / "textiles-footwear.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("royalties: 1", "royalty: 1"), encoding="utf-8")
    code, _, err = run("simulate", tree, "--as-of", AS_OF, "--pair", "la:vn")
    assert code == 2
    assert "textiles-footwear.yaml:" in err and "S201" in err and "'royalty'" in err


def test_default_pair_needs_exactly_two_countries(run, tree):
    extra = tree / "zz"
    extra.mkdir()
    (extra / "country.yaml").write_text("jurisdiction: zz\nkind: country\n", encoding="utf-8")
    code, _, err = run("simulate", tree, "--as-of", AS_OF)
    assert code == 2 and "--pair is needed: there are 4 country jurisdictions" in err


def test_every_eatr_line_names_its_parameter_set_and_status(run):
    """An unverified set stays selectable, but its status is printed next to each effective tax rate."""
    code, out, _ = run("check", "--park", "ordinary-ip-zone2", "--params", "eu-zew")
    assert code in (0, 1)
    lines = [line for line in out.splitlines() if "CIT package EATR" in line]
    assert lines and all("(parameter set eu-zew, unverified)" in line for line in lines)
    code, out, _ = run("check", "--park", "ordinary-ip-zone2")
    lines = [line for line in out.splitlines() if "CIT package EATR" in line]
    assert lines and all("(parameter set imf-dietr, verified)" in line for line in lines)
