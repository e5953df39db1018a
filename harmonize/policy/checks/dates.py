"""R306 inverted ranges, R305 overlapping values, R307 values outside their instrument's force.

An instrument marked ``signed_not_in_force`` (adopted, no ``from``) is signed but not in force:
a value may cite it only to record a status (a text or enum measure) or an absence (a null value);
any other value would give it force before its entry into force (R307)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, Optional

from ..tree import Finding, PolicySet


def _end(d: Optional[date]) -> date:
    return d or date.max


def check(ps: PolicySet) -> Iterable[Finding]:
    for j in ps.jurisdictions.values():
        for key, inst in j.instruments.items():
            origin = j.origins[("instruments", key)]
            if inst.from_ and inst.until and inst.until < inst.from_:
                yield Finding(origin.source, origin.path + ("until",), "R306",
                              f"instrument '{key}' ends ({inst.until}) before it enters into force ({inst.from_})")
            if inst.adopted and inst.from_ and inst.from_ < inst.adopted:
                yield Finding(origin.source, origin.path + ("from",), "R306",
                              f"instrument '{key}' enters into force ({inst.from_}) before it was adopted "
                              f"({inst.adopted})")
        for key, prov in j.provisions.items():
            origin = j.origins[("provisions", key)]
            cond = prov.conditions
            if cond.licensed_from and cond.licensed_before and cond.licensed_before <= cond.licensed_from:
                yield Finding(origin.source, origin.path + ("conditions", "licensed_before"), "R306",
                              f"licensed_before ({cond.licensed_before}) is not after licensed_from "
                              f"({cond.licensed_from})")
            ordered = []
            for i, dv in enumerate(prov.values):
                here = origin.path + ("values", i)
                if dv.until and dv.until < dv.from_:
                    yield Finding(origin.source, here + ("until",), "R306",
                                  f"value ends ({dv.until}) before it starts ({dv.from_})")
                    continue
                ordered.append((dv.from_, i, dv))
                yield from _in_force(j, origin, here, dv)
                yield from _not_yet_in_force(ps, j, origin, here, dv, j.measure_of(key))
            ordered.sort(key=lambda t: (t[0], t[1]))
            for (_, i, prev), (_, k, nxt) in zip(ordered, ordered[1:]):
                if _end(prev.until) >= nxt.from_:
                    # name the line to change too: the earlier value's 'until' (or where it would go)
                    key = "until" if prev.until else "from"
                    line, _ = origin.source.locate(origin.path + ("values", i, key))
                    fix = (f"set its 'until' at line {line} to {nxt.from_ - timedelta(days=1)}" if prev.until else
                           f"give it 'until: {nxt.from_ - timedelta(days=1)}' (it starts at line {line})")
                    yield Finding(origin.source, origin.path + ("values", k, "from"), "R305",
                                  f"value starting {nxt.from_} overlaps the value starting {prev.from_} "
                                  f"(in force until {prev.until or 'further notice'}); {fix}")


def _in_force(j, origin, here, dv) -> Iterable[Finding]:
    inst = j.instruments.get(dv.basis.instrument)
    if inst is None:
        return
    start = min(d for d in (inst.from_, inst.applies_from) if d) if (inst.from_ or inst.applies_from) else None
    if start and dv.from_ < start:
        yield Finding(origin.source, here + ("from",), "R307",
                      f"value starts {dv.from_} but cites '{dv.basis.instrument}', in force only from {start}")
    if inst.until and _end(dv.until) > inst.until:
        yield Finding(origin.source, here + ("basis", "instrument"), "R307",
                      f"value is in force {'until ' + str(dv.until) if dv.until else 'with no end date'} but cites "
                      f"'{dv.basis.instrument}', which ended on {inst.until}; end the value or cite the newer law")


_STATUS_KINDS = ("text", "enum")


def _not_yet_in_force(ps: PolicySet, j, origin, here, dv, measure_id: str) -> Iterable[Finding]:
    inst = j.instruments.get(dv.basis.instrument)
    if inst is None or not inst.signed_not_in_force or dv.value is None:
        return
    measure = j.local_measures.get(measure_id) or (ps.catalogue.measures.get(measure_id) if ps.catalogue else None)
    if measure is not None and measure.kind.value in _STATUS_KINDS:
        return
    yield Finding(origin.source, here + ("basis", "instrument"), "R307",
                  f"value cites '{dv.basis.instrument}', signed on {inst.adopted} but not in force: nothing in "
                  f"it applies before its entry into force; record its status with a text or enum measure, or "
                  f"give the instrument its 'from' (and drop signed_not_in_force) once a source dates it")
