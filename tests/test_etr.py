"""EATR/METR: the anchors doc's test vectors (§3.4), the sanity checks of §3.3, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmonize.engine.etr import EtrParams, closed_form, etr

# r 5 %, π 2 %, δ 17.5 %, tax depreciation 25 % DB from year 0, p 20 %, allowances lost in holidays.
VECTOR_PARAMS = EtrParams(real_rate=0.05, inflation=0.02, profitability=0.20,
                          econ_depreciation=0.175, tax_depreciation_rate=0.25)


def _path(*segments: tuple[float, int]) -> list[float]:
    out: list[float] = []
    for rate, years in segments:
        out += [rate] * years
    return out


VECTORS = [
    # (path, EATR %, p̃ %, METR %) as printed in the anchors table
    (_path((0.20, 1)), 18.73, 5.933, 15.73),
    (_path((0.0, 4), (0.10, 9), (0.20, 1)), 7.78, 5.789, 13.63),
    (_path((0.0, 4), (0.05, 9), (0.10, 2), (0.20, 1)), 4.49, 5.455, 8.34),
]


@pytest.mark.parametrize("path,eatr,ptilde,metr", VECTORS)
def test_anchor_vectors(path, eatr, ptilde, metr):
    res = etr(path, VECTOR_PARAMS)
    assert round(res.eatr * 100, 2) == eatr
    assert round(res.cost_of_capital * 100, 3) == ptilde
    assert round(res.metr * 100, 2) == metr


@pytest.mark.parametrize("tau", [0.0, 0.1, 0.2, 0.35])
def test_constant_rate_equals_closed_form(tau):
    a, b = etr([tau], VECTOR_PARAMS), closed_form(tau, VECTOR_PARAMS)
    assert a.eatr == pytest.approx(b.eatr, abs=1e-12)
    assert a.cost_of_capital == pytest.approx(b.cost_of_capital, abs=1e-11)
    assert a.npv_allowances == pytest.approx(b.npv_allowances, abs=1e-12)
    if b.metr is not None:
        assert a.metr == pytest.approx(b.metr, abs=1e-10)


def test_long_constant_path_equals_one_rate():
    assert etr([0.2] * 50, VECTOR_PARAMS).eatr == pytest.approx(etr([0.2], VECTOR_PARAMS).eatr, abs=1e-12)


def test_allowances_equal_economic_depreciation():
    # A = τ·δ/(r+δ): pick the DB rate φ with φ(1+i)/(φ+i) = δ/(r+δ), i.e. true economic depreciation
    # in nominal terms at historic cost (then EATR = METR = τ).
    r, pi, delta = 0.05, 0.02, 0.175
    i = (1 + r) * (1 + pi) - 1
    target = delta / (r + delta)
    phi = target * i / (1 + i - target)
    params = EtrParams(r, pi, 0.20, delta, phi)
    res = etr([0.2], params)
    assert res.eatr == pytest.approx(0.2, abs=1e-12)
    assert res.metr == pytest.approx(0.2, abs=1e-10)


def test_immediate_expensing_gives_zero_metr():
    params = EtrParams(0.05, 0.02, 0.20, 0.175, tax_depreciation_rate=1.0)
    res = etr([0.25], params)
    assert res.metr == pytest.approx(0.0, abs=1e-10)
    assert res.cost_of_capital == pytest.approx(0.05, abs=1e-12)
    high_p = etr([0.25], EtrParams(0.05, 0.02, 50.0, 0.175, 1.0))
    assert high_p.eatr == pytest.approx(0.25, abs=1e-3)  # EATR → τ as p grows


def test_zero_tax_and_metr_undefined():
    res = etr([0.0], VECTOR_PARAMS)
    assert res.eatr == pytest.approx(0.0, abs=1e-12) and res.metr == pytest.approx(0.0, abs=1e-9)
    # cost of capital ≈ 0 ⇒ METR undefined, not a division by zero
    params = EtrParams(real_rate=0.0, inflation=0.0, profitability=0.1, econ_depreciation=0.1,
                       tax_depreciation_rate=1.0)
    res = etr([0.2], params)
    assert res.cost_of_capital == pytest.approx(0.0, abs=1e-9)
    assert res.metr is None


def test_straight_line_and_carry_forward():
    sl = EtrParams(0.05, 0.02, 0.2, 0.175, 0.1, tax_depreciation_method="sl")
    res = etr([0.2], sl)
    i = sl.nominal_rate
    assert res.npv_allowances == pytest.approx((1 + i) * (1 - (1 + i) ** -10) / (10 * i), abs=1e-12)
    holiday = _path((0.0, 4), (0.2, 1))
    lost = etr(holiday, VECTOR_PARAMS)
    kept = etr(holiday, EtrParams(0.05, 0.02, 0.2, 0.175, 0.25, allowances_in_holiday="carry_forward"))
    assert kept.eatr < lost.eatr and kept.metr < lost.metr


@pytest.mark.parametrize("bad", [
    dict(profitability=0.0), dict(econ_depreciation=1.5), dict(tax_depreciation_rate=0.0),
    dict(real_rate=-0.2, econ_depreciation=0.1), dict(tax_depreciation_method="xx"),
])
def test_bad_params_rejected(bad):
    base = dict(real_rate=0.05, inflation=0.02, profitability=0.2, econ_depreciation=0.175,
                tax_depreciation_rate=0.25)
    with pytest.raises(ValueError):
        EtrParams(**{**base, **bad})


def test_bad_rates_rejected():
    with pytest.raises(ValueError):
        etr([], VECTOR_PARAMS)
    with pytest.raises(ValueError):
        etr([20.0], VECTOR_PARAMS)  # percent, not a fraction


rates = st.floats(min_value=0.0, max_value=0.5, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(rates, st.lists(st.tuples(rates, rates), min_size=1, max_size=30))
def test_lower_path_has_lower_eatr(year0, pairs):
    # Same year-0 rate on both paths: year 0 carries allowances but no income, so a higher year-0
    # rate alone only makes the deductions worth more (see the next test).
    low = [year0] + [min(a, b) for a, b in pairs]
    high = [year0] + [max(a, b) for a, b in pairs]
    assert etr(low, VECTOR_PARAMS).eatr <= etr(high, VECTOR_PARAMS).eatr + 1e-12


def test_year0_rate_alone_is_not_monotone():
    # Why the property above fixes year 0: a taxed investment year followed by a holiday beats
    # a holiday from year 0 (the year-0 deduction is worth τ_0·d_0 and no income is taxed yet).
    assert etr([0.5, 0.0], VECTOR_PARAMS).eatr < etr([0.0, 0.0], VECTOR_PARAMS).eatr
