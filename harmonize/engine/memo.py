"""What a pair's check works out for one side alone, worked out once per run and reused by every pair.

``check --all-pairs`` puts each country in n − 1 pairs. A side of a measure (its applicable
provisions, the value kept, its parts added) and its CIT package depend only on the side's
jurisdiction, the as-of date, its site and the parameter set — never on the partner — so they are
the same in every pair the side is in. The engine is pure, so a run may keep them: ``SideMemo``
maps (jurisdiction, as-of date, site, package key) to the side's package and its state per measure,
before any bilateral cap (a cap depends on the partner: a capped side is a copy, see ``capped``).

A memo belongs to one loaded ``PolicySet`` and one run; nothing in it is mutated after it is stored.
What it stores is compacted (``SideMemo.keep``), 70 MB -> 27 MB at 10 countries x 2,000 measures:
its models share one read-only set of set fields per distinct set (pydantic gives every instance
its own, up to 728 bytes: 30 of the 70 MB), so assigning a field of a stored model raises instead of
changing every pair's side; an empty list is one read-only list; equal displayed values are one
string; its notes are tuples; every side with nothing recorded for a measure (the same row
but for the jurisdiction) is one shared state.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Hashable, Optional

from pydantic import BaseModel

from ..policy.query import Site
from ..policy.tree import PolicySet
from .align import SideState
from .result import SideRow


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

    def __init__(self, ps: PolicySet, summary: bool = False):
        """``summary``: for ``engine.run.check_pair(summary=True)`` only (``check --all-pairs``): a stored
        side keeps what a pair's summary reads, without its alternative values, its notes, or the value of
        a side that is unknown (it is never scored, so it makes no gap that loses points)."""
        self.ps = ps
        self.summary = summary
        self.packages: dict[tuple, Any] = {}  # side key -> (package or None, note or None, floor or None)
        self._states: dict[tuple, dict[str, SideState]] = {}
        self._shown: dict[tuple, Any] = {}
        self.measures: Optional[list] = None  # engine.align.compared_measures(ps), sorted once
        self.row_fields: dict[str, dict] = {}  # measure -> engine.scoring.row_fields (catalogue fields of its row)
        self._fields_sets: dict[frozenset, _SealedFields] = {}
        self._bare: dict[tuple, SideState] = {}  # (jurisdiction, has provisions) -> the nothing-recorded state
        self._displays: dict[str, str] = {}

    @staticmethod
    def key(code: str, as_of: date, site: Optional[Site], package_key: Hashable) -> tuple:
        return (code, as_of, site_key(site), package_key)

    def states(self, side: tuple) -> dict[str, SideState]:
        """The measure → pre-cap state table of one side (filled by ``engine.pairing``)."""
        return self._states.setdefault(side, {})

    def keep(self, st: SideState) -> SideState:
        """``st`` as stored for every later pair: compacted and sealed (see the module's docstring)."""
        st.timing, st.notes = tuple(st.timing), tuple(st.notes)  # type: ignore[assignment]
        if self.summary:
            st.notes = ()  # type: ignore[assignment]
            st.row.__dict__["alternatives"] = _EMPTY  # the row is the one just worked out: nothing shares it yet
            if st.state == "unverified":
                st.row.__dict__["value"] = None
        if st.state == "not_encoded" and st.typed is None and st.floor is None and not st.timing and not st.notes:
            key = (st.row.jurisdiction, st.row.has_provisions)
            bare = self._bare.get(key)
            if bare is None:
                row = SideRow(jurisdiction=key[0], has_provisions=key[1], state="not_encoded")
                bare = SideState(row=self._seal(row), state="not_encoded", timing=(), notes=())  # type: ignore[arg-type]
                self._bare[key] = bare
            if bare.row == st.row:
                return bare
        self._seal(st.row)
        return st

    def _seal(self, model: BaseModel) -> BaseModel:
        fields = model.__pydantic_fields_set__
        if type(fields) is _SealedFields:
            return model
        values = model.__dict__
        for name, v in values.items():
            if name == "display":
                values[name] = self._displays.setdefault(v, v)  # "10 %", "yes": a few hundred distinct
            elif isinstance(v, list):
                if not v:
                    values[name] = _EMPTY
                for x in v:
                    if isinstance(x, BaseModel):
                        self._seal(x)
            elif isinstance(v, BaseModel):
                self._seal(v)
        shared = self._fields_sets.get(frozenset(fields))
        if shared is None:
            shared = self._fields_sets[frozenset(fields)] = _SealedFields(fields)
        object.__setattr__(model, "__pydantic_fields_set__", shared)
        return model

    def shown(self, code: str, measure_id: str, as_of: date, site: Optional[Site], make) -> Any:
        """A side's shown value of a text or local measure (``engine.align.shown_items``)."""
        key = (code, measure_id, as_of, site_key(site))
        if key not in self._shown:
            self._shown[key] = make()
        return self._shown[key]


class _SealedFields(frozenset):
    """The set fields of a stored model: shared, read-only (pydantic's assignment adds to the set, so
    assigning a field of a stored model raises), copied as a plain set (``model_copy`` gives a model
    that may be changed, as a capped side's row)."""

    __slots__ = ()

    def __copy__(self) -> set:
        return set(self)

    def __deepcopy__(self, memo: dict) -> set:
        return set(self)


class _EmptyList(list):
    """The empty value of a stored model's list field: one object for all, read-only."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a stored side is shared by every pair of the run: copy the list to change it")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse  # type: ignore[assignment]
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]

    def __copy__(self) -> list:
        return []

    def __deepcopy__(self, memo: dict) -> list:
        return []


_EMPTY = _EmptyList()


def capped(st: SideState) -> SideState:
    """A copy of a stored side that a bilateral cap may change (the cap is the pair's, not the side's)."""
    return SideState(row=st.row.model_copy(), typed=st.typed, state=st.state, floor=st.floor,
                     timing=list(st.timing), notes=list(st.notes))
