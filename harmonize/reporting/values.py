"""A measure's value in the reader's language: yes / no, durations, days, rates, ranges, amounts,
option labels and tax-holiday schedules, built from the typed value (never by rewriting the
English ``display`` the result carries).

The words come from the gettext catalogues (``N_`` below; every one is in the completeness test);
numbers from the CLDR locale (``formatting.Formatter``). Digits: every language uses Latin digits,
which is CLDR's default numbering system for ``vi``, ``lo`` and ``km`` alike (Khmer digits are
CLDR's *native* alternative, not its default), so a value reads "3 ឆ្នាំ", as it does in the other
reports and in the tables next to it.

A value that is not known is shown as the sign ``NO_VALUE_SIGN``, explained once by
``NO_VALUE_LEGEND``; never as a bold word. Each function returns a ``Text`` dict
``{text, lang, fallback}``, as ``view.text`` does: an option with no label in the reader's language
keeps its code and is marked as English.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..policy.models.scenarios import DISCLAIMER
from .formatting import Formatter
from .i18n import NO_VALUE, N_, translations

NO_VALUE_SIGN = NO_VALUE["sign"]
NO_VALUE_LEGEND = NO_VALUE["legend"]

# (singular, plural) of "<n> <unit>"; only English has a plural, the others use the second form.
_UNITS = {
    "years": (N_("%(n)s year"), N_("%(n)s years")),
    "months": (N_("%(n)s month"), N_("%(n)s months")),
    "days": (N_("%(n)s day"), N_("%(n)s days")),
    "working_days": (N_("%(n)s working day"), N_("%(n)s working days")),
    "hectares": (N_("%(n)s ha"), N_("%(n)s ha")),
    "items": (N_("%(n)s item"), N_("%(n)s items")),
}

_WORDS = {"yes": N_("yes"), "no": N_("no"), "none": N_("none"), "empty_set": N_("(none)"),
          "no_rule": N_("no rule that applies to the site"),
          "package": N_("a package with an EATR of %(eatr)s (%(value)s)"),
          "absent": N_("none (the law has no such rule)"), "up_to": N_("up to %(value)s, case by case"),
          "up_to_schedule": N_("case by case, at most: %(value)s")}

# A schedule phase: the first phase, a later one ("for the next …"), and one with no end.
_PHASES = {
    "exempt": (N_("exempt for %(span)s"), N_("exempt for the next %(span)s"), N_("exempt thereafter")),
    "reduction": (N_("reduced by %(pct)s for %(span)s"), N_("reduced by %(pct)s for the next %(span)s"),
                  N_("reduced by %(pct)s thereafter")),
    "rate": (N_("taxed at %(pct)s for %(span)s"), N_("taxed at %(pct)s for the next %(span)s"),
             N_("taxed at %(pct)s thereafter")),
}
_EXEMPT_FOR_GOOD = N_("exempt for the life of the project")

_START = {
    "first_revenue": N_("counted from the first year of revenue"),
    "first_taxable_profit": N_("counted from the first year of taxable profit"),
    "first_profit": N_("counted from the first year of profit"),
    "licence_date": N_("counted from the date of the licence"),
    "operation_start": N_("counted from the start of operations"),
    "investment_year": N_("counted from the investment year"),
    "not_verified": N_("start of the period not verified"),
}


def _gettext(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def _text(s: str, lang: str, fallback: bool = False) -> dict:
    return {"text": s, "lang": "en" if fallback else lang, "fallback": fallback and lang != "en"}


def no_value(lang: str) -> dict:
    return {**_text(NO_VALUE_SIGN, lang), "none": True}


class ValueWords:
    """Values of one report language."""

    def __init__(self, lang: str):
        self.lang = lang
        self.fmt = Formatter(lang)
        self._ = _gettext(lang)

    def number(self, x: float) -> str:
        return self.fmt.exact(x)

    def percent(self, x: float) -> str:
        """A rate as the law gives it: 8.5 → '8.5 %', never rounded to a whole percent."""
        return self.fmt.rate(x)

    def quantity(self, n: str, unit: str, one: bool) -> str:
        forms = _UNITS.get(unit)
        if forms is None:
            return n
        msgid = forms[0] if (one and self.lang == "en") else forms[1]
        return self._(msgid) % {"n": n}

    def duration(self, x: float, unit: str = "years") -> str:
        return self.quantity(self.number(x), unit, x == 1)

    def none(self) -> str:
        """'none': what the law's silence gives for a measure with nothing to grant."""
        return self._(_WORDS["none"])

    def yes_no(self, v: Optional[bool]) -> str:
        return NO_VALUE_SIGN if v is None else self._(_WORDS["yes"] if v else _WORDS["no"])

    def range(self, lo: float, hi: float, unit: str) -> str:
        if unit == "percent":
            return f"{self.number(lo)}–{self.percent(hi)}"
        return self.quantity(f"{self.number(lo)}–{self.number(hi)}", unit, False)

    def schedule(self, sched: dict) -> str:
        """'4y exempt + 9y −50 % from first taxable profit' as a sentence of the reader's language."""
        parts = []
        for i, ph in enumerate(sched.get("phases", [])):
            years = ph.get("years")
            if ph.get("exempt"):
                kind, pct = "exempt", None
            elif ph.get("reduction") is not None:
                kind, pct = "reduction", self.percent(ph["reduction"])
            else:
                kind, pct = "rate", self.percent(ph.get("rate") or 0)
            first, later, ever = _PHASES[kind]
            if years is None:
                msgid = _EXEMPT_FOR_GOOD if (kind == "exempt" and i == 0) else ever
                parts.append(self._(msgid) % {"pct": pct})
            else:
                parts.append(self._(first if i == 0 else later) % {"span": self.duration(years), "pct": pct})
        start = sched.get("start")
        text = ", ".join(parts)
        if start in _START:
            text += ("; " if start == "not_verified" else " ") + self._(_START[start])
        return text

    def value(self, measure: Any, v: Any, up_to: bool = False, absent: bool = False) -> dict:
        """The Text of a value (JSON form, as SideValue.value) of ``measure`` (a catalogue Measure
        or None when the measure is not known: then numbers are shown bare)."""
        if absent:
            return _text(self._(_WORDS["absent"]), self.lang)
        if v is None:
            return no_value(self.lang)
        kind = getattr(getattr(measure, "kind", None), "value", None)
        unit = getattr(getattr(measure, "unit", None), "value", "none")
        out = self._plain(measure, kind, unit, v)
        if out is None:
            return _text(str(v), self.lang, fallback=True)
        if up_to:
            form = _WORDS["up_to_schedule" if isinstance(v, dict) and "phases" in v else "up_to"]
            out = {**out, "text": self._(form) % {"value": out["text"]}}
        return out

    def _plain(self, measure: Any, kind: Optional[str], unit: str, v: Any) -> Optional[dict]:
        if isinstance(v, bool):
            return _text(self.yes_no(v), self.lang)
        if isinstance(v, (int, float)):
            if unit == "percent":
                return _text(self.percent(v), self.lang)
            return _text(self.quantity(self.number(v), unit, v == 1), self.lang)
        if isinstance(v, dict) and "min" in v and "max" in v:
            return _text(self.range(v["min"], v["max"], unit), self.lang)
        if isinstance(v, dict) and "amount" in v:
            return _text(f"{self.fmt.money(v['amount'])} {v.get('currency', '')}".strip(), self.lang)
        if isinstance(v, dict) and "phases" in v:
            return _text(self.schedule(v), self.lang)
        if kind == "enum" and isinstance(v, str):
            return self.option(measure, v)
        if kind == "set" and isinstance(v, (list, tuple, set, frozenset)):
            items = [self.option(measure, x) for x in sorted(v)]
            if not items:
                return _text(self._(_WORDS["empty_set"]), self.lang)
            fallback = any(x["fallback"] for x in items)
            return _text(", ".join(x["text"] for x in items), self.lang, fallback=fallback)
        return None

    def option(self, measure: Any, code: str) -> dict:
        """An enum option or set member by its label in the catalogue (``labels``), else its code."""
        label = (getattr(measure, "labels", None) or {}).get(code)
        if label is None:
            return _text(code, self.lang, fallback=True)
        shown, native = label.get(self.lang)
        return _text(shown, self.lang, fallback=not native)


