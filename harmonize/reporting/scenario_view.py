"""The investor-scenario part of a report's view model (see view.py)."""

from __future__ import annotations

from typing import Any

from .charts import grouped_bars
from .labels import anchor, text
from .values import scenario_disclaimer

TAX_FIELDS = ("cit", "wht_dividends", "wht_royalties", "import_duty")
YEAR_FIELDS = ("revenue", "profit", "taxable_profit", "cit_rate", "cit", "wht_dividends", "wht_royalties",
               "import_duty", "land_rent")


def scenarios_view(lk: Any, sets, scenario_models: dict) -> list[dict]:
    """The investor scenarios of a report as plain data: per pair, each scenario's sides with their
    sites, effective tax rates, present values and tax by year (``lk``: the view's lookup)."""
    out = []
    for sset in sets:
        results = []
        for res in sset.results:
            model = scenario_models.get(res.scenario)
            sides = []
            for s in res.sides:
                years = []
                for y in s.years:
                    row = {f: getattr(y, f) for f in YEAR_FIELDS}
                    row["year"] = y.year
                    row["total"] = sum(getattr(y, f) for f in TAX_FIELDS)
                    years.append(row)
                sides.append({"jurisdiction": s.jurisdiction, "name": lk.jname(s.jurisdiction),
                              "pays_to": lk.jname(s.pays_to), "zones": lk.places(s.jurisdiction, "zones", s.zones),
                              "sectors": lk.places(s.jurisdiction, "sectors", s.sectors),
                              "eatr": s.etr.eatr * 100, "metr": None if s.etr.metr is None else s.etr.metr * 100,
                              "coc": None if s.etr.cost_of_capital is None else s.etr.cost_of_capital * 100,
                              "pv": s.present_values, "years": years,
                              "tax_total": sum(r["total"] for r in years),
                              "wht_dividends": s.wht_dividends, "wht_royalties": s.wht_royalties,
                              "import_duty_rate": s.import_duty_rate, "exempt_years": s.land_rent_exempt_years,
                              "provisions": s.provisions_used, "assumptions": s.assumptions})
            chart = grouped_bars([y["year"] for y in sides[0]["years"]] if sides else [],
                                 [[y["total"] for y in s["years"]] for s in sides])
            # the first pair keeps the plain anchor; later pairs add theirs so that ids stay unique
            name = res.scenario if not out else f"{'-'.join(sset.pair)}-{res.scenario}"
            results.append({"scenario": res.scenario, "anchor": anchor("scenario", name),
                            "title": text(model.title if model is not None else res.title, lk.lang),
                            "disclaimer": scenario_disclaimer(res.disclaimer, lk.lang), "currency": res.currency,
                            "horizon": res.horizon,
                            "parameters": res.parameters, "sides": sides, "chart": chart,
                            "assumptions": res.assumptions})
        out.append({"pair": sset.pair, "names": [lk.jname(c) for c in sset.pair], "as_of": sset.as_of,
                    "parameter_set": sset.parameter_set, "results": results, "problems": sset.problems,
                    "parameters": results[0]["parameters"] if results else None})
    return out
