"""Package measures: several catalogue measures valued as one economic fact (issue 11).

- ``cit_package`` (a schedule with ``parts``): the standard rate, preferential rates and holidays of a
  side valued together through the package EATR; a part that applies with an unknown value leaves
  the package unknown and is named; 'up to' parts give a floor (the package if none is granted).
- A numeric measure with ``parts`` (land-rent exemption years, the construction period included):
  its value plus its parts' values; unknown when any part is unknown.

Pure functions over the aligned sides; nothing here names a country.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from ..policy.models import Measure
from ..policy.query import Site, select
from ..policy.tree import Jurisdiction, PolicySet
from ..policy.values import display
from .align import SideState, _known, align_side, has_provisions, side_value
from .result import PackageEtr, SideRow, SideValue
from .similarity import NUMERIC


def package_side(j: Jurisdiction, measure_id: str, measure: Measure, ps: PolicySet, as_of: date,
                 site: Optional[Site], package: Optional[tuple[PackageEtr, list[str]]],
                 floor: Optional[PackageEtr] = None) -> SideState:
    """One side of a package measure (cit_package): its EATR when every part that applies is known;
    unknown (naming the parts) when any part that applies is null or unverified."""
    assert ps.catalogue is not None
    row = SideRow(jurisdiction=j.code, has_provisions=any(has_provisions(j, p) for p in measure.parts))
    st = SideState(row=row)
    shown: list[SideValue] = []
    for part in measure.parts:
        pm = ps.catalogue.measures.get(part)
        if pm is None:
            continue
        sel = select(j, part, as_of, site)
        for app in sel.applicable:
            sv, typed, _ = side_value(j, pm, app)
            if not _known(sv, typed):
                row.unknown_parts.append(f"{part}: {app.provision_id} ({'null' if typed is None else 'unverified'})")
            shown.append(sv)
            if sv.conditions:
                row.assumed.append(f"{sv.provision}: {sv.conditions}")
    used = set(package[1]) if package is not None else set()
    in_package = [sv for sv in shown if sv.provision in used]
    if package is not None:
        row.package = package[0]
    if in_package:
        head = next((sv for sv in reversed(in_package)), in_package[0])
        parts = " + ".join(sv.display for sv in in_package)
        row.value = head.model_copy(update={
            "display": f"EATR {package[0].eatr:.2f} % ({parts})" if package else parts,
            "status": "unverified" if row.unknown_parts else head.status})
        row.alternatives = [sv for sv in shown if sv.provision not in used]
    if row.unknown_parts:
        st.state = "unverified"
        st.notes.append(f"{j.code}: package not scored: unknown part(s) {'; '.join(row.unknown_parts)}")
    elif package is None:
        st.state = "not_encoded"
    else:
        st.state = "value"
        st.typed = package[0].eatr
        if floor is not None and floor.eatr != package[0].eatr:
            st.floor = floor.eatr
            st.notes.append(f"{j.code}: 'up to' parts granted case by case: package EATR {package[0].eatr:.2f} % at "
                            f"the ceilings, {floor.eatr:.2f} % if none is granted (bounds)")
        if any(sv.grandfathered for sv in in_package):
            st.timing.append("applies only through grandfathering")
    row.state = st.state  # type: ignore[assignment]
    return st


def add_parts(st: SideState, j: Jurisdiction, measure: Measure, ps: PolicySet, as_of: date,
              site: Optional[Site]) -> None:
    """A numeric package (e.g. land-rent exemption years, construction period included): the sum of
    its own value and its parts'; unknown when any part that applies is unknown."""
    assert ps.catalogue is not None
    total = st.typed if st.state in ("value", "implied") else None
    floor = st.floor if st.floor is not None else total
    shown = []
    for part in measure.parts:
        pm = ps.catalogue.measures.get(part)
        if pm is None or pm.kind not in NUMERIC:
            continue
        ps_ = align_side(j, part, pm, as_of, site)
        label = (ps_.row.value.display if ps_.row.value is not None else
                 ps_.row.implied.display if ps_.row.implied is not None else "not encoded")
        shown.append(f"{part}: {label}")
        if ps_.state == "unverified" or ps_.state == "not_encoded":
            st.row.unknown_parts.append(f"{part}: {label} ({ps_.state})")
        elif ps_.state in ("value", "implied") and total is not None and isinstance(ps_.typed, (int, float)):
            total = float(total) + float(ps_.typed)
            floor = float(floor) + float(ps_.floor if ps_.floor is not None else ps_.typed)
    if st.row.unknown_parts:
        if st.state in ("value", "implied", "declared_absent", "excluded"):
            st.state = "unverified"
            st.row.state = "unverified"
            st.notes.append(f"{j.code}: not scored: part(s) unknown: {'; '.join(st.row.unknown_parts)}")
        return
    if total is not None and shown:
        st.typed = total
        if floor != total:
            st.floor = floor
        st.notes.append(f"{j.code}: {display(measure, total)} in all ({'; '.join(shown)} added)")
