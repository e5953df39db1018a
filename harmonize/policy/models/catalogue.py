"""The shared measure catalogue: the comparable measures both jurisdictions fill in."""

from __future__ import annotations

from enum import Enum
from typing import Literal, Optional, Union

from pydantic import Field, model_validator

from .common import Code, Domain, LocalText, Strict


class Kind(str, Enum):
    rate = "rate"  # a percentage, e.g. a tax rate
    amount = "amount"  # money: {amount, currency}
    duration = "duration"  # a length of time in the measure's unit
    count = "count"  # a plain number (lists, working days counted as a number, ...)
    boolean = "boolean"
    enum = "enum"  # one of the measure's options
    set = "set"  # a set of codes or names, compared by overlap
    text = "text"  # free text: shown, never scored
    schedule = "schedule"  # a tax-holiday schedule: phases from a start event


class Unit(str, Enum):
    percent = "percent"
    years = "years"
    months = "months"
    days = "days"
    working_days = "working_days"
    currency = "currency"
    hectares = "hectares"
    items = "items"
    none = "none"


class Favourable(str, Enum):
    """Which value favours the investor, so a gap can say which side is more attractive."""

    lower = "lower"
    higher = "higher"
    true = "true"
    false = "false"
    none = "none"


class Rationale(Strict):
    """Why a measure is compared the way it is: one line per number, and a source where one exists."""

    weight: Optional[str] = Field(None, description="Why this weight (relative to the domain's other measures)")
    scale: Optional[str] = Field(None, description="Why a difference of 'scale' means nothing in common")
    tolerance: Optional[str] = Field(None, description="Why a difference up to 'tolerance' is treated as none")
    absent_means: Optional[str] = Field(None, description="Why the law's silence means what 'absent_means' says")
    combine: Optional[str] = Field(None, description="Why several applicable provisions combine as 'combine' says")
    source: Optional[str] = Field(None, description="A published method this follows, e.g. the OECD FDI index")


class Measure(Strict):
    domain: Domain
    layer: Literal["national", "bilateral"] = Field(
        "national",
        description="national: each country fills it and the two are compared; bilateral: filled by a "
        "bilateral/regional layer and applied to both (shown, not compared)",
    )
    caps: Optional[Code] = Field(
        None, description="Bilateral measures: the national rate measure this one caps (e.g. a treaty WHT ceiling)"
    )
    kind: Kind
    unit: Unit = Unit.none
    title: LocalText
    description: Optional[LocalText] = None
    favourable: Favourable = Favourable.none
    scale: Optional[float] = Field(
        None, gt=0, description="Numeric kinds: the difference at which similarity reaches 0"
    )
    tolerance: float = Field(0, ge=0, description="Numeric kinds: a difference treated as identical")
    weight: float = Field(1, ge=0, description="Weight within its domain")
    options: list[Code] = Field(default_factory=list, description="Enum kinds: allowed values")
    labels: dict[Code, LocalText] = Field(
        default_factory=dict, description="Enum and set kinds: what each option or member code is called, in "
        "each language (reports show the label, never the code)")
    order: Literal["none", "options"] = Field(
        "none", description="'options': options are listed from least to most favourable"
    )
    equivalences: list[list[Code]] = Field(
        default_factory=list, description="Enum kinds: groups of options that count as the same"
    )
    absent_means: Optional[Union[bool, float, str]] = Field(
        None, description="What the law's silence means for this measure, as a value of its kind (false, 0, an "
        "enum option) or 'unknown' (default): a side with no provision in force, an explicit 'absent: true', or "
        "provisions whose conditions exclude the site then compare as this value. 'unknown': an explicit absence "
        "is a one-side-only gap; no provision at all is a coverage hole, never a gap")
    combine: Literal["elective", "cumulative", "binding"] = Field(
        "elective", description="Several provisions apply at once: 'elective' (the investor may choose: the most "
        "favourable counts), 'cumulative' or 'binding' (restrictions and procedures: the least favourable binds)")
    part_of: Optional[Code] = Field(
        None, description="This measure is one part of a package measure and is scored only inside it")
    parts: list[Code] = Field(
        default_factory=list, description="A package measure: the measures valued together (one economic fact)")
    remedy: Literal["amend", "international_declaration", "administrative_practice", "bilateral"] = Field(
        "amend", description="How a side changes its value: amend a national instrument (default), a declaration "
        "to an international body, an administrative practice, or only by a bilateral instrument")
    existence: bool = Field(
        False, description="Only records that an institution exists (an agency, a portal): capped in its domain")
    why: Rationale = Field(default_factory=Rationale)

    @model_validator(mode="after")
    def _labels_name_options(self) -> "Measure":
        if self.labels and self.kind not in (Kind.enum, Kind.set):
            raise ValueError(f"'labels' name options, but a {self.kind.value} measure has none")
        unknown = sorted(set(self.labels) - set(self.options)) if self.kind is Kind.enum else []
        if unknown:
            raise ValueError(f"'labels' names {', '.join(unknown)}, which is not an option of this measure")
        return self

    @model_validator(mode="after")
    def _absent_means_shape(self) -> "Measure":
        v = self.absent_means
        if v is None or v == "unknown":
            return self
        if self.kind is Kind.boolean and not isinstance(v, bool):
            raise ValueError("absent_means of a boolean measure is true, false or 'unknown'")
        if self.kind in (Kind.rate, Kind.duration, Kind.count) and (isinstance(v, (bool, str))):
            raise ValueError("absent_means of a numeric measure is a number or 'unknown'")
        if self.kind is Kind.enum and v not in self.options:
            raise ValueError(f"absent_means '{v}' is not an option of this measure")
        if self.kind in (Kind.schedule, Kind.text, Kind.amount, Kind.set) and v is not False and v != "none":
            raise ValueError(f"absent_means of a {self.kind.value} measure is 'none' (no such rule) or 'unknown'")
        return self


