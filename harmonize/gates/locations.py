"""Where a result's value lies in the policy files (file, line, column), for annotations."""

from __future__ import annotations

from typing import Optional

from ..policy.loader import display_path
from .policydiff import locate


def value_location(ps, sv) -> Optional[tuple[str, int, int]]:
    """The policy file line of a SideValue (its provision's value starting on the same day)."""
    if sv is None:
        return None
    for code, j in ps.jurisdictions.items():
        prov = j.provisions.get(sv.provision)
        if prov is None:
            continue
        for i, dv in enumerate(prov.values):
            if dv.from_ == sv.value_from and dv.basis.instrument == sv.basis.instrument:
                return locate(ps, code, sv.provision, i)
    return None


def measure_location(ps, row, jurisdiction: Optional[str] = None) -> Optional[tuple[str, int, int]]:
    """Where a measure row's value lies: the named side first, then a, then b."""
    if row is None:
        return None
    sides = [row.a, row.b]
    if jurisdiction:
        sides.sort(key=lambda s: s.jurisdiction != jurisdiction)
    for s in sides:
        loc = value_location(ps, s.value)
        if loc:
            return loc
    return None


def value_loc(head_ps, v, idx):
    """Where a changed value lies in the head tree: its line, else its file."""
    loc = locate(head_ps, v.jurisdiction, v.provision, idx)
    if loc is None and v.file and head_ps.root is not None:
        f = head_ps.root / v.file
        if f.is_file():
            loc = (display_path(f), 1, 1)
    return loc
