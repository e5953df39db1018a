"""D401–D404: drafting slips that are valid YAML and valid law, but most likely not what was meant.

Warnings, not errors (yamllint's and Conftest's convention: shown, exit 0 unless ``--strict``). A
value that really means it says so in the file: ``accept: {D403: the law had no rate in between}``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from ..diagnostics import Severity
from ..models import Kind, Status
from ..models.catalogue import Unit
from ..tree import Finding, PolicySet

WHOLE_UNITS = (Unit.years, Unit.months, Unit.days, Unit.working_days, Unit.items)


def _number(v: object) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def check(ps: PolicySet) -> Iterable[Finding]:
    for _, key, _, origin, measure, i, dv in ps.provision_values():
        here = origin.path + ("values", i)
        x = _number(dv.value)
        if measure is not None and x is not None:
            if measure.kind is Kind.rate and measure.unit is Unit.percent and 0 < x < 1:
                yield Finding(origin.source, here + ("value",), "D401",
                              f"{key}: {x:g} looks like a fraction; rates are written in percent "
                              f"({x * 100:g} for {x * 100:g} %). If {x:g} % is meant, say so with "
                              f"'accept: {{D401: <why>}}'", severity=Severity.WARNING)
            if measure.unit in WHOLE_UNITS and x != int(x):
                yield Finding(origin.source, here + ("value",), "D402",
                              f"{key}: {x:g} {measure.unit.value.replace('_', ' ')} is not a whole number; "
                              f"the law counts whole {measure.unit.value.replace('_', ' ')}. If a fraction "
                              f"is meant, say so with 'accept: {{D402: <why>}}'", severity=Severity.WARNING)
        if dv.status is not Status.unverified and dv.value is not None and not dv.sources:
            yield Finding(origin.source, here + ("status",), "D404",
                          f"{key}: a {dv.status.value} value cites no source of its own (only its "
                          f"instrument's); add the page or text this value was read from",
                          severity=Severity.WARNING)
    yield from _holes(ps)


def _holes(ps: PolicySet) -> Iterable[Finding]:
    """D403: days between one value's 'until' and the next value's 'from' of one provision."""
    for j in ps.jurisdictions.values():
        for key, prov in j.provisions.items():
            origin = j.origins[("provisions", key)]
            dated = sorted(((dv.from_, i, dv) for i, dv in enumerate(prov.values)), key=lambda t: (t[0], t[1]))
            for (_, i, prev), (_, k, nxt) in zip(dated, dated[1:]):
                if prev.until is None or nxt.from_ <= prev.until + timedelta(days=1):
                    continue  # open-ended (an overlap is R305's) or contiguous
                hole = (nxt.from_ - prev.until).days - 1
                line, _ = origin.source.locate(origin.path + ("values", k, "from"))
                yield Finding(origin.source, origin.path + ("values", i, "until"), "D403",
                              f"{key}: {hole} day{'s' * (hole != 1)} with no value between this 'until: "
                              f"{prev.until}' and the next value's 'from: {nxt.from_}' (line {line}); set "
                              f"'until: {nxt.from_ - timedelta(days=1)}', or if the law really had no such rule "
                              f"then, say so here with 'accept: {{D403: <why>}}'", severity=Severity.WARNING)


def accepted(ps: PolicySet, findings: list[Finding]) -> list[Finding]:
    """The findings less the warnings that the value they point at accepts (``accept: {CODE: why}``)."""
    by_source = {}
    for j in ps.jurisdictions.values():
        for key, prov in j.provisions.items():
            origin = j.origins.get(("provisions", key))
            if origin is not None:
                by_source[(id(origin.source), origin.path)] = prov
    out = []
    for f in findings:
        if f.severity is Severity.WARNING and len(f.path) >= 4 and f.path[2] == "values":
            prov = by_source.get((id(f.source), f.path[:2]))
            if prov is not None and isinstance(f.path[3], int) and f.path[3] < len(prov.values) \
                    and f.code in prov.values[f.path[3]].accept:
                continue
        out.append(f)
    return out
