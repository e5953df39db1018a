"""How much the overall score and the roadmap's top 3 depend on the domain weights.

Each domain weight is varied by ±25 % one at a time; then every corner of the box (each scored
domain at ×0.75 or ×1.25; 2^k combinations for k scored domains, up to 2^10) is tried as well. The
similarities do not change, only the weights, and a domain weight scales all of its measures'
points alike. So a variant's overall score is 100 − Σ share_d × domain points lost (O(domains)),
and within a domain the roadmap order (points lost per change, see gaps.py) never changes: the
overall top 3 is always among the domains' own top 3s, which are ranked once.
"""

from __future__ import annotations

import heapq
import itertools
import math

from .gaps import rank_key
from .result import MeasureRow, Sensitivity, SensitivityVariant
from .scoring import decompose, point_items

VARIATION = 0.25
MAX_CORNER_DOMAINS = 10


def _top3(contrib: dict[str, float], changes: dict[str, int]) -> list[str]:
    ranked = heapq.nsmallest(3, ((rank_key(m, contrib.get(m, 0.0), c), m) for m, c in changes.items()
                                 if contrib.get(m, 0.0) > 0))
    return [m for _, m in ranked]


def _candidates(measures: list[str], pl: dict[str, float], changes: dict[str, int]) -> list[str]:
    """A domain's top 3 by the roadmap order, plus any measure tied with the third: scaling by a
    domain share can swap exact ties by one ulp, so a tie must stay in the running."""
    ordered = sorted(measures, key=lambda m: rank_key(m, pl[m], changes[m]))
    if len(ordered) <= 3:
        return ordered
    floor = pl[ordered[2]] / changes[ordered[2]] * (1 - 1e-9)
    return ordered[:3] + [m for m in ordered[3:] if pl[m] / changes[m] >= floor]


def sensitivity(rows: list[MeasureRow], domain_weights: dict[str, float], changes: dict[str, int],
                variation: float = VARIATION) -> Sensitivity:
    """``changes``: roadmap measure -> the cost the roadmap ranks it by (instrument rank; independent of
    the weights)."""
    base = decompose(point_items(rows), domain_weights)
    top3 = _top3(base.contribution, changes)
    out = Sensitivity(variation=variation, base_score=base.overall, top3=top3)
    scored = [d for d in sorted(domain_weights) if base.domain_score.get(d) is not None and domain_weights[d] > 0]
    results: list[tuple[str, dict[str, float], object, list[str]]] = []
    domain_of = {r.measure: r.domain for r in rows}
    pl = base.points_lost_domain
    ranked: dict[str, list[str]] = {}
    for m, c in changes.items():
        if pl.get(m, 0.0) > 0:
            ranked.setdefault(domain_of[m], []).append(m)
    candidates = {d: _candidates(ms, pl, changes) for d, ms in ranked.items()}

    def run(label: str, factors: dict[str, float]) -> None:
        w = {d: domain_weights[d] * factors.get(d, 1.0) for d in domain_weights}
        live = [d for d in scored if w[d] > 0]
        total = math.fsum(w[d] for d in live)
        share = {d: w[d] / total for d in live}
        overall = min(100.0, max(0.0, 100.0 - math.fsum(share[d] * base.domain_lost[d] for d in live))) if live else None
        top = heapq.nsmallest(3, ((rank_key(m, share[d] * pl[m], changes[m]), m)
                                  for d in live for m in candidates.get(d, [])))
        results.append((label, factors, overall, [m for _, m in top]))

    for d in scored:
        for f in (1 - variation, 1 + variation):
            run(f"{d} x{f:g}", {d: f})
    one_at_a_time = list(results)
    if 1 < len(scored) <= MAX_CORNER_DOMAINS:
        for combo in itertools.product((1 - variation, 1 + variation), repeat=len(scored)):
            factors = dict(zip(scored, combo))
            run("corner " + ", ".join(f"{d} x{f:g}" for d, f in factors.items()), factors)
    out.variants = [SensitivityVariant(label=l, factors=f, score=s, top3=t, top3_same_order=(t == top3))
                    for l, f, s, t in one_at_a_time]
    valued = [(s, l) for l, _, s, _ in results if s is not None]
    if base.overall is not None:
        valued.append((base.overall, "base"))
    if valued:
        lo, hi = min(valued), max(valued, key=lambda x: x[0])
        out.min_score, out.min_variant = lo
        out.max_score, out.max_variant = hi
    corners = results[len(one_at_a_time):]
    out.unstable_variants = [l for l, _, _, t in one_at_a_time if t != top3]
    out.corners_tried = len(corners)
    out.corners_top3_changed = sum(1 for _, _, _, t in corners if t != top3)
    out.top3_stable = not out.unstable_variants and not out.corners_top3_changed
    return out
