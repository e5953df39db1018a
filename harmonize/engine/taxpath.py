"""A side's corporate income tax package → the statutory rate of each tax year, and its EATR.

Tax years are counted from the investment year (year 0). Semantics of the schedule measures:

- ``cit_preferential_rate``: its ``rate`` phases replace the standard rate from its start event;
- ``cit_holiday`` (and any ``exempt``/``reduction`` phase): exempt → 0; ``reduction: x`` →
  base rate × (1 − x/100), the base rate being the preferential rate in force that year, else the
  standard rate;
- ``years: null`` runs for ever; each schedule's clock runs from its own start event and is never
  restarted or paused by another schedule (a holiday does not lengthen a 15-year preferential rate).

Elective options: provisions may belong to an ``option`` (the investor chooses one, e.g. a
profit-tax exemption *or* special depreciation). Candidates are built per option from that
option's provisions plus those without an option, never mixing two options; the lowest EATR is
taken and the others are named. ``cit_special_depreciation`` (a share of cost deducted in the
first year) changes the allowance path of the EATR model, not the rate path. Anything else an
option grants (a deduction of up to 200 % of specified current expenses, a prepayment-tax
exemption) is not valued: the model invests in capital only and has no current-expense base, and
the scenarios carry pre-tax profit without expense lines. Such provisions are named in a note
(the option's EATR leaves them out), never silently dropped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional, Sequence

from pydantic import ValidationError

from ..policy.tree import Jurisdiction
from ..policy.models import Schedule
from ..policy.models.policy import StartEvent
from ..policy.query import Applicable, Site, select
from .etr import EtrParams, EtrResult, etr

STANDARD, PREFERENTIAL, HOLIDAY = "cit_standard_rate", "cit_preferential_rate", "cit_holiday"
SPECIAL_DEPRECIATION = "cit_special_depreciation"
VALUED = (STANDARD, PREFERENTIAL, HOLIDAY, SPECIAL_DEPRECIATION)  # what a package's EATR takes in


@dataclass(frozen=True)
class TaxPath:
    """Statutory CIT rate (percent) of tax years 0..horizon-1; after the horizon the last rate
    applies for ever. ``assumptions`` say, in words, what the path rests on beyond the law."""

    rates: tuple[float, ...]
    assumptions: tuple[str, ...] = ()

    def fractions(self) -> list[float]:
        return [r / 100 for r in self.rates]

    def rate(self, year: int) -> float:
        return self.rates[year] if year < len(self.rates) else self.rates[-1]

    def tax(self, profits: Sequence[float]) -> list[float]:
        """Tax of each year on a profit path (no tax on losses; loss carry-forward not modelled)."""
        return [max(p, 0.0) * self.rate(y) / 100 for y, p in enumerate(profits)]


def start_year(schedule: Schedule, first_revenue_year: int, first_profit_year: int) -> tuple[int, Optional[str]]:
    """The tax year a schedule's clock starts, and the assumption it took to decide it (if any)."""
    ev = schedule.start
    note = None
    if ev in (StartEvent.first_taxable_profit, StartEvent.first_profit):
        year = first_profit_year
    elif ev is StartEvent.first_revenue:
        year = first_revenue_year
    elif ev in (StartEvent.licence_date, StartEvent.investment_year):
        year = 0
    elif ev is StartEvent.operation_start:
        year = first_revenue_year
        note = "start 'operation_start' taken as the first revenue year"
    else:
        year = first_revenue_year
        note = "start event not verified: assumed the first revenue year"
    if schedule.latest_start_year is not None:
        latest = first_revenue_year + schedule.latest_start_year - 1
        if year > latest:
            year = latest
            note = (f"clock started in project year {schedule.latest_start_year} at the latest "
                    f"(year {latest}), before the first profit")
    return year, note


def _phase_years(schedule: Schedule, start: int, horizon: int):
    """(year, phase) for every year a phase covers inside [0, horizon)."""
    y = start
    for phase in schedule.phases:
        end = horizon if phase.years is None else min(horizon, y + phase.years)
        for year in range(max(y, 0), end):
            yield year, phase
        if phase.years is None:
            return
        y += phase.years


