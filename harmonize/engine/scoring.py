"""Scores: per measure similarity → per domain → overall, as an exact decomposition.

- A measure's weight is the catalogue default, overridden per park profile.
- Within a domain, over the *scored* measures only:
  ``points lost by measure m = 100 · w_m · (1 − s_m) / Σ w``; the domain score is 100 minus the
  sum of its measures' points lost.
- Across domains, over the *scored* domains only (a domain with no scored measure, or whose
  scored measures all weigh 0, is "not scored": its weight is left out and the others renormalised):
  ``contribution of m = (W_d / Σ W) · points lost by m in its domain``; the overall score is
  **defined as** 100 minus the (``math.fsum``) sum of every contribution, so contributions add up
  exactly to ``100 − score``. Scores are never rounded here; only the display rounds.
- Every score lies in [0, 100]: similarities lie in [0, 1] and the weight shares sum to 1.

Unscored measures (null or unverified values, no value on either side, values not comparable)
are kept out of the score and counted in the coverage, never treated as a match.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from ..policy.models import Kind
from .align import Aligned
from .result import DomainScore, MeasureRow, OverallScore
from .similarity import NotComparable, direction, eatr_direction, eatr_similarity, similarity

# Why a measure is not scored (keys of coverage.unscored_by_reason).
NO_VALUE = "no_value_either_side"
UNVERIFIED = "unverified_value"
NOT_COMPARABLE = "not_comparable"
NO_PACKAGE = "no_package_etr"


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def compare(al: Aligned, weight: float) -> MeasureRow:
    """One measure's row: similarity (or why it is not scored) and the favourable side."""
    m = al.measure
    a, b = al.a, al.b
    notes = [*al.notes, *a.notes, *b.notes]
    row = MeasureRow(measure=al.measure_id, title=m.title.en, domain=m.domain.value, kind=m.kind.value,
                     unit=m.unit.value, favourable=m.favourable.value, a=a.row, b=b.row, scored=False,
                     weight=weight)
    states = (a.state, b.state)
    missing = ("absent", "excluded")
    if a.state in missing and b.state in missing:
        row.unscored_reason = NO_VALUE
    elif "unverified" in states:
        who = [s.row.jurisdiction for s in (a, b) if s.state == "unverified"]
        row.unscored_reason = UNVERIFIED
        notes.append(f"not scored: the value of {' and '.join(who)} is unknown or unverified")
    elif m.kind is Kind.schedule:
        pa, pb = a.row.package, b.row.package
        if pa is None or pb is None:
            row.unscored_reason = NO_PACKAGE
            who = [s.row.jurisdiction for s, p in ((a, pa), (b, pb)) if p is None]
            notes.append(f"not scored: no CIT package EATR for {' and '.join(who)}")
        else:
            row.scored = True
            row.similarity = _clamp(eatr_similarity(pa.eatr, pb.eatr, m.scale))
            row.direction = eatr_direction(pa.eatr, pb.eatr) if row.similarity < 1 else "equal"
            notes.append(f"compared through the CIT package EATR: {pa.eatr:.2f} % vs {pb.eatr:.2f} % "
                         f"(parameter set {pa.parameter_set}, {pa.parameter_set_status or 'status unknown'})")
    elif a.state in missing or b.state in missing:
        row.scored = True
        row.similarity = 0.0
        row.direction = "n/a"
        who = a if a.state in missing else b
        notes.append(f"{who.row.jurisdiction} has no value that applies: similarity 0")
    else:
        try:
            s, extra = similarity(m, a.typed, b.typed)
        except NotComparable as exc:
            row.unscored_reason = NOT_COMPARABLE
            notes.append(f"not scored: {exc}")
        else:
            row.scored = True
            row.similarity = _clamp(s)
            row.direction = direction(m, a.typed, b.typed, row.similarity)
            notes += extra
    if row.direction in ("a", "b"):
        row.more_favourable = (a if row.direction == "a" else b).row.jurisdiction
    row.notes = list(dict.fromkeys(notes))
    return row


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


def score(rows: list[MeasureRow], domain_weights: dict[str, float], domain_titles: dict[str, str]
          ) -> tuple[list[DomainScore], OverallScore]:
    """Fill each row's decomposition and return the per-domain and overall scores."""
    items = [ScoreItem(r.measure, r.domain, r.weight, r.similarity) for r in rows if r.scored]
    dec = decompose(items, domain_weights)
    for r in rows:
        r.points_lost_domain = dec.points_lost_domain.get(r.measure, 0.0)
        r.contribution = dec.contribution.get(r.measure, 0.0)
        r.weight_share = dec.weight_share.get(r.measure, 0.0)
    domains = []
    for d in domain_weights:  # the catalogue's order
        drows = [r for r in rows if r.domain == d]
        n_scored = sum(1 for r in drows if r.scored)
        note = None
        if dec.domain_score[d] is None:
            note = ("not scored: no measure of this domain has a comparable value on both sides"
                    if n_scored == 0 else "not scored: its scored measures all weigh 0")
        elif domain_weights[d] <= 0:
            note = "weight 0: shown, not counted in the overall score"
        domains.append(DomainScore(
            domain=d, title=domain_titles.get(d, d), weight=domain_weights[d], weight_share=dec.domain_share[d],
            score=dec.domain_score[d], points_lost=dec.domain_lost[d],
            contribution=math.fsum(r.contribution for r in drows),
            measures_scored=n_scored, measures_unscored=len(drows) - n_scored, note=note))
    not_scored = [d.domain for d in domains if d.score is None]
    overall = OverallScore(
        score=dec.overall, points_lost=dec.overall_lost,
        domains_scored=[d.domain for d in domains if d.score is not None and d.weight > 0],
        domains_not_scored=not_scored,
        note=(f"domains not scored, left out with their weight renormalised: {', '.join(not_scored)}"
              if not_scored else None) if dec.overall is not None else "nothing could be scored")
    return domains, overall
