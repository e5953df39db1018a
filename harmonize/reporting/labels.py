"""Texts from the policy files in the reader's language: a LocalText as a view Text, an enum
option or set by its catalogue labels, and the list of translations awaiting a native reviewer."""

from __future__ import annotations

from typing import Any, Optional


def text(value: Any, lang: str) -> dict:
    """A Text: a LocalTextModel (or plain English string) in ``lang``, marking English fallbacks and
    translations the policy file marks for a native reviewer (``review``)."""
    if value is None:
        return {"text": "", "lang": "en", "fallback": False, "review": False}
    if hasattr(value, "get") and hasattr(value, "en"):
        shown, native = value.get(lang)
        return {"text": shown, "lang": lang if native else "en", "fallback": not native,
                "review": native and value.needs_review(lang)}
    return {"text": str(value), "lang": "en", "fallback": lang != "en", "review": False}


def option_label(measure: Any, value: Any, lang: str) -> Optional[dict]:
    """An enum option or a set's members by the measure's catalogue labels in ``lang`` (None when
    a code has no label: the display then shows the codes)."""
    if measure is None or not measure.labels:
        return None
    codes = [value] if isinstance(value, str) else value
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c in measure.labels for c in codes):
        return None
    parts = [text(measure.labels[c], lang) for c in codes]
    native = not any(p["fallback"] for p in parts)
    return {"text": "; ".join(p["text"] for p in parts), "lang": lang if native else "en", "fallback": not native,
            "review": any(p["review"] for p in parts)}


def finish(view: dict, lang: str, table: dict, review: bool) -> tuple[dict, list[str], list[str]]:
    """The view in ``lang``, its source URLs and its texts for a native reviewer, in one walk:
    (the view with every English fallback Text replaced by its translation from
    ``policies/translations/<lang>.yaml`` where one exists, ``table``: text key -> entry; every URL under
    a ``sources`` key, depth first in the view's order; every text shown in a translation marked for a
    native reviewer (when ``review``), once each, sorted). A container is copied only when something
    under it is translated; the input is not changed. ``tests/test_i18n_data.py`` holds it equal to
    three separate walks (translate, then collect URLs, then review marks)."""
    from ..policy.translations import key

    urls: list[str] = []
    found: set[str] = set()
    containers = (dict, list, tuple)
    leaves = frozenset({str, int, float, bool, type(None)})  # most of a view: skipped on their type alone

    def walk(x: Any, loc: bool, col: bool) -> Any:
        # loc: translate fallbacks here (localise walks neither tuples nor under a translated Text);
        # col: collect URLs here (not inside a sources list)
        if isinstance(x, dict):
            if loc and x.get("fallback") is True and isinstance(x.get("text"), str):
                entry = table.get(key(x["text"]))
                if entry is not None:
                    x = {**x, **_entry_text(entry, lang)}
                    loc = False
            if review and x.get("review") is True and isinstance(x.get("text"), str):
                found.add(x["text"])
            changed = None
            for k, v in x.items():
                if type(v) in leaves or not isinstance(v, containers):
                    continue
                sub_col = col
                if col and k == "sources" and isinstance(v, (list, tuple)):
                    urls.extend(u for u in v if isinstance(u, str))
                    sub_col = False
                new = walk(v, loc and not isinstance(v, tuple), sub_col)
                if new is not v:
                    if changed is None:
                        changed = {}
                    changed[k] = new
            if changed:
                x = {**x, **changed}
            return x
        if isinstance(x, list):
            out = None
            for i, v in enumerate(x):
                if type(v) in leaves or not isinstance(v, containers):
                    continue
                new = walk(v, loc and not isinstance(v, tuple), col)
                if new is not v:
                    if out is None:
                        out = list(x)
                    out[i] = new
            return x if out is None else out
        for v in x:  # a tuple: never translated, still read
            if type(v) not in leaves and isinstance(v, containers):
                walk(v, False, col)
        return x

    return walk(view, bool(table), True), urls, sorted(found)


def _entry_text(entry: Any, lang: str) -> dict:
    """A translations-file entry as a Text in ``lang``."""
    return {"text": entry.text, "lang": lang, "fallback": False, "review": entry.review == "needed"}


def note_translator(table: dict, lang: str):
    """``tr(s)`` for the templates: an English note or condition in the reader's language as a Text,
    or None where the translations have none."""
    from ..policy.translations import key

    def tr(s: Any) -> Optional[dict]:
        if lang == "en" or not isinstance(s, str) or not table:
            return None
        entry = table.get(key(s))
        return None if entry is None else _entry_text(entry, lang)

    return tr


def anchor(kind: str, name: str) -> str:
    """An HTML id / Markdown anchor from a file name: letters, digits, '-' and '_' only (a park file
    named ``x"><img src=y>.yaml`` must not open a tag), other characters as their code point."""
    import re

    return f"{kind}-" + re.sub(r"[^A-Za-z0-9_-]", lambda m: f"-{ord(m.group()):x}-", name)
