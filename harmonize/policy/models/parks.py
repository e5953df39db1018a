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

A park of three names three jurisdictions in ``pair`` and one site for each; it is checked as its
three pairs (profile ids ``<id>.<a>-<b>``, each pair with its own bilateral layer) plus a joint
view, and ``bilateral`` may name a regional layer of the three (shown, never used for a pair)::

    title: {en: Development Triangle site near the Bo Y border gate}
    pair: [kh, la, vn]
    bilateral: kh-la-vn
    sites: {kh: {...}, la: {...}, vn: {...}}

The profile id is the file stem. Nothing here is specific to any country.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

from pydantic import Field, StringConstraints, model_validator

from .common import Amount, Code, Domain, LocalText, Strict


class SiteSpec(Strict):
    zones: list[Code] = Field(default_factory=list)
    sectors: list[Code] = Field(default_factory=list)
    licensed_on: Optional[date] = Field(None, description="Licence date of the project; default: the as-of date")
    investment: Optional[Amount] = None
    employees: Optional[int] = Field(None, ge=0)
    export_share: Optional[float] = Field(None, ge=0, le=100)
    note: Optional[str] = None
    accept: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{3}$")], Annotated[str, StringConstraints(min_length=3)]] = Field(
        default_factory=dict, description="Warnings this site means to trigger, each with the reason (e.g. {R319: "
        "the designation is not researched})")


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
    pair: list[Code] = Field(min_length=2, max_length=3,
                             description="The two jurisdictions paired, or three for a park of three")
    bilateral: Optional[Code] = Field(None, description="Bilateral layer (jurisdiction code) applied to the pair; "
                                                        "for a park of three, a regional layer of the three")
    sites: dict[Code, SiteSpec] = Field(default_factory=dict, description="Per jurisdiction code: the site")
    weights: WeightOverrides = Field(default_factory=WeightOverrides)
    note: Optional[str] = None

    @model_validator(mode="after")
    def _pair(self) -> "ParkProfile":
        if len(set(self.pair)) != len(self.pair):
            raise ValueError("'pair' names the same jurisdiction twice")
        extra = sorted(set(self.sites) - set(self.pair))
        if extra:
            raise ValueError(f"'sites' names {', '.join(extra)}, which is not in 'pair'")
        return self

    @property
    def is_trio(self) -> bool:
        return len(self.pair) == 3
