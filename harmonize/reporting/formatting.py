"""Numbers, percentages and dates for a report language, with Babel's CLDR data.

English reports use British conventions (``1 January 2026``, ``1,234.5``); Vietnamese and Lao
use their CLDR locales (``1.234,5``; ``1 tháng 1, 2026``; ``1 ມັງກອນ 2026``); Khmer too
(``1,234.5``; ``1 មករា 2026``).
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
        # what format_decimal(value, format=pattern, locale=...) does, with its defaults
        return _pattern(digits).apply(round(float(x), digits) + 0.0, _locale(self.locale), numbering_system="latn")

    def money(self, x: Optional[float]) -> str:
        return self.num(x, 0)

    def compact(self, x: float) -> str:
        return format_compact_decimal(x, locale=self.locale, fraction_digits=1)

    def pct(self, x: Optional[float], digits: int = 1) -> str:
        """``x`` already in percent (e.g. 12.5 → '12.5 %', locale decimal sign and spacing)."""
        if x is None:
            return "–"
        return self.num(x, digits) + "\u00a0%"

    def ratio(self, x: Optional[float], digits: int = 2) -> str:
        """A similarity in [0, 1], shown as a plain number."""
        return self.num(x, digits)

    def date(self, d: Optional[datetime.date]) -> str:
        if d is None:
            return "–"
        return format_date(d, format="long", locale=_locale(self.locale))

    def short_date(self, d: Optional[datetime.date]) -> str:
        if d is None:
            return "–"
        return format_date(d, format="medium", locale=_locale(self.locale))
