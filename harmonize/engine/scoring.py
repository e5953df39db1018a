"""Scores: per measure similarity → per domain → overall, with coverage and bounds (issue 11).

- A measure's weight is the catalogue default, overridden per park profile. Parts of a package
  (``part_of``) are counted once, in their package, never on their own.
- **Point score** (the score of what is known), within a domain over the *scored* measures:
  ``points lost by m = 100 · w_m · (1 − s_m) / Σ w``; across the scored domains renormalised:
  ``contribution of m = (W_d / Σ W) · points lost by m``; the overall score is **defined as** 100
  minus the (``math.fsum``) sum of every contribution, so contributions add up exactly to
  ``100 − score``. A domain whose scored measures are all existence checks has no point score.
- **Coverage and bounds**, against the whole catalogue weight (a fixed denominator): each counted
  measure's share ``s_m = (W_d / Σ W) · (w_m / Σ_{d} w)``, scored or not; coverage = Σ s_m over the
  scored measures; lower bound = 100 · Σ s_m · similarity_low (unscored: 0); upper bound =
  100 · Σ s_m · similarity_high (unscored: 1). The point score lies within the bounds; downgrading a
  value to unverified can only widen them. Below the coverage threshold the score is provisional.
- **Severity points** of a measure: 100 · s_m · (1 − s) with the catalogue's own weights, so the same
  gap has the same severity in every park, whatever else is known.
- Scores are never rounded here; only the display rounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from ..policy.models import Kind
from .align import Aligned
from .result import DomainScore, MeasureRow, OverallScore, build, fill
from .similarity import (NotComparable, direction, eatr_direction, eatr_similarity, numeric_similarity,
                         similarity)

# Why a measure is not scored (keys of coverage.unscored_by_reason).
NO_VALUE = "no_value_either_side"
UNVERIFIED = "unverified_value"
NOT_COMPARABLE = "not_comparable"
NO_PACKAGE = "no_package_etr"
NOT_ENCODED = "not_encoded"
COUNTED_IN = "counted_in_package"

KNOWN = ("value", "implied")
LACKS = ("declared_absent", "excluded")


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def _interval(st) -> Optional[tuple[float, float]]:
    if not isinstance(st.typed, (int, float)) or isinstance(st.typed, bool):
        return None
    lo = hi = float(st.typed)
    if st.floor is not None:
        lo, hi = min(lo, float(st.floor)), max(hi, float(st.floor))
    return lo, hi


def interval_bounds(a: tuple[float, float], b: tuple[float, float], scale: Optional[float],
                    tolerance: float) -> tuple[float, float]:
    """Lowest and highest similarity of any two values of the intervals (an 'up to' ceiling may be
    granted in full, in part or not at all)."""
    near = max(0.0, max(a[0], b[0]) - min(a[1], b[1]))
    far = max(abs(a[1] - b[0]), abs(b[1] - a[0]))
    return (_clamp(numeric_similarity(0.0, far, scale, tolerance)),
            _clamp(numeric_similarity(0.0, near, scale, tolerance)))


def row_fields(measure_id: str, m) -> dict:
    """The fields of a measure's row that come from the catalogue alone (the same in every pair)."""
    return dict(measure=measure_id, title=m.title.en, domain=m.domain.value, kind=m.kind.value, unit=m.unit.value,
                favourable=m.favourable.value, combine=m.combine, existence=m.existence, counted_in=m.part_of)


