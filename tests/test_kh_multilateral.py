"""The ASEAN layer is written once (policies/multilateral/asean) and inherited by every pair's
bilateral layer, from the later party's accession; the pair's own reading wins."""

from __future__ import annotations

from datetime import date

from conftest import POLICIES, problems, replace_once
from harmonize.policy.loader import load_tree
from harmonize.policy.query import select

ASEAN_IDS = {"acia-2009", "atiga-2009", "ahtn-protocol", "asw-agreement-2005",
             "asw-legal-framework-protocol-2015", "afafgit-protocol-7"}


def _ps(root=POLICIES):
    ps = load_tree(root)
    assert ps.ok, [d.format() for d in ps.diagnostics if d.severity.name == "ERROR"][:5]
    return ps


def test_three_countries_and_five_layers_validate():
    ps = _ps()
    kinds = {code: j.kind for code, j in ps.jurisdictions.items()}
    assert sorted(c for c, k in kinds.items() if k == "country") == ["kh", "la", "vn"]
    assert {c: k for c, k in kinds.items() if k != "country"} == {
        "vn-la": "bilateral", "kh-vn": "bilateral", "kh-la": "bilateral", "kh-la-vn": "regional",
        "asean": "multilateral"}


def test_the_asean_layer_is_one_folder_named_by_its_code_and_no_pair_repeats_it():
    ps = _ps()
    m = ps.jurisdictions["asean"]
    assert m.kind == "multilateral" and m.folder.parent.name == "multilateral"
    assert set(m.parties) >= {"kh", "la", "vn"}
    for code in ("vn-la", "kh-vn", "kh-la"):
        layer = ps.jurisdictions[code]
        assert not (layer.folder / "asean.yaml").exists(), code
        own = {key for (section, key), src in layer.origins.items()
               if (section, key) not in layer.inherited and section == "instruments"}
        assert not own & ASEAN_IDS, (code, own & ASEAN_IDS)


def test_every_pair_of_members_gets_the_same_asean_values():
    ps = _ps()
    asean = ps.jurisdictions["asean"]
    assert len(asean.provisions) >= 6
    for code in ("vn-la", "kh-vn", "kh-la"):
        layer = ps.jurisdictions[code]
        for pid, prov in asean.provisions.items():
            assert layer.inherited[("provisions", pid)] == "asean"
            assert layer.provisions[pid] == prov  # Cambodia joined in 1999: nothing to clip
            assert layer.origins[("provisions", pid)].source.display.endswith("multilateral/asean/agreements.yaml")
    # a pair that only had ACIA national treatment and ACTS now has investor-state arbitration too
    kh_vn = ps.jurisdictions["kh-vn"]
    apps = select(kh_vn, "acia_investor_state_arbitration", date(2026, 1, 1), None).applicable
    assert [a.value.value for a in apps] == [True]
    # the regional triangle layer inherits nothing: it is not a pair layer
    assert not ps.jurisdictions["kh-la-vn"].inherited


def test_check_of_a_cambodian_pair_shows_the_asean_layer(run):
    code, out, _ = run("check", "--pair", "kh:vn", "--park", "none", "--as-of", "2026-01-01", "--format", "json")
    assert code == 0
    import json

    shown = [s for s in json.loads(out)["shown"] if s["source"] == "bilateral_layer"]
    measures = {s["measure"] for s in shown if s["jurisdiction"] == "kh-vn"}
    assert {"acia_national_treatment", "acia_investor_state_arbitration", "acts_transit_operational",
            "atiga_tariff_commitment"} <= measures


def _mini(tree):
    """A throw-away tree where Cambodia joins ASEAN in 2010 and ACIA-like values start in 2005."""
    layer = tree / "multilateral" / "asean" / "layer.yaml"
    replace_once(layer, "joined: 1999-04-30", "joined: 2010-06-01")
    agreements = tree / "multilateral" / "asean" / "agreements.yaml"
    text = agreements.read_text(encoding="utf-8")
    text += """
  acts_transit_operational.early:
    measure: acts_transit_operational
    values:
      - value: false
        from: 2005-01-01
        until: 2008-12-31
        basis: {instrument: ahtn-protocol, article: null}
        status: unverified
        status_note: test value that ends before Cambodia joins
      - value: false
        from: 2009-01-01
        until: 2010-12-31
        basis: {instrument: ahtn-protocol, article: null}
        status: unverified
        status_note: test value that straddles Cambodia's accession
"""
    agreements.write_text(text, encoding="utf-8")


def test_values_are_clipped_to_the_later_accession_of_the_pair(tree):
    _mini(tree)
    ps = _ps(tree)
    kh_vn = ps.jurisdictions["kh-vn"].provisions["acts_transit_operational.early"]
    assert [(v.from_, v.until) for v in kh_vn.values] == [(date(2010, 6, 1), date(2010, 12, 31))]
    vn_la = ps.jurisdictions["vn-la"].provisions["acts_transit_operational.early"]  # no accession: unclipped
    assert [(v.from_, v.until) for v in vn_la.values] == [(date(2005, 1, 1), date(2008, 12, 31)),
                                                         (date(2009, 1, 1), date(2010, 12, 31))]
    # the asean layer itself keeps its values as written
    assert len(ps.jurisdictions["asean"].provisions["acts_transit_operational.early"].values) == 2


def test_a_pairs_own_reading_overrides_the_inherited_one(tree):
    (tree / "bilateral" / "kh-la" / "acia.yaml").write_text("""\
# yaml-language-server: $schema=../../../schema/policy.schema.json
jurisdiction: kh-la
provisions:
  acia_national_treatment:
    values:
      - value: null
        from: 2012-03-29
        basis: {instrument: kh-la-dta-2024, article: null}
        status: unverified
        status_note: test override
""", encoding="utf-8")
    ps = load_tree(tree)
    kh_la = ps.jurisdictions["kh-la"]
    assert ("provisions", "acia_national_treatment") not in kh_la.inherited
    assert kh_la.provisions["acia_national_treatment"].values[0].status_note == "test override"
    assert ps.jurisdictions["kh-vn"].provisions["acia_national_treatment"].values[0].value is True


def test_an_accession_of_a_non_party_is_a_located_error(tree, run):
    layer = tree / "multilateral" / "asean" / "layer.yaml"
    replace_once(layer, "  kh:\n    joined:", "  th:\n    joined:")
    code, out, _ = run("validate", str(tree))
    assert code == 1
    rows = [r for r in problems(out) if r[3] == "R315"]
    assert len(rows) == 1 and rows[0][0].endswith("multilateral/asean/layer.yaml") and "'th'" in rows[0][4]
