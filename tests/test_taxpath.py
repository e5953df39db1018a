"""CIT packages → yearly rate paths, checked by hand; and package selection on a jurisdiction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from harmonize.engine.etr import EtrParams, etr
from harmonize.engine.taxpath import cit_rate_path, package_etr
from harmonize.policy.loader import load_tree
from harmonize.policy.tree import Jurisdiction
from harmonize.policy.models import Provision, Schedule
from harmonize.policy.query import Site

PARAMS = EtrParams(real_rate=0.05, inflation=0.02, profitability=0.20, econ_depreciation=0.175,
                   tax_depreciation_rate=0.25)
POLICIES = Path(__file__).resolve().parent.parent / "policies"


def sched(start: str, *phases: dict, latest: int | None = None) -> Schedule:
    data = {"start": start, "phases": list(phases)}
    if latest:
        data["latest_start_year"] = latest
    return Schedule.model_validate(data)


VN_TIER1_RATE = sched("first_revenue", {"years": 15, "rate": 10})
VN_TIER1_HOLIDAY = sched("first_taxable_profit", {"years": 4, "exempt": True},
                         {"years": 9, "reduction": 50}, latest=4)


def test_worked_example_by_hand():
    # The case: 4 years exempt + 9 years at 50 % of a 10 % rate, from first taxable profit.
    # Revenue and profit of 100 every year from year 1; the 10 % runs 15 years from first revenue.
    profits = [0] + [100] * 19
    path = cit_rate_path(20, VN_TIER1_RATE, VN_TIER1_HOLIDAY, horizon=20,
                         first_revenue_year=1, first_profit_year=1)
    expected_tax = [
        0,                 # year 0: investment year, no profit
        0, 0, 0, 0,        # years 1-4: exempt
        5, 5, 5, 5, 5, 5, 5, 5, 5,  # years 5-13: 50 % of 10 % = 5 % of 100
        10, 10,            # years 14-15: 10 % preferential rate, last two of its 15 years
        20, 20, 20, 20,    # years 16-19: standard 20 %
    ]
    assert path.tax(profits) == expected_tax
    # the data does not say which rate the 50 % reduces: the package says what it assumed
    assert len(path.assumptions) == 1 and "does not say which rate" in path.assumptions[0]
    stated = cit_rate_path(20, VN_TIER1_RATE, VN_TIER1_HOLIDAY.model_copy(update={"reduction_of": "rate_in_force"}),
                           horizon=20, first_revenue_year=1, first_profit_year=1)
    assert stated.tax(profits) == expected_tax and stated.assumptions == ()


def test_reduction_of_the_standard_rate_does_not_stack_on_a_preferential_rate():
    # "then 35 % of the normal rate": 7 % at a 20 % standard rate, whatever preferential rate applies
    pref = sched("first_revenue", {"years": None, "rate": 7})
    hol = sched("first_revenue", {"years": 2, "exempt": True}, {"years": None, "reduction": 65})
    of_std = cit_rate_path(20, pref, hol.model_copy(update={"reduction_of": "standard_rate"}), horizon=5)
    in_force = cit_rate_path(20, pref, hol.model_copy(update={"reduction_of": "rate_in_force"}), horizon=5)
    assert of_std.rates == (0, 0, 7, 7, 7)
    assert in_force.rates == (0, 0, 2.45, 2.45, 2.45)


def test_vn_tier1_gives_third_anchor_vector():
    path = cit_rate_path(20, VN_TIER1_RATE, VN_TIER1_HOLIDAY, horizon=16)
    assert list(path.rates) == [0] * 4 + [5] * 9 + [10] * 2 + [20]
    res = etr(path.fractions(), PARAMS)
    assert round(res.eatr * 100, 2) == 4.49
    assert round(res.metr * 100, 2) == 8.34


def test_late_profit_capped_by_latest_start_year():
    # Profit only in year 7: the holiday clock starts in project year 4 (year 4 with revenue in 1).
    path = cit_rate_path(20, VN_TIER1_RATE, VN_TIER1_HOLIDAY, horizon=20,
                         first_revenue_year=1, first_profit_year=7)
    assert list(path.rates[:5]) == [20, 10, 10, 10, 0]
    assert list(path.rates[4:8]) == [0] * 4 and list(path.rates[8:17]) == [5] * 8 + [10]
    assert any("project year 4" in a for a in path.assumptions)


def test_holiday_does_not_extend_preferential_period():
    # The 15-year rate ran from year 0; a holiday starting later does not restart it.
    hol = sched("first_taxable_profit", {"years": 2, "exempt": True})
    path = cit_rate_path(20, VN_TIER1_RATE, hol, horizon=18, first_profit_year=14)
    assert list(path.rates[13:18]) == [10, 0, 0, 20, 20]


def test_reduction_of_standard_rate_and_open_ended_phase():
    hol = sched("licence_date", {"years": 2, "exempt": True}, {"years": None, "reduction": 65})
    path = cit_rate_path(20, None, hol, horizon=5, first_revenue_year=3)
    assert list(path.rates) == [0, 0, 7, 7, 7]


def test_not_verified_start_is_an_assumption():
    hol = sched("not_verified", {"years": 3, "exempt": True})
    path = cit_rate_path(24, None, hol, horizon=6, first_revenue_year=2, first_profit_year=4)
    assert list(path.rates) == [24, 24, 0, 0, 0, 24]
    assert path.assumptions == ("holiday: start event not verified: assumed the first revenue year",)


def test_preferential_with_exempt_phase_and_overlap():
    pref = sched("investment_year", {"years": 2, "exempt": True}, {"years": 3, "rate": 15})
    hol = sched("investment_year", {"years": 3, "reduction": 50})
    path = cit_rate_path(20, pref, hol, horizon=6)
    assert list(path.rates) == [0, 0, 7.5, 15, 15, 20]
    assert any("overlap" in a for a in path.assumptions)


def test_bad_inputs():
    with pytest.raises(ValueError):
        cit_rate_path(20, None, None, horizon=0)
    with pytest.raises(ValueError):
        cit_rate_path(0.2 * 1000, None, None, horizon=1)


# --- package_etr on a jurisdiction built in memory (stable whatever the shipped files say) ------


def _prov(measure: str, value, zones=(), status="verified", frm="2020-01-01") -> Provision:
    return Provision.model_validate({
        "measure": measure,
        "conditions": {"zones": list(zones)},
        "values": [{"value": value, "from": frm, "status": status,
                    "basis": {"instrument": "x-law", "article": None}}],
    })


def _jur() -> Jurisdiction:
    j = Jurisdiction("xx", Path("."))
    j.provisions = {
        "cit_standard_rate": _prov("cit_standard_rate", 20),
        "cit_preferential_rate.ez": _prov("cit_preferential_rate",
                                          {"start": "first_revenue", "phases": [{"years": 15, "rate": 10}]},
                                          zones=["ez"]),
        "cit_holiday.ez": _prov("cit_holiday", {"start": "first_taxable_profit",
                                                "phases": [{"years": 4, "exempt": True},
                                                           {"years": 9, "reduction": 50}]}, zones=["ez"]),
        "cit_holiday.short": _prov("cit_holiday", {"start": "first_taxable_profit",
                                                   "phases": [{"years": 2, "exempt": True}]}, zones=["ez"]),
        "cit_holiday.unknown": _prov("cit_holiday", None, zones=["ez"], status="unverified"),
    }
    return j


def test_package_etr_picks_most_favourable_and_records_the_rest():
    path, res, used = package_etr(_jur(), date(2026, 1, 1), Site(zones=frozenset({"ez"})), PARAMS)
    assert used == ["cit_standard_rate", "cit_preferential_rate.ez", "cit_holiday.ez"]
    assert round(res.eatr * 100, 2) == 4.49
    assert any("cit_holiday.short" in a for a in path.assumptions)
    assert any("cit_holiday.unknown" in a and "unknown" in a for a in path.assumptions)


def test_package_etr_outside_zone_is_standard_rate():
    path, res, used = package_etr(_jur(), date(2026, 1, 1), Site(zones=frozenset({"other"})), PARAMS)
    assert used == ["cit_standard_rate"] and set(path.rates) == {20}
    assert round(res.eatr * 100, 2) == 18.73


def test_package_etr_without_standard_rate_raises():
    j = _jur()
    del j.provisions["cit_standard_rate"]
    with pytest.raises(ValueError, match="standard CIT rate"):
        package_etr(j, date(2026, 1, 1), Site(), PARAMS)


def test_package_etr_on_shipped_vietnam_policies():
    ps = load_tree(POLICIES)
    vn = ps.jurisdictions.get("vn")
    if vn is None:
        pytest.skip("no vn folder")
    site = Site(zones=frozenset({"economic_zone"}), sectors=frozenset({"high_tech"}))
    path, res, used = package_etr(vn, date(2026, 1, 1), site, PARAMS)
    assert "cit_standard_rate" in used
    assert res.eatr <= 0.0449 + 1e-4  # at least as good as the tier-1 package


# --- properties -------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_phase = st.one_of(
    st.builds(lambda y: {"years": y, "exempt": True}, st.integers(1, 10)),
    st.builds(lambda y, r: {"years": y, "reduction": r}, st.one_of(st.none(), st.integers(1, 10)),
              st.floats(1, 100)),
    st.builds(lambda y, r: {"years": y, "rate": r}, st.integers(1, 10), st.floats(0, 30)),
)
_sched = st.builds(
    lambda start, phases, latest: Schedule.model_validate(
        {"start": start, "phases": phases, **({"latest_start_year": latest} if latest else {})}),
    st.sampled_from(["first_revenue", "first_taxable_profit", "licence_date", "not_verified"]),
    st.lists(_phase, min_size=1, max_size=3), st.one_of(st.none(), st.integers(1, 6)))


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 40), st.one_of(st.none(), _sched), st.one_of(st.none(), _sched),
       st.integers(1, 40), st.integers(0, 5), st.integers(0, 8))
def test_rate_path_is_bounded(std, pref, hol, horizon, rev, profit):
    path = cit_rate_path(std, pref, hol, horizon, rev, profit)
    assert len(path.rates) == horizon
    # a fixed-rate phase (in either schedule) sets the base rate; relief only lowers it
    cap = max([std] + [p.rate for s in (pref, hol) if s for p in s.phases if p.rate is not None])
    assert all(0 <= r <= cap + 1e-9 for r in path.rates)
    if pref is None and hol is None:
        assert all(abs(r - std) < 1e-9 for r in path.rates)