def compare(al: Aligned, weight: float, fixed: Optional[dict] = None) -> MeasureRow:
    """One measure's row: similarity (or why it is not scored), its bounds and the favourable side.
    ``fixed``: the measure's ``row_fields``, when the caller keeps them for the run."""
    m = al.measure
    a, b = al.a, al.b
    notes = [*al.notes, *a.notes, *b.notes]
    scored = False
    reason: Optional[str] = None
    sim: Optional[float] = None
    direction_: str = "n/a"
    states = (a.state, b.state)
    if m.part_of:
        reason = COUNTED_IN
        notes = [f"scored once, inside {m.part_of}"]
    elif "unverified" in states:
        who = [s.row.jurisdiction for s in (a, b) if s.state == "unverified"]
        reason = UNVERIFIED
        notes.append(f"not scored: the value of {' and '.join(who)} is unknown or unverified")
    elif "not_encoded" in states:
        who = [s.row.jurisdiction for s in (a, b) if s.state == "not_encoded"]
        reason = NOT_ENCODED if len(who) == 1 or any(s.state != "not_encoded" for s in (a, b)) else NO_VALUE
        if all(s == "not_encoded" for s in states):
            reason = NO_VALUE
        notes.append(f"not scored: nothing encoded for {' and '.join(who)} and the catalogue gives silence no "
                     f"meaning (a coverage hole, not a legal gap)")
    elif a.state in LACKS and b.state in LACKS:
        scored, sim, direction_ = True, 1.0, "equal"
        notes.append("neither side has such a rule for this site")
    elif a.state in LACKS or b.state in LACKS:
        scored, sim, direction_ = True, 0.0, "n/a"
        who = a if a.state in LACKS else b
        notes.append(f"{who.row.jurisdiction} is known to have no such rule here: similarity 0")
    elif m.kind is Kind.schedule:
        ea, eb = _eatr(a), _eatr(b)
        if ea is None or eb is None:
            reason = NO_PACKAGE
            who = [s.row.jurisdiction for s, e in ((a, ea), (b, eb)) if e is None]
            notes.append(f"not scored: no CIT package EATR for {' and '.join(who)}")
        else:
            scored = True
            sim = _clamp(eatr_similarity(ea, eb, m.scale))
            direction_ = eatr_direction(ea, eb) if sim < 1 else "equal"
            pa, pb = a.row.package, b.row.package
            if pa is not None and pb is not None:
                notes.append(f"compared through the CIT package EATR: {pa.eatr:.2f} % vs {pb.eatr:.2f} % "
                             f"(parameter set {pa.parameter_set}, {pa.parameter_set_status or 'status unknown'})")
    else:
        try:
            s, extra = similarity(m, _plain(m, a.typed), _plain(m, b.typed))
        except NotComparable as exc:
            reason = NOT_COMPARABLE
            notes.append(f"not scored: {exc}")
        else:
            scored = True
            sim = _clamp(s)
            direction_ = direction(m, a.typed, b.typed, sim)
            notes += extra
    low = high = None
    if scored:
        low = high = sim
        ia, ib = _interval(a), _interval(b)
        if ia is not None and ib is not None and (a.floor is not None or b.floor is not None):
            scale = m.scale if m.kind is not Kind.schedule else (m.scale or 10.0)
            low, high = interval_bounds(ia, ib, scale, m.tolerance)
            low, high = min(low, sim), max(high, sim)  # type: ignore[type-var]
    elif not m.part_of:
        low, high = 0.0, 1.0
    more_favourable = None
    if direction_ in ("a", "b") and m.favourable.value != "none":
        more_favourable = (a if direction_ == "a" else b).row.jurisdiction
    elif direction_ in ("a", "b"):
        direction_ = "n/a"
    return build(MeasureRow, **(fixed or row_fields(al.measure_id, m)), a=a.row, b=b.row, scored=scored,
                 unscored_reason=reason, similarity=sim, weight=weight, similarity_low=low, similarity_high=high,
                 direction=direction_, more_favourable=more_favourable, notes=list(dict.fromkeys(notes)))


def _eatr(st) -> Optional[float]:
    if isinstance(st.typed, float):
        return st.typed
    return st.row.package.eatr if st.row.package is not None and st.state in KNOWN else None


def _plain(m, v):
    from .align import NONE

    if v is NONE:
        return frozenset() if m.kind is Kind.set else None
    return v


@dataclass(frozen=True)
class ScoreItem:
    measure: str
    domain: str
    weight: float
    similarity: float


