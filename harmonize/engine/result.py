"""The typed result of a compatibility check: what ``harmonize check --format json`` prints.

Everything is deterministic: lists are sorted by stable keys, no timestamps, and ``to_json``
sorts object keys. Scores are kept unrounded (rounding happens only when displaying), so the
decomposition is exact: ``overall.score == 100 - overall.points_lost`` and ``overall.points_lost``
is the (math.fsum) sum of every measure row's ``contribution``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Direction = Literal["a", "b", "equal", "n/a"]
GapType = Literal["divergent_values", "one_side_only", "different_conditions", "timing", "unverified_data"]
Severity = Literal["critical", "major", "minor", "info"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LegalBasis(_Model):
    """Where a value comes from: the instrument (id, number, title, dates) and the article."""

    instrument: str
    number: Optional[str] = None
    number_verified: bool = True
    title: Optional[str] = None
    kind: Optional[str] = None
    article: Optional[str] = None
    article_verified: bool = True
    instrument_from: Optional[date] = None
    instrument_until: Optional[date] = None

    def cite(self) -> str:
        name = self.number or self.instrument
        art = f", {self.article}" if self.article else ""
        return f"{name}{art}"


class SideValue(_Model):
    """One provision's value as of the date, with its legal basis and verification status."""

    provision: str
    value: Any = None
    display: str
    value_from: date
    value_until: Optional[date] = None
    status: Literal["verified", "secondary", "unverified"]
    basis: LegalBasis
    grandfathered: bool = False
    conditions: Optional[str] = None
    note: Optional[str] = None
    up_to: bool = Field(False, description="The value is a ceiling granted case by case ('up to N years'), "
                        "not an entitlement; display says so")
    source_tier: Optional[Literal["official", "international", "unofficial_copy", "law_firm", "press", "other"]] = Field(
        None, description="Best tier among the sources this value rests on (its own, else its instrument's), "
        "per policies/sources.yaml; null when it cites no source")


class Excluded(_Model):
    provision: str
    reason: str


class CapInfo(_Model):
    """A bilateral ceiling applied to a national value (e.g. a treaty WHT rate)."""

    jurisdiction: str
    measure: str
    value: SideValue
    domestic: Optional[float] = None
    effective: Optional[float] = None
    applied: bool = False


class OptionEtr(_Model):
    """The best package of one elective option (e.g. Cambodia's QIP Option 1 or 2), shown beside the choice."""

    option: str
    eatr: float = Field(description="Effective average tax rate, percent")
    provisions: list[str] = Field(default_factory=list)
    path: Optional[str] = None
    chosen: bool = False


class PackageEtr(_Model):
    """A side's CIT package (standard rate + preferential rate + holiday) as an effective tax rate."""

    eatr: float = Field(description="Effective average tax rate, percent (equal-weighted mean over the set's assets)")
    metr: Optional[float] = Field(None, description="Effective marginal tax rate, percent (mean over the assets)")
    provisions: list[str] = Field(default_factory=list)
    path: Optional[str] = None
    assumptions: list[str] = Field(default_factory=list)
    parameter_set: str
    parameter_set_status: Optional[Literal["verified", "secondary", "unverified"]] = Field(
        None, description="Status of the parameter set in scenarios/parameters.yaml: an EATR is only as sound as its set")
    source: str = Field(description="'taxpath' (engine.taxpath) or 'fallback' (simplified path)")
    options: list[OptionEtr] = Field(
        default_factory=list, description="Elective options: the best package of each (the investor takes the "
        "lowest EATR); empty when the law offers no choice")


class GapSide(_Model):
    """One side of a gap: the value chosen for the site, and why others were set aside."""

    jurisdiction: str
    value: Optional[SideValue] = None
    has_provisions: bool = False
    excluded: list[Excluded] = Field(default_factory=list, description="Provisions set aside, and why")
    cap: Optional[CapInfo] = None
    package: Optional[PackageEtr] = None


class SideRow(GapSide):
    """One side of a measure row: as a gap side, plus the other applicable values."""

    alternatives: list[SideValue] = Field(default_factory=list)


class MeasureRow(_Model):
    measure: str
    title: str
    domain: str
    kind: str
    unit: str
    favourable: str
    a: SideRow
    b: SideRow
    scored: bool
    unscored_reason: Optional[str] = None
    similarity: Optional[float] = None
    weight: float
    weight_share: float = Field(0.0, description="Share of the measure's weight among the scored measures of its domain")
    direction: Direction = "n/a"
    more_favourable: Optional[str] = None
    points_lost_domain: float = Field(0.0, description="Points this measure takes off its domain score")
    contribution: float = Field(0.0, description="Points this measure takes off the overall score")
    notes: list[str] = Field(default_factory=list)


