"""Cambodia and the layers around it: folder naming, treaties signed but not in force, silence."""

from __future__ import annotations

from datetime import date

from conftest import POLICIES, problems, replace_once
from harmonize.policy.loader import load_tree
from harmonize.policy.query import select

# The one folder named before the alphabetical rule (policies/README.md §1); no others allowed.
LEGACY_LAYER_NAMES = {"vn-la"}


def _ps():
    ps = load_tree(POLICIES)
    assert ps.ok
    return ps


def test_every_layer_folder_is_named_by_its_parties_in_alphabetical_order():
    ps = _ps()
    layers = [j for j in ps.jurisdictions.values() if j.kind in ("bilateral", "regional")]
    assert {j.code for j in layers} >= {"vn-la", "kh-vn", "kh-la", "kh-la-vn"}
    for j in layers:
        assert j.folder.parent.name == "bilateral", j.code
        expected = "-".join(sorted(j.parties))
        if j.code in LEGACY_LAYER_NAMES:
            assert j.code != expected and set(j.code.split("-")) == set(j.parties)
            continue
        assert j.code == expected, f"layer {j.code} should be named {expected}"
        assert (j.kind == "regional") == (len(j.parties) > 2), j.code


def test_the_triangle_layer_never_stands_in_for_a_pair_layer():
    from harmonize.engine.run import find_layer

    ps = _ps()
    assert find_layer(ps, "kh", "vn", None).code == "kh-vn"
    assert find_layer(ps, "la", "kh", None).code == "kh-la"
    assert find_layer(ps, "vn", "la", None).code == "vn-la"


def test_a_signed_treaty_not_in_force_gives_no_cap_and_shows_its_status():
    ps = _ps()
    layer = ps.jurisdictions["kh-la"]
    treaty = layer.instruments["kh-la-dta-2024"]
    assert treaty.signed_not_in_force and treaty.from_ is None and treaty.adopted == date(2024, 12, 4)
    for measure in ("dta_wht_cap_dividends", "dta_wht_cap_interest", "dta_wht_cap_royalties"):
        (a,) = select(layer, measure, date(2025, 6, 1)).applicable
        assert a.value.absent and a.value.value is None
    (status,) = select(layer, "dta_status", date(2025, 6, 1)).applicable
    assert status.value.value == "signed_not_in_force"
    assert not select(layer, "dta_status", date(2024, 12, 3)).applicable


def test_check_applies_cambodias_domestic_rate_to_laos_and_the_treaty_cap_to_viet_nam(run):
    import json

    def dividends(pair):
        code, out, _ = run("check", POLICIES, "--pair", pair, "--park", "none", "--as-of", "2025-06-01",
                           "--format", "json")
        assert code in (0, 1), out
        (row,) = [m for m in json.loads(out)["measures"] if m["measure"] == "wht_dividends"]
        return row["a"]

    to_laos = dividends("kh:la")
    assert to_laos["value"]["value"] == 14 and to_laos["cap"] is None
    to_viet_nam = dividends("kh:vn")
    assert to_viet_nam["cap"]["applied"] and to_viet_nam["cap"]["effective"] == 10


def test_validate_rejects_a_value_that_gives_force_to_a_treaty_not_in_force(tree, run):
    path = tree / "bilateral" / "kh-la" / "tax_treaty.yaml"
    replace_once(path, """      - value: null
        absent: true
        from: 2025-05-22
        basis: {instrument: kh-gdt-dta-notice-2025, article: null}
        status: secondary
        status_note: "Secondary: the sheet grades it verified, but every source read is press or other (source tiers, R317)."
        sources:
          - https://m.phnompenhpost.com/business/laos-philippines-double-tax-agreements-close-to-implementation
        note: No treaty cap in force (the 2024 treaty is signed, not in force).
""", """      - value: 10
        from: 2024-12-04
        basis: {instrument: kh-la-dta-2024, article: null}
        status: unverified
""")
    code, out, _ = run("validate", tree)
    assert code != 0
    (row,) = [p for p in problems(out) if p[3] == "R307"]
    assert "signed on 2024-12-04 but not in force" in row[4]


def test_a_treaty_marked_not_in_force_cannot_have_a_start(tree, run):
    path = tree / "bilateral" / "kh-la" / "instruments.yaml"
    replace_once(path, "    signed_not_in_force: true\n", "    signed_not_in_force: true\n    from: 2025-01-01\n")
    code, out, _ = run("validate", tree)
    assert code != 0 and "signed_not_in_force" in out


def test_silence_is_recorded_with_a_source_and_not_finding_is_not_silence():
    ps = _ps()
    kh = ps.jurisdictions["kh"]
    (law,) = select(kh, "tech_transfer_law", date(2025, 1, 1)).applicable
    assert law.value.absent and law.value.sources and law.value.status.value in ("verified", "secondary")
    (reg,) = select(kh, "tech_transfer_registration_required", date(2025, 1, 1)).applicable
    assert not reg.value.absent and reg.value.value is None and reg.value.status.value == "unverified"


def test_superseded_cambodian_law_is_kept_and_dated():
    ps = _ps()
    kh = ps.jurisdictions["kh"]
    for old in ("kh-investment-law-1994", "kh-investment-law-amendment-2003"):
        assert kh.instruments[old].until == date(2021, 10, 15)
        assert kh.instruments[old].superseded_by == ["kh-investment-law-2021"]
    in_2010 = {a.provision_id: a for a in select(kh, "cit_holiday", date(2010, 1, 1)).applicable}
    assert set(in_2010) == {"cit_holiday.qip_2003_regime", "cit_holiday.sez_developer"}
    assert in_2010["cit_holiday.qip_2003_regime"].value.up_to
    assert not [a for a in select(kh, "cit_holiday", date(2024, 1, 1)).applicable
                if a.provision_id == "cit_holiday.qip_2003_regime"]