@dataclass(frozen=True)
class Decomposition:
    points_lost_domain: dict[str, float]  # measure -> points off its domain
    contribution: dict[str, float]  # measure -> points off the overall
    weight_share: dict[str, float]  # measure -> share of its domain's scored weight
    domain_score: dict[str, Optional[float]]
    domain_lost: dict[str, float]
    domain_share: dict[str, Optional[float]]
    overall_lost: float
    overall: Optional[float]


def decompose(items: list[ScoreItem], domain_weights: dict[str, float]) -> Decomposition:
    """The exact decomposition (see module docstring). ``items``: scored measures only."""
    by_domain: dict[str, list[ScoreItem]] = {}
    for it in sorted(items, key=lambda i: (i.domain, i.measure)):
        by_domain.setdefault(it.domain, []).append(it)
    pl: dict[str, float] = {}
    wshare: dict[str, float] = {}
    dscore: dict[str, Optional[float]] = {}
    dlost: dict[str, float] = {}
    for d in sorted(domain_weights):
        its = by_domain.get(d, [])
        total = math.fsum(i.weight for i in its)
        if not its or total <= 0:
            dscore[d] = None
            dlost[d] = 0.0
            for i in its:
                pl[i.measure] = 0.0
                wshare[i.measure] = 0.0
            continue
        for i in its:
            wshare[i.measure] = i.weight / total
            pl[i.measure] = 100.0 * i.weight * (1.0 - i.similarity) / total
        dlost[d] = math.fsum(pl[i.measure] for i in its)
        dscore[d] = min(100.0, max(0.0, 100.0 - dlost[d]))
    scored = [d for d in sorted(domain_weights) if dscore[d] is not None and domain_weights[d] > 0]
    wtotal = math.fsum(domain_weights[d] for d in scored)
    dshare: dict[str, Optional[float]] = {d: None for d in domain_weights}
    contrib: dict[str, float] = {}
    for d in scored:
        dshare[d] = domain_weights[d] / wtotal
    for d, its in by_domain.items():
        share = dshare.get(d) or 0.0
        for i in its:
            contrib[i.measure] = share * pl.get(i.measure, 0.0)
    lost = math.fsum(contrib.values())
    overall = min(100.0, max(0.0, 100.0 - lost)) if scored else None
    return Decomposition(pl, contrib, wshare, dscore, dlost, dshare, lost, overall)


def point_items(rows: list[MeasureRow]) -> list[ScoreItem]:
    """The scored measures that make the point score. A domain whose scored measures are all
    existence checks (an agency, a portal) has no point score: they bound it, they do not make it."""
    substantive = {r.domain for r in rows if r.scored and not r.existence}
    return [ScoreItem(r.measure, r.domain, r.weight, r.similarity) for r in rows
            if r.scored and r.domain in substantive]


def full_shares(rows: list[MeasureRow], domain_weights: dict[str, float],
                weight_of=lambda r: r.weight) -> dict[str, float]:
    """Each counted measure's share of the whole catalogue weight, scored or not (fixed denominator)."""
    counted = [r for r in rows if r.counted_in is None]
    totals: dict[str, float] = {}
    for r in counted:
        totals[r.domain] = totals.get(r.domain, 0.0) + weight_of(r)
    live = [d for d in sorted(domain_weights) if domain_weights[d] > 0 and totals.get(d, 0.0) > 0]
    wsum = math.fsum(domain_weights[d] for d in live)
    out = {}
    for r in counted:
        d = r.domain
        out[r.measure] = (domain_weights[d] / wsum) * (weight_of(r) / totals[d]) if d in live else 0.0
    return out


