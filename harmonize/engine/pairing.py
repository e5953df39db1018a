"""Both sides of every compared measure of a pair: plain measures through ``align``, CIT package
measures and their parts through ``packages``, capped by the bilateral layer where it caps."""

from __future__ import annotations

from datetime import date
from typing import Optional

from ..policy.models import Kind
from ..policy.query import Site
from ..policy.tree import Jurisdiction, PolicySet
from .align import Aligned, SideState, align_side, apply_cap, caps_for, compared_measures
from .memo import SideMemo, capped
from .packages import add_parts, package_side
from .result import PackageEtr
from .similarity import NUMERIC


def one_side(ps: PolicySet, j: Jurisdiction, mid: str, m, as_of: date, site: Optional[Site],
             package: Optional[tuple[PackageEtr, list[str]]], floor: Optional[PackageEtr]) -> SideState:
    """One side of one compared measure, before any bilateral cap: a function of the side alone."""
    if m.parts and m.kind is Kind.schedule:
        return package_side(j, mid, m, ps, as_of, site, package, floor)
    st = align_side(j, mid, m, as_of, site, package)
    if m.parts and m.kind in NUMERIC:
        add_parts(st, j, m, ps, as_of, site)
    return st


def align_pair(ps: PolicySet, ja: Jurisdiction, jb: Jurisdiction, as_of: date, site_a: Optional[Site],
               site_b: Optional[Site], layer: Optional[Jurisdiction] = None,
               packages: Optional[dict[str, Optional[tuple[PackageEtr, list[str]]]]] = None,
               floors: Optional[dict[str, Optional[PackageEtr]]] = None,
               memo: Optional[tuple[SideMemo, tuple, tuple]] = None) -> list[Aligned]:
    """``memo``: (the run's SideMemo, side a's key, side b's key): each side's states are worked out
    once per run and shared by every pair it is in; a side a cap changes is a copy."""
    packages = packages or {}
    floors = floors or {}
    out = []
    if memo is not None:
        store, key_a, key_b = memo
        if store.measures is None:
            store.measures = compared_measures(ps)
        measures = store.measures
        states_a, states_b = store.states(key_a), store.states(key_b)
    else:
        measures = compared_measures(ps)
        states_a = states_b = None
    for mid, m in measures:
        sides = []
        for j, site, states in ((ja, site_a, states_a), (jb, site_b, states_b)):
            st = states.get(mid) if states is not None else None
            if st is None:
                st = one_side(ps, j, mid, m, as_of, site, packages.get(j.code), floors.get(j.code))
                if states is not None:
                    states[mid] = st = store.keep(st)
            sides.append(st)
        a, b = sides
        if layer is not None and not (m.parts and m.kind is Kind.schedule):
            cap_a = caps_for(ps, layer, mid, ja.code, jb.code, as_of)
            cap_b = caps_for(ps, layer, mid, jb.code, ja.code, as_of)
            if cap_a is not None:
                a = capped(a) if states_a is not None else a
                apply_cap(a, m, layer.code, cap_a)
            if cap_b is not None:
                b = capped(b) if states_b is not None else b
                apply_cap(b, m, layer.code, cap_b)
        out.append(Aligned(mid, m, a, b))
    return out
