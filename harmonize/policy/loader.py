"""Load a policy tree: files → pydantic models → merged jurisdictions, with located problems.

Layout of a policy tree (its root holds ``catalogue.yaml``)::

    policies/
      catalogue.yaml            the shared measure catalogue
      vn/*.yaml                 one folder per jurisdiction; all its files are merged
      la/*.yaml
      bilateral/vn-la/*.yaml    layers between countries are jurisdictions too
      multilateral/asean/*.yaml inherited by each pair's bilateral layer (``layers.py``)

A folder is a jurisdiction when it directly holds ``.yaml`` files; its code is the folder name.
"""

from __future__ import annotations

import gc
import typing
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic
from .translations import load_translations
from .folders import (CATALOGUE_NAME, MAX_FOLDER_DEPTH, RESERVED_FOLDERS, YAML_SUFFIXES,  # noqa: F401 (re-exported)
                      _yaml_files, find_root, jurisdiction_folders, jurisdiction_of, outside_tree, yaml_files_under)
from .models import CatalogueFile, LocalTextModel, PolicyFile
from .sources import SOURCES_NAME, SourceTiersFile
from .tree import Finding, Jurisdiction, Origin, PolicySet, SourceFile, display_path, suggest
from .locate import Locator
from .compact import Pool
from .layers import inherit_multilateral
from .yamlread import bidi_warnings, load_data, read_text


# --- schema errors → diagnostics -------------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    """The model class reached through Optional/list/dict/Annotated wrappers, else None."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            models = [a for a in typing.get_args(tp) if _unwrap(a) is not None]
            if len(models) != 1:
                return None
            tp = models[0]
        elif origin in (list, dict):
            tp = typing.get_args(tp)[-1]
        else:
            return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(root: type[BaseModel], loc: tuple) -> Optional[type[BaseModel]]:
    """The model class that validates the mapping at ``loc`` (keys of dicts skipped)."""
    model: Any = root
    expect_key = False  # inside a dict[Code, Model]: the next part is a free key
    for part in loc:
        if model is None:
            return None
        if expect_key or isinstance(part, int):
            expect_key = False
            continue
        field_ = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field_ is None:
            return None
        ann = field_.annotation
        expect_key = _is_dict(ann)
        model = _unwrap(ann)
    return model if not expect_key else None


def _is_dict(tp: Any) -> bool:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) is typing.Union:
        return any(_is_dict(a) for a in typing.get_args(tp))
    return typing.get_origin(tp) is dict


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


MAX_PER_FILE = 50  # problems shown per file, then "and N more" (like compilers): output stays readable and linear


def schema_findings(source: SourceFile, model: type[BaseModel], exc: ValidationError) -> list[Finding]:
    findings = []
    total = exc.error_count()
    errors = exc.errors(include_url=False) if total <= MAX_PER_FILE else _first_errors(exc, MAX_PER_FILE)
    for err in errors:
        loc = tuple(err["loc"])
        etype = err["type"]
        if loc and loc[-1] == "[key]":
            hint = "" if isinstance(loc[-2], str) else COMMA_HINT  # {en: Law 12, 2019}: the 2019 became a key
            findings.append(Finding(source, loc[:-1], "S204",
                                    f"invalid key {_short(loc[-2])}: {err['msg'].lower()}{hint}", key=True))
            continue
        where = ".".join(str(p) for p in loc[:-1]) or "top level"
        if etype.startswith(("date_", "datetime_")):
            findings.append(Finding(source, loc, "S204", not_a_date(".".join(map(str, loc)), err.get("input"))))
            continue
        if etype == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            hint = suggest(str(loc[-1]), _keys_of(parent)) if parent else ""
            if not hint and (" " in str(loc[-1]).strip() or parent is LocalTextModel):
                hint = COMMA_HINT
            findings.append(Finding(source, loc, "S201",
                                    f"unknown key '{loc[-1]}' in {where}{hint}", key=True))
        elif etype == "missing":
            findings.append(Finding(source, loc[:-1], "S202",
                                    f"missing required key '{loc[-1]}' in {where}", key=len(loc) > 1))
        elif etype.endswith("_type") or etype in ("model_type", "model_attributes_type", "dict_type", "list_type"):
            what = err["msg"].replace("Input should be", "expected")
            findings.append(Finding(source, loc, "S203",
                                    f"{'.'.join(map(str, loc)) or 'top level'}: {what}, got {_short(err.get('input'))}"))
        else:
            msg = err["msg"].replace("Value error, ", "")
            hint = ""
            if etype == "invalid_key":
                hint = COMMA_HINT  # {en: Law 12, 2019}: the 2019 after the comma became a key
            if etype == "enum" and isinstance(err.get("input"), str):
                expected = (err.get("ctx") or {}).get("expected", "")
                hint = suggest(err["input"], [c.strip(" '") for c in expected.replace(" or ", ",").split(",")])
            findings.append(Finding(source, loc, "S204",
                                    f"{'.'.join(map(str, loc))}: {msg}, got {_short(err.get('input'))}{hint}"))
    if total > len(errors):
        findings.append(_more(source, total - len(errors)))
    return _one_message_per_typo(findings)


