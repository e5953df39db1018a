"""Numbers, percentages and dates for a report language, with Babel's CLDR data.

English reports use British conventions (``1 January 2026``, ``1,234.5``); Vietnamese and Lao
use their CLDR locales (``1.234,5``; ``1 tháng 1, 2026``; ``1 ມັງກອນ 2026``); Khmer too
(``1,234.5``; ``1 មករា 2026``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Optional

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

LOCALES = {"en": "en_GB", "vi": "vi", "lo": "lo", "km": "km"}


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
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return format_decimal(round(float(x), digits) + 0.0, format=pattern, locale=self.locale)

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
        return format_date(d, format="long", locale=self.locale)

    def short_date(self, d: Optional[datetime.date]) -> str:
        if d is None:
            return "–"
        return format_date(d, format="medium", locale=self.locale)