def target_value(lk: Any, measure: str, tv: Any) -> dict:
    """A roadmap target (engine ``TargetValue``) as a Text in the reader's language, as the side's own
    value is shown: an option by its label, a value in words, a CIT package by its EATR and schedule.
    ``lk``: the view's look-ups (``shown``, ``option_label``, ``words``)."""
    words = lk.words
    if tv.source == "none":
        out = _text(words._(_WORDS["no_rule"]), words.lang)
    elif tv.source == "implied" and tv.value is None:
        out = _text(words.none(), words.lang)
    else:
        out = (lk.option_label(measure, tv.value) if not tv.absent else None) \
            or lk.shown(measure, tv.value, up_to=tv.up_to, absent=tv.absent)
    if tv.eatr is not None:
        out = {**out, "text": words._(_WORDS["package"]) % {"eatr": words.fmt.pct(tv.eatr, 2), "value": out["text"]}}
    return out


def value_words(lang: str) -> ValueWords:
    return ValueWords(lang)


# Every scenario is illustrative (the schema requires it); this is what the report says about it.
SCENARIO_DISCLAIMER = N_("Illustrative assumption about a hypothetical investor; not law, and not data about "
                         "a real company.")
# What the shipped scenario files say, in capitals; a file saying anything else is shown as written.
_STANDARD_DISCLAIMERS = {"illustrative assumption of a hypothetical investor; not law, not data about a real company.",
                         " ".join(DISCLAIMER.split()).lower()}


def scenario_disclaimer(own: str, lang: str) -> dict:
    """The scenario disclaimer as a Text: the report's own sentence, translated, when the file says the
    standard thing; the file's own words (in English) when it says more."""
    if " ".join(own.split()).lower() in _STANDARD_DISCLAIMERS:
        return _text(_gettext(lang)(SCENARIO_DISCLAIMER), lang)
    return _text(own, lang, fallback=lang != "en")


def joint_cell(shown: Callable[..., dict], checks: dict, jv: Any, measure: str, v: Any, lang: str) -> dict:
    """A country's value in the joint view of a park of three, as a Text in the reader's language:
    read from the first of its pairs that has the measure (as the joint view took it). ``shown`` renders
    (measure, value, up_to=, absent=); ``checks`` maps a pair's park id to its CheckResult. A value the
    engine wrote with a treaty cap stays as written (English), as does one whose pair is not found."""
    if v.display is None:
        return no_value(lang)
    for pair in jv.pairs:
        r = checks.get(pair.park)
        if r is None or v.jurisdiction not in r.pair:
            continue
        row = next((m for m in r.measures if m.measure == measure), None)
        side = None if row is None else (row.a if r.pair[0] == v.jurisdiction else row.b)
        if side is not None and side.value is not None:
            if side.value.display != v.display:
                break
            return shown(measure, side.value.value, up_to=side.value.up_to, absent=side.value.absent)
    return _text(v.display, lang, fallback=True)
