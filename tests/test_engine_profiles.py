"""Park profiles: the shipped ones load cleanly; mistakes are reported with file:line:column."""

from __future__ import annotations

import shutil
from pathlib import Path

from harmonize.policy.parks import load_parks
from harmonize.policy.loader import load_tree

POLICIES = Path(__file__).resolve().parent.parent / "policies"


def test_shipped_profiles_load_and_cross_check():
    ps = load_tree(POLICIES)
    parks, diags = load_parks(POLICIES, ps)
    assert diags == [], [d.format() for d in diags]
    assert len(parks) >= 3
    for pid, p in parks.items():
        assert len(p.pair) in (2, 3) and set(p.sites) <= set(p.pair)


def _tree(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "policies"
    shutil.copytree(POLICIES, root, ignore=shutil.ignore_patterns("parks"))
    (root / "parks").mkdir()
    (root / "parks" / "bad.yaml").write_text(text, encoding="utf-8")
    return root


def test_unknown_key_and_codes_are_located(tmp_path):
    root = _tree(tmp_path, "title: t\npair: [vn, la]\nsites:\n  vn:\n    zones: [industrial_prak]\n"
                           "  la:\n    sectors: [nope]\n")
    ps = load_tree(root)
    parks, diags = load_parks(root, ps)
    codes = {(d.code, d.line) for d in diags}
    assert ("R303", 5) in codes and ("R304", 7) in codes
    assert any("did you mean 'industrial_park'" in d.message for d in diags)
    root2 = _tree(tmp_path / "x", "title: t\npair: [vn, la]\nsitez: {}\n")
    parks, diags = load_parks(root2)
    assert "bad" not in parks
    assert [(d.code, d.line) for d in diags] == [("S201", 3)]
    assert "did you mean 'sites'" in diags[0].message


def test_pair_must_name_two_jurisdictions(tmp_path):
    root = _tree(tmp_path, "title: t\npair: [vn, vn]\n")
    parks, diags = load_parks(root)
    assert not parks and diags and diags[0].code == "S204"


def test_shipped_park_schema_matches_the_model():
    from harmonize.cli.schema import schema_text

    shipped = (POLICIES.parent / "schema" / "park.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text("park"), "regenerate schema/park.schema.json with 'harmonize schema --kind park'"


def test_site_sanity_warns_where_zone_incentives_cannot_reach(tmp_path):
    # issue 11, point 9: a Lao SEZ without its location zone gets no SEZ holiday; a border-gate
    # economic zone without its non-tariff area gets no zone customs status
    root = _tree(tmp_path, "title: {en: t}\npair: [vn, la]\nsites:\n"
                           "  vn: {zones: [border_gate_economic_zone, economic_zone]}\n"
                           "  la: {zones: [specific_economic_zone, savan_park]}\n")
    _, diags = load_parks(root, load_tree(root))
    msgs = [d.format() for d in diags]
    assert all(d.code == "R319" and d.severity.value == "warning" for d in diags), msgs
    assert any("la site is in specific_economic_zone but in none of zone1, zone2" in m for m in msgs)
    assert any("vn site is a border_gate_zone but has none of export_processing_zone" in m for m in msgs)
    fixed = _tree(tmp_path / "2", "title: {en: t}\npair: [vn, la]\nsites:\n"
                                  "  vn: {zones: [border_gate_economic_zone, economic_zone, export_processing_zone]}\n"
                                  "  la: {zones: [specific_economic_zone, savan_park, zone2]}\n")
    assert load_parks(fixed, load_tree(fixed))[1] == []


def test_every_scored_number_of_the_catalogue_says_why(tmp_path):
    ps = load_tree(POLICIES)
    assert not [d for d in ps.diagnostics if d.code == "R318"]
    for mid, m in ps.catalogue.measures.items():
        if m.layer == "national" and m.kind.value != "text" and m.weight > 0:
            assert m.why.weight, mid
            assert m.scale is None or m.why.scale, mid
            assert not m.tolerance or m.why.tolerance, mid
    root = tmp_path / "policies"
    shutil.copytree(POLICIES, root)
    cat = root / "catalogue.yaml"
    text = cat.read_text(encoding="utf-8")
    cut = '      weight: "Taxes every repatriated profit of a foreign-owned plant; second only to the CIT package."\n'
    assert cut in text
    cat.write_text(text.replace(cut, ""), encoding="utf-8")
    diags = [d for d in load_tree(root).diagnostics if d.code == "R318"]
    assert len(diags) == 1 and "wht_dividends" in diags[0].message and "weight" in diags[0].message


def test_a_site_accepts_a_site_warning_with_its_reason(tmp_path):
    base = "title: {en: t}\npair: [vn, la]\nsites:\n  la: {zones: [specific_economic_zone, savan_park]}\n"
    root = _tree(tmp_path, base + "  vn: {zones: [border_gate_economic_zone, economic_zone]}\n")
    assert any("vn site" in d.message for d in load_parks(root, load_tree(root))[1])
    root = _tree(tmp_path / "2", base + "  vn: {zones: [border_gate_economic_zone, economic_zone], "
                                        "accept: {R319: the designation is not researched}}\n")
    diags = load_parks(root, load_tree(root))[1]
    assert not any("vn site" in d.message for d in diags) and any("la site" in d.message for d in diags)