class DomainInfo(Strict):
    title: LocalText
    weight: float = Field(1, ge=0)
    why: Optional[str] = Field(None, description="Why this domain weight")


class InstrumentCost(Strict):
    """Relative cost of changing one instrument of a kind (a law needs the legislature; a circular a ministry)."""

    cost: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_INSTRUMENT_COST))
    why: Optional[str] = None


DEFAULT_INSTRUMENT_COST = {
    "constitution": 5, "law": 3, "ordinance": 3, "resolution": 3, "treaty": 3, "agreement": 3, "protocol": 2,
    "decree": 2, "decision": 1, "circular": 1, "instruction": 1, "notification": 1, "guideline": 1, "mou": 1,
    "practice": 0.5, "other": 2, "new": 3, "declaration": 1, "profile": 0.25,
}


class Settings(Strict):
    coverage_threshold: float = Field(
        0.7, ge=0, le=1, description="Below this share of the catalogue weight scored, a score is provisional "
        "and parks are not ranked against each other")
    coverage_why: Optional[str] = None
    severity_critical: float = Field(2.0, gt=0, description="Points of the full scale from which a gap is critical")
    severity_major: float = Field(0.75, gt=0, description="Points of the full scale from which a gap is major")
    severity_why: Optional[str] = None
    existence_cap: float = Field(
        0.25, ge=0, le=1, description="Measures that only record that an institution exists hold at most this "
        "share of their domain's weight")
    existence_why: Optional[str] = None
    instrument_cost: InstrumentCost = Field(default_factory=InstrumentCost)


class NamedClass(Strict):
    title: LocalText
    description: Optional[LocalText] = None
    expects: list[Code] = Field(
        default_factory=list, description="Location classes: a site of this class normally also has one of these "
        "classes (validate warns when none is tagged, e.g. a border-gate zone without its non-tariff area)")
    expects_why: Optional[str] = None


class CatalogueFile(Strict):
    catalogue: Literal[1] = Field(description="Catalogue format version")
    domains: dict[Domain, DomainInfo]
    location_classes: dict[Code, NamedClass] = Field(default_factory=dict)
    sector_classes: dict[Code, NamedClass] = Field(default_factory=dict)
    settings: Settings = Field(default_factory=Settings)
    measures: dict[Code, Measure]
