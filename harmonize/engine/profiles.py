"""Park profiles: a joint-park site pair, as data (``policies/parks/<id>.yaml``).

A profile names the two jurisdictions it pairs, the site on each side (zone and sector codes
declared in that jurisdiction's ``country.yaml``, optionally the licence date and the investment),
optionally the bilateral layer to apply, and optional weight overrides for domains and measures::

    title: {en: Lao Bao – Densavanh cross-border park}
    pair: [vn, la]
    bilateral: vn-la
    sites:
      vn: {zones: [border_gate_economic_zone, difficult_area], sectors: [manufacturing]}
      la: {zones: [special_economic_zone, zone2], sectors: [manufacturing_export]}
    weights:
      domains: {tax: 4}
      measures: {wht_dividends: 3}

The profile id is the file stem. Nothing here is specific to any country.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

from pydantic import Field, model_validator

from ..models import Amount, Domain, LocalText
from ..models.common import Code, Strict

PARKS_FOLDER = "parks"


class SiteSpec(Strict):
    zones: list[Code] = Field(default_factory=list)
    sectors: list[Code] = Field(default_factory=list)
    licensed_on: Optional[date] = Field(None, description="Licence date of the project; default: the as-of date")
    investment: Optional[Amount] = None
    employees: Optional[int] = Field(None, ge=0)
    export_share: Optional[float] = Field(None, ge=0, le=100)
    note: Optional[str] = None


class WeightOverrides(Strict):
    domains: dict[Domain, float] = Field(default_factory=dict)
    measures: dict[Code, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _non_negative(self) -> "WeightOverrides":
        for key, w in [*self.domains.items(), *self.measures.items()]:
            if w < 0:
                raise ValueError(f"weight of '{getattr(key, 'value', key)}' is negative")
        return self


class ParkProfile(Strict):
    title: LocalText
    description: Optional[LocalText] = None
    pair: list[Code] = Field(min_length=2, max_length=2, description="The two jurisdictions paired")
    bilateral: Optional[Code] = Field(None, description="Bilateral layer (jurisdiction code) applied to the pair")
    sites: dict[Code, SiteSpec] = Field(default_factory=dict, description="Per jurisdiction code: the site")
    weights: WeightOverrides = Field(default_factory=WeightOverrides)
    note: Optional[str] = None

    @model_validator(mode="after")
    def _pair(self) -> "ParkProfile":
        if self.pair[0] == self.pair[1]:
            raise ValueError("'pair' names the same jurisdiction twice")
        extra = sorted(set(self.sites) - set(self.pair))
        if extra:
            raise ValueError(f"'sites' names {', '.join(extra)}, which is not in 'pair'")
        return self


def site_of(spec: Optional[SiteSpec]):
    """The query.Site for a profile's site spec (None: no site conditions)."""
    from ..query import Site

    if spec is None:
        return None
    return Site(zones=frozenset(spec.zones), sectors=frozenset(spec.sectors), licensed_on=spec.licensed_on,
                investment=spec.investment, employees=spec.employees, export_share=spec.export_share)


def park_files(root: Path) -> list[Path]:
    folder = root / PARKS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))


def load_park_file(path: Path):
    """(ParkProfile | None, SourceFile, list[Finding | Diagnostic]) for one file, schema only."""
    from ..loader import parse_model, read_source

    source, diags = read_source(path)
    if diags:
        return None, source, list(diags)
    profile, findings = parse_model(source, ParkProfile)
    return profile, source, list(findings)


def check_park(profile: ParkProfile, source, ps) -> list:
    """Cross-references of one profile against a loaded policy set: Findings."""
    from ..checks.vocabulary import site_findings
    from ..loader import Finding, suggest

    findings = []
    for i, code in enumerate(profile.pair):
        if code not in ps.jurisdictions:
            findings.append(Finding(source, ("pair", i), "R315",
                                    f"unknown jurisdiction '{code}'{suggest(code, ps.jurisdictions)}"))
    if profile.bilateral is not None and profile.bilateral not in ps.jurisdictions:
        findings.append(Finding(source, ("bilateral",), "R315",
                                f"unknown bilateral layer '{profile.bilateral}'"
                                f"{suggest(profile.bilateral, ps.jurisdictions)}"))
    for code in sorted(profile.sites):
        j = ps.jurisdictions.get(code)
        if j is None:
            continue
        spec = profile.sites[code]
        findings += site_findings(source, ("sites", code), j, spec.zones, spec.sectors)
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
    from ..loader import resolve

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


def park_schema_text() -> str:
    """Draft-07 JSON Schema of a park profile (schema/park.schema.json)."""
    from ..schema import schema_text

    return schema_text("park")
