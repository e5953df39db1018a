"""Source tiers: how strong a page or text that a value was read from is.

``policies/sources.yaml`` (next to ``catalogue.yaml``) maps URL prefixes and hosts to a tier. A
prefix wins over a host, the longest prefix first; a host entry also covers its subdomains
("gov.vn" covers "hungyen.gov.vn"); a URL matched by nothing gets the file's ``default``.

The tiers, strongest first:

* ``official``: an official gazette or a government site;
* ``international``: an international organisation (WIPO, WTO, ASEAN, OECD, IEA ...);
* ``unofficial_copy``: an unofficial copy of an official text (a scan or digitised text of the law);
* ``law_firm``: a law firm, a Big Four firm or another professional adviser;
* ``press``: news media;
* ``other``: aggregators, blogs, document-sharing sites and everything else.

A ``verified`` value that rests only on ``press`` or ``other`` sources is a warning (R317).
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable, Optional
from urllib.parse import urlsplit

from pydantic import Field

from .models.common import Strict, Url

SOURCES_NAME = "sources.yaml"


class Tier(str, Enum):
    official = "official"
    international = "international"
    unofficial_copy = "unofficial_copy"
    law_firm = "law_firm"
    press = "press"
    other = "other"

    @property
    def rank(self) -> int:
        """0 for the strongest tier."""
        return list(Tier).index(self)


LOW_TIERS = frozenset({Tier.press, Tier.other})


class SourceTiersFile(Strict):
    """The tier of every source host (and of URL prefixes that need their own tier)."""

    default: Tier = Field(Tier.other, description="Tier of a URL that no prefix or host matches")
    prefixes: dict[Url, Tier] = Field(
        default_factory=dict,
        description="URL prefix -> tier, e.g. one repository or one site section; wins over hosts")
    hosts: dict[str, Tier] = Field(
        default_factory=dict,
        description="Host (without 'www.') -> tier; also covers its subdomains ('gov.vn' covers 'hungyen.gov.vn')")

    def match(self, url: str) -> tuple[Tier, Optional[str]]:
        """The tier of ``url`` and the prefix or host that gave it (None: the default)."""
        best = max((p for p in self.prefixes if url.startswith(p)), key=len, default=None)
        if best is not None:
            return self.prefixes[best], best
        host = host_of(url)
        parts = host.split(".")
        for i in range(len(parts) - 1):
            candidate = ".".join(parts[i:])
            if candidate in self.hosts:
                return self.hosts[candidate], candidate
        return self.default, None

    def tier_of(self, url: str) -> Tier:
        return self.match(url)[0]

    def best(self, urls: Iterable[str]) -> Optional[Tier]:
        """The strongest tier among ``urls``; None when there is no URL."""
        tiers = [self.tier_of(u) for u in urls]
        return min(tiers, key=lambda t: t.rank) if tiers else None


def host_of(url: str) -> str:
    """The host of a URL, lower case, without port and 'www.'."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    return host[4:] if host.startswith("www.") else host


def value_sources(instruments: dict, dv) -> list[str]:
    """The URLs a value rests on: its own sources, else those of the instrument it cites."""
    if dv.sources:
        return list(dv.sources)
    inst = instruments.get(dv.basis.instrument)
    return list(inst.sources) if inst is not None else []
