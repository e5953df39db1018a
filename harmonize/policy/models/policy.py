"""A jurisdiction's rule set: its vocabulary, its legal instruments and its dated provisions.

A jurisdiction (a country, or a bilateral/regional layer) is a folder of files of this one shape;
the sections of all its files are merged. Values are dated (``from``/``until``, both inclusive)
and superseded law stays in the file, so any question can be asked as of a date.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal, Optional, Union

from pydantic import Field, SkipValidation, StringConstraints, model_validator

from .catalogue import Measure
from .common import Amount, Basis, Code, LocalText, Status, Strict, Url


class InstrumentKind(str, Enum):
    constitution = "constitution"
    law = "law"
    resolution = "resolution"
    ordinance = "ordinance"
    decree = "decree"
    decision = "decision"
    circular = "circular"
    instruction = "instruction"
    notification = "notification"
    guideline = "guideline"
    treaty = "treaty"
    agreement = "agreement"
    protocol = "protocol"
    mou = "mou"
    practice = "practice"  # administrative practice with no single instrument (say so in the note)
    other = "other"


class Instrument(Strict):
    """A legal instrument, declared once per jurisdiction and cited by id."""

    kind: InstrumentKind
    number: Optional[str] = Field(description="Official number, e.g. '67/2025/QH15' or '62/NA'; null if unknown")
    number_verified: bool = True
    title: LocalText
    issuer: Optional[str] = None
    adopted: Optional[date] = None
    from_: Optional[date] = Field(None, alias="from", description="First day in force")
    until: Optional[date] = Field(None, description="Last day in force (inclusive); omit while in force")
    applies_from: Optional[date] = Field(
        None, description="When its rules apply from a date before it entered into force (e.g. a whole tax year)"
    )
    dates_verified: bool = True
    signed_not_in_force: bool = Field(
        False, description="Signed (adopted) but not in force: leave out 'from'; nothing in it applies until a "
        "source dates its entry into force (values may only record its status or an absence)")
    supersedes: list[Code] = Field(default_factory=list)
    superseded_by: list[Code] = Field(default_factory=list)
    sources: list[Url] = Field(default_factory=list)
    status: Status
    note: Optional[str] = None

    @model_validator(mode="after")
    def _not_in_force_has_no_start(self) -> "Instrument":
        if self.signed_not_in_force and (self.from_ or self.applies_from):
            raise ValueError("'signed_not_in_force: true' contradicts 'from' / 'applies_from': an instrument in "
                             "force drops the flag")
        if self.signed_not_in_force and not self.adopted:
            raise ValueError("'signed_not_in_force: true' needs 'adopted' (the signing date)")
        return self


class Zone(Strict):
    """A location code that conditions may use, mapped to the catalogue's comparable classes."""

    title: LocalText
    classes: list[Code] = Field(default_factory=list)
    note: Optional[str] = None


class Sector(Strict):
    title: LocalText
    classes: list[Code] = Field(default_factory=list)
    note: Optional[str] = None


class Direction(Strict):
    from_: Code = Field(alias="from", description="Jurisdiction the goods, payment or investment leave")
    to: Code


class Conditions(Strict):
    """When a provision applies. Lists are any-of; ``*_all`` all-of; ``*_none`` none-of."""

    zones: list[Code] = Field(default_factory=list)
    zones_all: list[Code] = Field(default_factory=list)
    zones_none: list[Code] = Field(default_factory=list)
    sectors: list[Code] = Field(default_factory=list)
    sectors_none: list[Code] = Field(default_factory=list)
    min_investment: Optional[Amount] = None
    min_employees: Optional[int] = Field(None, ge=0)
    min_export_share: Optional[float] = Field(None, ge=0, le=100, description="Percent of output exported")
    licensed_from: Optional[date] = Field(None, description="Only projects licensed on or after this date")
    licensed_before: Optional[date] = Field(None, description="Only projects licensed before this date")
    direction: Optional[Direction] = None
    note: Optional[str] = Field(None, description="Eligibility in words, as the law states it")


# Most provisions have no conditions: they share this one frozen instance (~1 KB each otherwise).
NO_CONDITIONS = Conditions()


class StartEvent(str, Enum):
    first_revenue = "first_revenue"
    first_taxable_profit = "first_taxable_profit"
    first_profit = "first_profit"
    licence_date = "licence_date"
    operation_start = "operation_start"
    investment_year = "investment_year"
    not_verified = "not_verified"


class Phase(Strict):
    """One phase of a schedule: exempt, a percentage reduction of the rate, or a fixed rate."""

    years: Optional[int] = Field(description="Length in years; null = for the rest of the project's life", ge=1, le=99)
    exempt: bool = False
    reduction: Optional[float] = Field(None, gt=0, le=100, description="Percent of the normal rate waived")
    rate: Optional[float] = Field(None, ge=0, le=100, description="A fixed rate in percent")

    @model_validator(mode="after")
    def _one_treatment(self) -> "Phase":
        given = [self.exempt, self.reduction is not None, self.rate is not None]
        if sum(given) != 1:
            raise ValueError("a phase needs exactly one of 'exempt: true', 'reduction' or 'rate'")
        return self


