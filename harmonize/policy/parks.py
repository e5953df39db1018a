"""Park profile files (``policies/parks/<id>.yaml``): reading them and checking their codes
against a loaded policy set. The model is in ``models/parks.py``; the profile id is the file stem."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

from .checks.vocabulary import site_findings
from .loader import parse_model, read_source, resolve
from .tree import Finding, suggest
from .models.parks import ParkProfile, SiteSpec
from .models.common import TEXT_LANGS

PARKS_FOLDER = "parks"


def park_files(root: Path) -> list[Path]:
    folder = root / PARKS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))


def load_park_file(path: Path):
    """(ParkProfile | None, SourceFile, list[Finding | Diagnostic]) for one file, schema only."""
    source, diags = read_source(path)
    if diags:
        return None, source, list(diags)
    profile, findings = parse_model(source, ParkProfile)
    return profile, source, list(findings)


def site_sanity(source, where: tuple, j, spec: SiteSpec, catalogue) -> list:
    """R319 warnings: a site that cannot receive the zone-based incentives it obviously should.

    - a location class that expects another (a border-gate economic zone has a non-tariff area) is
      tagged without any of the expected classes;
    - the site is in a zone a provision names but in none of the zones it requires with it
      (``zones_all``: a special economic zone lies in zone 1 or zone 2), for every such provision."""
    from .diagnostics import Severity

    findings = []
    zones = set(spec.zones)
    classes = {c for z in zones if z in j.zones for c in j.zones[z].classes}
    if catalogue is not None:
        for cls in sorted(classes):
            info = catalogue.location_classes.get(cls)
            if info is not None and info.expects and not classes & set(info.expects):
                findings.append(Finding(source, where, "R319",
                                        f"the {j.code} site is a {cls} but has none of {', '.join(info.expects)}: "
                                        f"{info.expects_why or 'add the zone code it lies in'}", severity=Severity.WARNING))
    near: dict[tuple, list[str]] = {}
    met: set[tuple] = set()
    for pid in sorted(j.provisions):
        cond = j.provisions[pid].conditions
        if cond.zones and cond.zones_all and zones & set(cond.zones):
            key = (tuple(sorted(zones & set(cond.zones))),)
            if set(cond.zones_all) <= zones:
                met.add(key)
            wanted = near.setdefault(key, [])
            wanted.extend(z for z in cond.zones_all if z not in wanted)
    for (matched,), wanted in sorted(near.items()):
        if (matched,) in met:
            continue
        findings.append(Finding(source, where, "R319",
                                f"the {j.code} site is in {', '.join(matched)} but in none of {', '.join(wanted)}, which "
                                f"provisions for such zones require with it (e.g. profit-tax holidays by location "
                                f"zone): add the location zone the site lies in", severity=Severity.WARNING))
    return [] if "R319" in spec.accept else findings


def check_park(profile: ParkProfile, source, ps) -> list:
    """Cross-references of one profile against a loaded policy set: Findings."""
    findings = []
    for i, code in enumerate(profile.pair):
        if code not in ps.jurisdictions:
            findings.append(Finding(source, ("pair", i), "R315",
                                    f"unknown jurisdiction '{code}'{suggest(code, ps.jurisdictions)}"))
    if profile.bilateral is not None and profile.bilateral not in ps.jurisdictions:
        findings.append(Finding(source, ("bilateral",), "R315",
                                f"unknown bilateral layer '{profile.bilateral}'"
                                f"{suggest(profile.bilateral, ps.jurisdictions)}"))
    elif profile.bilateral is not None and not set(profile.pair) <= set(ps.jurisdictions[profile.bilateral].parties):
        findings.append(Finding(source, ("bilateral",), "R315",
                                f"layer '{profile.bilateral}' is not between {', '.join(profile.pair)} "
                                f"(its parties: {', '.join(ps.jurisdictions[profile.bilateral].parties) or 'none'})"))
    for code in sorted(profile.sites):
        j = ps.jurisdictions.get(code)
        if j is None:
            continue
        spec = profile.sites[code]
        findings += site_findings(source, ("sites", code), j, spec.zones, spec.sectors)
    for code in sorted(profile.sites):
        j = ps.jurisdictions.get(code)
        if j is not None:
            findings += site_sanity(source, ("sites", code, "zones"), j, profile.sites[code], ps.catalogue)
    if ps.catalogue is not None:
        for m in sorted(profile.weights.measures):
            if m not in ps.catalogue.measures:
                findings.append(Finding(source, ("weights", "measures", m), "R302",
                                        f"unknown measure '{m}'{suggest(m, ps.catalogue.measures)}", key=True))
    return findings


def load_parks(root: Path, ps=None):
    """All park profiles under ``root/parks``: ({id: ParkProfile}, [Diagnostic]).

    With a loaded PolicySet ``ps``, codes are also checked against the jurisdictions and the
    catalogue. A profile with a schema error is left out of the dict (its problems are reported)."""
    parks: dict = {}
    diagnostics: list = []
    for path in park_files(Path(root)):
        profile, source, problems = load_park_file(path)
        findings = [p for p in problems if not hasattr(p, "format")]
        diagnostics += [p for p in problems if hasattr(p, "format")]
        if profile is not None:
            if ps is not None:
                findings += check_park(profile, source, ps)
            parks[path.stem] = profile
        diagnostics += resolve(findings)
    diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return parks, diagnostics


def pairwise(pid: str, profile: ParkProfile) -> list[tuple[str, ParkProfile]]:
    """A profile as the two-site profiles it is checked as: itself, or for a park of three its three
    pairs in the order of ``pair`` (ids ``<id>.<a>-<b>``), each with no layer named so that each pair
    takes its own bilateral layer, and the title marked with the pair."""
    if not profile.is_trio:
        return [(pid, profile)]
    out = []
    for a, b in combinations(profile.pair, 2):
        marks = {k: f"{v} ({a}–{b})" for k in ("en", *TEXT_LANGS) if (v := getattr(profile.title, k))}
        sub = profile.model_copy(update={"pair": [a, b], "bilateral": None, "title": profile.title.model_copy(update=marks),
                                         "sites": {c: s for c, s in profile.sites.items() if c in (a, b)}})
        out.append((f"{pid}.{a}-{b}", sub))
    return out


def expand_parks(parks: dict) -> tuple[dict, dict]:
    """({id: two-site profile} with every park of three replaced by its pairs, {trio id: [pair ids]})."""
    flat, trios = {}, {}
    for pid in sorted(parks):
        pairs = pairwise(pid, parks[pid])
        flat.update(pairs)
        if parks[pid].is_trio:
            trios[pid] = [k for k, _ in pairs]
    return flat, trios