class DomainScore(_Model):
    domain: str
    title: str
    weight: float
    weight_share: Optional[float] = None
    score: Optional[float] = None
    points_lost: float = 0.0
    contribution: float = 0.0
    measures_scored: int = 0
    measures_unscored: int = 0
    note: Optional[str] = None


class OverallScore(_Model):
    score: Optional[float] = None
    points_lost: float = 0.0
    domains_scored: list[str] = Field(default_factory=list)
    domains_not_scored: list[str] = Field(default_factory=list)
    note: Optional[str] = None


class Amend(_Model):
    jurisdiction: str
    instrument: Optional[str] = None
    number: Optional[str] = None
    title: Optional[str] = None
    note: Optional[str] = None


class HarmonisationOption(_Model):
    kind: Literal["align_on_more_favourable", "common_floor", "joint_park_regime", "mutual_recognition",
                  "verify_data"]
    description: str
    amend: list[Amend] = Field(default_factory=list)
    changes: int




class Gap(_Model):
    measure: str
    title: str
    domain: str
    type: GapType
    flags: list[GapType] = Field(default_factory=list)
    severity: Severity
    points_lost: float
    similarity: Optional[float] = None
    direction: Direction = "n/a"
    more_favourable: Optional[str] = None
    a: GapSide
    b: GapSide
    notes: list[str] = Field(default_factory=list)
    options: list[HarmonisationOption] = Field(default_factory=list)


class RoadmapItem(_Model):
    rank: int
    measure: str
    title: str
    domain: str
    severity: Severity
    points_lost: float
    changes: int
    points_per_change: float
    option: str
    amend: list[Amend] = Field(default_factory=list)


class SensitivityVariant(_Model):
    label: str
    factors: dict[str, float]
    score: Optional[float] = None
    top3: list[str] = Field(default_factory=list)
    top3_same_order: bool = True


class Sensitivity(_Model):
    variation: float
    base_score: Optional[float] = None
    min_score: Optional[float] = None
    max_score: Optional[float] = None
    min_variant: Optional[str] = None
    max_variant: Optional[str] = None
    top3: list[str] = Field(default_factory=list)
    top3_stable: bool = True
    unstable_variants: list[str] = Field(default_factory=list, description="One-at-a-time variants that reorder the top 3")
    corners_tried: int = 0
    corners_top3_changed: int = 0
    variants: list[SensitivityVariant] = Field(default_factory=list, description="One-at-a-time variants")


class Coverage(_Model):
    measures_compared: int = Field(description="National, non-text catalogue measures")
    scored: int
    unscored: int
    unscored_by_reason: dict[str, int] = Field(default_factory=dict)
    values_by_status: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Per jurisdiction: the chosen values by status"
    )
    note: str = ""


class ShownItem(_Model):
    """Text measures and local measures: shown side by side, never scored."""

    measure: str
    title: str
    domain: str
    source: Literal["catalogue_text", "local_measure", "bilateral_layer"]
    a: Optional[SideValue] = None
    b: Optional[SideValue] = None
    jurisdiction: Optional[str] = Field(None, description="Local and bilateral items: the jurisdiction that declares it")
    value: Optional[SideValue] = Field(None, description="Local and bilateral items: the value in force")


class SiteInfo(_Model):
    jurisdiction: str
    zones: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    licensed_on: Optional[date] = None
    investment: Optional[dict[str, Any]] = None


class ParkInfo(_Model):
    id: str
    title: str


class Thresholds(_Model):
    critical: float
    major: float
    minor: float
    timing_window_days: int
    note: str


class WeightsUsed(_Model):
    domains: dict[str, float]
    measure_overrides: dict[str, float] = Field(default_factory=dict)
    domain_overrides: dict[str, float] = Field(default_factory=dict)


class CheckResult(_Model):
    schema_version: Literal["1.0"] = SCHEMA_VERSION
    pair: list[str]
    jurisdictions: dict[str, str] = Field(default_factory=dict, description="Code -> name")
    as_of: date
    park: Optional[ParkInfo] = None
    sites: dict[str, Optional[SiteInfo]] = Field(default_factory=dict)
    bilateral: Optional[str] = None
    parameter_set: str
    weights: WeightsUsed
    thresholds: Thresholds
    overall: OverallScore
    domains: list[DomainScore]
    measures: list[MeasureRow]
    gaps: list[Gap]
    roadmap: list[RoadmapItem]
    sensitivity: Sensitivity
    coverage: Coverage
    shown: list[ShownItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