class Schedule(Strict):
    start: StartEvent = Field(description="The event that starts the clock")
    latest_start_year: Optional[int] = Field(
        None, ge=1, le=20, description="The clock starts in this project year at the latest"
    )
    phases: list[Phase] = Field(min_length=1, max_length=50, description="At most 50 phases")
    reduction_of: Optional[Literal["standard_rate", "rate_in_force"]] = Field(
        None, description="What a 'reduction' phase reduces where a preferential rate also applies: the standard "
        "rate ('35 % of the normal rate') or the rate in force (the preferential one). Unstated: the rate in force, "
        "and the package says it assumed so")
    note: Optional[str] = None


class NumberRange(Strict):
    """A value the law gives as a range (e.g. '4 to 10 years')."""

    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> "NumberRange":
        if self.min > self.max:
            raise ValueError("'min' is larger than 'max'")
        return self


# The shapes a value may take; which one is right depends on the measure's kind, checked
# against the catalogue after loading so that the message can name the measure and its unit.
ValueShape = Optional[Union[bool, float, str, list[str], Amount, NumberRange, Schedule]]


class Conflict(Strict):
    """A different value found in another source; the value kept is the newer or better source."""

    value: SkipValidation[ValueShape] = None
    source: str
    note: str


class Grandfathering(Strict):
    """Projects licensed before a date keep the value after it ends."""

    licensed_before: date
    basis: Basis
    note: Optional[str] = None


class DatedValue(Strict):
    value: SkipValidation[ValueShape] = Field(
        None, description="The value, in the measure's kind and unit; null when unknown (status unverified)"
    )
    from_: date = Field(alias="from", description="First day in force")
    until: Optional[date] = Field(None, description="Last day in force (inclusive); omit while in force")
    basis: Basis
    status: Status
    status_note: Optional[str] = None
    sources: list[Url] = Field(default_factory=list, description="Pages or texts this value was read from")
    note: Optional[str] = None
    conflicts: list[Conflict] = Field(default_factory=list)
    grandfathered: Optional[Grandfathering] = None
    absent: bool = Field(
        False, description="The law is known to have no such rule (value null, with basis and sources); "
        "'not researched' is a missing value marked unverified, never absent")
    up_to: bool = Field(
        False, description="The value is a ceiling granted case by case ('up to 10 years'), not an entitlement")
    accept: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{3}$")], Annotated[str, StringConstraints(min_length=3)]] = Field(
        default_factory=dict,
        description="Warnings this value means to trigger, each with the reason: e.g. {D403: the law had no "
        "rate between the two decrees}; errors cannot be accepted")
    research_note: Optional[str] = Field(
        None, description="Researcher's remark (e.g. 'not read'); shown to reviewers only in an appendix")

    @model_validator(mode="after")
    def _absent_has_no_value(self) -> "DatedValue":
        if self.absent and self.value is not None:
            raise ValueError("'absent: true' says the law has no such rule: 'value' must be null")
        if self.absent and self.up_to:
            raise ValueError("'absent: true' and 'up_to: true' contradict each other")
        return self


class Provision(Strict):
    measure: Optional[Code] = Field(None, description="Catalogue measure; defaults to the provision's key")
    title: Optional[LocalText] = None
    option: Optional[Code] = Field(
        None, description="Elective option this provision belongs to (e.g. 'qip_option1'): the investor chooses "
        "one option, so provisions of different options are never combined; provisions without an option "
        "join every option")
    conditions: Conditions = Field(default_factory=lambda: NO_CONDITIONS)
    values: list[DatedValue] = Field(min_length=1, max_length=500, description="At most 500 dated values")
    note: Optional[str] = None


class Accession(Strict):
    """When a party became bound by a multilateral layer (e.g. joined ASEAN)."""

    joined: date = Field(description="First day the party is a member")
    status: Status
    sources: list[Url] = Field(default_factory=list, max_length=100)
    note: Optional[str] = None


class PolicyFile(Strict):
    jurisdiction: Code = Field(description="The jurisdiction's code; must match its folder name")
    kind: Optional[Literal["country", "bilateral", "regional", "multilateral"]] = Field(
        None, description="'multilateral': a layer binding every pair of its parties (e.g. ASEAN), inherited by each "
        "pair's bilateral layer from the later party's accession")
    name: Optional[LocalText] = None
    parties: list[Code] = Field(default_factory=list, description="Bilateral/regional layers: member countries")
    accession: dict[Code, Accession] = Field(
        default_factory=dict, description="Multilateral layers: when a party joined (a party left out is taken as a "
        "member on every date of the layer's values)")
    currency: Optional[str] = Field(None, pattern=r"^[A-Z]{3}$")
    zones: dict[Code, Zone] = Field(default_factory=dict)
    sectors: dict[Code, Sector] = Field(default_factory=dict)
    instruments: dict[Code, Instrument] = Field(default_factory=dict)
    provisions: dict[Code, Provision] = Field(default_factory=dict)
    local_measures: dict[Code, Measure] = Field(
        default_factory=dict, description="Measures with no counterpart in the catalogue (shown, not scored)"
    )
