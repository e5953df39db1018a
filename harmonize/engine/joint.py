"""Parks of three: a joint view composed from the three pairwise ``run_check`` results.

Nothing here compares two sides: each pair is checked by ``run_check`` exactly as any pair is,
and this module only reads the three results side by side. Per measure it says whether all
three countries agree (every pair scored and identical within the catalogue's tolerance), which
country is the outlier (the other two agree and it differs from both), or that all differ; and it
ranks changes ("country X adopts the rule of Y") by how many pairwise gaps each closes, then by
the points those gaps cost.
"""

from __future__ import annotations

from itertools import combinations
from typing import Literal, Optional

from pydantic import Field

from .result import CheckResult, SideValue, _Model

AGREE = 1.0 - 1e-9  # similarity treated as agreement (the catalogue's tolerance already gives 1.0)

Agreement = Literal["all_agree", "outlier", "all_differ", "mixed", "incomplete"]


class JointValue(_Model):
    jurisdiction: str
    display: Optional[str] = None
    status: Optional[str] = None
    cite: Optional[str] = None


class JointPairCell(_Model):
    pair: list[str]
    scored: bool
    similarity: Optional[float] = None
    points_lost: float = 0.0


class JointMeasure(_Model):
    measure: str
    title: str
    domain: str
    values: list[JointValue]
    pairs: list[JointPairCell]
    agreement: Agreement
    outlier: Optional[str] = None
    agreeing: list[str] = Field(default_factory=list, description="With an outlier: the two that agree")


class JointChange(_Model):
    rank: int
    measure: str
    title: str
    domain: str
    jurisdiction: str = Field(description="The country that changes its rule")
    align_with: list[str] = Field(description="The countries whose rule it adopts")
    gaps_closed: int
    pairs_closed: list[list[str]]
    points: float = Field(description="Sum of the points the closed pairwise gaps cost (overall points of each pair)")


class JointPair(_Model):
    pair: list[str]
    park: Optional[str] = None
    score: Optional[float] = None
    bilateral: Optional[str] = None
    gaps: int = 0


class JointView(_Model):
    park: Optional[str] = None
    title: Optional[str] = None
    countries: list[str]
    names: dict[str, str] = Field(default_factory=dict)
    as_of: str
    pairs: list[JointPair]
    measures: list[JointMeasure]
    counts: dict[str, int] = Field(default_factory=dict, description="Measures per agreement class")
    outliers: dict[str, int] = Field(default_factory=dict, description="Per country: measures where it is the outlier")
    roadmap: list[JointChange]
    notes: list[str] = Field(default_factory=list)


def _side(r: CheckResult, row, code: str):
    return row.a if r.pair[0] == code else row.b


def _value(side) -> JointValue:
    v: Optional[SideValue] = side.value
    if v is None:
        return JointValue(jurisdiction=side.jurisdiction)
    return JointValue(jurisdiction=side.jurisdiction, display=v.display, status=v.status, cite=v.basis.cite())


