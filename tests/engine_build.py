"""Build small synthetic rule sets in memory for the engine tests (no files)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Optional

from harmonize.policy.tree import Jurisdiction, PolicySet
from harmonize.policy.models import CatalogueFile, Instrument, Provision, Zone

CATALOGUE = {
    "catalogue": 1,
    "domains": {
        "tax": {"title": "Taxation", "weight": 3},
        "customs": {"title": "Customs", "weight": 2},
        "investment": {"title": "Investment", "weight": 2},
    },
    "measures": {
        "cit_package": {"domain": "tax", "kind": "schedule", "unit": "percent", "title": "CIT package",
                        "favourable": "lower", "scale": 10, "weight": 3, "parts": ["cit_standard_rate", "cit_holiday"]},
        "cit_standard_rate": {"domain": "tax", "kind": "rate", "unit": "percent", "title": "CIT", "part_of": "cit_package",
                              "favourable": "lower", "scale": 10, "tolerance": 0.5, "weight": 0},
        "cit_holiday": {"domain": "tax", "kind": "schedule", "unit": "percent", "title": "Holiday",
                        "part_of": "cit_package", "absent_means": "none",
                        "favourable": "lower", "scale": 10, "weight": 0},
        "wht_dividends": {"domain": "tax", "kind": "rate", "unit": "percent", "title": "WHT dividends",
                          "favourable": "lower", "scale": 10, "weight": 2},
        "loss_years": {"domain": "tax", "kind": "duration", "unit": "years", "title": "Loss carry-forward",
                       "favourable": "higher", "scale": 5, "weight": 1},
        "duty_exempt": {"domain": "customs", "kind": "boolean", "title": "Duty exemption",
                        "favourable": "true", "weight": 2},
        "zone_status": {"domain": "customs", "kind": "enum", "title": "Zone status",
                        "options": ["domestic", "vat_only", "non_tariff"], "order": "options",
                        "favourable": "higher", "weight": 2},
        "forms": {"domain": "investment", "kind": "set", "title": "Forms", "weight": 1},
        "access": {"domain": "investment", "kind": "enum", "title": "Access regime",
                   "options": ["negative", "positive", "mixed"], "equivalences": [["negative", "mixed"]],
                   "weight": 1},
        "one_stop": {"domain": "investment", "kind": "boolean", "title": "One stop", "favourable": "true",
                     "weight": 2},
        "lists": {"domain": "investment", "kind": "text", "title": "Lists", "weight": 0},
        "dta_cap_dividends": {"domain": "tax", "layer": "bilateral", "caps": "wht_dividends", "kind": "rate",
                              "unit": "percent", "title": "Treaty cap", "favourable": "lower", "scale": 10},
    },
}

INSTRUMENT = {"kind": "law", "number": "1/TEST", "title": "Test law", "from": "2000-01-01", "status": "verified"}


def catalogue(extra: Optional[dict] = None) -> CatalogueFile:
    data = copy.deepcopy(CATALOGUE)
    if extra:
        data["measures"].update(extra)
    return CatalogueFile.model_validate(data)


def value(v: Any, status: str = "verified", frm: str = "2020-01-01", until: Optional[str] = None,
          instrument: str = "law") -> dict:
    d = {"value": v, "from": frm, "basis": {"instrument": instrument, "article": "Art. 1"}, "status": status}
    if until:
        d["until"] = until
    return d


def provision(*values: dict, measure: Optional[str] = None, **conditions) -> Provision:
    data: dict = {"values": list(values)}
    if measure:
        data["measure"] = measure
    if conditions:
        data["conditions"] = conditions
    return Provision.model_validate(data)


def jurisdiction(code: str, provisions: dict[str, Provision], kind: str = "country",
                 parties: Optional[list[str]] = None) -> Jurisdiction:
    j = Jurisdiction(code, Path(code), kind=kind, parties=parties or [])
    j.instruments = {"law": Instrument.model_validate(INSTRUMENT)}
    j.zones = {"z1": Zone.model_validate({"title": "Zone 1"}), "z2": Zone.model_validate({"title": "Zone 2"})}
    j.provisions = dict(provisions)
    return j


def policy_set(*jurisdictions: Jurisdiction, cat: Optional[CatalogueFile] = None) -> PolicySet:
    ps = PolicySet(root=None, catalogue=cat or catalogue())
    for j in jurisdictions:
        ps.jurisdictions[j.code] = j
    return ps


def clone(j: Jurisdiction, code: str) -> Jurisdiction:
    return jurisdiction(code, dict(j.provisions), kind=j.kind, parties=list(j.parties))
