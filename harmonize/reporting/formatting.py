"""Numbers, percentages and dates for a report language, with Babel's CLDR data.

English reports use British conventions (``1 January 2026``, ``1,234.5``); Vietnamese and Lao
use their CLDR locales for numbers (``1.234,5``), Khmer too (``1,234.5``). Digits are Latin in
every language (CLDR's default numbering system for vi, lo and km).

Dates: Lao and Khmer follow CLDR (``1 ມັງກອນ 2026``, ``1 មករា 2026``). Vietnamese follows the
style of official documents (Decree 30/2020/NĐ-CP on administrative documents: a day below 10 and
the months 1 and 2 take a leading zero): ``ngày 02 tháng 12 năm 2026`` in running text and
``01/5/2024`` in tables (CLDR's ``1 thg 5, 2024`` abbreviation is not used in official writing).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_compact_decimal, parse_pattern

LOCALES = {"en": "en_GB", "vi": "vi", "lo": "lo", "km": "km"}


# A report formats thousands of numbers; babel.numbers.format_decimal parses the locale and the
# pattern again for each. These are the same objects it would build, made once.
@lru_cache(maxsize=None)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=None)
def _pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * digits if digits > 0 else ""))


@lru_cache(maxsize=None)
def _exact_pattern() -> NumberPattern:
    return parse_pattern("#,##0.##")


@lru_cache(maxsize=8192)
def _decimal(value: float, digits: Optional[int], locale: str) -> str:
    """What format_decimal(value, format=pattern, locale=...) does, with its defaults; ``digits`` None:
    the exact pattern. Memoised: a report in four languages formats the same numbers tens of
    thousands of times (``value`` is already rounded, and +0.0 made -0.0 plain 0.0)."""
    pattern = _exact_pattern() if digits is None else _pattern(digits)
    return pattern.apply(value, _locale(locale), numbering_system="latn")


def _vi_parts(d: datetime.date) -> tuple[str, str, str]:
    """Day, month and year as Vietnamese official documents write them."""
    return f"{d.day:02d}", (f"{d.month:02d}" if d.month <= 2 else str(d.month)), str(d.year)


@dataclass(frozen=True)
class Formatter:
    lang: str

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    def num(self, x: Optional[float], digits: int = 1) -> str:
        """A number with ``digits`` decimals (grouping per locale); '–' for None."""
        if x is None:
            return "–"
        return _decimal(round(float(x), digits) + 0.0, digits, self.locale)

    def money(self, x: Optional[float]) -> str:
        return self.num(x, 0)

    def compact(self, x: float) -> str:
        return format_compact_decimal(x, locale=self.locale, fraction_digits=1)

    def pct(self, x: Optional[float], digits: int = 1) -> str:
        """``x`` already in percent (e.g. 12.5 → '12.5 %', locale decimal sign and spacing)."""
        if x is None:
            return "–"
        return self.num(x, digits) + "\u00a0%"

    def exact(self, x: float) -> str:
        """A number as the law writes it: up to two decimals, none added (8.5 → '8.5', 10 → '10')."""
        return _decimal(round(float(x), 2) + 0.0, None, self.locale)

    def rate(self, x: Optional[float]) -> str:
        """A legal rate in percent, never rounded to a whole percent: 8.5 → '8.5 %', 10 → '10 %'."""
        if x is None:
            return "–"
        return self.exact(x) + "\u00a0%"

    def ratio(self, x: Optional[float], digits: int = 2) -> str:
        """A similarity in [0, 1], shown as a plain number."""
        return self.num(x, digits)

    def date(self, d: Optional[datetime.date]) -> str:
        if d is None:
            return "–"
        return _date(self.lang, type(d), d, "long")

    def short_date(self, d: Optional[datetime.date]) -> str:
        if d is None:
            return "–"
        return _date(self.lang, type(d), d, "medium")


@lru_cache(maxsize=4096)
def _date(lang: str, kind: type, d: datetime.date, form: str) -> str:
    """A date in ``lang``, long (running text) or medium (tables); memoised like ``_decimal`` (a
    report repeats the same few hundred dates thousands of times). ``kind`` keeps a datetime apart
    from the date it equals."""
    if lang == "vi":
        day, month, year = _vi_parts(d)
        return f"ngày {day} tháng {month} năm {year}" if form == "long" else f"{day}/{month}/{year}"
    return format_date(d, format=form, locale=_locale(LOCALES[lang]))