def _one_message_per_typo(findings: list[Finding]) -> list[Finding]:
    """A misspelt required key is one problem, not an unknown key plus a missing one: keep the S201,
    which suggests the right key, say there that it is the missing one, and drop the S202."""
    missing = {(f.path, f.message.split("'")[1]) for f in findings if f.code == "S202"}
    merged, dropped = [], set()
    for f in findings:
        if f.code == "S201" and "did you mean '" in f.message:
            meant = f.message.rsplit("did you mean '", 1)[1].split("'")[0]
            if (f.path[:-1], meant) in missing:
                dropped.add((f.path[:-1], meant))
                f = Finding(f.source, f.path, f.code, f"{f.message} (the required key '{meant}' is missing)", f.key,
                            f.severity)
        merged.append(f)
    return [f for f in merged if not (f.code == "S202" and (f.path, f.message.split("'")[1]) in dropped)]


COMMA_HINT = "; a comma inside {...} starts a new key: put a text that contains commas in quotes"


def not_a_date(where: str, value: Any, why: str = "") -> str:
    """The one wording for every date that is not one, from the YAML reader or the schema."""
    return (f"{where + ': ' if where else ''}{_short(value)} is not a date{f' ({why})' if why else ''}; "
            f"write it as YYYY-MM-DD, e.g. 2024-08-01")


def _first_errors(exc: ValidationError, n: int) -> list[dict]:
    """The first ``n`` errors without building the rest (200,000 unknown keys make 200,000 dicts)."""
    import itertools

    try:
        return list(itertools.islice(exc.errors(include_url=False, include_input=False), n))
    except TypeError:
        return exc.errors(include_url=False)[:n]


def _more(source: SourceFile, n: int, warnings_only: bool = False) -> Finding:
    """One finding for the problems not shown; a warning when every one of them is a warning (hidden
    warnings must not make a file fail)."""
    from .tree import Severity

    return Finding(source, (), "Y190", f"and {n:,} more problem{'s' * (n != 1)} in this file, not shown; "
                                       f"fix these first", severity=Severity.WARNING if warnings_only else Severity.ERROR)


# --- loading --------------------------------------------------------------------------------


def read_source(path: Path, reuse: bool = False) -> tuple[SourceFile, list[Diagnostic]]:
    """A file read and parsed as YAML (``source.data``), or why not. With ``reuse``, inside
    ``sharing(files=True)``, a text already validated is not parsed again: ``parse_model`` then gives
    its model and ``source.data`` stays None (only for files the caller passes to ``parse_model``)."""
    source = SourceFile(path, display_path(path))
    if outside_tree(path):
        return source, [Diagnostic(source.display, 1, 1, "Y105",
                                   "a symbolic link to a file outside the policy folder: not read; policy files "
                                   "must be files of the policy folder (what reviewers see in the diff)")]
    text, diags = read_text(path, source.display)
    if text is None:
        return source, diags
    source.warnings = bidi_warnings(text, source.display)
    # Valid files keep no text: the locator re-reads the file if a later check needs a position.
    source.locator = Locator(path=path)
    if reuse and _pool is not None and _pool.shares_files:
        source.digest = Pool.digest(text)
        if _pool.known(source.digest):  # the same text as a file of the other tree: its model is reused
            return source, []
    data, diags = load_data(text, source.display)
    gc.collect(1)  # the parser's cycles, young only: costs this file's objects, not the heap
    if diags:
        source.text, source.locator = text, Locator(text)
    source.data = data
    return source, diags


