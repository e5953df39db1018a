"""The shared measure catalogue: the comparable measures both jurisdictions fill in."""

from __future__ import annotations

from enum import Enum
from typing import Literal, Optional

from pydantic import Field

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
    order: Literal["none", "options"] = Field(
        "none", description="'options': options are listed from least to most favourable"
    )
    equivalences: list[list[Code]] = Field(
        default_factory=list, description="Enum kinds: groups of options that count as the same"
    )
    note: Optional[str] = None


class DomainInfo(Strict):
    title: LocalText
    weight: float = Field(1, ge=0)


class NamedClass(Strict):
    title: LocalText
    description: Optional[LocalText] = None


class CatalogueFile(Strict):
    catalogue: Literal[1] = Field(description="Catalogue format version")
    domains: dict[Domain, DomainInfo]
    location_classes: dict[Code, NamedClass] = Field(default_factory=dict)
    sector_classes: dict[Code, NamedClass] = Field(default_factory=dict)
    measures: dict[Code, Measure]
