"""The fast sensitivity equals re-decomposing every weight variant from scratch."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from harmonize.engine.result import MeasureRow, SideRow
from harmonize.engine.scoring import ScoreItem, decompose
from harmonize.engine.sensitivity import VARIATION, _top3, sensitivity

DOMAINS = ["tax", "customs", "land", "investment"]


def _row(i: int, domain: str, weight: float, similarity: float) -> MeasureRow:
    return MeasureRow(measure=f"m{i:03d}", title=f"m{i}", domain=domain, kind="rate", unit="percent",
                      favourable="lower", a=SideRow(jurisdiction="a"), b=SideRow(jurisdiction="b"),
                      scored=True, similarity=similarity, weight=weight)


measures = st.lists(st.tuples(st.sampled_from(DOMAINS), st.sampled_from([0.5, 1, 2, 3]),
                              st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0])), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(measures, st.lists(st.sampled_from([0.5, 1, 2, 3]), min_size=4, max_size=4), st.data())
def test_fast_variants_match_brute_force(spec, dweights, data):
    rows = [_row(i, d, w, s) for i, (d, w, s) in enumerate(spec)]
    weights = dict(zip(DOMAINS, dweights))
    changes = {r.measure: data.draw(st.integers(1, 3)) for r in rows}
    fast = sensitivity(rows, weights, changes)
    items = [ScoreItem(r.measure, r.domain, r.weight, r.similarity) for r in rows]
    base = decompose(items, weights)
    scored = [d for d in sorted(weights) if base.domain_score.get(d) is not None and weights[d] > 0]
    brute = []
    for d in scored:
        for f in (1 - VARIATION, 1 + VARIATION):
            w = {k: v * (f if k == d else 1.0) for k, v in weights.items()}
            dec = decompose(items, w)
            brute.append((dec.overall, _top3(dec.contribution, changes)))
    assert [v.top3 for v in fast.variants] == [t for _, t in brute]
    for v, (overall, _) in zip(fast.variants, brute):
        assert (v.score is None and overall is None) or abs(v.score - overall) < 1e-9
    corners = 0
    if 1 < len(scored):
        for combo in itertools.product((1 - VARIATION, 1 + VARIATION), repeat=len(scored)):
            w = {k: v * dict(zip(scored, combo)).get(k, 1.0) for k, v in weights.items()}
            corners += _top3(decompose(items, w).contribution, changes) != fast.top3
    assert fast.corners_top3_changed == corners
