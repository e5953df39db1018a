"""Ask a loaded jurisdiction what its law says, as of a date, for a site and a project.

Pure functions over the loaded models. A value is in force on day d when ``from <= d <= until``.
A grandfathered value keeps applying after it ends to projects licensed before its cut-off date,
and then wins over whatever replaced it: that is what grandfathering means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Optional

from .models import Amount, Conditions, DatedValue, Provision
from .tree import Jurisdiction

if TYPE_CHECKING:
    from .models.parks import SiteSpec


@dataclass(frozen=True)
class Site:
    """Where and what a project is. ``licensed_on`` defaults to the as-of date (a new project)."""

    zones: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    licensed_on: Optional[date] = None
    investment: Optional[Amount] = None
    employees: Optional[int] = None
    export_share: Optional[float] = None


@dataclass(frozen=True)
class Applicable:
    provision_id: str
    provision: Provision
    value: DatedValue
    grandfathered: bool = False


@dataclass(frozen=True)
class Selection:
    """The provisions of one measure that apply, and those set aside with the reason why."""

    applicable: tuple[Applicable, ...] = ()
    excluded: tuple[tuple[str, str], ...] = field(default=())


def value_in_force(provision: Provision, as_of: date, licensed_on: Optional[date] = None) -> tuple[Optional[DatedValue], bool]:
    """The value that governs ``as_of`` for a project licensed on ``licensed_on`` (default: as_of),
    and whether it applies only through grandfathering."""
    licence = licensed_on or as_of
    for dv in sorted(provision.values, key=lambda v: v.from_, reverse=True):
        g = dv.grandfathered
        if g and dv.until and as_of > dv.until and licence < g.licensed_before and licence >= dv.from_:
            return dv, True
    for dv in provision.values:
        if dv.from_ <= as_of and (dv.until is None or as_of <= dv.until):
            return dv, False
    return None, False


def conditions_met(cond: Conditions, site: Site, as_of: date) -> tuple[bool, str]:
    """Whether a site meets a provision's conditions, and if not, the first reason."""
    if cond.zones and not site.zones & set(cond.zones):
        return False, f"site is in none of the zones {', '.join(cond.zones)}"
    if cond.zones_all and not set(cond.zones_all) <= site.zones:
        return False, f"site is not in all of {', '.join(cond.zones_all)}"
    if cond.zones_none and site.zones & set(cond.zones_none):
        return False, f"site is in an excluded zone ({', '.join(sorted(site.zones & set(cond.zones_none)))})"
    if cond.sectors and not site.sectors & set(cond.sectors):
        return False, f"sector is none of {', '.join(cond.sectors)}"
    if cond.sectors_none and site.sectors & set(cond.sectors_none):
        return False, "sector is excluded"
    licence = site.licensed_on or as_of
    if cond.licensed_from and licence < cond.licensed_from:
        return False, f"licensed before {cond.licensed_from}"
    if cond.licensed_before and licence >= cond.licensed_before:
        return False, f"licensed on or after {cond.licensed_before}"
    if cond.min_investment:
        inv = site.investment
        if inv is None or inv.currency != cond.min_investment.currency or inv.amount < cond.min_investment.amount:
            return False, f"investment below {cond.min_investment.amount:,.0f} {cond.min_investment.currency}"
    if cond.min_employees is not None and (site.employees or 0) < cond.min_employees:
        return False, f"fewer than {cond.min_employees} employees"
    if cond.min_export_share is not None and (site.export_share or 0) < cond.min_export_share:
        return False, f"exports less than {cond.min_export_share:g} % of output"
    return True, ""


def select(j: Jurisdiction, measure: str, as_of: date, site: Optional[Site] = None) -> Selection:
    """The provisions of ``measure`` that apply as of a date to a site (any site when None)."""
    applicable, excluded = [], []
    for pid in j.provision_ids(measure):
        prov = j.provisions[pid]
        licence = site.licensed_on if site else None
        dv, grand = value_in_force(prov, as_of, licence)
        if dv is None:
            excluded.append((pid, f"no value in force on {as_of}"))
            continue
        if site is not None:
            ok, why = conditions_met(prov.conditions, site, as_of)
            if not ok:
                excluded.append((pid, why))
                continue
        applicable.append(Applicable(pid, prov, dv, grand))
    return Selection(tuple(applicable), tuple(excluded))


def site_of(spec: Optional[SiteSpec]) -> Optional[Site]:
    """The query.Site for a profile's site spec (None: no site conditions)."""
    if spec is None:
        return None
    return Site(zones=frozenset(spec.zones), sectors=frozenset(spec.sectors), licensed_on=spec.licensed_on,
                investment=spec.investment, employees=spec.employees, export_share=spec.export_share)
