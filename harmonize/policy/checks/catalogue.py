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
    yield from _method(cat, src)


def _method(cat, src) -> Iterable[Finding]:
    """R318: packages, combination and rationale (issue 11): every number the score rests on says why."""
    from ..tree import Severity

    for key, m in cat.measures.items():
        here = ("measures", key)
        if m.part_of is not None:
            pkg = cat.measures.get(m.part_of)
            if pkg is None or key not in pkg.parts:
                yield Finding(src, here + ("part_of",), "R318",
                              f"'{key}' is part_of '{m.part_of}', which does not list it in its parts")
        for i, part in enumerate(m.parts):
            pm = cat.measures.get(part)
            if pm is None or pm.part_of != key:
                yield Finding(src, here + ("parts", i), "R318",
                              f"'{key}' lists '{part}' as a part, but '{part}' does not say part_of: {key}")
        if m.layer != "national" or m.kind is Kind.text:
            continue
        missing = []
        if m.weight > 0 and not m.why.weight:
            missing.append("weight")
        if m.scale is not None and m.weight > 0 and not m.why.scale:
            missing.append("scale")
        if m.tolerance > 0 and not m.why.tolerance:
            missing.append("tolerance")
        if m.absent_means not in (None, "unknown") and not m.why.absent_means:
            missing.append("absent_means")
        if missing:
            yield Finding(src, here, "R318", f"'{key}' gives no why for its {', '.join(missing)} (every number the "
                          f"score rests on needs a one-line rationale)", key=True, severity=Severity.WARNING)
    for d, info in cat.domains.items():
        if not info.why:
            yield Finding(src, ("domains", d.value), "R318", f"domain '{d.value}' gives no why for its weight",
                          key=True, severity=Severity.WARNING)
    cap = cat.settings.existence_cap
    totals: dict[str, list[float]] = {}
    for m in cat.measures.values():
        if m.layer == "national" and m.kind is not Kind.text and m.part_of is None:
            t = totals.setdefault(m.domain.value, [0.0, 0.0])
            t[0] += m.weight
            t[1] += m.weight if m.existence else 0.0
    for d, (total, existence) in sorted(totals.items()):
        if total > 0 and existence > cap * total + 1e-9:
            yield Finding(src, ("settings", "existence_cap"), "R318",
                          f"existence checks hold {existence / total:.0%} of domain '{d}' (cap {cap:.0%}): a domain "
                          f"must not reach its score on existence checks", severity=Severity.WARNING)
