"""How alike two values of one measure are, in [0, 1], and which one favours the investor.

Per kind (FDI-index style: one 0–1 score per element, weights as data):

- rate / duration / count: ``1 − min(1, max(0, |a − b| − tolerance) / scale)``; a range
  ``{min, max}`` is compared by its midpoint (and the row says so). No ``scale`` in the catalogue:
  equal within the tolerance → 1, else 0.
- amount: as a number, only when both sides use the same currency (else not comparable).
- boolean: 1 when equal, else 0.
- enum: 1 when equal or in one ``equivalences`` group; ordered enums (``order: options``) score
  ``1 − |index distance| / (number of options − 1)``; unordered ones 0 when different.
- set: Jaccard overlap ``|A ∩ B| / |A ∪ B|`` (two empty sets: 1).
- schedule: through the two sides' package EATR: ``1 − min(1, |ΔEATR in points| / scale)``.

Every function here is pure and total: it never raises on a well-typed value.
"""

from __future__ import annotations

from typing import Any, Optional

from ..policy.models import Amount, Favourable, Kind, Measure, NumberRange

NUMERIC = (Kind.rate, Kind.duration, Kind.count)


class NotComparable(Exception):
    """The two values cannot be compared (e.g. amounts in different currencies)."""


def midpoint(v: Any) -> float:
    if isinstance(v, NumberRange):
        return (v.min + v.max) / 2
    if isinstance(v, Amount):
        return float(v.amount)
    return float(v)


def numeric_similarity(a: float, b: float, scale: Optional[float], tolerance: float = 0.0) -> float:
    diff = max(0.0, abs(a - b) - tolerance)
    if scale is None:
        return 1.0 if diff == 0 else 0.0
    return 1.0 - min(1.0, diff / scale)


def enum_similarity(measure: Measure, a: str, b: str) -> float:
    if a == b:
        return 1.0
    for group in measure.equivalences:
        if a in group and b in group:
            return 1.0
    if measure.order == "options" and a in measure.options and b in measure.options and len(measure.options) > 1:
        dist = abs(measure.options.index(a) - measure.options.index(b))
        return 1.0 - dist / (len(measure.options) - 1)
    return 0.0


def jaccard(a: frozenset, b: frozenset) -> float:
    union = a | b
    if not union:
        return 1.0
    return len(a & b) / len(union)


def similarity(measure: Measure, a: Any, b: Any) -> tuple[float, list[str]]:
    """Similarity of two typed, non-null values of a non-schedule measure, and notes.

    Raises NotComparable when the values cannot be put on one scale."""
    notes: list[str] = []
    kind = measure.kind
    if kind in NUMERIC:
        if isinstance(a, NumberRange) or isinstance(b, NumberRange):
            notes.append("a range is compared by its midpoint")
        return numeric_similarity(midpoint(a), midpoint(b), measure.scale, measure.tolerance), notes
    if kind is Kind.amount:
        if not (isinstance(a, Amount) and isinstance(b, Amount)) or a.currency != b.currency:
            raise NotComparable("amounts in different currencies are not compared")
        return numeric_similarity(a.amount, b.amount, measure.scale, measure.tolerance), notes
    if kind is Kind.boolean:
        return (1.0 if bool(a) == bool(b) else 0.0), notes
    if kind is Kind.enum:
        return enum_similarity(measure, a, b), notes
    if kind is Kind.set:
        return jaccard(frozenset(a), frozenset(b)), notes
    raise NotComparable(f"{kind.value} values are not compared value by value")


def eatr_similarity(eatr_a: float, eatr_b: float, scale: Optional[float]) -> float:
    """Schedules: similarity of two package EATRs given in percent."""
    return numeric_similarity(eatr_a, eatr_b, scale if scale is not None else 10.0, 0.0)


# --- favourability ----------------------------------------------------------------------------


def favour_key(measure: Measure, v: Any) -> Optional[float]:
    """A number that is smaller the more the value favours the investor; None when the measure
    says nothing about favourability (or the value cannot be ranked)."""
    if v is None:
        return None
    fav = measure.favourable
    kind = measure.kind
    if kind in NUMERIC or kind is Kind.amount:
        x = midpoint(v)
        if fav is Favourable.lower:
            return x
        if fav is Favourable.higher:
            return -x
        return None
    if kind is Kind.boolean:
        if fav is Favourable.true:
            return 0.0 if v else 1.0
        if fav is Favourable.false:
            return 0.0 if not v else 1.0
        return None
    if kind is Kind.enum and measure.order == "options" and v in measure.options:
        idx = float(measure.options.index(v))
        if fav is Favourable.higher:
            return -idx
        if fav is Favourable.lower:
            return idx
        return -idx  # ordered from least to most favourable
    return None


def direction(measure: Measure, a: Any, b: Any, sim: Optional[float] = None) -> str:
    """'a' or 'b' (the side more favourable to the investor), 'equal', or 'n/a'."""
    if sim is not None and sim >= 1.0:
        return "equal"
    ka, kb = favour_key(measure, a), favour_key(measure, b)
    if ka is None or kb is None:
        return "n/a"
    if ka < kb:
        return "a"
    if kb < ka:
        return "b"
    return "equal"


def eatr_direction(eatr_a: float, eatr_b: float) -> str:
    if eatr_a < eatr_b:
        return "a"
    if eatr_b < eatr_a:
        return "b"
    return "equal"
