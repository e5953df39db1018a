"""R308 value does not fit its measure, R310 missing value, R312 value with no source."""

from __future__ import annotations

from typing import Iterable

from ..diagnostics import Severity
from ..loader import Finding, PolicySet
from ..models import Status
from ..values import coerce


def check(ps: PolicySet) -> Iterable[Finding]:
    measures = ps.catalogue.measures if ps.catalogue else {}
    for j in ps.jurisdictions.values():
        for key, prov in j.provisions.items():
            origin = j.origins[("provisions", key)]
            measure_key = prov.measure or key
            measure = measures.get(measure_key) or j.local_measures.get(measure_key)
            for i, dv in enumerate(prov.values):
                here = origin.path + ("values", i)
                if dv.value is None and dv.status is not Status.unverified:
                    yield Finding(origin.source, here, "R310",
                                  f"value is missing but status is '{dv.status.value}'; give the value or "
                                  f"mark it 'unverified'")
                if measure is not None:
                    for path, raw in [(here + ("value",), dv.value)] + [
                        (here + ("conflicts", c, "value"), conflict.value)
                        for c, conflict in enumerate(dv.conflicts)
                    ]:
                        try:
                            coerce(measure, raw)
                        except ValueError as exc:
                            yield Finding(origin.source, path, "R308", f"{measure_key}: {exc}")
                if dv.status is not Status.unverified and not dv.sources:
                    inst = j.instruments.get(dv.basis.instrument)
                    if inst is None or not inst.sources:
                        yield Finding(origin.source, here + ("status",), "R312",
                                      f"a {dv.status.value} value needs 'sources' (the pages or texts it was "
                                      f"read from), here or on its instrument", severity=Severity.ERROR)
