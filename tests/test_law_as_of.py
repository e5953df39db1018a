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


def test_lao_zone1_holiday_switches_to_unverified_under_the_2024_law(ps):
    prov = ps.jurisdictions["la"].provisions["cit_holiday.zone1"]
    old, _ = value_in_force(prov, date(2024, 6, 30))
    new, _ = value_in_force(prov, date(2025, 6, 30))
    assert old.basis.instrument == "la-investment-law-2016" and old.status is not Status.unverified
    assert new.basis.instrument == "la-investment-law-2024" and new.status is Status.unverified


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
