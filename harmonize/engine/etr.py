"""Forward-looking effective tax rates (EATR, METR) for a path of statutory CIT rates.

Devereux–Griffith (2003) for a constant rate, extended by Klemm (2008, IMF WP/08/56) to a
permanent investment so that holidays and reduced-rate periods can be valued: invest 1 in year 0;
capital left at the start of year t is (1 − δ)^t and yields (p + δ)(1 − δ)^t in year t + 1, taxed at
τ_{t+1}. Allowances are on historic cost, so they are discounted at the nominal rate. Equity
(retained-earnings) finance, no personal taxes. All rates are fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Optional, Sequence

DepreciationMethod = Literal["db", "sl"]
HolidayAllowances = Literal["lost", "carry_forward"]

BRACKET = (-0.5, 2.0)  # where the cost of capital is searched (anchors doc §3.4)
_TOL = 1e-13
_UNDEFINED = 1e-9  # |p̃| below this: METR undefined (OECD reports it missing)


@dataclass(frozen=True)
class EtrParams:
    """Economic parameters of the hypothetical investment (fractions, not percent).

    ``tax_depreciation_rate`` is the declining-balance rate (``db``) or the yearly straight-line
    share (``sl``, e.g. 0.1 = 10 years); allowances start in year 0. ``allowances_in_holiday``:
    ``lost`` (deductions in a 0 % year are worth nothing) or ``carry_forward`` (claimed in the
    first later year with a positive rate, without interest).
    """

    real_rate: float
    inflation: float
    profitability: float
    econ_depreciation: float
    tax_depreciation_rate: float
    tax_depreciation_method: DepreciationMethod = "db"
    allowances_in_holiday: HolidayAllowances = "lost"

    def __post_init__(self) -> None:
        if not 0 <= self.econ_depreciation <= 1:
            raise ValueError("econ_depreciation must lie in [0, 1]")
        if self.real_rate + self.econ_depreciation <= 0 or self.real_rate <= -1:
            raise ValueError("real_rate + econ_depreciation must be positive")
        if self.profitability <= 0:
            raise ValueError("profitability must be positive (the EATR divides by it)")
        if self.nominal_rate <= -1:
            raise ValueError("the nominal rate must exceed -100 %")
        if not 0 < self.tax_depreciation_rate <= 1:
            raise ValueError("tax_depreciation_rate must lie in (0, 1]")
        if self.tax_depreciation_method not in ("db", "sl"):
            raise ValueError(f"unknown tax_depreciation_method {self.tax_depreciation_method!r}")
        if self.tax_depreciation_method == "db" and self.tax_depreciation_rate + self.nominal_rate <= 0:
            raise ValueError("declining-balance allowances diverge when rate + nominal rate <= 0")
        if self.allowances_in_holiday not in ("lost", "carry_forward"):
            raise ValueError(f"unknown allowances_in_holiday {self.allowances_in_holiday!r}")

    @property
    def nominal_rate(self) -> float:
        return (1 + self.real_rate) * (1 + self.inflation) - 1


def params_for(pset, asset: str = "machinery") -> EtrParams:
    """EtrParams of one asset of a parameter set as read from a parameters file (percent → fraction)."""
    a = pset.assets[asset]
    return EtrParams(pset.real_rate / 100, pset.inflation / 100, pset.profitability / 100,
                     a.econ_depreciation / 100, a.tax_depreciation_rate / 100,
                     a.tax_depreciation_method, pset.allowances_in_holiday)


@dataclass(frozen=True)
class EtrResult:
    """``metr`` and ``cost_of_capital`` are None when undefined (p̃ ≈ 0 or outside the bracket).
    ``npv_allowances``: present value of the deductions per unit invested (z, rate-free);
    ``allowance_tax_value``: A, the tax they save along the rate path."""

    eatr: float
    metr: Optional[float]
    cost_of_capital: Optional[float]
    npv_allowances: float
    allowance_tax_value: float


def _rate(rates: Sequence[float], s: int) -> float:
    return rates[s] if s < len(rates) else rates[-1]


def _deductions(params: EtrParams, years: int) -> list[float]:
    """d_s for s < years (share of cost deductible in year s)."""
    phi = params.tax_depreciation_rate
    if params.tax_depreciation_method == "db":
        return [phi * (1 - phi) ** s for s in range(years)]
    out, left = [], 1.0
    for _ in range(years):
        d = min(phi, left)
        out.append(d)
        left -= d
    return out


def _sl_years(params: EtrParams) -> int:
    return math.ceil(1 / params.tax_depreciation_rate - 1e-12)


def allowance_values(rates: Sequence[float], params: EtrParams,
                     special_depreciation: float = 0.0) -> tuple[float, float]:
    """(z, A): PV of deductions per unit, and PV of the tax they save along the path.

    ``special_depreciation`` (a fraction of cost) is deducted in year 0 on top of normal
    allowances on the rest: it changes the allowance path, never the rate path."""
    if not 0 <= special_depreciation <= 1:
        raise ValueError("special_depreciation is a fraction of cost in [0, 1]")
    i = params.nominal_rate
    n = len(rates)
    sl = params.tax_depreciation_method == "sl"
    explicit = max(n, _sl_years(params)) if sl else n
    rest = 1 - special_depreciation
    d = [rest * x for x in _deductions(params, explicit)]
    d[0] += special_depreciation
    z = a = 0.0
    pending = 0.0  # deductions carried out of 0 % years
    carry = params.allowances_in_holiday == "carry_forward"
    for s, ds in enumerate(d):
        disc = (1 + i) ** -s
        z += ds * disc
        tau = _rate(rates, s)
        if carry and tau == 0:
            pending += ds
            continue
        a += tau * (ds + pending) * disc
        pending = 0.0
    if not sl:  # geometric tail of declining balance, last rate for ever
        phi = params.tax_depreciation_rate
        h = (1 - phi) / (1 + i)
        if h > 0:
            tail = rest * phi * h ** explicit / (1 - h)
            z += tail
            a += _rate(rates, explicit) * tail
    return z, a


def _after_tax_income_factor(rates: Sequence[float], params: EtrParams) -> float:
    """S = Σ_t (1 − δ)^t (1 − τ_{t+1}) / (1 + r)^{t+1}, so that V(p) = (p + δ)·S − 1 + A."""
    r, delta = params.real_rate, params.econ_depreciation
    g = (1 - delta) / (1 + r)
    n = len(rates)
    s = sum(g ** t * (1 - _rate(rates, t + 1)) for t in range(n)) / (1 + r)
    tail = (1 - rates[-1]) * g ** n / ((1 + r) * (1 - g))  # t ≥ n: τ is the last rate
    return s + tail


def _bisect(f, lo: float, hi: float) -> Optional[float]:
    flo, fhi = f(lo), f(hi)
    if flo == 0:
        return lo
    if fhi == 0:
        return hi
    if (flo > 0) == (fhi > 0):
        return None
    for _ in range(200):
        mid = (lo + hi) / 2
        fm = f(mid)
        if fm == 0 or hi - lo < _TOL:
            return mid
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


def etr(rates: Sequence[float], params: EtrParams, special_depreciation: float = 0.0) -> EtrResult:
    """EATR and METR of a permanent investment under the rate path ``rates``.

    ``rates[s]`` is the statutory rate (fraction) of tax year s counted from the investment year
    (s = 0); beyond the list the last rate applies for ever. ``special_depreciation``: a share of
    cost deducted in year 0 besides normal allowances on the rest (see ``allowance_values``).
    """
    if not rates:
        raise ValueError("a rate path needs at least one rate")
    if any(not 0 <= t <= 1 for t in rates):
        raise ValueError("rates are fractions in [0, 1]")
    r, delta, p = params.real_rate, params.econ_depreciation, params.profitability
    z, a = allowance_values(rates, params, special_depreciation)
    s = _after_tax_income_factor(rates, params)

    def value(pp: float) -> float:
        return (pp + delta) * s - 1 + a

    v_star = (p - r) / (r + delta)
    eatr = (v_star - value(p)) / (p / (r + delta))
    p_tilde = _bisect(value, *BRACKET)
    metr = None
    if p_tilde is not None and abs(p_tilde) > _UNDEFINED:
        metr = (p_tilde - r) / p_tilde
    return EtrResult(eatr, metr, p_tilde, z, a)


def closed_form(tau: float, params: EtrParams) -> EtrResult:
    """Devereux–Griffith constant-rate closed form (anchors doc §3.3), declining balance only."""
    if params.tax_depreciation_method != "db":
        raise ValueError("the closed form here covers declining-balance allowances")
    r, delta, p, i = params.real_rate, params.econ_depreciation, params.profitability, params.nominal_rate
    phi = params.tax_depreciation_rate
    z = phi * (1 + i) / (phi + i)
    a = tau * z
    eatr = (tau * (p + delta) - a * (r + delta)) / p
    p_tilde = (1 - a) * (r + delta) / (1 - tau) - delta if tau < 1 else None
    metr = (p_tilde - r) / p_tilde if p_tilde is not None and abs(p_tilde) > _UNDEFINED else None
    return EtrResult(eatr, metr, p_tilde, z, a)