def schedule_length(schedule: Schedule) -> int:
    """Years covered by the schedule's finite phases (up to a ``years: null`` phase)."""
    total = 0
    for phase in schedule.phases:
        if phase.years is None:
            break
        total += phase.years
    return total


def cit_rate_path(standard_rate: float, preferential: Optional[Schedule], holiday: Optional[Schedule],
                  horizon: int, first_revenue_year: int = 0, first_profit_year: int = 0) -> TaxPath:
    """The statutory rate (percent) of each tax year 0..horizon-1 of one CIT package."""
    if horizon < 1:
        raise ValueError("horizon must be at least 1 year")
    if not 0 <= standard_rate <= 100:
        raise ValueError("standard_rate is a percentage in [0, 100]")
    notes: list[str] = []
    base = [float(standard_rate)] * horizon
    factor: list[Optional[float]] = [None] * horizon  # holiday multiplier of the base rate
    of_standard = [False] * horizon  # the reduction reads the standard rate, not the preferential one
    pref_years: set[int] = set()
    overlap = False
    for label, sched in (("preferential rate", preferential), ("holiday", holiday)):
        if sched is None:
            continue
        start, note = start_year(sched, first_revenue_year, first_profit_year)
        if note:
            notes.append(f"{label}: {note}")
        for year, phase in _phase_years(sched, start, horizon):
            if phase.rate is not None:
                base[year] = phase.rate
                pref_years.add(year)
                continue
            f = 0.0 if phase.exempt else 1 - phase.reduction / 100
            if factor[year] is not None and factor[year] != f:
                notes.append(f"year {year}: two exemption/reduction phases overlap; the larger relief taken")
            factor[year] = f if factor[year] is None else min(factor[year], f)
            if phase.reduction is not None and year in pref_years:
                overlap = True
                of_standard[year] = sched.reduction_of == "standard_rate"
    if overlap and holiday is not None:
        if holiday.reduction_of is None:
            notes.append("a reduction phase meets a preferential rate and the law data does not say which rate it "
                          "reduces: the rate in force (the preferential one) assumed")
        elif holiday.reduction_of == "standard_rate":
            notes.append("the reduction applies to the standard rate, as the law says ('of the normal rate'), "
                         "not to the preferential rate")
    rates = tuple(round((float(standard_rate) if s else b) * (1.0 if f is None else f), 10)
                  for b, f, s in zip(base, factor, of_standard))
    return TaxPath(rates, tuple(dict.fromkeys(notes)))


# --- reading a jurisdiction -------------------------------------------------------------------


def _as_rate(raw: Any) -> tuple[Optional[float], Optional[str]]:
    if isinstance(raw, bool) or raw is None:
        return None, "value unknown"
    if isinstance(raw, (int, float)):
        return float(raw), None
    if isinstance(raw, dict) and isinstance(raw.get("max"), (int, float)):
        return float(raw["max"]), f"a range {raw.get('min')}–{raw['max']} %: the upper end taken"
    return None, "not a rate"


def _as_schedule(raw: Any) -> tuple[Optional[Schedule], Optional[str]]:
    if raw is None:
        return None, "value unknown"
    if isinstance(raw, Schedule):
        return raw, None
    try:
        return Schedule.model_validate(raw), None
    except ValidationError:
        return None, "not a valid schedule"


def _describe(a: Applicable) -> str:
    status = a.value.status.value
    extra = ", grandfathered" if a.grandfathered else ""
    return f"{a.provision_id} (in force from {a.value.from_}, {status}{extra})"


def _usable_schedules(j: Jurisdiction, measure: str, as_of: date, site: Optional[Site],
                      notes: list[str], skip: frozenset = frozenset()) -> list[tuple[str, Schedule, Applicable]]:
    out = []
    for a in select(j, measure, as_of, site).applicable:
        if a.provision_id in skip or a.value.absent:
            continue
        sched, why = _as_schedule(a.value.value)
        if sched is None:
            notes.append(f"{a.provision_id}: {why} as of {as_of} (status {a.value.status.value}); skipped")
            continue
        if a.value.status.value == "unverified":
            notes.append(f"{a.provision_id}: value is unverified")
        out.append((a.provision_id, sched, a))
    return out


