"""What the shipped law says on given dates, asked through the public API (load → query)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import POLICIES
from harmonize.engine.simulation import treaty_cap
from harmonize.policy.loader import load_tree
from harmonize.policy.models import Status
from harmonize.policy.query import Site, select, value_in_force


@pytest.fixture(scope="module")
def ps():
    loaded = load_tree(POLICIES)
    assert loaded.ok, [d.format() for d in loaded.diagnostics[:5]]
    return loaded


def only(ps, jurisdiction, measure, as_of, site=None):
    chosen = select(ps.jurisdictions[jurisdiction], measure, as_of, site).applicable
    assert len(chosen) == 1, [a.provision_id for a in chosen]
    return chosen[0]


def test_vietnam_standard_cit_is_20_percent_under_the_2025_law(ps):
    a = only(ps, "vn", "cit_standard_rate", date(2026, 1, 1))
    assert a.value.value == 20 and a.value.basis.instrument == "vn-cit-law-2025"


def test_as_of_mid_2024_gives_the_old_vietnamese_cit_regime(ps):
    a = only(ps, "vn", "cit_standard_rate", date(2024, 6, 30))
    assert a.value.value == 20 and a.value.basis.instrument == "vn-cit-law-2008"
    law = ps.jurisdictions["vn"].instruments["vn-cit-law-2008"]
    assert law.number == "14/2008/QH12" and law.until == date(2025, 9, 30)


@pytest.mark.parametrize("as_of, rate", [(date(2023, 6, 30), 7), (date(2025, 1, 1), 10), (date(2024, 4, 30), 7),
                                         (date(2024, 5, 1), 10)])
def test_lao_vat_rate_on_a_date(ps, as_of, rate):
    assert only(ps, "la", "vat_standard_rate", as_of).value.value == rate


def _ip_site(licensed_on):
    return Site(zones=frozenset({"industrial_park"}), sectors=frozenset({"manufacturing"}), licensed_on=licensed_on)


def test_industrial_park_holiday_is_grandfathered_for_projects_licensed_before_october_2025(ps):
    vn = ps.jurisdictions["vn"]
    prov = vn.provisions["cit_holiday.industrial_park"]
    as_of = date(2026, 1, 1)
    kept, grandfathered = value_in_force(prov, as_of, licensed_on=date(2025, 6, 30))
    assert kept is not None and grandfathered
    assert kept.value["phases"][:2] == [{"years": 2, "exempt": True}, {"years": 4, "reduction": 50}]
    assert value_in_force(prov, as_of, licensed_on=date(2025, 12, 1)) == (None, False)
    chosen = {a.provision_id for a in select(vn, "cit_holiday", as_of, _ip_site(date(2025, 6, 30))).applicable}
    assert "cit_holiday.industrial_park" in chosen
    chosen = {a.provision_id for a in select(vn, "cit_holiday", as_of, _ip_site(date(2025, 12, 1))).applicable}
    assert "cit_holiday.industrial_park" not in chosen


def test_industrial_park_holiday_was_open_to_new_projects_before_the_2025_law(ps):
    prov = ps.jurisdictions["vn"].provisions["cit_holiday.industrial_park"]
    value, grandfathered = value_in_force(prov, date(2025, 6, 30))
    assert value is not None and not grandfathered


def test_treaty_caps_royalties_at_10_while_lao_law_already_withholds_5(ps):
    domestic = only(ps, "la", "wht_royalties", date(2026, 1, 1)).value.value
    cap, _ = treaty_cap(ps, "wht_royalties", "la", "vn", date(2026, 1, 1), [])
    assert (domestic, cap) == (5, 10)
    assert min(domestic, cap) == 5  # the treaty gives no relief on royalties paid out of Laos
    dividends_cap, _ = treaty_cap(ps, "wht_dividends", "la", "vn", date(2026, 1, 1), [])
    assert dividends_cap == 10


def test_lao_zone1_holiday_becomes_a_ceiling_under_the_2024_law(ps):
    prov = ps.jurisdictions["la"].provisions["cit_holiday.zone1"]
    old, _ = value_in_force(prov, date(2024, 6, 30))
    new, _ = value_in_force(prov, date(2025, 6, 30))
    assert old.basis.instrument == "la-investment-law-2016" and not old.up_to
    assert new.basis.instrument == "la-investment-law-2024" and new.up_to
    # read only in an unofficial digitised copy of the Lao text, with no second source: secondary
    assert new.status is Status.secondary
    assert old.value["phases"][0]["years"] == new.value["phases"][0]["years"] == 10


def _lao_zone2_site(licensed_on, zones=("zone2",)):
    return Site(zones=frozenset(zones), sectors=frozenset({"manufacturing_export"}), licensed_on=licensed_on)


def _holidays(ps, as_of, site):
    """{provision id: (value, grandfathered)} of the Lao profit-tax holidays that apply to a site."""
    sel = select(ps.jurisdictions["la"], "cit_holiday", as_of, site)
    return {a.provision_id: (a.value, a.grandfathered) for a in sel.applicable}


def test_zone2_project_licensed_in_2025_gets_the_2024_ceilings_only(ps):
    got = _holidays(ps, date(2026, 1, 1), _lao_zone2_site(date(2025, 3, 1)))
    assert set(got) == {"cit_holiday.zone2", "cit_holiday.zone2_extra_2024"}
    for value, grandfathered in got.values():
        assert value.basis.instrument == "la-investment-law-2024" and value.up_to and not grandfathered
    years = {pid: v.value["phases"][0]["years"] for pid, (v, _) in got.items()}
    assert years == {"cit_holiday.zone2": 4, "cit_holiday.zone2_extra_2024": 7}  # up to 4, up to 4 + 3


def test_zone2_project_licensed_in_2023_keeps_its_2016_holiday_through_the_transitional_rule(ps):
    got = _holidays(ps, date(2026, 1, 1), _lao_zone2_site(date(2023, 6, 1)))
    kept = {pid: v for pid, (v, grandfathered) in got.items() if grandfathered}
    # the flat 2016 entitlements (4 years; 7 for the promoted add-on sectors) run on for the old project
    assert kept and all(v.basis.instrument == "la-investment-law-2016" and not v.up_to for v in kept.values())
    assert kept["cit_holiday.zone2"].value["phases"][0]["years"] == 4
    for v in kept.values():
        assert v.grandfathered.licensed_before == date(2024, 12, 16)
        assert v.grandfathered.basis.instrument == "la-investment-law-2024"
        assert "180 days" in v.grandfathered.note  # the opt-in window to the 2024 law's incentives
    # before the 2024 law the same project had the 2016 value as an ordinary (not grandfathered) value
    before = _holidays(ps, date(2024, 6, 30), _lao_zone2_site(date(2023, 6, 1)))
    assert before["cit_holiday.zone2"][0].basis.instrument == "la-investment-law-2016"
    assert not before["cit_holiday.zone2"][1]


def test_the_2024_law_adds_two_years_for_an_investor_inside_an_sez(ps):
    got = _holidays(ps, date(2026, 1, 1), _lao_zone2_site(date(2025, 3, 1), ("zone2", "special_economic_zone")))
    years = {pid: v.value["phases"][0]["years"] for pid, (v, _) in got.items() if pid.endswith("_2024")}
    assert years["cit_holiday.sez_investor_zone2_2024"] == years.get("cit_holiday.zone2", 4) + 2
    assert years["cit_holiday.sez_investor_zone2_extra_2024"] == years["cit_holiday.zone2_extra_2024"] + 2


def test_lao_2024_law_entry_into_force_is_kept_at_16_december_and_flagged_disputed(ps):
    law = ps.jurisdictions["la"].instruments["la-investment-law-2024"]
    assert law.from_ == date(2024, 12, 16) and not law.dates_verified
    assert "1 Oct 2024" in law.note  # the other reading is recorded, not dropped


def test_no_up_to_value_of_the_2024_law_is_marked_verified(ps):
    """A ceiling read only in the unofficial copy stays secondary until a second source agrees."""
    for j in ps.jurisdictions.values():
        for prov in j.provisions.values():
            for v in prov.values:
                if v.basis.instrument == "la-investment-law-2024" and v.up_to:
                    assert v.status is Status.secondary, prov


def test_absent_values_carry_sources_and_no_value(ps):
    seen = 0
    for j in ps.jurisdictions.values():
        for prov in j.provisions.values():
            for v in prov.values:
                if v.absent:
                    seen += 1
                    assert v.value is None and v.status is not Status.unverified
                    assert v.sources or j.instruments[v.basis.instrument].sources
    assert seen >= 2


def test_every_value_carries_basis_dates_and_status(ps):
    """The schema requires it; this counts it: 100 % of values, every jurisdiction."""
    total = 0
    for j in ps.jurisdictions.values():
        for prov in j.provisions.values():
            for v in prov.values:
                total += 1
                assert v.basis.instrument in j.instruments
                assert v.basis.article is None or v.basis.article.strip()
                assert v.from_ is not None and v.status in Status
                assert v.status is Status.unverified or v.sources or j.instruments[v.basis.instrument].sources
    assert total > 300
