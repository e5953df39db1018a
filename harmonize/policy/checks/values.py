"""R308 value does not fit its measure, R310 missing value, R312 value with no source."""

from __future__ import annotations

from typing import Iterable

from ..diagnostics import Severity
from ..tree import Finding, PolicySet
from ..models import Status
from ..values import coerce


def _kind_findings(source, here: tuple, key: str, measure, dv_value, conflicts) -> Iterable[Finding]:
    for path, raw in [(here + ("value",), dv_value)] + [
        (here + ("conflicts", c, "value"), value) for c, value in enumerate(conflicts)
    ]:
        try:
            coerce(measure, raw)
        except ValueError as exc:
            yield Finding(source, path, "R308", f"{key}: {exc}")


def _unparsed(ps: PolicySet, j) -> Iterable[Finding]:
    """Values of a file the schema rejected are still checked against their measure, from the raw
    data, so a drafter sees every problem in one run (the schema errors are reported already)."""
    measures = ps.catalogue.measures if ps.catalogue else {}
    for source in j.unparsed:
        provisions = source.data.get("provisions") if isinstance(source.data, dict) else None
        if not isinstance(provisions, dict):
            continue
        for pid, prov in provisions.items():
            if not isinstance(prov, dict) or not isinstance(prov.get("values"), list):
                continue
            key = prov.get("measure") or pid
            measure = (measures.get(key) or j.local_measures.get(key)) if isinstance(key, str) else None
            if measure is None:
                continue
            for i, dv in enumerate(prov["values"]):
                if isinstance(dv, dict) and "value" in dv:
                    conflicts = [c.get("value") for c in dv.get("conflicts") or [] if isinstance(c, dict)]
                    yield from _kind_findings(source, ("provisions", pid, "values", i), key, measure,
                                              dv["value"], conflicts)


def check(ps: PolicySet) -> Iterable[Finding]:
    for j in ps.jurisdictions.values():
        yield from _unparsed(ps, j)
    for j, key, prov, origin, measure, i, dv in ps.provision_values():
        here = origin.path + ("values", i)
        if dv.value is None and not dv.absent and dv.status is not Status.unverified:
            yield Finding(origin.source, here, "R310",
                          f"value is missing but status is '{dv.status.value}'; give the value or "
                          f"mark it 'unverified'")
        if measure is not None:
            yield from _kind_findings(origin.source, here, prov.measure or key, measure, dv.value,
                                      [c.value for c in dv.conflicts])
        if dv.status is not Status.unverified and not dv.sources:
            inst = j.instruments.get(dv.basis.instrument)
            if inst is None or not inst.sources:
                yield Finding(origin.source, here + ("status",), "R312",
                              f"a {dv.status.value} value needs 'sources' (the pages or texts it was "
                              f"read from), here or on its instrument", severity=Severity.ERROR)
