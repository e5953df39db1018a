"""R314: the catalogue's own consistency (a measure must be comparable the way its kind says)."""

from __future__ import annotations

from typing import Iterable

from ..tree import Finding, PolicySet
from ..models import Kind

NUMERIC = {Kind.rate, Kind.duration, Kind.count, Kind.amount}


def check(ps: PolicySet) -> Iterable[Finding]:
    cat, src = ps.catalogue, ps.catalogue_file
    if cat is None or src is None:
        return
    for key, m in cat.measures.items():
        here = ("measures", key)
        if m.kind is Kind.enum and len(m.options) < 2:
            yield Finding(src, here + ("options",), "R314", f"enum measure '{key}' needs at least two options")
        if m.kind is not Kind.enum and (m.options or m.equivalences):
            yield Finding(src, here + ("options",), "R314", f"only enum measures take options ('{key}' is {m.kind.value})")
        for i, group in enumerate(m.equivalences):
            for opt in group:
                if opt not in m.options:
                    yield Finding(src, here + ("equivalences", i), "R314",
                                  f"equivalence names '{opt}', which is not an option of '{key}'")
        if m.kind in NUMERIC and m.scale is None:
            yield Finding(src, here, "R314", f"numeric measure '{key}' needs a 'scale' to be compared", key=True)
        if m.kind is Kind.rate and m.unit.value != "percent":
            yield Finding(src, here + ("unit",), "R314", f"rate measure '{key}' must have unit 'percent'")
        if m.kind is Kind.amount and m.unit.value != "currency":
            yield Finding(src, here + ("unit",), "R314", f"amount measure '{key}' must have unit 'currency'")
        if m.favourable.value in ("true", "false") and m.kind is not Kind.boolean:
            yield Finding(src, here + ("favourable",), "R314",
                          f"favourable '{m.favourable.value}' only fits boolean measures")
        if m.favourable.value in ("lower", "higher") and m.kind not in NUMERIC | {Kind.schedule, Kind.enum}:
            yield Finding(src, here + ("favourable",), "R314",
                          f"favourable '{m.favourable.value}' needs a numeric, schedule or ordered enum measure")
        if m.kind is Kind.enum and m.favourable.value in ("lower", "higher") and m.order != "options":
            yield Finding(src, here + ("favourable",), "R314",
                          "an enum measure with a favourable direction needs 'order: options'")
        if m.caps is not None:
            target = cat.measures.get(m.caps)
            if target is None:
                yield Finding(src, here + ("caps",), "R314", f"'{key}' caps '{m.caps}', which is not in the catalogue")
            elif target.kind is not m.kind or m.layer != "bilateral":
                yield Finding(src, here + ("caps",), "R314",
                              f"a cap must be a bilateral measure of the same kind as '{m.caps}' ({target.kind.value})")
