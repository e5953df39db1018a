"""Hypothetical investors run through two jurisdictions' law: year-by-year taxes, PVs, EATR/METR.

Investor archetypes and parameter sets are read by ``policy.scenarios``. Every financial number of an
archetype is an ILLUSTRATIVE ASSUMPTION of a hypothetical investor, never law; results carry that
label. Everything is computed as of one date (the law in force that day is assumed to stay in force),
for any pair of jurisdictions.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional, Sequence

from ..policy.tree import Jurisdiction, PolicySet
from ..policy.models.common import Amount, Strict
from ..policy.models.scenarios import ASSETS, DISCLAIMER, AssetParams, ParameterSet, Scenario, SiteSpec
from ..policy.query import Site, select
from .etr import EtrResult, etr, params_for
from .taxpath import choose_package, package_candidates


# --- results --------------------------------------------------------------------------------


class Year(Strict):
    year: int
    revenue: float
    profit: float
    taxable_profit: float
    cit_rate: float
    cit: float
    dividends: float
    wht_dividends: float
    royalties: float
    wht_royalties: float
    import_duty: float
    land_rent: float


class PresentValues(Strict):
    cit: float
    wht_dividends: float
    wht_royalties: float
    import_duty: float
    land_rent: float
    total: float


class WhtRate(Strict):
    domestic: Optional[float]
    cap: Optional[float]
    effective: float


class AssetEtr(Strict):
    asset: str
    share: float
    eatr: float
    metr: Optional[float]
    cost_of_capital: Optional[float]


class EtrSummary(Strict):
    """Share-weighted over the asset mix; METR from the weighted cost of capital (OECD composite)."""

    eatr: float
    metr: Optional[float]
    cost_of_capital: Optional[float]
    by_asset: list[AssetEtr]


class Sensitivity(Strict):
    """Composite EATR/METR of the chosen package under other real rates and profitabilities."""

    real_rate: float
    profitability: float
    eatr: float
    metr: Optional[float]


class SideResult(Strict):
    jurisdiction: str
    pays_to: str
    zones: list[str]
    sectors: list[str]
    provisions_used: list[str]
    cit_rates_by_tax_year: list[float]
    etr_rate_path: list[float]
    first_revenue_year: int
    first_taxable_profit_year: Optional[int]
    loss_carryforward_years: Optional[float]
    wht_dividends: WhtRate
    wht_royalties: WhtRate
    import_duty_rate: float
    land_rent_exempt_years: list[int]
    years: list[Year]
    present_values: PresentValues
    etr: EtrSummary
    sensitivity: list[Sensitivity]
    assumptions: list[str]


class ParameterInfo(Strict):
    name: str
    title: str
    status: str
    status_note: Optional[str]
    sources: list[str]
    real_rate: float
    inflation: float
    nominal_discount_rate: float
    profitability: float
    allowances_in_holiday: str
    assets: dict[str, AssetParams]


class ScenarioResult(Strict):
    scenario: str
    title: str
    illustrative: Literal[True] = True
    disclaimer: str
    as_of: date
    currency: str
    horizon: int
    parameters: ParameterInfo
    sides: list[SideResult]
    assumptions: list[str]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


# --- computation ----------------------------------------------------------------------------

_MONEY, _RATE = 2, 6


def _m(x: float) -> float:
    return round(x, _MONEY) + 0.0  # + 0.0 turns -0.0 into 0.0 for stable JSON


def _r(x: Optional[float]) -> Optional[float]:
    return None if x is None else round(x, _RATE) + 0.0


def present_value(flows: Sequence[float], rate: float) -> float:
    """PV at the start of year 0 of flows paid in years 0, 1, 2, …"""
    return sum(f / (1 + rate) ** y for y, f in enumerate(flows))


def taxable_after_losses(profits: Sequence[float], carry_years: Optional[float]) -> list[float]:
    """Taxable profit after offsetting losses of up to ``carry_years`` earlier years (oldest first);
    None or 0 = losses are not carried forward."""
    n = int(carry_years or 0)
    pool: list[list[float]] = []  # [year, loss left]
    out = []
    for y, p in enumerate(profits):
        pool = [b for b in pool if y - b[0] <= n and b[1] > 0]
        if p <= 0:
            if n and p < 0:
                pool.append([y, -p])
            out.append(0.0)
            continue
        left = p
        for b in pool:
            used = min(b[1], left)
            b[1] -= used
            left -= used
        out.append(left)
    return out


def _number(raw: Any, favour_high: bool) -> tuple[Optional[float], Optional[str]]:
    """A numeric value, or a range taken at its less favourable end (said so)."""
    if isinstance(raw, bool) or raw is None:
        return None, None
    if isinstance(raw, (int, float)):
        return float(raw), None
    if isinstance(raw, dict) and isinstance(raw.get("min"), (int, float)) and isinstance(raw.get("max"), (int, float)):
        v = float(raw["min"] if favour_high else raw["max"])
        return v, f"a range {raw['min']:g}–{raw['max']:g}: the less favourable end ({v:g}) taken"
    return None, None


def _direction_ok(prov: Any, payer: str, payee: str) -> bool:
    d = prov.conditions.direction
    return d is None or (d.from_ == payer and d.to == payee)


def _best_number(j: Jurisdiction, measure: str, as_of: date, site: Optional[Site], lower_is_better: bool,
                 notes: list[str], payer: Optional[str] = None, payee: Optional[str] = None,
                 ) -> tuple[Optional[float], list[str]]:
    """The most favourable known value of a numeric measure that applies; notes what was skipped."""
    found = []
    for a in select(j, measure, as_of, site).applicable:
        if payer and not _direction_ok(a.provision, payer, payee):
            continue
        v, why = _number(a.value.value, favour_high=not lower_is_better)
        if v is None:
            notes.append(f"{j.code}: {a.provision_id} unknown as of {as_of} (status {a.value.status.value}); skipped")
            continue
        if why:
            notes.append(f"{j.code}: {a.provision_id}: {why}")
        found.append((v if lower_is_better else -v, a.provision_id))
    if not found:
        return None, []
    found.sort()
    best = found[0]
    if len(found) > 1:
        others = ", ".join(pid for _, pid in found[1:])
        notes.append(f"{j.code}: {measure}: most favourable of several taken ({best[1]}; also {others})")
    return (best[0] if lower_is_better else -best[0]), [best[1]]


def _boolean(j: Jurisdiction, measure: str, as_of: date, site: Site, notes: list[str]) -> tuple[Optional[bool], list[str]]:
    vals = []
    for a in select(j, measure, as_of, site).applicable:
        if isinstance(a.value.value, bool):
            vals.append((a.value.value, a.provision_id))
        else:
            notes.append(f"{j.code}: {a.provision_id} unknown as of {as_of}; skipped")
    if not vals:
        return None, []
    hit = [pid for v, pid in vals if v]
    return (True, hit[:1]) if hit else (False, [vals[0][1]])


def bilateral_layers(ps: PolicySet, a: str, b: str) -> list[Jurisdiction]:
    return [j for code, j in sorted(ps.jurisdictions.items())
            if j.kind in ("bilateral", "regional") and {a, b} <= set(j.parties)]


def treaty_cap(ps: PolicySet, measure: str, payer: str, payee: str, as_of: date,
               notes: list[str]) -> tuple[Optional[float], list[str]]:
    """The lowest ceiling any bilateral layer of the pair puts on ``measure`` (None: no cap)."""
    if ps.catalogue is None:
        return None, []
    cap_measures = sorted(code for code, m in ps.catalogue.measures.items()
                          if m.layer == "bilateral" and m.caps == measure)
    best: tuple[Optional[float], list[str]] = (None, [])
    for layer in bilateral_layers(ps, payer, payee):
        for cm in cap_measures:
            v, used = _best_number(layer, cm, as_of, None, True, notes, payer, payee)
            if v is not None and (best[0] is None or v < best[0]):
                best = (v, [f"{layer.code}:{u}" for u in used])
    return best


def _wht(ps: PolicySet, j: Jurisdiction, measure: str, other: str, as_of: date, site: Site,
         notes: list[str]) -> tuple[WhtRate, list[str]]:
    domestic, used = _best_number(j, measure, as_of, site, True, notes, j.code, other)
    cap, cap_used = treaty_cap(ps, measure, j.code, other, as_of, notes)
    if domestic is None:
        eff = cap if cap is not None else 0.0
        notes.append(f"{j.code}: domestic {measure} unknown; "
                     + (f"the treaty cap ({cap:g} %) used as an upper bound" if cap is not None else "counted as 0"))
    else:
        eff = domestic if cap is None else min(domestic, cap)
    return WhtRate(domestic=domestic, cap=cap, effective=eff), used + cap_used


def _land_exempt_years(j: Jurisdiction, as_of: date, site: Site, sc: Scenario,
                       notes: list[str]) -> tuple[list[int], list[str]]:
    during, u1 = _best_number(j, "land_rent_exempt_construction", as_of, site, False, notes)
    after, u2 = _best_number(j, "land_rent_exempt_years", as_of, site, False, notes)
    build = sc.land.construction_years
    exempt = set(range(min(build, int(during or 0))))
    exempt |= set(range(build, build + int(after or 0)))
    if during is None and build:
        notes.append(f"{j.code}: no land-rent exemption during construction known for the site")
    return sorted(y for y in exempt if y < sc.horizon), u1 + u2


def _site(j: Jurisdiction, sc: Scenario, spec: SiteSpec, as_of: date, notes: list[str]) -> Site:

    inv = Amount(amount=sc.investment, currency=sc.currency)
    if j.currency and j.currency != sc.currency:
        if j.currency in sc.fx:
            inv = Amount(amount=sc.investment * sc.fx[j.currency], currency=j.currency)
        else:
            notes.append(f"{j.code}: no exchange rate to {j.currency}; minimum-investment conditions in "
                         f"{j.currency} count as unmet")
    return Site(zones=frozenset(spec.zones), sectors=frozenset(spec.sectors),
                licensed_on=sc.licence_date or as_of, investment=inv, employees=sc.employees,
                export_share=sc.export_share)


def _composite(results: dict[str, EtrResult], shares: dict[str, float], real_rate: float) -> EtrSummary:
    by_asset = [AssetEtr(asset=a, share=_r(shares[a]), eatr=_r(res.eatr), metr=_r(res.metr),
                         cost_of_capital=_r(res.cost_of_capital))
                for a, res in results.items()]
    eatr = sum(shares[a] * res.eatr for a, res in results.items())
    held = [(shares[a], res.cost_of_capital) for a, res in results.items() if shares[a] > 0]
    coc = None if any(p is None for _, p in held) else sum(w * p for w, p in held)
    metr = (coc - real_rate) / coc if coc is not None and abs(coc) > 1e-9 else None
    return EtrSummary(eatr=_r(eatr), metr=_r(metr), cost_of_capital=_r(coc), by_asset=by_asset)


def _etrs(path_fractions: list[float], pset: ParameterSet, special: float = 0.0) -> dict[str, EtrResult]:
    return {a: etr(path_fractions, params_for(pset, a), special) for a in ASSETS}


SENSITIVITY_GRID = ((3.0, 10.0), (3.0, 20.0), (5.0, 10.0), (5.0, 20.0))  # (r, p) in percent, anchors §3.5


def sensitivity(path_fractions: list[float], pset: ParameterSet, shares: dict[str, float],
                special: float = 0.0) -> list[Sensitivity]:
    out = []
    for r, p in SENSITIVITY_GRID:
        varied = pset.model_copy(update={"real_rate": r, "profitability": p})
        comp = _composite(_etrs(path_fractions, varied, special), shares, r / 100)
        out.append(Sensitivity(real_rate=r, profitability=p, eatr=comp.eatr, metr=comp.metr))
    return out


def simulate_side(ps: PolicySet, sc: Scenario, side: str, other: str, as_of: date,
                  pset: ParameterSet) -> SideResult:
    """One side of the pair: what the hypothetical investor pays under ``side``'s law."""
    j = ps.jurisdictions.get(side)
    if j is None:
        raise ValueError(f"no jurisdiction '{side}' in the policy tree")
    spec = sc.sites.get(side)
    if spec is None:
        raise ValueError(f"the scenario has no site for '{side}' (it has {', '.join(sorted(sc.sites))})")
    notes: list[str] = []
    if spec.note:
        notes.append(f"{side}: site: {spec.note}")
    site = _site(j, sc, spec, as_of, notes)
    revenue, profit = sc.yearly(sc.revenue), sc.yearly(sc.profit)
    carry, carry_used = _best_number(j, "loss_carryforward_years", as_of, site, False, notes)
    if carry is None:
        notes.append(f"{side}: loss carry-forward unknown: losses not carried forward")
    taxable = taxable_after_losses(profit, carry)
    first_revenue = next(y for y, v in enumerate(revenue) if v > 0) if any(v > 0 for v in revenue) else sc.horizon
    first_profit = next((y for y, v in enumerate(taxable) if v > 0), None)

    # The package is valued (EATR/METR) on the standard convention, revenue and profit from
    # year 0, as the scoring does; the yearly table then applies it to this investor's timeline.
    std, cnotes = package_candidates(j, as_of, site)
    shares = sc.assets.shares()
    per_candidate = [_etrs(c.path.fractions(), pset, c.special_depreciation) for c in std]
    scores = [sum(shares[a] * r.eatr for a, r in res.items()) for res in per_candidate]
    k, std_path = choose_package(std, cnotes, scores)
    results = per_candidate[k]
    timeline, _ = package_candidates(j, as_of, site, first_revenue,
                                     sc.horizon if first_profit is None else first_profit)
    path = timeline[k].path  # same provisions: candidates come in the same order
    if std[k].special_depreciation:
        notes.append(f"{side}: special depreciation ({std[k].special_depreciation * 100:g} % of cost in year 0) is "
                     f"valued in the EATR/METR; the yearly CIT below uses the scenario's profits as given "
                     f"(after normal depreciation) and does not shift them")
    for n in (*std_path.assumptions, *path.assumptions):
        notes.append(n if n.startswith(f"{side}: ") else f"{side}: {n}")

    div_rate, div_used = _wht(ps, j, "wht_dividends", other, as_of, site, notes)
    roy_rate, roy_used = _wht(ps, j, "wht_royalties", other, as_of, site, notes)
    exempt_duty, duty_used = _boolean(j, "import_duty_exempt_fixed_assets", as_of, site, notes)
    duty_rate = 0.0 if exempt_duty else sc.assumed_import_duty
    if exempt_duty is None:
        notes.append(f"{side}: import-duty exemption on fixed assets unknown for the site: "
                     f"the scenario's assumed duty ({sc.assumed_import_duty:g} %) paid")
    exempt_years, land_used = _land_exempt_years(j, as_of, site, sc, notes)
    rent_m2 = spec.land_rent_per_m2_year if spec.land_rent_per_m2_year is not None else sc.land.rent_per_m2_year
    annual_rent = sc.land.area_m2 * rent_m2
    duty = sc.investment * sc.assets.machinery / 100 * sc.imported_equipment_share / 100 * duty_rate / 100

    years = []
    for y in range(sc.horizon):
        rate = path.rate(y)
        cit = taxable[y] * rate / 100
        dividends = max(profit[y] - cit, 0.0) * sc.dividend_payout / 100
        royalties = revenue[y] * sc.royalties / 100
        years.append(Year(
            year=y, revenue=_m(revenue[y]), profit=_m(profit[y]), taxable_profit=_m(taxable[y]),
            cit_rate=_r(rate), cit=_m(cit), dividends=_m(dividends),
            wht_dividends=_m(dividends * div_rate.effective / 100), royalties=_m(royalties),
            wht_royalties=_m(royalties * roy_rate.effective / 100), import_duty=_m(duty if y == 0 else 0.0),
            land_rent=_m(0.0 if y in exempt_years else annual_rent)))
    i = pset.nominal_rate
    pv = {f: present_value([getattr(row, f) for row in years], i)
          for f in ("cit", "wht_dividends", "wht_royalties", "import_duty", "land_rent")}
    pvs = PresentValues(**{k2: _m(v) for k2, v in pv.items()}, total=_m(sum(pv.values())))
    used = list(std[k].provision_ids) + carry_used + div_used + roy_used + duty_used + land_used
    horizon_rates = [_r(path.rate(y)) for y in range(max(len(path.rates), 1))]
    return SideResult(
        jurisdiction=side, pays_to=other, zones=sorted(spec.zones), sectors=sorted(spec.sectors),
        provisions_used=list(dict.fromkeys(used)), cit_rates_by_tax_year=horizon_rates,
        etr_rate_path=[_r(x) for x in std_path.rates],
        first_revenue_year=first_revenue, first_taxable_profit_year=first_profit,
        loss_carryforward_years=carry, wht_dividends=div_rate, wht_royalties=roy_rate,
        import_duty_rate=duty_rate, land_rent_exempt_years=exempt_years, years=years,
        present_values=pvs, etr=_composite(results, shares, pset.real_rate / 100),
        sensitivity=sensitivity(std_path.fractions(), pset, shares, std[k].special_depreciation),
        assumptions=list(dict.fromkeys(notes)))


