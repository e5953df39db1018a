"""Put the two sides' law side by side, measure by measure, as of a date and for a site pair.

For every catalogue measure with ``layer: national`` and a kind other than ``text``, each side's
applicable provisions are selected (``query.select``: dates, grandfathering, site conditions).
When several apply, the one most favourable to the investor is kept (per the measure's
``favourable``; schedules through the side's CIT package, i.e. the combination with the lowest
EATR) and the others are kept as alternatives. Each value carries its legal basis and status.

A side is in one of these states for a measure:

- ``value``: a known value applies (status verified or secondary);
- ``unverified``: the value that applies is null or has status ``unverified``;
- ``excluded``: the side has provisions of the measure but none applies to this site
  (conditions), as of the date: a *different_conditions* gap;
- ``absent``: the side has no provision of the measure in force.

Bilateral measures that cap a national measure (``caps``) are applied to flows between the pair:
the effective rate of a side is ``min(domestic, cap)`` for payments leaving that side. Other
bilateral-layer values, text measures and local measures are listed (shown, never scored).

Pure functions; nothing here names a country.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Optional

from ..policy.tree import Jurisdiction, PolicySet
from ..policy.models import Amount, Domain, Kind, Measure, NumberRange, Schedule
from ..policy.query import Applicable, Site, select
from ..policy.values import coerce, display
from .result import CapInfo, Excluded, LegalBasis, PackageEtr, ShownItem, SideRow, SideValue
from .similarity import favour_key

TIMING_WINDOW_DAYS = 365
NO_VALUE_PREFIX = "no value in force"

@dataclass
class SideState:
    row: SideRow
    typed: Any = None  # the typed value compared (after any cap)
    state: str = "absent"  # value | unverified | excluded | absent
    timing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Aligned:
    measure_id: str
    measure: Measure
    a: SideState
    b: SideState
    notes: list[str] = field(default_factory=list)


# --- value display and JSON -------------------------------------------------------------------


def jsonable(v: Any) -> Any:
    if isinstance(v, (Schedule, NumberRange, Amount)):
        return v.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(v, (set, frozenset)):
        return sorted(v)
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, date):
        return v.isoformat()
    return v


def legal_basis(j: Jurisdiction, basis) -> LegalBasis:
    inst = j.instruments.get(basis.instrument)
    return LegalBasis(
        instrument=basis.instrument,
        number=inst.number if inst else None,
        number_verified=inst.number_verified if inst else False,
        title=inst.title.en if inst else None,
        kind=inst.kind.value if inst else None,
        article=basis.article,
        article_verified=basis.article_verified,
        instrument_from=inst.from_ if inst else None,
        instrument_until=inst.until if inst else None,
    )


def _typed(measure: Measure, raw: Any) -> tuple[Any, Optional[str]]:
    try:
        return coerce(measure, raw), None
    except ValueError as exc:
        return None, f"value not usable: {exc}"


def side_value(j: Jurisdiction, measure: Measure, app: Applicable) -> tuple[SideValue, Any, Optional[str]]:
    typed, err = _typed(measure, app.value.value)
    prov = app.provision
    sv = SideValue(
        provision=app.provision_id,
        value=jsonable(typed if typed is not None else app.value.value),
        display=display(measure, typed),
        value_from=app.value.from_,
        value_until=app.value.until,
        status=app.value.status.value,
        basis=legal_basis(j, app.value.basis),
        grandfathered=app.grandfathered,
        conditions=prov.conditions.note,
        note=app.value.note or app.value.status_note,
    )
    tier = j.source_tier(app.value)
    if tier is not None:
        sv.source_tier = tier.value
    if app.value.up_to:  # a ceiling granted case by case, never shown as an entitlement
        sv.up_to = True
        if typed is not None:
            sv.display = f"up to {sv.display}"
    return sv, typed, err


def _known(sv: SideValue, typed: Any) -> bool:
    return typed is not None and sv.status != "unverified"


def timing_flags(sv: SideValue, as_of: date) -> list[str]:
    flags = []
    window = timedelta(days=TIMING_WINDOW_DAYS)
    if as_of - window < sv.value_from <= as_of:
        flags.append(f"in force only since {sv.value_from}")
    if sv.value_until is not None and as_of <= sv.value_until <= as_of + window:
        flags.append(f"ends on {sv.value_until}")
    if sv.grandfathered:
        flags.append("applies only through grandfathering")
    return flags


def has_provisions(j: Jurisdiction, measure_id: str) -> bool:
    return bool(j.provision_ids(measure_id))


def align_side(j: Jurisdiction, measure_id: str, measure: Measure, as_of: date, site: Optional[Site],
               package: Optional[tuple[PackageEtr, list[str]]] = None) -> SideState:
    sel = select(j, measure_id, as_of, site)
    row = SideRow(jurisdiction=j.code, has_provisions=has_provisions(j, measure_id),
                  excluded=[Excluded(provision=p, reason=r) for p, r in sel.excluded])
    st = SideState(row=row)
    if measure.kind is Kind.schedule and package is not None:
        row.package = package[0]
    if not sel.applicable:
        by_condition = [e for e in sel.excluded if not e[1].startswith(NO_VALUE_PREFIX)]
        st.state = "excluded" if by_condition else "absent"
        return st
    candidates = []
    for app in sel.applicable:
        sv, typed, err = side_value(j, measure, app)
        if err:
            st.notes.append(f"{app.provision_id}: {err}")
        candidates.append((sv, typed))
    used = set(package[1]) if (measure.kind is Kind.schedule and package is not None) else set()

    def rank(c: tuple[SideValue, Any]):
        sv, typed = c
        known = _known(sv, typed)
        if measure.kind is Kind.schedule:
            key = 0.0 if sv.provision in used else 1.0
        else:
            key = favour_key(measure, typed)
        return (0 if known else 1, 0.0 if key is None else key, sv.provision)

    candidates.sort(key=rank)
    chosen, typed = candidates[0]
    row.value = chosen
    row.alternatives = [c[0] for c in candidates[1:]]
    if len(candidates) > 1:
        how = "the one in the lowest-EATR package" if measure.kind is Kind.schedule else (
            "the most favourable to the investor" if measure.favourable.value != "none" else "the first by id")
        st.notes.append(f"{j.code}: {len(candidates)} provisions apply; kept {chosen.provision} ({how})")
    st.typed = typed
    st.state = "value" if _known(chosen, typed) else "unverified"
    st.timing = timing_flags(chosen, as_of)
    return st


# --- bilateral caps ---------------------------------------------------------------------------


def caps_for(ps: PolicySet, layer: Optional[Jurisdiction], measure_id: str, payer: str, payee: str,
             as_of: date) -> Optional[tuple[str, SideValue, float]]:
    """The lowest known bilateral ceiling on ``measure_id`` for payments from ``payer`` to ``payee``:
    (cap measure id, value, rate)."""
    if layer is None or ps.catalogue is None:
        return None
    best = None
    for cap_id in sorted(ps.catalogue.measures):
        cap_m = ps.catalogue.measures[cap_id]
        if cap_m.layer != "bilateral" or cap_m.caps != measure_id:
            continue
        for app in select(layer, cap_id, as_of, None).applicable:
            d = app.provision.conditions.direction
            if d is not None and (d.from_ != payer or d.to != payee):
                continue
            sv, typed, _ = side_value(layer, cap_m, app)
            if not _known(sv, typed):
                continue
            rate = float(typed.max if isinstance(typed, NumberRange) else typed)
            if best is None or (rate, cap_id, sv.provision) < (best[2], best[0], best[1].provision):
                best = (cap_id, sv, rate)
    return best


def apply_cap(st: SideState, measure: Measure, layer_code: str, cap: Optional[tuple[str, SideValue, float]]) -> None:
    if cap is None or st.row.value is None:
        return
    cap_id, sv, rate = cap
    if st.state != "value" or not isinstance(st.typed, (int, float)) or isinstance(st.typed, bool):
        st.row.cap = CapInfo(jurisdiction=layer_code, measure=cap_id, value=sv, applied=False)
        return
    domestic = float(st.typed)
    effective = min(domestic, rate)
    st.row.cap = CapInfo(jurisdiction=layer_code, measure=cap_id, value=sv, domestic=domestic,
                         effective=effective, applied=effective < domestic)
    if effective < domestic:
        st.notes.append(f"{st.row.jurisdiction}: domestic {display(measure, domestic)} capped at "
                        f"{display(measure, rate)} by {sv.basis.cite()} for payments to the partner")
        st.typed = effective


# --- whole pair -------------------------------------------------------------------------------


def compared_measures(ps: PolicySet) -> list[tuple[str, Measure]]:
    """National, non-text catalogue measures, in catalogue domain order then by id."""
    assert ps.catalogue is not None
    order = {d: i for i, d in enumerate(Domain)}
    items = [(mid, m) for mid, m in ps.catalogue.measures.items() if m.layer == "national" and m.kind is not Kind.text]
    return sorted(items, key=lambda x: (order.get(x[1].domain, 99), x[1].domain.value, x[0]))


def align_pair(ps: PolicySet, ja: Jurisdiction, jb: Jurisdiction, as_of: date, site_a: Optional[Site],
               site_b: Optional[Site], layer: Optional[Jurisdiction] = None,
               packages: Optional[dict[str, Optional[tuple[PackageEtr, list[str]]]]] = None) -> list[Aligned]:
    packages = packages or {}
    out = []
    for mid, m in compared_measures(ps):
        a = align_side(ja, mid, m, as_of, site_a, packages.get(ja.code))
        b = align_side(jb, mid, m, as_of, site_b, packages.get(jb.code))
        if layer is not None:
            apply_cap(a, m, layer.code, caps_for(ps, layer, mid, ja.code, jb.code, as_of))
            apply_cap(b, m, layer.code, caps_for(ps, layer, mid, jb.code, ja.code, as_of))
        out.append(Aligned(mid, m, a, b))
    return out


def shown_items(ps: PolicySet, ja: Jurisdiction, jb: Jurisdiction, as_of: date, site_a: Optional[Site],
                site_b: Optional[Site], layer: Optional[Jurisdiction] = None) -> list[ShownItem]:
    """Text measures (both sides), local measures (each side) and bilateral-layer values."""
    assert ps.catalogue is not None
    items: list[ShownItem] = []

    def first(j: Jurisdiction, mid: str, m: Measure, site: Optional[Site]) -> Optional[SideValue]:
        sel = select(j, mid, as_of, site)
        return side_value(j, m, sel.applicable[0])[0] if sel.applicable else None

    for mid in sorted(ps.catalogue.measures):
        m = ps.catalogue.measures[mid]
        if m.layer == "national" and m.kind is Kind.text:
            a, b = first(ja, mid, m, site_a), first(jb, mid, m, site_b)
            if a or b:
                items.append(ShownItem(measure=mid, title=m.title.en, domain=m.domain.value,
                                       source="catalogue_text", a=a, b=b))
        elif m.layer == "bilateral" and layer is not None:
            v = first(layer, mid, m, None)
            if v is not None:
                items.append(ShownItem(measure=mid, title=m.title.en, domain=m.domain.value,
                                       source="bilateral_layer", jurisdiction=layer.code, value=v))
    holders = [(ja, site_a), (jb, site_b)] + ([(layer, None)] if layer is not None else [])
    for j, site in holders:
        for mid in sorted(j.local_measures):
            m = j.local_measures[mid]
            v = first(j, mid, m, site)
            if v is not None:
                items.append(ShownItem(measure=mid, title=m.title.en, domain=m.domain.value,
                                       source="local_measure", jurisdiction=j.code, value=v))
    return items
