"""The pydantic model layer: what a catalogue and a jurisdiction file may say."""

from .catalogue import CatalogueFile, DomainInfo, Favourable, Kind, Measure, NamedClass, Unit
from .common import TEXT_LANGS, Amount, Basis, Domain, LocalForms, LocalText, LocalTextModel, Status
from .policy import (
    Conditions,
    Conflict,
    DatedValue,
    Direction,
    Grandfathering,
    Instrument,
    InstrumentKind,
    NumberRange,
    Phase,
    PolicyFile,
    Provision,
    Schedule,
    Sector,
    StartEvent,
    Zone,
)

__all__ = [
    "Amount", "Basis", "CatalogueFile", "Conditions", "Conflict", "DatedValue", "Direction",
    "Domain", "DomainInfo", "Favourable", "Grandfathering", "Instrument", "InstrumentKind", "Kind",
    "LocalForms", "LocalText", "LocalTextModel", "TEXT_LANGS", "Measure", "NamedClass", "NumberRange", "Phase", "PolicyFile",
    "Provision", "Schedule", "Sector", "StartEvent", "Status", "Unit", "Zone",
]