def package_horizon(schedules: Sequence[Optional[Schedule]], first_revenue_year: int = 0,
                    first_profit_year: int = 0) -> int:
    """Enough years for every finite phase to have ended, plus one year of the lasting rate."""
    ends = [start_year(s, first_revenue_year, first_profit_year)[0] + schedule_length(s)
            for s in schedules if s is not None]
    return max([1, first_revenue_year + 1, first_profit_year + 1, *ends]) + 1


@dataclass(frozen=True)
class Package:
    """One combination of applicable CIT provisions and the rate path it gives."""

    provision_ids: tuple[str, ...]
    path: TaxPath
    applied: tuple[Applicable, ...]
    option: Optional[str] = None  # the elective option this package belongs to (None: no options)
    special_depreciation: float = 0.0  # share of cost deducted in year 0 (fraction), allowance path only


def _usable_depreciation(j: Jurisdiction, as_of: date, site: Optional[Site],
                         notes: list[str]) -> list[tuple[str, float, Applicable]]:
    out = []
    for a in select(j, SPECIAL_DEPRECIATION, as_of, site).applicable:
        rate, why = _as_rate(a.value.value)
        if rate is None or not 0 <= rate <= 100:
            notes.append(f"{a.provision_id}: {why or 'not a share of cost'} as of {as_of}; skipped")
            continue
        if why:
            notes.append(f"{a.provision_id}: {why}")
        if a.value.status.value == "unverified":
            notes.append(f"{a.provision_id}: value is unverified")
        out.append((a.provision_id, rate / 100, a))
    return out


def _unvalued(j: Jurisdiction, option: str, as_of: date, site: Optional[Site]) -> Optional[str]:
    """A note naming the provisions of ``option`` in force for the site that the EATR leaves out
    (anything but a rate, a holiday or special depreciation: an expense deduction, a prepayment or
    minimum-tax exemption), or None."""
    left = []
    for measure in sorted({j.measure_of(pid) for pid, p in j.provisions.items() if p.option == option} - set(VALUED)):
        left += [a.provision_id for a in select(j, measure, as_of, site).applicable if a.provision.option == option]
    if not left:
        return None
    return (f"option {option}: {', '.join(sorted(left))} in force but not valued in the EATR, which values rate "
            f"paths and capital allowances only (no current-expense deductions, no other taxes): the option's EATR "
            f"leaves out what they give the investor, so the choice between options may understate this one")