def parse_model(source: SourceFile, model: type[BaseModel]) -> tuple[Any, list[Finding]]:
    if _pool is not None and source.digest is not None:
        reused = _pool.file(model, source.digest)
        if reused is not None:
            return reused, []
        if source.data is None:  # a text seen before as another kind of file: read it again
            text, _ = read_text(source.path, source.display)
            source.data = load_data(text, source.display)[0] if text is not None else None
    if not isinstance(source.data, dict):
        return None, [Finding(source, (), "S203",
                              f"a {'catalogue' if model is CatalogueFile else 'policy'} file must be a "
                              f"mapping of keys to values at the top level, got {type(source.data).__name__}")]
    try:
        parsed = model.model_validate(source.data)
        source.data = None  # the model holds everything now; keep peak memory down on large trees
        if _pool is not None:
            parsed = _pool.model(parsed)
            _pool.keep(model, source.digest, parsed)
        return parsed, []
    except ValidationError as exc:
        return None, schema_findings(source, model, exc)
    except RecursionError:
        return None, [Finding(source, (), "Y104", "nesting too deep to validate")]


def resolve(findings: Iterable[Finding]) -> list[Diagnostic]:
    """Located diagnostics; at most MAX_PER_FILE per file (then one "and N more"), all of a file's
    positions found in one pass over it."""
    by_source: dict[int, list[Finding]] = {}
    for f in findings:
        by_source.setdefault(id(f.source), []).append(f)
    out = []
    for group in by_source.values():
        more = sum(int(f.message.split(" ", 2)[1].replace(",", "")) for f in group if f.code == "Y190")
        shown = [f for f in group if f.code != "Y190"]
        hidden_errors = more > 0 or any(f.severity.value == "error" for f in shown[MAX_PER_FILE:])
        more += max(0, len(shown) - MAX_PER_FILE)
        shown = shown[:MAX_PER_FILE]
        if more:
            shown.append(_more(group[0].source, more, warnings_only=not hidden_errors))
        locator = group[0].source.locator
        if locator is not None:
            locator.want(f.path for f in shown)
        for f in shown:
            line, col = f.source.locate(f.path, f.key)
            out.append(Diagnostic(f.source.display, line, col, f.code, f.message, f.severity, f.path))
    return out


_SECTIONS = ("zones", "sectors", "instruments", "provisions", "local_measures")


def _merge(j: Jurisdiction, source: SourceFile, pf: PolicyFile, findings: list[Finding]) -> None:
    if pf.jurisdiction != j.code:
        findings.append(Finding(source, ("jurisdiction",), "R311",
                                f"file says jurisdiction '{pf.jurisdiction}' but lies in folder '{j.code}'"))
    for attr in ("kind", "name", "currency"):
        value = getattr(pf, attr)
        if value is not None:
            setattr(j, attr, value)
    if pf.parties:
        j.parties = list(pf.parties)
    for code, acc in pf.accession.items():
        where = ("accession", code)
        j.accession[code], j.origins[where] = acc, Origin(source, where)
    for section in _SECTIONS:
        target = getattr(j, section)
        for key, item in getattr(pf, section).items():
            if key in target:
                first = j.origins[(section, key)].source.display
                findings.append(Finding(source, (section, key), "R309",
                                        f"{section[:-1].replace('_', ' ')} '{key}' is already declared in {first}",
                                        key=True))
                continue
            target[key] = item
            where = (section, key)  # one tuple: the origin's key and its path
            j.origins[where] = Origin(source, where)


