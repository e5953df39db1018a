"""Legal citations in the reader's legal system: article references and instrument numbers.

Policy files write an article as the law's English translation does (``Art. 39(2)``, ``Arts.
49–51``, ``Annex I``); each legal system cites it in its own form: Vietnamese "khoản 2 Điều 39"
(the clause before the article), Lao "ມາດຕາ 39 ຂໍ້ 2", Khmer "មាត្រា ៣៩" (Khmer digits). The
forms are rules of the legal language, applied to the parsed reference, never string surgery
on a translation: a reference the rules do not cover (a sub-point in Lao, a clause in Khmer, a
free note such as "final provisions") stays in English and says so (``fallback``), so the
report marks it EN rather than guess.

An instrument's number in the reader's language is data (``cite_as`` on the instrument, e.g.
"Nghị định số 103/2024/NĐ-CP"); without it, the number is shown as the file gives it (a symbol,
not English text). Forms marked ``review`` in the file keep that mark.

Every function returns a Text dict ``{text, lang, fallback, review}`` as the view model uses.
"""

from __future__ import annotations

import re
from typing import Any, Optional

_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

_ART = re.compile(r"^Art\.? ?(?P<n>\d+[a-z]?)(?P<parts>(?:\((?:\d+[a-z]?|[a-z])\))*)$")
_DOTTED = re.compile(r"^Art\.? ?(?P<n>\d+\.\d+)$")  # treaty numbering, e.g. Art. 10.10
_RANGE = re.compile(r"^Arts\.? ?(?P<a>\d+)\s*[–-]\s*(?P<b>\d+)$")
_ANNEX = re.compile(r"^(?:Annex|Appendix)(?: (?P<n>[0-9IVXL]+[a-z]?))?$")
_CHAPTER = re.compile(r"^Chapter (?P<n>[0-9IVXL]+)$")
_PART = re.compile(r"\(([^)]+)\)")


def _text(text: str, lang: str, fallback: bool = False, review: bool = False) -> dict:
    return {"text": text, "lang": lang, "fallback": fallback, "review": review}


def _english(text: str, lang: str) -> dict:
    return _text(text, "en", fallback=lang != "en")


def _vi(ref: str) -> Optional[str]:
    m = _ART.match(ref)
    if m:
        parts = _PART.findall(m["parts"])
        out = f"Điều {m['n']}"
        if not parts:
            return out
        if len(parts) == 1:
            p = parts[0]
            return f"điểm {p} {out}" if p.isalpha() else f"khoản {p} {out}"
        if len(parts) == 2 and not parts[0].isalpha() and parts[1].isalpha():
            return f"điểm {parts[1]} khoản {parts[0]} {out}"
        return None
    if (m := _DOTTED.match(ref)):
        return f"Điều {m['n']}"
    if (m := _RANGE.match(ref)):
        return f"từ Điều {m['a']} đến Điều {m['b']}"
    if (m := _ANNEX.match(ref)):
        return f"Phụ lục {m['n']}" if m["n"] else "Phụ lục"
    if (m := _CHAPTER.match(ref)):
        return f"Chương {m['n']}"
    return None


def _lo(ref: str) -> Optional[str]:
    m = _ART.match(ref)
    if m:
        parts = _PART.findall(m["parts"])
        if not parts:
            return f"ມາດຕາ {m['n']}"
        if len(parts) == 1 and not parts[0].isalpha():
            return f"ມາດຕາ {m['n']} ຂໍ້ {parts[0]}"
        return None  # a lettered point: its Lao form is not confirmed
    if (m := _DOTTED.match(ref)):
        return f"ມາດຕາ {m['n']}"
    if (m := _RANGE.match(ref)):
        return f"ມາດຕາ {m['a']}–{m['b']}"
    return None


def _km(ref: str) -> Optional[str]:
    m = _ART.match(ref)
    if m and not m["parts"]:
        return f"មាត្រា {m['n'].translate(_KHMER_DIGITS)}"
    if (m := _CHAPTER.match(ref)) and m["n"].isdigit():
        return f"ជំពូក {m['n'].translate(_KHMER_DIGITS)}"
    return None  # clauses and points: the Khmer form is not confirmed


_RULES = {"vi": _vi, "lo": _lo, "km": _km}


_LIST_HEAD = re.compile(r"^Arts?\.? ")
_ITEM = re.compile(r"^(?:Art\.? )?(?P<n>\d+[a-z]?)(?P<parts>(?:\([^)]+\))*)$")


def _items(ref: str) -> Optional[list[str]]:
    """A list of references ("Arts 10, 64", "Art. 11(1), (2)") as single ones ("Art. 11(1)",
    "Art. 11(2)"); None when it is not such a list."""
    if not _LIST_HEAD.match(ref) or "," not in ref:
        return None
    out: list[str] = []
    number, clause = None, None  # of the item before: "(e)" after "18(2)(a)" is 18(2)(e)
    for item in _LIST_HEAD.sub("", ref).split(", "):
        item = item.strip()
        if number is not None and re.fullmatch(r"\([a-z]\)", item) and clause is not None:
            out.append(f"Art. {number}({clause}){item}")
            continue
        if number is not None and re.fullmatch(r"\(\d+\)", item):
            out.append(f"Art. {number}{item}")
            continue
        m = _ITEM.match(item)
        if m is None:
            return None
        parts = _PART.findall(m["parts"])
        number = m["n"]
        clause = parts[0] if len(parts) == 2 else None
        out.append(f"Art. {item.removeprefix('Art. ').removeprefix('Art ')}")
    return out


def article(ref: Optional[str], lang: str) -> Optional[dict]:
    """An article reference as the legal system of ``lang`` writes it, or in English, marked."""
    if ref is None:
        return None
    ref = " ".join(ref.split())
    if lang == "en":
        return _text(ref, "en")
    rule = _RULES.get(lang)
    if rule is None:
        return _english(ref, lang)
    items = _items(ref)
    shown_items = [rule(i) for i in (items or [ref])]
    if all(shown_items):
        return _text(", ".join(shown_items), lang)  # type: ignore[arg-type]
    return _english(ref, lang)


def instrument(inst: Any, number: Optional[str], fallback_id: str, lang: str) -> dict:
    """How an instrument is cited in ``lang``: its ``cite_as`` form there, else its number (a
    symbol, shown as written), else its id."""
    forms = getattr(inst, "cite_as", None) if inst is not None else None
    shown = forms.get(lang) if forms is not None else None
    if shown:
        return _text(shown, lang, review=forms.needs_review(lang))
    return _text(number or fallback_id, lang)
