"""Put the two sides' law side by side, measure by measure, as of a date and for a site pair.

For every catalogue measure with ``layer: national`` and a kind other than ``text``, each side's
applicable provisions are selected (``query.select``: dates, grandfathering, site conditions).
When several apply, the measure's ``combine`` rule decides: ``elective`` keeps the one most
favourable to the investor, ``binding``/``cumulative`` the least favourable (restrictions and
procedures); schedules through the side's CIT package. If any applicable value is unknown, the
side is unknown (it could be the one that governs). A provision whose conditions hold a note the
engine cannot evaluate is applied and listed as *assumed*.

A side is in one of these states for a measure:

- ``value``: a known value applies (status verified or secondary);
- ``implied``: nothing applies and the catalogue's ``absent_means`` says what silence means;
- ``declared_absent``: a provision records that the law has no such rule (no absent_means);
- ``excluded``: the side has provisions but none applies to this site (no absent_means);
- ``unverified``: a value that applies is null or has status ``unverified``;
- ``not_encoded``: nothing recorded and silence has no stated meaning: a coverage hole.

Package measures (``parts``, e.g. ``cit_package``) are valued once, from their parts, through
the package EATR; a part that applies with an unknown value leaves the package unknown. An ``up
to`` value is compared at its ceiling and bounded below by the value granted if nothing is
(``floor``).

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
from .result import CapInfo, Excluded, Implied, LegalBasis, PackageEtr, ShownItem, SideRow, SideValue
from .similarity import NUMERIC, favour_key

TIMING_WINDOW_DAYS = 365
NO_VALUE_PREFIX = "no value in force"

@dataclass(slots=True)
class SideState:
    row: SideRow
    typed: Any = None  # the typed value compared (after any cap)
    state: str = "not_encoded"  # value | implied | declared_absent | excluded | unverified | not_encoded
    floor: Any = None  # an 'up to' ceiling: the value if granted nothing (for the bounds)
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
    if app.value.absent:
        typed, err = None, None
        shown = "none (the law has no such rule)"
    else:
        typed, err = _typed(measure, app.value.value)
        shown = display(measure, typed)
        if app.value.up_to and typed is not None:
            shown = f"up to {shown} (case by case)"
    prov = app.provision
    sv = SideValue(
        provision=app.provision_id,
        value=jsonable(typed if typed is not None else app.value.value),
        display=shown,
        value_from=app.value.from_,
        value_until=app.value.until,
        status=app.value.status.value,
        basis=legal_basis(j, app.value.basis),
        grandfathered=app.grandfathered,
        conditions=prov.conditions.note,
        note=app.value.note or app.value.status_note,
        up_to=app.value.up_to,
        absent=app.value.absent,
    )
    tier = j.source_tier(app.value)
    if tier is not None:
        sv.source_tier = tier.value
    return sv, typed, err  # a ceiling says "up to ... (case by case)" above: never shown as an entitlement


def _known(sv: SideValue, typed: Any) -> bool:
    return (typed is not None or sv.absent) and sv.status != "unverified"


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


def silence_value(measure: Measure) -> Any:
    """The typed value the law's silence means for the measure, or None (unknown)."""
    am = measure.absent_means
    if am is None or am == "unknown":
        return None
    if measure.kind in (Kind.schedule, Kind.set, Kind.text, Kind.amount):
        return NONE
    try:
        return coerce(measure, am)
    except ValueError:
        return None


class _None:
    """The 'no such rule' value of a schedule or set measure (absent_means: none)."""

    def __repr__(self) -> str:
        return "none"


NONE = _None()


def imply(st: SideState, measure: Measure, reason: str, known_absent: bool) -> SideState:
    """A side with no applicable value: the catalogue's absent_means if it has one; else a known
    absence (declared, or conditions that exclude the site) or a coverage hole (nothing encoded)."""
    v = silence_value(measure)
    if v is not None:
        st.state = "implied"
        st.typed = v
        shown = "none" if v is NONE else display(measure, v)
        st.row.implied = Implied(value=None if v is NONE else jsonable(v), display=shown,
                                 reason=f"{reason}; the catalogue reads silence as {shown}")
    elif known_absent:
        st.state = "declared_absent" if st.row.value is not None else "excluded"
    else:
        st.state = "not_encoded"
    st.row.state = st.state  # type: ignore[assignment]
    return st


