"""Investor scenario files and the economic parameter file (``policies/scenarios/``), as data."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional, Sequence

from pydantic import Field, PrivateAttr, model_validator

from .common import Code, LocalText, Status, Strict, Url

ASSETS = ("machinery", "buildings", "intangibles")
DISCLAIMER = ("Hypothetical investor: every financial number is an ILLUSTRATIVE ASSUMPTION, "
              "not law and not data about a real company.")


# --- parameter sets -------------------------------------------------------------------------


class AssetParams(Strict):
    econ_depreciation: float = Field(ge=0, le=100, description="Economic depreciation, percent a year (declining balance)")
    tax_depreciation_rate: float = Field(gt=0, le=100, description="Tax depreciation, percent a year")
    tax_depreciation_method: Literal["db", "sl"] = "db"
    note: Optional[str] = None


class ParameterSet(Strict):
    """A named set of economic parameters (percent), with its source and how sure we are of it."""

    title: str
    status: Status
    status_note: Optional[str] = None
    sources: list[Url] = Field(min_length=1)
    real_rate: float = Field(gt=-50, le=50)
    inflation: float = Field(gt=-50, le=100)
    profitability: float = Field(gt=0, le=200)
    financing: dict[Code, float] = Field(default_factory=dict, description="Recorded only: equity finance is computed")
    allowances_in_holiday: Literal["lost", "carry_forward"] = "lost"
    assets: dict[Literal["machinery", "buildings", "intangibles"], AssetParams]
    note: Optional[str] = None

    @model_validator(mode="after")
    def _all_assets(self) -> "ParameterSet":
        missing = [a for a in ASSETS if a not in self.assets]
        if missing:
            raise ValueError(f"assets lacks {', '.join(missing)}")
        return self

    @property
    def nominal_rate(self) -> float:
        return (1 + self.real_rate / 100) * (1 + self.inflation / 100) - 1



class ParametersFile(Strict):
    parameters: Literal[1] = Field(description="Format version")
    default: Code
    sets: dict[Code, ParameterSet] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_exists(self) -> "ParametersFile":
        if self.default not in self.sets:
            raise ValueError(f"default set '{self.default}' is not among the sets")
        return self


# --- scenario files -------------------------------------------------------------------------


class SiteSpec(Strict):
    """Where the project sits and what it is, in one jurisdiction's own codes."""

    zones: list[Code] = Field(default_factory=list)
    sectors: list[Code] = Field(default_factory=list)
    land_rent_per_m2_year: Optional[float] = Field(None, ge=0, description="Overrides land.rent_per_m2_year")
    note: Optional[str] = None


class AssetMix(Strict):
    machinery: float = Field(ge=0, le=100)
    buildings: float = Field(ge=0, le=100)
    intangibles: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _sums_to_100(self) -> "AssetMix":
        total = self.machinery + self.buildings + self.intangibles
        if abs(total - 100) > 1e-6:
            raise ValueError(f"asset shares must add up to 100, they add up to {total:g}")
        return self

    def shares(self) -> dict[str, float]:
        return {a: getattr(self, a) / 100 for a in ASSETS}


class Land(Strict):
    area_m2: float = Field(gt=0)
    rent_per_m2_year: float = Field(ge=0)
    construction_years: int = Field(1, ge=0, le=10)
    note: Optional[str] = None


class Scenario(Strict):
    """A hypothetical investor. Money in ``currency``; shares in percent; year 0 = investment year;
    a yearly path shorter than the horizon repeats its last value."""

    scenario: Literal[1] = Field(description="Format version")
    title: LocalText
    illustrative: Literal[True] = Field(description="Must be true: the numbers are assumptions, not law")
    disclaimer: str = Field(min_length=1)
    sector_class: Optional[Code] = Field(None, description="The catalogue's sector class this archetype stands for")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    fx: dict[str, float] = Field(default_factory=dict, description="Units of a currency per unit of `currency`")
    horizon: int = Field(ge=1, le=60)
    licence_date: Optional[date] = None
    investment: float = Field(gt=0)
    assets: AssetMix
    imported_equipment_share: float = Field(ge=0, le=100, description="Percent of machinery imported")
    assumed_import_duty: float = Field(ge=0, le=100, description="Duty rate paid without an exemption, percent")
    revenue: list[float] = Field(min_length=1)
    profit: list[float] = Field(min_length=1, description="Pre-tax profit after royalties; negative = loss")
    dividend_payout: float = Field(ge=0, le=100, description="Percent of after-tax profit paid to the parent")
    royalties: float = Field(ge=0, le=100, description="Royalties to the parent, percent of revenue")
    employees: Optional[int] = Field(None, ge=0)
    export_share: Optional[float] = Field(None, ge=0, le=100)
    land: Land
    sites: dict[Code, SiteSpec] = Field(min_length=1)
    note: Optional[str] = None

    _source: Any = PrivateAttr(None)  # set by the loader, for located cross-reference errors

    @model_validator(mode="after")
    def _paths(self) -> "Scenario":
        if any(v < 0 for v in self.revenue):
            raise ValueError("revenue cannot be negative")
        if not any(v > 0 for v in self.revenue):
            raise ValueError("revenue is never positive")
        return self

    def yearly(self, values: Sequence[float]) -> list[float]:
        return [float(values[min(y, len(values) - 1)]) for y in range(self.horizon)]
