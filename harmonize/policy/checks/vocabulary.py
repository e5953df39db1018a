"""R303 undeclared zone, R304 undeclared sector, R313 unknown comparable class, R315 parties."""

from __future__ import annotations

from typing import Iterable

from ..tree import Finding, PolicySet, suggest


def site_findings(source, base: tuple, j, zones: Iterable[str], sectors: Iterable[str]) -> list[Finding]:
    """A site (in a park profile or a scenario) may only name zones and sectors its jurisdiction declares."""
    findings = []
    for field_, code, vocab, names in (("zones", "R303", j.zones, zones), ("sectors", "R304", j.sectors, sectors)):
        for i, name in enumerate(names):
            if name not in vocab:
                what = field_[:-1]
                findings.append(Finding(source, base + (field_, i), code,
                                        f"{what} '{name}' is not declared by '{j.code}'{suggest(name, vocab)}"))
    return findings


def check(ps: PolicySet) -> Iterable[Finding]:
    cat = ps.catalogue
    loc_classes = cat.location_classes if cat else {}
    sec_classes = cat.sector_classes if cat else {}
    for j in ps.jurisdictions.values():
        for section, declared in (("zones", loc_classes), ("sectors", sec_classes)):
            for key, item in getattr(j, section).items():
                origin = j.origins[(section, key)]
                for i, cls in enumerate(item.classes):
                    if cls not in declared:
                        yield Finding(origin.source, origin.path + ("classes", i), "R313",
                                      f"class '{cls}' is not declared in the catalogue's "
                                      f"{'location' if section == 'zones' else 'sector'}_classes"
                                      f"{suggest(cls, declared)}")
        if not j.complete:
            continue
        for key, prov in j.provisions.items():
            origin = j.origins[("provisions", key)]
            cond = prov.conditions
            for field_, code, vocab in (
                ("zones", "R303", j.zones), ("zones_all", "R303", j.zones), ("zones_none", "R303", j.zones),
                ("sectors", "R304", j.sectors), ("sectors_none", "R304", j.sectors),
            ):
                for i, name in enumerate(getattr(cond, field_)):
                    if name not in vocab:
                        what = "zone" if code == "R303" else "sector"
                        yield Finding(origin.source, origin.path + ("conditions", field_, i), code,
                                      f"{what} '{name}' is not declared in '{j.code}' {what}s"
                                      f"{suggest(name, vocab)}")
            if cond.direction is not None:
                parties = set(j.parties) or {j.code}
                for end in ("from", "to"):
                    code = cond.direction.from_ if end == "from" else cond.direction.to
                    if code not in parties:
                        yield Finding(origin.source, origin.path + ("conditions", "direction", end), "R315",
                                      f"direction names '{code}', which is not a party of '{j.code}'"
                                      f"{suggest(code, parties)}")