def rank_key(measure: Measure, typed: Any, provision: str) -> tuple:
    """Order candidates for the measure's combination rule: the one that governs first."""
    key = favour_key(measure, typed)
    key = 0.0 if key is None else key
    if measure.combine in ("binding", "cumulative"):
        key = -key
    return (key, provision)


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
        if by_condition:
            return imply(st, measure, f"no provision applies to this site ({by_condition[0][1]})", True)
        return imply(st, measure, "no provision in force", False)
    candidates = []
    for app in sel.applicable:
        sv, typed, err = side_value(j, measure, app)
        if err:
            st.notes.append(f"{app.provision_id}: {err}")
        candidates.append((sv, typed))
    unknown = [c for c in candidates if not _known(*c)]
    values = [c for c in candidates if _known(*c) and not c[0].absent]
    declared = [c for c in candidates if _known(*c) and c[0].absent]
    if unknown:
        # an unknown value that applies could be the one that governs: the side is unknown
        chosen, typed = unknown[0]
        row.value = chosen
        row.alternatives = [c[0] for c in candidates if c is not unknown[0]]
        st.state = "unverified"
        row.state = "unverified"
        if len(candidates) > 1:
            st.notes.append(f"{j.code}: {len(unknown)} of {len(candidates)} applicable provisions unknown or "
                            f"unverified ({', '.join(c[0].provision for c in unknown)}): the side is unknown")
        st.timing = timing_flags(chosen, as_of)
        return st
    if not values:
        row.value = declared[0][0]
        row.alternatives = [c[0] for c in declared[1:]]
        st.timing = timing_flags(row.value, as_of)
        return imply(st, measure, f"{row.value.provision} records that the law has no such rule", True)
    if measure.kind is Kind.schedule:
        used = set(package[1]) if package is not None else set()
        values.sort(key=lambda c: (0 if c[0].provision in used else 1, c[0].provision))
    else:
        values.sort(key=lambda c: rank_key(measure, c[1], c[0].provision))
    chosen, typed = values[0]
    row.value = chosen
    row.alternatives = [c[0] for c in values[1:]] + [c[0] for c in declared]
    if len(values) > 1:
        how = ("the one in the lowest-EATR package" if measure.kind is Kind.schedule else
               "the least favourable: the rule binds" if measure.combine in ("binding", "cumulative") else
               "the most favourable: the investor may choose" if measure.favourable.value != "none" else
               "the first by id")
        st.notes.append(f"{j.code}: {len(values)} provisions apply; kept {chosen.provision} ({how})")
    if chosen.conditions:
        row.assumed.append(f"{chosen.provision}: {chosen.conditions}")
    if chosen.up_to and measure.kind in NUMERIC:
        v = silence_value(measure)
        st.floor = v if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0
        st.notes.append(f"{j.code}: {chosen.display}: compared at the ceiling, bounds down to "
                        f"{display(measure, st.floor)} (granted case by case)")
    st.typed = typed
    st.state = "value"
    row.state = "value"
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
            if not _known(sv, typed) or typed is None:  # unknown, or a treaty with no cap ('absent')
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


def shown_items(ps: PolicySet, ja: Jurisdiction, jb: Jurisdiction, as_of: date, site_a: Optional[Site],
                site_b: Optional[Site], layer: Optional[Jurisdiction] = None, memo: Any = None) -> list[ShownItem]:
    """Text measures (both sides), local measures (each side) and bilateral-layer values. ``memo``: the
    run's engine.memo.SideMemo (a side's shown value depends on that side alone)."""
    assert ps.catalogue is not None
    items: list[ShownItem] = []

    def first(j: Jurisdiction, mid: str, m: Measure, site: Optional[Site]) -> Optional[SideValue]:
        def make() -> Optional[SideValue]:
            sel = select(j, mid, as_of, site)
            return side_value(j, m, sel.applicable[0])[0] if sel.applicable else None

        return make() if memo is None else memo.shown(j.code, mid, as_of, site, make)

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
