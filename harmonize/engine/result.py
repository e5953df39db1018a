"""The typed result of a compatibility check: what ``harmonize check --format json`` prints.

Size: one module holds every model of the result, so the JSON schema (``make schema``) is made from
one place and a reader finds each field beside the others.

Everything is deterministic: lists are sorted by stable keys, no timestamps, and ``to_json``
sorts object keys. Scores are kept unrounded (rounding happens only when displaying), so the
decomposition is exact: ``overall.score == 100 - overall.points_lost`` and ``overall.points_lost``
is the (math.fsum) sum of every measure row's ``contribution``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "2.0"

Direction = Literal["a", "b", "equal", "n/a"]
GapType = Literal["divergent_values", "one_side_only", "different_conditions", "timing", "unverified_data"]
Severity = Literal["critical", "major", "minor", "info"]
M = TypeVar("M", bound=BaseModel)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- building rows the engine itself typed ----------------------------------------------------
#
# The engine builds hundreds of thousands of rows per all-pairs run from values it has already typed
# (validated models, floats, dates, literals). ``build`` makes the instance ``cls(**fields)`` would
# make, with the same field values, in the same order, and a fresh container from each default
# factory (a list or dict passed is kept, where validation would copy it), without validating again (pydantic's own ``model_construct`` is slower than validating
# these models: it looks each list default factory's signature up on every call). ``fill`` sets
# fields as the models' own assignment does (they do not validate assignment).
# tests/test_result_build.py checks that whole results are the same built either way.

_PLANS: dict[type, tuple[dict[str, Any], tuple[str, ...], tuple[tuple[str, Any], ...]]] = {}
_MISSING = object()
_set_slot = object.__setattr__


def _plan(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple[str, ...], tuple[tuple[str, Any], ...]]:
    """Every field in order with its default (a placeholder for required fields and factories), the
    required fields, and the default factories."""
    fields = cls.model_fields
    template = {name: _MISSING if f.is_required() or f.default_factory is not None else f.default
                for name, f in fields.items()}
    required = tuple(name for name, f in fields.items() if f.is_required())
    factories = tuple((name, f.default_factory) for name, f in fields.items() if f.default_factory is not None)
    _PLANS[cls] = plan = (template, required, factories)
    return plan


def build(cls: type[M], **fields: Any) -> M:
    """``cls(**fields)`` for values already of their fields' types, without validating them again."""
    template, required, factories = _PLANS.get(cls) or _plan(cls)
    values = template.copy()
    values.update(fields)  # keeps the fields' order
    if len(values) != len(template):
        raise TypeError(f"{cls.__name__}: unknown field(s) {sorted(set(values) - set(template))}")
    for name in required:
        if values[name] is _MISSING:
            raise TypeError(f"{cls.__name__}: missing field {name!r}")
    for name, factory in factories:
        if name not in fields:
            values[name] = factory()
    m = cls.__new__(cls)
    _set_slot(m, "__dict__", values)
    _set_slot(m, "__pydantic_fields_set__", set(fields))
    _set_slot(m, "__pydantic_extra__", None)
    _set_slot(m, "__pydantic_private__", None)
    return m


def fill(model: BaseModel, **fields: Any) -> None:
    """Set fields as ``model.field = value`` does (the result models do not validate assignment)."""
    model.__dict__.update(fields)
    model.__pydantic_fields_set__.update(fields)


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
    up_to: bool = Field(False, description="A ceiling granted case by case ('up to N years'), not an entitlement; "
                        "display says so")
    absent: bool = Field(False, description="The provision records that the law has no such rule")
    source_tier: Optional[Literal["official", "international", "unofficial_copy", "law_firm", "press", "other"]] = Field(
        None, description="Best tier among the sources this value rests on (its own, else its instrument's), "
        "per policies/sources.yaml; null when it cites no source")


class Implied(_Model):
    """A value the law's silence gives (the catalogue's absent_means), and why it applies here."""

    value: Any = None
    display: str
    reason: str


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
    implied: Optional[Implied] = None
    state: Literal["value", "implied", "declared_absent", "excluded", "unverified", "not_encoded"] = Field(
        "not_encoded", description="value: a known value applies; implied: the law's silence gives the catalogue's "
        "absent_means; declared_absent: the law is known to have no such rule; excluded: provisions exist but none "
        "applies to the site; unverified: a value that applies is unknown; not_encoded: nothing recorded (a "
        "coverage hole, never a gap)")


class SideRow(GapSide):
    """One side of a measure row: as a gap side, plus the other applicable values."""

    alternatives: list[SideValue] = Field(default_factory=list)
    assumed: list[str] = Field(default_factory=list, description="Conditions the engine could not evaluate and assumed met")
    unknown_parts: list[str] = Field(default_factory=list, description="Packages: the unverified or missing parts")


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
    combine: str = "elective"
    existence: bool = Field(False, description="Only records that an institution exists")
    counted_in: Optional[str] = Field(None, description="A part of a package measure: scored there, not here")
    similarity_low: Optional[float] = Field(None, description="Lowest similarity the known law allows (an 'up to' ceiling granted in part or not at all); unscored: 0")
    similarity_high: Optional[float] = Field(None, description="Highest similarity the known law allows; unscored: 1")
    full_share: float = Field(0.0, description="Share of the whole catalogue weight (the park's weights), scored or not")
    points_full: float = Field(0.0, description="Points off the full 0-100 scale: 100 x full_share x (1 - similarity)")
    severity_points: float = Field(0.0, description="As points_full with the catalogue's own weights: the same gap weighs the same in every park")
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
    coverage: float = Field(0.0, description="Share of the domain's weight scored")
    lower: Optional[float] = Field(None, description="Score if every unscored measure differed fully")
    upper: Optional[float] = Field(None, description="Score if every unscored measure matched fully")
    note: Optional[str] = None


