"""Multilateral layers (``policies/multilateral/<code>/``, ``kind: multilateral``): agreements that
bind every pair of their parties, written once and inherited by each pair's bilateral layer.

A pair's bilateral layer (``kind: bilateral``) whose parties are all parties of a multilateral
layer receives that layer's instruments, provisions and local measures after the tree is checked
(each value is checked once, where it is written). Values are clipped to the pair's common
membership: a value starts no earlier than the later ``accession.joined`` of the pair's two
parties, and a value that ended before it is dropped. An id the bilateral layer declares itself
is kept as the pair's own reading (it overrides the inherited one). The engine sees one layer per
pair, as before; ``Jurisdiction.inherited`` records where each inherited item was written.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from .tree import Finding, Jurisdiction, PolicySet, suggest

MULTILATERAL = "multilateral"
_SECTIONS = ("instruments", "provisions", "local_measures")


def common_membership(layer: Jurisdiction, parties: list[str]) -> Optional[date]:
    """The first day all ``parties`` are members of ``layer`` (None: members on every date)."""
    joined = [layer.accession[p].joined for p in parties if p in layer.accession]
    return max(joined) if joined else None


def _clipped(provision, start: Optional[date]):
    """The provision with its values clipped to start no earlier than ``start`` (None: all ended)."""
    if start is None:
        return provision
    values = [v if v.from_ >= start else v.model_copy(update={"from_": start})
              for v in provision.values if v.until is None or v.until >= start]
    if not values:
        return None
    return provision if values == list(provision.values) else provision.model_copy(update={"values": values})


def _check(m: Jurisdiction) -> list[Finding]:
    """R315: an accession for a jurisdiction that is not a party of the layer."""
    out = []
    for code in sorted(m.accession):
        if code not in m.parties:
            origin = m.origins[("accession", code)]
            out.append(Finding(origin.source, origin.path, "R315",
                               f"accession of '{code}', which is not a party of '{m.code}'"
                               f"{suggest(code, m.parties)}", key=True))
    return out


def inherit_multilateral(ps: PolicySet) -> list[Finding]:
    """Give every bilateral layer the multilateral layers that bind both its parties; findings of
    the multilateral layers' own consistency (accessions of non-parties)."""
    multis = [j for _, j in sorted(ps.jurisdictions.items()) if j.kind == MULTILATERAL]
    findings: list[Finding] = []
    for m in multis:
        findings += _check(m)
    for _, layer in sorted(ps.jurisdictions.items()):
        if layer.kind != "bilateral" or len(layer.parties) < 2:
            continue
        for m in multis:
            if not set(layer.parties) <= set(m.parties):
                continue
            start = common_membership(m, layer.parties)
            for section in _SECTIONS:
                own, inherited = getattr(layer, section), getattr(m, section)
                for key in sorted(inherited):
                    if key in own:
                        continue
                    item = _clipped(inherited[key], start) if section == "provisions" else inherited[key]
                    if item is None:
                        continue
                    own[key] = item
                    layer.origins[(section, key)] = m.origins[(section, key)]
                    layer.inherited[(section, key)] = m.code
    return findings
