"""Cambodia's elective QIP incentives: Option 1 (exemption by activity group) or Option 2 (special
depreciation); each is valued and the investor's choice (lowest EATR) taken, both shown."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import POLICIES
from harmonize.engine.etr import EtrParams, etr
from harmonize.engine.taxpath import package_candidates
from harmonize.policy.loader import load_tree
from harmonize.policy.query import Site

AS_OF = date(2025, 6, 1)
MACHINERY = EtrParams(0.05, 0.02, 0.20, 0.175, 0.25)


@pytest.fixture(scope="module")
def kh():
    ps = load_tree(POLICIES)
    assert ps.ok
    return ps.jurisdictions["kh"]


def _by_option(kh, group):
    candidates, _ = package_candidates(kh, AS_OF, Site(sectors=frozenset({group})))
    return {c.option: c for c in candidates}


# Option 1, year by year from the investment year (first income in year 0, the standard
# convention): the exemption, then 25 %, 50 % and 75 % of the 20 % tax for two years each.
OPTION1 = {
    "qip_group1": [0.0] * 9 + [5.0, 5.0, 10.0, 10.0, 15.0, 15.0, 20.0],
    "qip_group2": [0.0] * 6 + [5.0, 5.0, 10.0, 10.0, 15.0, 15.0, 20.0],
    "qip_group3": [0.0] * 3 + [5.0, 5.0, 10.0, 10.0, 15.0, 15.0, 20.0],
}


@pytest.mark.parametrize("group", sorted(OPTION1))
def test_option1_is_a_year_by_year_rate_path_per_activity_group(kh, group):
    options = _by_option(kh, group)
    assert set(options) == {"qip_option1", "qip_option2"}
    one = options["qip_option1"]
    assert list(one.path.rates) == OPTION1[group]
    assert one.special_depreciation == 0.0
    assert one.provision_ids == ("cit_standard_rate", f"cit_holiday.qip_option1_{group.replace('qip_', '')}")


@pytest.mark.parametrize("group", sorted(OPTION1))
def test_option2_changes_the_allowance_path_not_the_rate_path(kh, group):
    two = _by_option(kh, group)["qip_option2"]
    assert set(two.path.rates) == {20.0}
    assert two.special_depreciation == pytest.approx(0.40)
    assert "cit_special_depreciation.qip_option2" in two.provision_ids
    assert not any("cit_holiday" in p for p in two.provision_ids)  # options never mix


def test_a_site_in_no_group_still_gets_option2_only(kh):
    candidates, _ = package_candidates(kh, AS_OF, Site())
    assert {c.option for c in candidates} == {"qip_option2"}


def test_special_depreciation_raises_allowances_and_full_expensing_is_neutral():
    flat = [0.20]
    plain, special = etr(flat, MACHINERY), etr(flat, MACHINERY, 0.40)
    assert special.npv_allowances > plain.npv_allowances and special.eatr < plain.eatr
    assert etr(flat, MACHINERY, 0.0) == plain
    expensed = etr(flat, MACHINERY, 1.0)
    assert expensed.npv_allowances == pytest.approx(1.0)
    assert expensed.metr == pytest.approx(0.0, abs=1e-9)  # a cash-flow tax leaves the marginal investment untaxed
    with pytest.raises(ValueError):
        etr(flat, MACHINERY, 1.5)


def test_check_takes_the_lowest_eatr_option_and_shows_both(run):
    import json

    code, out, err = run("check", POLICIES, "--pair", "kh:vn", "--park", "none", "--as-of", "2025-06-01",
                         "--format", "json")
    assert code in (0, 1), err
    (row,) = [m for m in json.loads(out)["measures"] if m["measure"] == "cit_holiday"]
    package = row["a"]["package"]
    options = {o["option"]: o for o in package["options"]}
    assert set(options) == {"qip_option1", "qip_option2"}
    chosen = [o for o in options.values() if o["chosen"]]
    assert len(chosen) == 1 and chosen[0]["eatr"] == pytest.approx(package["eatr"])
    assert chosen[0]["eatr"] == min(o["eatr"] for o in options.values())
    assert "special depreciation of 40 % of the cost in year 0" in options["qip_option2"]["path"]
    assert any(a.startswith("elective options: the investor chooses one") for a in package["assumptions"])


def test_viet_nam_and_laos_have_no_options_and_their_packages_are_unchanged(run):
    import json

    code, out, _ = run("check", POLICIES, "--pair", "vn:la", "--park", "none", "--as-of", "2025-06-01",
                       "--format", "json")
    for m in json.loads(out)["measures"]:
        for side in ("a", "b"):
            if m[side].get("package"):
                assert m[side]["package"]["options"] == []


def test_special_depreciation_is_an_initial_allowance_on_the_declining_balance():
    """Hand-computed (anchors §3.2: z_DB = φ(1+i)/(φ+i); initial allowance b0: z' = b0 + (1 − b0)·z)."""
    from harmonize.engine.etr import allowance_values

    i = 1.05 * 1.02 - 1  # 0.071
    z_db = 0.25 * (1 + i) / (0.25 + i)  # 0.834112...
    z, a = allowance_values([0.20], MACHINERY, 0.40)
    assert z == pytest.approx(0.40 + 0.60 * z_db, rel=1e-12)
    assert a == pytest.approx(0.20 * (0.40 + 0.60 * z_db), rel=1e-12)  # flat rate: A = τ·z
    # during a 0 % year the year-0 deduction is lost ('lost' allowances): only later years count
    z0, a0 = allowance_values([0.0, 0.20], MACHINERY, 0.40)
    assert z0 == pytest.approx(z) and a0 == pytest.approx(0.20 * (z - 0.40 - 0.60 * 0.25), rel=1e-12)


@pytest.mark.parametrize("group", sorted(OPTION1))
def test_option2_expense_deduction_is_named_as_not_valued_and_leaves_the_eatr_alone(kh, group):
    from harmonize.engine.taxpath import package_etr

    candidates, notes = package_candidates(kh, AS_OF, Site(sectors=frozenset({group})))
    (two_note,) = [n for n in notes if n.startswith("option qip_option2:")]
    assert "qip_option2_expense_deduction" in two_note and "not valued in the EATR" in two_note
    (one_note,) = [n for n in notes if n.startswith("option qip_option1:")]
    assert "qip_option2_expense_deduction" not in one_note
    two = [c for c in candidates if c.option == "qip_option2"][0]
    valued, flat = etr(two.path.fractions(), MACHINERY, two.special_depreciation), etr([0.20], MACHINERY, 0.40)
    assert valued.eatr == pytest.approx(flat.eatr, rel=1e-12)
    assert valued.npv_allowances == pytest.approx(flat.npv_allowances, rel=1e-12)
    path, _, _ = package_etr(kh, AS_OF, Site(sectors=frozenset({group})), MACHINERY)
    assert two_note in path.assumptions


def test_a_country_without_options_gets_no_not_valued_note():
    ps = load_tree(POLICIES)
    for code in ("vn", "la"):
        _, notes = package_candidates(ps.jurisdictions[code], AS_OF, None)
        assert not [n for n in notes if "not valued in the EATR" in n], code


@pytest.mark.parametrize("group", sorted(OPTION1))
def test_option1_counts_from_the_first_income_not_the_first_profit(kh, group):
    """First revenue in year 2, first profit in year 4: years 0–1 pay the standard 20 %, the exemption
    starts in year 2 (SD 139: counted from the first income), a late profit does not delay it."""
    candidates, _ = package_candidates(kh, AS_OF, Site(sectors=frozenset({group})), first_revenue_year=2,
                                       first_profit_year=4)
    one = [c for c in candidates if c.option == "qip_option1"][0]
    assert list(one.path.rates) == [20.0, 20.0] + OPTION1[group]
