"""R317: a ``verified`` value that rests only on low-tier sources (press, aggregators, blogs ...).

A warning, not an error: the value may well be right, but "verified" promises the primary text or
two independent reputable sources, and a press report or an aggregator is neither. The tiers come
from the tree's ``sources.yaml`` (see ``policy.sources``); without that file nothing is checked.
"""

from __future__ import annotations

from typing import Iterable

from ..diagnostics import Severity
from ..models import Status
from ..sources import LOW_TIERS, value_sources
from ..tree import Finding, PolicySet


def check(ps: PolicySet) -> Iterable[Finding]:
    tiers = ps.source_tiers
    if tiers is None:
        return
    for j in ps.jurisdictions.values():
        for key, prov in j.provisions.items():
            origin = j.origins[("provisions", key)]
            for i, dv in enumerate(prov.values):
                if dv.status is not Status.verified:
                    continue
                urls = value_sources(j.instruments, dv)
                found = [(u, tiers.tier_of(u)) for u in urls]
                if not found or any(t not in LOW_TIERS for _, t in found):
                    continue
                listed = ", ".join(f"{u} ({t.value})" for u, t in found)
                what = "a single low-tier source" if len(found) == 1 else "low-tier sources only"
                yield Finding(origin.source, origin.path + ("values", i, "status"), "R317",
                              f"{key}: a verified value rests on {what}: {listed}; add an official, "
                              f"international, law-firm or text-copy source, or lower the status to "
                              f"secondary", severity=Severity.WARNING)
