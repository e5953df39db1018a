"""Both sides of every compared measure of a pair: plain measures through ``align``, CIT package
measures and their parts through ``packages``, capped by the bilateral layer where it caps."""

from __future__ import annotations

from datetime import date
from typing import Optional

from ..policy.models import Kind
from ..policy.query import Site
from ..policy.tree import Jurisdiction, PolicySet
from .align import Aligned, align_side, apply_cap, caps_for, compared_measures
from .packages import add_parts, package_side
from .result import PackageEtr
from .similarity import NUMERIC


def align_pair(ps: PolicySet, ja: Jurisdiction, jb: Jurisdiction, as_of: date, site_a: Optional[Site],
               site_b: Optional[Site], layer: Optional[Jurisdiction] = None,
               packages: Optional[dict[str, Optional[tuple[PackageEtr, list[str]]]]] = None,
               floors: Optional[dict[str, Optional[PackageEtr]]] = None) -> list[Aligned]:
    packages = packages or {}
    floors = floors or {}
    out = []
    for mid, m in compared_measures(ps):
        if m.parts and m.kind is Kind.schedule:
            a = package_side(ja, mid, m, ps, as_of, site_a, packages.get(ja.code), floors.get(ja.code))
            b = package_side(jb, mid, m, ps, as_of, site_b, packages.get(jb.code), floors.get(jb.code))
            out.append(Aligned(mid, m, a, b))
            continue
        a = align_side(ja, mid, m, as_of, site_a, packages.get(ja.code))
        b = align_side(jb, mid, m, as_of, site_b, packages.get(jb.code))
        if m.parts and m.kind in NUMERIC:
            for st, j, site in ((a, ja, site_a), (b, jb, site_b)):
                add_parts(st, j, m, ps, as_of, site)
        if layer is not None:
            apply_cap(a, m, layer.code, caps_for(ps, layer, mid, ja.code, jb.code, as_of))
            apply_cap(b, m, layer.code, caps_for(ps, layer, mid, jb.code, ja.code, as_of))
        out.append(Aligned(mid, m, a, b))
    return out
