"""What changed between two compatibility results (a baseline and now): scores, measures, gaps.

Pure: two CheckResults in, one ResultDelta out. The reports' "what changed" section and the CI
gates (--baseline, --max-drop, new critical gaps) both read it.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .result import CheckResult, MeasureRow


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScoreChange(_Model):
    key: str = Field(description="'overall' or a domain code")
    title: str
    before: Optional[float] = None
    after: Optional[float] = None
    change: Optional[float] = Field(None, description="after − before; None when either is not scored")


class SideChange(_Model):
    jurisdiction: str
    before: Optional[str] = None
    after: Optional[str] = None


class MeasureChange(_Model):
    measure: str
    title: str
    domain: str
    similarity_before: Optional[float] = None
    similarity_after: Optional[float] = None
    points_before: float = 0.0
    points_after: float = 0.0
    change: float = Field(description="Change in overall points lost: positive = compatibility fell")
    sides: list[SideChange] = Field(default_factory=list, description="Sides whose chosen value changed")


class GapChange(_Model):
    measure: str
    title: str
    status: Literal["new", "resolved", "worse", "better"]
    severity_before: Optional[str] = None
    severity_after: Optional[str] = None
    points_before: float = 0.0
    points_after: float = 0.0


class ResultDelta(_Model):
    same_pair: bool
    same_as_of: bool
    scores: list[ScoreChange]
    measures: list[MeasureChange]
    gaps: list[GapChange]

    @property
    def overall(self) -> ScoreChange:
        return self.scores[0]

    def new_gaps(self, severity: str = "critical") -> list[GapChange]:
        """Gaps at ``severity`` now that were not at that severity in the baseline."""
        return [g for g in self.gaps if g.severity_after == severity and g.severity_before != severity]


_EPS = 1e-9


def _display(row: Optional[MeasureRow], side: str) -> Optional[str]:
    if row is None:
        return None
    value = getattr(row, side).value
    return None if value is None else value.display


def _change(before: Optional[float], after: Optional[float]) -> Optional[float]:
    return None if before is None or after is None else after - before


def compare_results(base: CheckResult, head: CheckResult) -> ResultDelta:
    scores = [ScoreChange(key="overall", title="Overall", before=base.overall.score, after=head.overall.score,
                          change=_change(base.overall.score, head.overall.score))]
    base_domains = {d.domain: d for d in base.domains}
    for d in head.domains:
        b = base_domains.get(d.domain)
        before = b.score if b else None
        scores.append(ScoreChange(key=d.domain, title=d.title, before=before, after=d.score,
                                  change=_change(before, d.score)))

    base_rows = {m.measure: m for m in base.measures}
    head_rows = {m.measure: m for m in head.measures}
    measures = []
    for key in sorted(set(base_rows) | set(head_rows)):
        b, h = base_rows.get(key), head_rows.get(key)
        sides = []
        for side in ("a", "b"):
            before, after = _display(b, side), _display(h, side)
            if before != after:
                row = h or b
                sides.append(SideChange(jurisdiction=getattr(row, side).jurisdiction, before=before, after=after))
        pb, pa = (b.contribution if b else 0.0), (h.contribution if h else 0.0)
        sb, sa = (b.similarity if b else None), (h.similarity if h else None)
        if sides or abs(pa - pb) > _EPS or sb != sa:
            row = h or b
            measures.append(MeasureChange(measure=key, title=row.title, domain=row.domain, similarity_before=sb,
                                          similarity_after=sa, points_before=pb, points_after=pa,
                                          change=pa - pb, sides=sides))
    measures.sort(key=lambda m: (-abs(m.change), m.measure))

    base_gaps = {g.measure: g for g in base.gaps}
    head_gaps = {g.measure: g for g in head.gaps}
    gaps = []
    for key in sorted(set(base_gaps) | set(head_gaps)):
        b, h = base_gaps.get(key), head_gaps.get(key)
        if b is None:
            status = "new"
        elif h is None:
            status = "resolved"
        elif h.points_lost > b.points_lost + _EPS:
            status = "worse"
        elif h.points_lost < b.points_lost - _EPS:
            status = "better"
        else:
            continue
        g = h or b
        gaps.append(GapChange(measure=key, title=g.title, status=status,
                              severity_before=b.severity if b else None, severity_after=h.severity if h else None,
                              points_before=b.points_lost if b else 0.0, points_after=h.points_lost if h else 0.0))
    return ResultDelta(same_pair=list(base.pair) == list(head.pair), same_as_of=base.as_of == head.as_of,
                       scores=scores, measures=measures, gaps=gaps)