def load_file(path: Path) -> tuple[SourceFile, Any, list[Diagnostic]]:
    """One file on its own: syntax and schema only (for files outside a policy tree)."""
    source, diags = read_source(path)
    if diags:
        return source, None, diags + source.warnings
    model = {CATALOGUE_NAME: CatalogueFile, SOURCES_NAME: SourceTiersFile}.get(path.name, PolicyFile)
    parsed, findings = parse_model(source, model)
    return source, parsed, resolve(findings) + source.warnings


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk load, then freeze what was loaded.

    Parsed YAML and the models are acyclic trees that reference counting frees. Left in the
    collector's view, the loaded heap is re-scanned on every later collection: 60 % of a large
    load, and as much again of a check that allocates many small results afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()  # once: the parser leaves cycles behind; reclaim them before freezing the rest
        gc.freeze()
        if was_enabled:
            gc.enable()


_pool: Optional[Pool] = None  # the pool of the load under way, or of the loads in ``sharing()``


@contextmanager
def sharing(files: bool = False) -> Iterator[Pool]:
    """Trees loaded inside share one ``compact.Pool``: equal parts are one object across them, and with
    ``files`` a file whose text was already validated (the same file in both trees of a diff) is not read
    again as YAML: its model is reused. Diagnostics are the same: a file's schema problems depend on its
    text only, and the checks of the tree run on every tree."""
    global _pool
    outer = _pool
    _pool = Pool(shares_files=files)
    try:
        yield _pool
    finally:
        _pool = outer


def load_tree(root: Path, only: Optional[set[str]] = None) -> PolicySet:
    """Load and check a whole policy tree; never raises on bad content.

    ``only``: load just these jurisdictions (with the catalogue and source tiers), for validating
    single files. Every check of a jurisdiction file reads only the catalogue, the source tiers and
    its own jurisdiction, and folders of the same name are all read, so such a file gets the same
    diagnostics as in a whole load."""
    with gc_paused():
        if _pool is not None:
            return _load_tree(root, only)
        with sharing():
            return _load_tree(root, only)


def _load_tree(root: Path, only: Optional[set[str]] = None) -> PolicySet:
    from .checks import run_checks

    ps = PolicySet(root)
    findings: list[Finding] = []
    cat_path = root / CATALOGUE_NAME
    if cat_path.is_file():
        source, diags = read_source(cat_path, reuse=True)
        ps.files.append(source)
        ps.catalogue_file = source
        ps.diagnostics += diags + source.warnings
        if not diags:
            ps.catalogue, f = parse_model(source, CatalogueFile)
            findings += f
    else:
        ps.diagnostics.append(Diagnostic(display_path(root), 1, 1, "R316",
                                         f"no {CATALOGUE_NAME} in this folder"))
    tiers_path = root / SOURCES_NAME
    if tiers_path.is_file():
        source, diags = read_source(tiers_path, reuse=True)
        ps.files.append(source)
        ps.source_tiers_file = source
        ps.diagnostics += diags
        if not diags:
            ps.source_tiers, f = parse_model(source, SourceTiersFile)
            findings += f
    too_deep: list[Path] = []
    folders = jurisdiction_folders(root, too_deep)
    for folder in too_deep:
        ps.diagnostics.append(Diagnostic(display_path(folder), 1, 1, "Y106",
                                         f"folders nest deeper than {MAX_FOLDER_DEPTH} levels below the policy "
                                         f"folder here; the deeper ones are not read"))
    for folder in folders:
        if only is not None and folder.name not in only:
            continue
        j = Jurisdiction(folder.name, folder, source_tiers=ps.source_tiers)
        for path in _yaml_files(folder):
            source, diags = read_source(path, reuse=True)
            ps.files.append(source)
            j.files.append(source)
            ps.diagnostics += diags + source.warnings
            if diags:
                j.complete = False
                continue
            pf, f = parse_model(source, PolicyFile)
            findings += f
            if pf is None:
                j.complete = False
                j.unparsed.append(source)
            else:
                _merge(j, source, pf, findings)
        if j.code in ps.jurisdictions:
            findings.append(Finding(j.files[0], (), "R309",
                                    f"jurisdiction '{j.code}' is declared by two folders"))
        ps.jurisdictions[j.code] = j
    if ps.catalogue is not None:
        findings += run_checks(ps)
    findings += inherit_multilateral(ps)
    if only is None:
        findings += load_translations(root, ps, read_source, parse_model)
    ps.diagnostics += resolve(findings)
    ps.diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return ps
