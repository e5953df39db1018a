"""What a pair's check works out for one side alone, worked out once per run and reused by every pair.

``check --all-pairs`` puts each country in n − 1 pairs. A side of a measure (its applicable
provisions, the value kept, its parts added) and its CIT package depend only on the side's
jurisdiction, the as-of date, its site and the parameter set — never on the partner — so they are
the same in every pair the side is in. The engine is pure, so a run may keep them: ``SideMemo``
maps (jurisdiction, as-of date, site, package key) to the side's package and its state per measure,
before any bilateral cap (a cap depends on the partner: a capped side is a copy, see ``capped``).

A memo belongs to one loaded ``PolicySet`` and one run; nothing in it is mutated after it is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Hashable, Optional

from ..policy.query import Site
from ..policy.tree import PolicySet
from .align import SideState


def site_key(site: Optional[Site]) -> Hashable:
    """A key equal for equal sites (a site with an investment amount holds a pydantic model, which
    does not hash: its repr names every field)."""
    try:
        hash(site)
        return site
    except TypeError:
        return ("repr", repr(site))


class SideMemo:
    """Each side's CIT package and per-measure states, shared by the pairs of one run."""

    def __init__(self, ps: PolicySet):
        self.ps = ps
        self.packages: dict[tuple, Any] = {}  # side key -> (package or None, note or None, floor or None)
        self._states: dict[tuple, dict[str, SideState]] = {}
        self._shown: dict[tuple, Any] = {}
        self.measures: Optional[list] = None  # engine.align.compared_measures(ps), sorted once
        self.row_fields: dict[str, dict] = {}  # measure -> engine.scoring.row_fields (catalogue fields of its row)

    @staticmethod
    def key(code: str, as_of: date, site: Optional[Site], package_key: Hashable) -> tuple:
        return (code, as_of, site_key(site), package_key)

    def states(self, side: tuple) -> dict[str, SideState]:
        """The measure → pre-cap state table of one side (filled by ``engine.pairing``)."""
        return self._states.setdefault(side, {})

    def shown(self, code: str, measure_id: str, as_of: date, site: Optional[Site], make) -> Any:
        """A side's shown value of a text or local measure (``engine.align.shown_items``)."""
        key = (code, measure_id, as_of, site_key(site))
        if key not in self._shown:
            self._shown[key] = make()
        return self._shown[key]


def capped(st: SideState) -> SideState:
    """A copy of a stored side that a bilateral cap may change (the cap is the pair's, not the side's)."""
    return SideState(row=st.row.model_copy(), typed=st.typed, state=st.state, floor=st.floor,
                     timing=list(st.timing), notes=list(st.notes))
