"""Reading the scenario folder (``policies/scenarios/``): investor scenarios and parameter sets,
with located problems; scenario sites are checked against a loaded policy set."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .checks.vocabulary import site_findings
from .diagnostics import Diagnostic
from .loader import parse_model, read_source, resolve
from .tree import Finding, PolicySet
from .models.scenarios import ParameterSet, ParametersFile, Scenario

SCENARIO_FOLDER = "scenarios"
PARAMETERS_FILE = "parameters.yaml"


@dataclass(frozen=True)
class ScenarioLoad:
    scenarios: dict[str, Scenario]
    parameter_sets: dict[str, ParameterSet]
    default_set: Optional[str]
    diagnostics: list[Diagnostic]


def scenario_folder(root: Path) -> Path:
    return root / SCENARIO_FOLDER


def parameters_path(root: Path) -> Path:
    return scenario_folder(root) / PARAMETERS_FILE


def load_parameter_file(path: Path) -> tuple[Optional[ParametersFile], list[Diagnostic]]:
    """The parameters file alone (commands that compute effective tax rates need no scenarios)."""
    source, diags = read_source(path)
    if diags:
        return None, diags
    parsed, findings = parse_model(source, ParametersFile)
    return parsed, resolve(findings)


def load_scenario_folder(root: Path) -> ScenarioLoad:
    """All scenario files and the parameter sets under ``root/scenarios``, with located problems."""
    folder = scenario_folder(root)
    scenarios: dict[str, Scenario] = {}
    sets: dict[str, ParameterSet] = {}
    default = None
    diags: list[Diagnostic] = []
    if not folder.is_dir():
        return ScenarioLoad(scenarios, sets, default, diags)
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        if path.name == PARAMETERS_FILE:
            params, d = load_parameter_file(path)
            diags += d
            if params is not None:
                sets.update(params.sets)
                default = params.default
            continue
        source, d = read_source(path)
        if d:
            diags += d
            continue
        parsed, findings = parse_model(source, Scenario)
        diags += resolve(findings)
        if parsed is not None:
            parsed._source = source
            scenarios[path.stem] = parsed
    return ScenarioLoad(scenarios, sets, default, diags)


def load_scenarios(root: Path) -> tuple[dict[str, Scenario], dict[str, ParameterSet], list[Diagnostic]]:
    """Scenarios by file stem, parameter sets by name, and located problems (``path:line:col``)."""
    res = load_scenario_folder(root)
    return res.scenarios, res.parameter_sets, res.diagnostics


def check_scenarios(scenarios: dict[str, Scenario], ps: PolicySet) -> list[Diagnostic]:
    """Sites must name declared jurisdictions, zones and sectors (located like schema errors)."""
    findings = []
    for sc in scenarios.values():
        src = sc._source
        if src is None:
            continue
        classes = ps.catalogue.sector_classes if ps.catalogue else {}
        if sc.sector_class and classes and sc.sector_class not in classes:
            findings.append(Finding(src, ("sector_class",), "R313",
                                    f"sector class '{sc.sector_class}' is not in the catalogue"))
        for code, spec in sc.sites.items():
            j = ps.jurisdictions.get(code)
            if j is None:
                findings.append(Finding(src, ("sites", code), "R315", f"unknown jurisdiction '{code}'", key=True))
                continue
            findings += site_findings(src, ("sites", code), j, spec.zones, spec.sectors)
    return resolve(findings)


def read_parameter_set(root: Optional[Path], name: Optional[str], fallback: str):
    """(name, set) for ``name`` (default: the file's default) from ``root/scenarios/parameters.yaml``;
    (fallback, None) when there is no parameters file. Raises ValueError for an unknown set name or
    an unreadable file."""
    sets, default = {}, None
    path = parameters_path(root) if root is not None else None
    if path is not None and path.is_file():
        loaded, bad = load_parameter_file(path)
        if bad:
            raise ValueError("the parameter file has problems:\n" + "\n".join(d.format() for d in bad[:5]))
        sets, default = loaded.sets, loaded.default
    if not sets:
        if name not in (None, fallback):
            raise ValueError(f"no parameter set '{name}': scenarios/parameters.yaml not found")
        return fallback, None
    chosen = name or default or fallback
    if chosen not in sets:
        raise ValueError(f"unknown parameter set '{chosen}'; known: {', '.join(sorted(sets))}")
    return chosen, sets[chosen]
