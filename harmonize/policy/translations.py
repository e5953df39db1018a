"""Translations of English policy texts (notes, conditions, titles) kept beside the policy files.

The policy files are written in English by researchers; a reader in Viet Nam, Laos or Cambodia needs
those texts in their language. A translation is keyed by the English text it translates (whitespace
normalised), like a gettext catalogue: when a researcher rewrites the English, its old translation no
longer matches and the report falls back to the English with its EN mark — a stale translation is never
shown. ``policies/translations/<lang>.yaml`` holds one language. Nothing here is law: it is the project's
translation of its own summaries, and an entry marked ``review: needed`` is shown as such."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal, Optional

from pydantic import Field

from .models.common import Strict

if TYPE_CHECKING:
    from .tree import Finding, PolicySet

FOLDER = "translations"


class TranslatedText(Strict):
    en: str = Field(min_length=1, description="The English text exactly as a policy file writes it "
                                              "(spaces and line breaks do not matter)")
    text: str = Field(min_length=1, description="Its translation")
    review: Optional[Literal["needed"]] = Field(
        None, description="'needed': a native reviewer has not checked this translation yet")


class TranslationsFile(Strict):
    """One language's translations of the English texts of the policy files."""

    language: Literal["vi", "lo", "km"] = Field(description="The language translated into")
    texts: list[TranslatedText] = Field(default_factory=list)


def key(text: str) -> str:
    """The lookup key of an English text: its words, single-spaced."""
    return " ".join(text.split())


def load_translations(root: Path, ps: "PolicySet", read_source: Callable, parse_model: Callable) -> list["Finding"]:
    """Read ``root/translations/*.yaml`` into ``ps.translations`` (language -> key -> entry); the
    loader passes its file reader and model parser (this module sits below it)."""
    from .tree import Finding, Severity

    folder = root / FOLDER
    findings: list[Finding] = []
    if not folder.is_dir():
        return findings
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        source, diags = read_source(path)
        ps.files.append(source)
        ps.diagnostics += diags + source.warnings
        if diags:
            continue
        tf, f = parse_model(source, TranslationsFile)
        findings += f
        if tf is None:
            continue
        if path.stem != tf.language:
            findings.append(Finding(source, ("language",), "R321",
                                    f"a file named {path.name} must translate into '{path.stem}', "
                                    f"not '{tf.language}'"))
            continue
        table = ps.translations.setdefault(tf.language, {})
        for i, entry in enumerate(tf.texts):
            k = key(entry.en)
            if k in table:
                findings.append(Finding(source, ("texts", i, "en"), "R321",
                                        "this English text is translated twice in this language; "
                                        "keep one entry"))
                continue
            table[k] = entry
            ps.translation_sites[(tf.language, k)] = (source, ("texts", i, "en"))
    findings += _stale(ps, Severity, read_source)
    return findings


def _english_texts(ps: "PolicySet", read_source: Callable) -> set[str]:
    """Every English text the policy files hold (any string field, keyed), for the staleness check."""
    found: set[str] = set()

    def walk(x: object) -> None:
        if isinstance(x, str):
            found.add(key(x))
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
        elif hasattr(x, "__pydantic_fields__"):
            for name in type(x).model_fields:
                walk(getattr(x, name))

    for j in ps.jurisdictions.values():
        walk(j.provisions)
        walk(j.instruments)
        walk(j.local_measures)
        walk(j.zones)
        walk(j.sectors)
    walk(ps.catalogue)
    if ps.root is not None:  # parks and scenarios are read on their own; their texts are translated too
        for sub in ("parks", "scenarios"):
            folder = ps.root / sub
            for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else ():
                source, diags = read_source(path)
                if not diags:
                    walk(source.data)
    return found


def _stale(ps: "PolicySet", severity: type, read_source: Callable) -> list["Finding"]:
    """A translation whose English is in no policy file is stale (its English was rewritten): a
    warning, since the report just shows the English instead."""
    from .tree import Finding

    if not ps.translations or ps.catalogue is None:
        return []
    english = _english_texts(ps, read_source)
    out = []
    for (lang, k), (source, path) in sorted(ps.translation_sites.items(), key=lambda kv: (kv[0][0], kv[1][1])):
        if k not in english:
            out.append(Finding(source, path, "R320",
                               "no policy file has this English text any more, so this translation is "
                               "never shown: translate the new English text", severity=severity.WARNING))
    return out