def simulate(ps: PolicySet, name: str, sc: Scenario, pair: tuple[str, str], as_of: date,
             set_name: str, pset: ParameterSet) -> ScenarioResult:
    """Both sides of a pair for one archetype. Raises ValueError on a pair the scenario cannot run."""
    a, b = pair
    if a == b:
        raise ValueError("the pair needs two different jurisdictions")
    sides = [simulate_side(ps, sc, a, b, as_of, pset), simulate_side(ps, sc, b, a, as_of, pset)]
    common = [
        DISCLAIMER,
        f"law in force on {as_of} assumed to stay in force for the whole horizon",
        "tax years counted from the investment year (year 0); the rate path's last rate applies after it",
        "EATR/METR: Klemm (2008) permanent investment, equity finance, no personal taxes, revenue and "
        "profit from the investment year (standard convention); composite weighted by the asset mix",
        "yearly CIT: the same package applied to the scenario's own revenue and profit timeline",
        "royalties and dividends are paid to a parent resident in the other country of the pair",
        "where several incentives apply, the combination with the lowest composite EATR is taken",
    ]
    if sc.note:
        common.append(sc.note)
    info = ParameterInfo(
        name=set_name, title=pset.title, status=pset.status.value, status_note=pset.status_note,
        sources=list(pset.sources), real_rate=pset.real_rate, inflation=pset.inflation,
        nominal_discount_rate=_r(pset.nominal_rate * 100), profitability=pset.profitability,
        allowances_in_holiday=pset.allowances_in_holiday, assets=dict(sorted(pset.assets.items())))
    return ScenarioResult(scenario=name, title=sc.title.en, disclaimer=sc.disclaimer, as_of=as_of,
                          currency=sc.currency, horizon=sc.horizon, parameters=info, sides=sides,
                          assumptions=common)