def package_candidates(j: Jurisdiction, as_of: date, site: Optional[Site], first_revenue_year: int = 0,
                       first_profit_year: int = 0, skip: frozenset = frozenset()) -> tuple[list[Package], list[str]]:
    """Every combination of the applicable preferential rates and holidays, on the lowest known
    standard rate, with notes on what was skipped (site None: site conditions ignored).
    Raises ``ValueError`` without a standard rate. ``skip``: provision ids left out (the package
    without its 'up to' ceilings, for the bounds). The order is deterministic, so candidates of
    two calls that differ only in the timeline correspond index by index."""
    notes: list[str] = []
    std_options = []
    for a in select(j, STANDARD, as_of, site).applicable:
        rate, why = _as_rate(a.value.value)
        if rate is None:
            notes.append(f"{a.provision_id}: {why} as of {as_of}; skipped")
            continue
        if why:
            notes.append(f"{a.provision_id}: {why}")
        std_options.append((rate, a.provision_id, a))
    if not std_options:
        raise ValueError(f"{j.code}: no known standard CIT rate in force on {as_of} for this site")
    std_options.sort(key=lambda o: (o[0], o[1]))
    std_rate, std_id, std_app = std_options[0]
    if len(std_options) > 1:
        notes.append(f"several standard rates apply; the lowest ({std_rate:g} % of {std_id}) taken")
    all_prefs = _usable_schedules(j, PREFERENTIAL, as_of, site, notes, skip)
    all_hols = _usable_schedules(j, HOLIDAY, as_of, site, notes, skip)
    all_deps = _usable_depreciation(j, as_of, site, notes)
    options = sorted({x[2].provision.option for x in (*all_prefs, *all_hols, *all_deps) if x[2].provision.option})
    notes += [n for n in (_unvalued(j, o, as_of, site) for o in options) if n]
    out = []
    for option in options or [None]:
        def mine(x, option=option) -> bool:
            return x[2].provision.option in (None, option)

        prefs = [x for x in all_prefs if mine(x)] or [None]
        hols = [x for x in all_hols if mine(x)] or [None]
        deps = sorted((x for x in all_deps if mine(x)), key=lambda x: (-x[1], x[0]))
        dep = deps[0] if deps else None  # several: the largest share of cost
        for pref, hol in itertools.product(prefs, hols):
            ps, hs = (pref[1] if pref else None), (hol[1] if hol else None)
            horizon = package_horizon([ps, hs], first_revenue_year, first_profit_year)
            path = cit_rate_path(std_rate, ps, hs, horizon, first_revenue_year, first_profit_year)
            chosen = [x for x in (pref, hol, dep) if x]
            out.append(Package((std_id, *(x[0] for x in chosen)), path, (std_app, *(x[2] for x in chosen)),
                               option=option, special_depreciation=dep[1] if dep else 0.0))
    return out, notes


def choose_package(candidates: Sequence[Package], notes: Sequence[str], scores: Sequence[float],
                   ) -> tuple[int, TaxPath]:
    """The index of the candidate with the lowest score (EATR; ties by provision ids), with a path whose
    assumptions name what was skipped and the less favourable alternatives."""
    order = sorted(range(len(candidates)), key=lambda k: (round(scores[k], 12), candidates[k].provision_ids))
    best = candidates[order[0]]
    extra = list(notes)
    for a in best.applied:
        if a.grandfathered:
            extra.append(f"{_describe(a)} applies through grandfathering")
    if best.option is not None:
        extra.append(f"elective options: the investor chooses one; option {best.option} has the lowest EATR "
                     f"({scores[order[0]] * 100:.2f} %) and is taken")
    for k in order[1:]:
        other = " + ".join(candidates[k].provision_ids[1:]) or "standard rate only"
        if candidates[k].option is not None and candidates[k].option != best.option:
            other = f"option {candidates[k].option}: {other}"
        extra.append(f"also applicable, less favourable: {other} (EATR {scores[k] * 100:.2f} %)")
    return order[0], TaxPath(best.path.rates, tuple(dict.fromkeys([*extra, *best.path.assumptions])))


def package_etr(j: Jurisdiction, as_of: date, site: Site, params: EtrParams, *,
                first_revenue_year: int = 0, first_profit_year: int = 0,
                ) -> tuple[TaxPath, EtrResult, list[str]]:
    """The CIT package that applies to ``site`` in ``j`` as of ``as_of``, as a rate path and its EATR.

    Selects the applicable ``cit_standard_rate``, ``cit_preferential_rate`` and ``cit_holiday``
    provisions (``query.select``). Where several preferential rates or holidays apply, every
    combination is valued and the one most favourable to the investor (lowest EATR; ties broken by
    provision id) is kept; the others are named in the assumptions. Unknown (null) or malformed
    values are skipped and said so. Revenue and profit start in year 0 by default (the anchors'
    convention), so the path starts at the investment year.

    Returns ``(path, result, provision ids used)``; ``path.rates`` are percent. Raises
    ``ValueError`` when no usable standard rate is in force for the site.
    """
    candidates, notes = package_candidates(j, as_of, site, first_revenue_year, first_profit_year)
    results = [etr(c.path.fractions(), params, c.special_depreciation) for c in candidates]
    k, path = choose_package(candidates, notes, [r.eatr for r in results])
    return path, results[k], list(candidates[k].provision_ids)