def bounds(rows: list[MeasureRow], shares: dict[str, float]) -> tuple[float, float, float]:
    """(coverage, lower, upper) over the rows: unscored rows count 0 in the lower bound, 1 in the upper."""
    cov = math.fsum(shares.get(r.measure, 0.0) for r in rows if r.scored)
    lo = math.fsum(shares.get(r.measure, 0.0) * (r.similarity_low if r.scored else 0.0) for r in rows)
    hi = math.fsum(shares.get(r.measure, 0.0) * (r.similarity_high if r.scored else 1.0) for r in rows)
    total = math.fsum(shares.get(r.measure, 0.0) for r in rows)
    if total <= 0:
        return 0.0, 0.0, 100.0
    return cov / total, 100.0 * lo / total, 100.0 * hi / total


def score(rows: list[MeasureRow], domain_weights: dict[str, float], domain_titles: dict[str, str],
          catalogue_weights: Optional[tuple[dict[str, float], dict[str, float]]] = None,
          threshold: float = 0.7) -> tuple[list[DomainScore], OverallScore]:
    """Fill each row's decomposition and return the per-domain and overall scores.

    ``catalogue_weights``: (domain weights, measure weights) of the catalogue itself, for the
    severity points (the same gap weighs the same in every park); default: the weights used."""
    items = point_items(rows)
    dec = decompose(items, domain_weights)
    shares = full_shares(rows, domain_weights)
    if catalogue_weights is not None:
        cdom, cmea = catalogue_weights
        if cdom == domain_weights and all(cmea.get(r.measure, r.weight) == r.weight for r in rows):
            cshares = shares  # the weights used are the catalogue's (no park overrides): the same shares
        else:
            cshares = full_shares(rows, cdom, lambda r: cmea.get(r.measure, r.weight))
    else:
        cshares = shares
    for r in rows:
        mid = r.measure
        full = shares.get(mid, 0.0)
        fill(r, points_lost_domain=dec.points_lost_domain.get(mid, 0.0), contribution=dec.contribution.get(mid, 0.0),
             weight_share=dec.weight_share.get(mid, 0.0), full_share=full)
        if r.scored and r.similarity is not None:
            fill(r, points_full=100.0 * full * (1.0 - r.similarity),
                 severity_points=100.0 * cshares.get(mid, 0.0) * (1.0 - r.similarity))
    domains = []
    counted: dict[str, list[MeasureRow]] = {}
    for r in rows:
        if r.counted_in is None:
            counted.setdefault(r.domain, []).append(r)
    for d in domain_weights:  # the catalogue's order
        drows = counted.get(d, [])
        n_scored = sum(1 for r in drows if r.scored)
        note = None
        if dec.domain_score[d] is None:
            note = ("not scored: no measure of this domain has a comparable value on both sides"
                    if n_scored == 0 else "not scored: only existence checks are known (they bound the domain, "
                    "they do not make its score)" if all(r.existence for r in drows if r.scored)
                    else "not scored: its scored measures all weigh 0")
        elif domain_weights[d] <= 0:
            note = "weight 0: shown, not counted in the overall score"
        dshares = {r.measure: r.weight for r in drows}
        cov, lo, hi = bounds(drows, dshares)
        domains.append(DomainScore(
            domain=d, title=domain_titles.get(d, d), weight=domain_weights[d], weight_share=dec.domain_share[d],
            score=dec.domain_score[d], points_lost=dec.domain_lost[d],
            contribution=math.fsum(r.contribution for r in drows),
            measures_scored=n_scored, measures_unscored=len(drows) - n_scored,
            coverage=cov, lower=lo if drows else None, upper=hi if drows else None, note=note))
    not_scored = [d.domain for d in domains if d.score is None]
    cov, lo, hi = bounds([r for r in rows if r.counted_in is None], shares)
    overall = OverallScore(
        score=dec.overall, coverage=cov, lower=lo, upper=hi, provisional=cov < threshold,
        coverage_threshold=threshold, points_lost=dec.overall_lost,
        domains_scored=[d.domain for d in domains if d.score is not None and d.weight > 0],
        domains_not_scored=not_scored,
        note=(f"domains not scored, left out with their weight renormalised: {', '.join(not_scored)}"
              if not_scored else None) if dec.overall is not None else "nothing could be scored")
    return domains, overall
