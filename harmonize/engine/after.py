"""The score after the first roadmap actions: the pair scored again with the gaps they close closed.

An action of the roadmap closes one or more gaps (``RoadmapItem.measures``). The first ``n`` actions
are taken together; each measure they close is scored again as the action's target implies, and the
pair's point score, bounds and coverage are worked out anew by the same functions that score it
today (``engine.scoring``). Nothing is added up: two actions closing the same measure close it once.

What is assumed (the same "closed" as the roadmap's points recovered, ``RoadmapItem.points_lost``):

- **The side that moves adopts the other side's rule as it stands**, its value and its kind of grant:
  the target of ``align_on_more_favourable`` (and of ``widen_conditions``, ``international_declaration``
  and ``administrative_practice``, which name the same target) is the more favourable side's value. The
  measure is compared again with the moving side's state replaced by the target side's state, so it
  matches (similarity 1), and its bounds are those of the target rule against itself: where the target
  is an 'up to' ceiling granted case by case, both sides then grant it case by case, and the lower
  bound counts one side granting it in full and the other not at all. Closing such a gap can thus
  leave its lower bound where it was, or even lower it; the point score only rises.
- **Where the sides agree a common value** (``agree_common_value``: no favourable direction, or one
  side has no such rule), either side's value may be the one agreed: the measure matches either way,
  and its bounds span both choices (the lower of the two lower bounds, the higher of the upper).
- **Closing a gap verifies nothing.** Only scored measures are closed; a measure not scored today
  (unknown or unverified on a side, nothing encoded) stays unscored, and the bounds still count it as
  fully different (lower) and fully equal (upper). Coverage therefore does not change.
- The weights, the domains scored and every other measure are today's: the actions change the law of
  the measures they close and nothing else (a change of one instrument that moved another measure's
  value is not modelled).

With ``n = 0`` the result is today's score and bounds, to the last bit (the same computation).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional, Sequence

from .align import Aligned
from .result import AfterActions, MeasureRow, RoadmapItem, build
from .scoring import bounds, compare, decompose, full_shares, point_items, row_fields

AFTER_ACTIONS = 5  # roadmap actions taken for the result's ``after_actions`` (the report's key findings)


def _adopt(al: Aligned, mover: str) -> Aligned:
    """The measure with side ``mover`` ('a' or 'b') taking the other side's state (its rule as it stands)."""
    return replace(al, a=al.b) if mover == "a" else replace(al, b=al.a)


def close(al: Aligned, row: MeasureRow) -> Optional[MeasureRow]:
    """The row of a scored measure once its gap is closed at the target (see the module docstring), or
    None where the target would leave it unscored (it is then left as it is, and not counted closed)."""
    if row.more_favourable is not None:
        movers = ["b" if row.more_favourable == row.a.jurisdiction else "a"]
    else:
        movers = ["a", "b"]
    fixed = row_fields(al.measure_id, al.measure)
    variants = [compare(_adopt(al, side), row.weight, fixed) for side in movers]
    if any(not v.scored or v.similarity is None for v in variants):
        return None
    return row.model_copy(update={
        "similarity": min(v.similarity for v in variants),  # type: ignore[type-var]
        "similarity_low": min(v.similarity_low for v in variants),  # type: ignore[type-var]
        "similarity_high": max(v.similarity_high for v in variants),  # type: ignore[type-var]
        "direction": "equal", "more_favourable": None})


def closed_measures(roadmap: Sequence[RoadmapItem], n: int) -> list[str]:
    """The measures the first ``n`` actions close, in roadmap order, each once."""
    return list(dict.fromkeys(m for item in roadmap[:max(0, n)] for m in (item.measures or [item.measure])))


def after_actions(aligned: Sequence[Aligned], rows: Sequence[MeasureRow], domain_weights: dict[str, float],
                  roadmap: Sequence[RoadmapItem], n: int = AFTER_ACTIONS,
                  today: Optional[float] = None) -> AfterActions:
    """The pair's score, bounds and coverage once the first ``n`` roadmap actions are taken.

    ``aligned`` and ``rows``: the pair's aligned measures and their scored rows, in the same order (as
    ``engine.run.check_pair`` makes them); ``domain_weights``: the weights the pair was scored with;
    ``today``: the pair's score today, for ``gain``. Pure: the rows passed are not changed."""
    if len(aligned) != len(rows):
        raise ValueError("after_actions: aligned measures and rows differ in number")
    wanted = set(closed_measures(roadmap, n))
    new_rows: list[MeasureRow] = []
    closed: set[str] = set()
    for al, row in zip(aligned, rows):
        if row.measure in wanted and row.scored and row.counted_in is None:
            done = close(al, row)
            if done is not None:
                new_rows.append(done)
                closed.add(row.measure)
                continue
        new_rows.append(row)
    dec = decompose(point_items(new_rows), domain_weights)
    coverage, lower, upper = bounds([r for r in new_rows if r.counted_in is None], full_shares(new_rows, domain_weights))
    score = dec.overall
    gain = None if score is None or today is None else score - today
    return build(AfterActions, n=min(max(0, n), len(roadmap)),
                 measures_closed=[m for m in closed_measures(roadmap, n) if m in closed],
                 score=score, lower=lower, upper=upper, coverage=coverage, gain=gain)
