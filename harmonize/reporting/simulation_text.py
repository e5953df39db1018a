"""The terminal report of investor simulations: per archetype and side, taxes year by year,
present values, EATR/METR, the parameter set and every assumption."""

from __future__ import annotations

from .escape import one_line
from .values import scenario_disclaimer

_COLUMNS = (("year", "year", 4), ("revenue", "revenue", 13), ("profit", "profit", 12),
            ("taxable_profit", "taxable", 12), ("cit_rate", "CIT %", 6), ("cit", "CIT", 11),
            ("wht_dividends", "WHT div", 10), ("wht_royalties", "WHT roy", 10),
            ("import_duty", "duty", 10), ("land_rent", "land rent", 10))


def _pct(x) -> str:
    return "n/a" if x is None else f"{x * 100:.2f} %"


def _num(x: float) -> str:
    return f"{x:,.0f}"


def _side_text(side, currency: str, discount: float) -> list[str]:
    out = [f"-- {side.jurisdiction} (pays dividends and royalties to {side.pays_to}); "
           f"zones {', '.join(side.zones) or '-'}; sectors {', '.join(side.sectors) or '-'}"]
    out.append(f"   provisions used: {', '.join(side.provisions_used)}")
    rates = side.cit_rates_by_tax_year
    out.append(f"   CIT rate by tax year (%): {' '.join(f'{r:g}' for r in rates)} (last rate thereafter)")
    w = side.wht_dividends, side.wht_royalties

    def wht(x) -> str:
        dom = "unknown" if x.domestic is None else f"{x.domestic:g} %"
        cap = "none" if x.cap is None else f"{x.cap:g} %"
        return f"domestic {dom}, treaty cap {cap} -> {x.effective:g} %"

    out.append(f"   WHT on dividends: {wht(w[0])}; on royalties: {wht(w[1])}")
    exempt = ", ".join(str(y) for y in side.land_rent_exempt_years) or "none"
    out.append(f"   import duty on imported equipment: {side.import_duty_rate:g} %; land rent exempt in years: {exempt}")
    out.append(f"   ({currency}, illustrative)")
    out.append("   " + " ".join(title.rjust(width) for _, title, width in _COLUMNS))
    for row in side.years:
        cells = []
        for key, _, width in _COLUMNS:
            v = getattr(row, key)
            cells.append((str(v) if key == "year" else f"{v:g}" if key == "cit_rate" else _num(v)).rjust(width))
        out.append("   " + " ".join(cells))
    pv = side.present_values
    out.append(f"   PV at {discount:.2f} %: CIT {_num(pv.cit)}, WHT dividends {_num(pv.wht_dividends)}, "
               f"WHT royalties {_num(pv.wht_royalties)}, import duty {_num(pv.import_duty)}, "
               f"land rent {_num(pv.land_rent)}; total {_num(pv.total)} {currency}")
    e = side.etr
    per = "; ".join(f"{a.asset} {a.share * 100:g} %: EATR {_pct(a.eatr)}, METR {_pct(a.metr)}" for a in e.by_asset)
    out.append(f"   EATR {_pct(e.eatr)}  METR {_pct(e.metr)}  cost of capital {_pct(e.cost_of_capital)}  ({per})")
    out.append(f"   EATR rate path (%): {' '.join(f'{r:g}' for r in side.etr_rate_path)}")
    grid = "; ".join(f"r {g.real_rate:g} %, p {g.profitability:g} %: {_pct(g.eatr)} / {_pct(g.metr)}"
                     for g in side.sensitivity)
    out.append(f"   sensitivity, EATR / METR: {grid}")
    if side.assumptions:
        out.append("   assumptions:")
        out += [f"     - {a}" for a in side.assumptions]
    return out


def render_text(results) -> str:
    out: list[str] = []
    for r in results:
        p = r.parameters
        out.append(f"== {r.scenario}: {r.title}")
        out.append(f"   {scenario_disclaimer(r.disclaimer, 'en')['text']}")
        out.append(f"   law as of {r.as_of}; horizon {r.horizon} years; money in {r.currency}")
        out.append(f"   parameters {p.name}: {p.title} [status {p.status}] r {p.real_rate:g} %, "
                   f"inflation {p.inflation:g} %, nominal discount {p.nominal_discount_rate:.2f} %, "
                   f"p {p.profitability:g} %, allowances in holidays {p.allowances_in_holiday}")
        assets = "; ".join(f"{k}: delta {a.econ_depreciation:g} %, tax {a.tax_depreciation_rate:g} % "
                           f"{a.tax_depreciation_method}" for k, a in p.assets.items())
        out.append(f"   assets: {assets}")
        if p.status_note:
            out.append(f"   parameter status: {p.status_note}")
        out.append(f"   sources: {', '.join(p.sources)}")
        for side in r.sides:
            out += _side_text(side, r.currency, p.nominal_discount_rate)
        out.append("   general assumptions:")
        out += [f"     - {a}" for a in r.assumptions]
        out.append("")
    return "\n".join(one_line(x) for x in out)