class OverallScore(_Model):
    score: Optional[float] = Field(None, description="The score of what is known (unscored weight left out, renormalised)")
    coverage: float = Field(0.0, description="Share of the catalogue weight scored")
    lower: Optional[float] = Field(None, description="Score if every unscored measure differed fully (and every 'up to' ceiling were not granted where that is worse)")
    upper: Optional[float] = Field(None, description="Score if every unscored measure matched fully")
    provisional: bool = Field(True, description="Coverage is below the catalogue's threshold: not to be ranked against other parks")
    coverage_threshold: float = 0.7
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


class TargetValue(_Model):
    """A target value as data, so that a report renders it in its own language (``Target.value`` and
    ``Target.candidates`` keep the English display)."""

    source: Literal["value", "implied", "none"] = Field(
        "value", description="value: the side's applicable value; implied: what the law's silence gives "
        "(the catalogue's absent_means); none: no rule applies to the side's site")
    value: Any = Field(None, description="The typed value, as SideValue.value (null for none, or unknown)")
    up_to: bool = Field(False, description="As SideValue.up_to: a ceiling granted case by case")
    absent: bool = Field(False, description="As SideValue.absent: the law records it has no such rule")
    eatr: Optional[float] = Field(None, description="A CIT package: the EATR it gives, percent")


class Target(_Model):
    """What a remedy aims at: the value, whose it is, and who changes."""

    value: Optional[str] = Field(None, description="The target value, displayed (English); null: to be agreed")
    from_side: Optional[str] = Field(None, description="The jurisdiction whose value is the target ('agree': no direction)")
    changes: list[str] = Field(default_factory=list, description="Jurisdictions that change")
    candidates: dict[str, str] = Field(default_factory=dict, description="No favourable direction: each side's value")
    typed: Optional[TargetValue] = Field(None, description="The target value as data (null: to be agreed)")
    typed_candidates: dict[str, TargetValue] = Field(
        default_factory=dict, description="No favourable direction: each side's value as data")


class HarmonisationOption(_Model):
    kind: Literal["align_on_more_favourable", "agree_common_value", "common_floor", "joint_park_regime",
                  "mutual_recognition", "verify_data", "record_data", "correct_profile",
                  "international_declaration", "administrative_practice", "widen_conditions"]
    remedy: Literal["amend_national", "correct_profile", "bilateral_protocol", "international_declaration",
                    "administrative_practice", "research"] = "amend_national"
    description: str
    amend: list[Amend] = Field(default_factory=list)
    changes: int
    cost: float = Field(0.0, description="Sum over the instruments changed of the catalogue's cost of their kind")
    target: Optional[Target] = None


class Gap(_Model):
    measure: str
    title: str
    domain: str
    type: GapType
    flags: list[GapType] = Field(default_factory=list)
    severity: Severity
    points_lost: float
    severity_points: float = Field(0.0, description="Points against the whole catalogue weight (catalogue weights)")
    similarity: Optional[float] = None
    direction: Direction = "n/a"
    more_favourable: Optional[str] = None
    a: GapSide
    b: GapSide
    notes: list[str] = Field(default_factory=list)
    options: list[HarmonisationOption] = Field(default_factory=list)


class RoadmapItem(_Model):
    """One change a drafter makes: one instrument (or one bilateral act) closing one or more gaps."""

    rank: int
    measure: str = Field(description="The first (largest) measure it closes")
    measures: list[str] = Field(default_factory=list, description="Every measure this one change closes")
    title: str
    domain: str
    severity: Severity
    points_lost: float = Field(description="Points of the full scale recovered (sum over its measures)")
    changes: int
    cost: float = Field(description="Cost of the change by instrument rank (catalogue settings)")
    points_per_change: float
    points_per_cost: float = 0.0
    option: str
    remedy: str = "amend_national"
    targets: list[str] = Field(default_factory=list, description="Per measure: the target value, named")
    amend: list[Amend] = Field(default_factory=list)


class AfterActions(_Model):
    """The pair scored again with the gaps of its first roadmap actions closed at their targets
    (engine.after states what is assumed); unverified data stays unverified, so the bounds still
    count every measure not scored."""

    n: int = Field(description="Roadmap actions taken: the first n (fewer when the roadmap is shorter)")
    measures_closed: list[str] = Field(default_factory=list, description="The measures they close, in roadmap order")
    score: Optional[float] = Field(None, description="The point score after the actions (as overall.score)")
    lower: float = Field(description="Its lower bound (as overall.lower)")
    upper: float = Field(description="Its upper bound (as overall.upper)")
    coverage: float = Field(description="Share of the catalogue weight scored (closing a gap verifies nothing)")
    gain: Optional[float] = Field(None, description="The score after minus the score today")


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
    by_weight: float = Field(0.0, description="Share of the catalogue weight scored (the park's weights)")
    threshold: float = 0.7
    provisional: bool = True
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
    schema_version: Literal["2.0"] = SCHEMA_VERSION
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
    joint_regime: Optional[RoadmapItem] = Field(
        None, description="One bilateral joint-park protocol closing every gap a bilateral regime can close")
    after_actions: Optional[AfterActions] = Field(
        None, description="The score after the first roadmap actions, with bounds (engine.after); null in "
        "results that do not work it out")
    sensitivity: Sensitivity
    coverage: Coverage
    shown: list[ShownItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
