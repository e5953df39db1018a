"""A loaded policy tree: its files, jurisdictions (merged from their files) and problems, and the
located findings that checks produce. Loading is ``loader``'s job; these are its results."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from .diagnostics import DataPath, Diagnostic, Severity
from .models import CatalogueFile, DatedValue, Instrument, Measure, Provision, Sector, Zone
from .sources import SourceTiersFile, Tier, value_sources
from .locate import Locator


@dataclass
class SourceFile:
    path: Path
    display: str
    text: Optional[str] = None
    data: Any = None
    locator: Optional[Locator] = None
    warnings: list[Diagnostic] = field(default_factory=list)  # e.g. bidi controls: shown, never fatal
    digest: Optional[bytes] = None  # of the text, when loads share validated files (loader.sharing)

    def locate(self, path: DataPath, key: bool = False) -> tuple[int, int]:
        if self.locator is None:
            return 1, 1
        return self.locator.locate(path, key)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an item was declared: the file and the data path to it."""

    source: SourceFile
    path: DataPath


@dataclass
class Jurisdiction:
    code: str
    folder: Path
    kind: str = "country"
    name: Any = None
    parties: list[str] = field(default_factory=list)
    accession: dict[str, Any] = field(default_factory=dict)  # multilateral layers: party -> Accession
    inherited: dict[tuple[str, str], str] = field(default_factory=dict)  # (section, id) -> multilateral layer code
    currency: Optional[str] = None
    zones: dict[str, Zone] = field(default_factory=dict)
    sectors: dict[str, Sector] = field(default_factory=dict)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    provisions: dict[str, Provision] = field(default_factory=dict)
    local_measures: dict[str, Measure] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    files: list[SourceFile] = field(default_factory=list)
    complete: bool = True  # False when a file failed to load: "unknown id" checks would be noise
    unparsed: list[SourceFile] = field(default_factory=list)  # read as YAML, rejected by the schema
    source_tiers: Optional[SourceTiersFile] = None  # the tree's sources.yaml, shared by every jurisdiction
    _by_measure: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    _indexed: int = field(default=-1, repr=False, compare=False)

    def measure_of(self, provision_id: str) -> str:
        return self.provisions[provision_id].measure or provision_id

    def source_tier(self, dv: DatedValue) -> Optional[Tier]:
        """The strongest tier among the sources a value rests on (its own, else its instrument's);
        None when it has no source or the tree has no sources.yaml."""
        if self.source_tiers is None:
            return None
        return self.source_tiers.best(value_sources(self.instruments, dv))

    def provision_ids(self, measure: str) -> list[str]:
        """Ids of the provisions that fill ``measure``, sorted; indexed once (the engine asks per measure)."""
        if self._indexed != len(self.provisions):
            index: dict[str, list[str]] = {}
            for pid in sorted(self.provisions):
                index.setdefault(self.measure_of(pid), []).append(pid)
            self._by_measure, self._indexed = index, len(self.provisions)
        return self._by_measure.get(measure, [])


@dataclass
class PolicySet:
    root: Optional[Path]
    catalogue: Optional[CatalogueFile] = None
    catalogue_file: Optional[SourceFile] = None
    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)
    files: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source_tiers: Optional[SourceTiersFile] = None
    source_tiers_file: Optional[SourceFile] = None
    # translations of the files' English texts: language -> text key -> entry (policy.translations)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    translation_sites: dict[tuple[str, str], tuple[SourceFile, tuple]] = field(default_factory=dict)

    def provision_values(self) -> Iterator[tuple]:
        """(jurisdiction, provision key, provision, its origin, its measure or None, index, dated value)
        for every dated value of the tree: the walk the value checks share."""
        measures = self.catalogue.measures if self.catalogue else {}
        for j in self.jurisdictions.values():
            for key, prov in j.provisions.items():
                origin = j.origins[("provisions", key)]
                mid = prov.measure or key
                measure = measures.get(mid) or j.local_measures.get(mid)
                for i, dv in enumerate(prov.values):
                    yield j, key, prov, origin, measure, i, dv

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass(frozen=True)
class Finding:
    """A problem found by a check, located by data path; the loader turns it into a Diagnostic."""

    source: SourceFile
    path: DataPath
    code: str
    message: str
    key: bool = False
    severity: Severity = Severity.ERROR


_DISPLAY_ROOTS: dict[str, str] = {}


def register_display_root(root: Path, label: Optional[str]) -> None:
    """Show files under ``root`` (a temporary folder holding a tree read from git) as ``label/...``
    (``origin/main:policies/vn/tax.yaml``) instead of a temporary path; ``label=None`` forgets it."""
    key = os.path.realpath(root)
    if label is None:
        _DISPLAY_ROOTS.pop(key, None)
    else:
        _DISPLAY_ROOTS[key] = label.rstrip("/")


def display_path(path: Path) -> str:
    if _DISPLAY_ROOTS:
        real = os.path.realpath(path)
        for root, label in _DISPLAY_ROOTS.items():
            if real == root or real.startswith(root + os.sep):
                inner = os.path.relpath(real, root).replace(os.sep, "/")
                return label if inner == "." else f"{label}/{inner}"
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def suggest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""