def joint_view(results: list[CheckResult], park: Optional[str] = None, title: Optional[str] = None) -> JointView:
    """The joint view of three pairwise results covering three countries (any order of the pairs).
    Raises ValueError unless the results are the three pairs of exactly three countries."""
    countries = sorted({c for r in results for c in r.pair})
    by_pair = {frozenset(r.pair): r for r in results}
    if len(countries) != 3 or len(results) != 3 or len(by_pair) != 3:
        raise ValueError("a joint view needs the three pairwise results of exactly three countries")
    if len({r.as_of for r in results}) != 1:
        raise ValueError("the three results are not of the same date")
    pairs = [tuple(p) for p in combinations(countries, 2)]
    rows = {frozenset(p): {m.measure: m for m in by_pair[frozenset(p)].measures} for p in pairs}
    gaps = {frozenset(p): {g.measure: g for g in by_pair[frozenset(p)].gaps if g.points_lost > 0} for p in pairs}
    names: dict[str, str] = {}
    for r in results:
        names.update(r.jurisdictions)

    measure_ids = sorted(set().union(*(set(x) for x in rows.values())))
    order = {m.measure: i for i, m in enumerate(results[0].measures)}
    measure_ids.sort(key=lambda m: (order.get(m, len(order)), m))
    out: list[JointMeasure] = []
    changes: list[JointChange] = []
    for mid in measure_ids:
        cells, agree = [], {}
        values: dict[str, JointValue] = {}
        capped: dict[str, list[str]] = {}
        first = None
        for p in pairs:
            r, row = by_pair[frozenset(p)], rows[frozenset(p)].get(mid)
            if row is None:
                cells.append(JointPairCell(pair=list(p), scored=False))
                agree[frozenset(p)] = None
                continue
            first = first or row
            for code in p:
                side = _side(r, row, code)
                values.setdefault(code, _value(side))
                if side.cap is not None and side.cap.applied and side.cap.effective is not None:
                    capped.setdefault(code, []).append(f"{side.cap.effective:g} % to {[c for c in p if c != code][0]}")
            g = gaps[frozenset(p)].get(mid)
            cells.append(JointPairCell(pair=list(p), scored=row.scored, similarity=row.similarity,
                                       points_lost=g.points_lost if g else 0.0))
            agree[frozenset(p)] = (row.similarity is not None and row.similarity >= AGREE) if row.scored else None
        known = [v for v in agree.values() if v is not None]
        outlier, agreeing = None, []
        if len(known) < 3:
            kind: Agreement = "incomplete"
        elif all(known):
            kind = "all_agree"
        elif sum(known) == 1:
            (pair_ok,) = [p for p, v in agree.items() if v]
            (outlier,) = set(countries) - set(pair_ok)
            kind, agreeing = "outlier", sorted(pair_ok)
        elif not any(known):
            kind = "all_differ"
        else:
            kind = "mixed"  # within tolerance of each other pairwise, not as a whole
        for code, caps in capped.items():
            v = values[code]
            values[code] = v.model_copy(update={"display": f"{v.display} (treaty cap: {', '.join(caps)})"})
        out.append(JointMeasure(measure=mid, title=first.title if first else mid, domain=first.domain if first else "",
                                values=[values.get(c, JointValue(jurisdiction=c)) for c in countries],
                                pairs=cells, agreement=kind, outlier=outlier, agreeing=agreeing))
        # changes: X adopts Y's rule closes gap(X, Y), and gap(X, Z) too when Y and Z agree
        for x in countries:
            best = None
            for y in countries:
                if y == x:
                    continue
                (z,) = set(countries) - {x, y}
                closed = []
                if frozenset((x, y)) in gaps and mid in gaps[frozenset((x, y))]:
                    closed.append(frozenset((x, y)))
                if agree.get(frozenset((y, z))) and mid in gaps[frozenset((x, z))]:
                    closed.append(frozenset((x, z)))
                if not closed:
                    continue
                pts = sum(gaps[p][mid].points_lost for p in closed)
                with_ = sorted({y, z}) if agree.get(frozenset((y, z))) else [y]
                cand = (len(closed), pts, with_, closed)
                if best is None or (cand[0], cand[1]) > (best[0], best[1]):
                    best = cand
            if best is not None:
                changes.append(JointChange(rank=0, measure=mid, title=first.title if first else mid,
                                           domain=first.domain if first else "", jurisdiction=x,
                                           align_with=best[2], gaps_closed=best[0],
                                           pairs_closed=[sorted(p) for p in sorted(best[3], key=sorted)],
                                           points=best[1]))
    changes.sort(key=lambda c: (-c.gaps_closed, -round(c.points, 9), c.measure, c.jurisdiction))
    changes = [c.model_copy(update={"rank": i + 1}) for i, c in enumerate(changes)]
    counts = {k: sum(1 for m in out if m.agreement == k)
              for k in ("all_agree", "outlier", "all_differ", "mixed", "incomplete")}
    outliers = {c: sum(1 for m in out if m.outlier == c) for c in countries}
    jp = [JointPair(pair=list(p), park=by_pair[frozenset(p)].park.id if by_pair[frozenset(p)].park else None,
                    score=by_pair[frozenset(p)].overall.score, bilateral=by_pair[frozenset(p)].bilateral,
                    gaps=len(gaps[frozenset(p)])) for p in pairs]
    return JointView(park=park, title=title, countries=countries, names={c: names.get(c, c) for c in countries},
                     as_of=str(results[0].as_of), pairs=jp, measures=out, counts=counts, outliers=outliers,
                     roadmap=changes,
                     notes=["composed from the three pairwise checks; no comparison beyond them",
                            "agree: the pair is scored and identical within the catalogue's tolerance",
                            "a change 'X adopts the rule of Y' closes the gap X–Y, and X–Z too when Y and Z agree"])
