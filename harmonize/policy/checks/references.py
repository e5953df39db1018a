"""R301 unknown instrument, R302 unknown measure, R315 other dangling ids."""

from __future__ import annotations

from typing import Iterable

from ..tree import Finding, PolicySet, suggest


def check(ps: PolicySet) -> Iterable[Finding]:
    measures = ps.catalogue.measures if ps.catalogue else {}
    for j in ps.jurisdictions.values():
        known = j.instruments
        for key, inst in j.instruments.items():
            origin = j.origins[("instruments", key)]
            for rel in ("supersedes", "superseded_by"):
                for i, other in enumerate(getattr(inst, rel)):
                    if other not in known and j.complete:
                        yield Finding(origin.source, origin.path + (rel, i), "R315",
                                      f"{rel.replace('_', ' ')} names instrument '{other}', which is not "
                                      f"declared in '{j.code}'{suggest(other, known)}")
        for key, prov in j.provisions.items():
            origin = j.origins[("provisions", key)]
            measure = prov.measure or key
            if measure not in measures and measure not in j.local_measures:
                path = origin.path + ("measure",) if prov.measure else origin.path
                yield Finding(origin.source, path, "R302",
                              f"measure '{measure}' is not in the catalogue nor in this jurisdiction's "
                              f"local_measures{suggest(measure, list(measures) + list(j.local_measures))}",
                              key=prov.measure is None)
            if not j.complete:
                continue
            for i, dv in enumerate(prov.values):
                bases = [(("values", i, "basis", "instrument"), dv.basis.instrument)]
                if dv.grandfathered:
                    bases.append((("values", i, "grandfathered", "basis", "instrument"),
                                  dv.grandfathered.basis.instrument))
                for sub, inst_id in bases:
                    if inst_id not in known:
                        yield Finding(origin.source, origin.path + sub, "R301",
                                      f"instrument '{inst_id}' is not declared in '{j.code}'"
                                      f"{suggest(inst_id, known)}")
