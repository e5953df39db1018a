"""The report's one numbered source list: every source URL the view cites, numbered once, in the order a
reader meets it, with the host that names its link. Every edition reads it from the view
(``view["sources"]``, ``view["source_no"]``): the full and the pull-request Markdown, the HTML and its
print edition, so [n] names the same URL in a pull-request comment, on screen and in the PDF.

Order: the key findings' gaps first (the pull-request edition cites 1..n and lists only those), then the
measures and the gaps of each park, then the instruments' own sources (appendix A), then any other URL the
view holds (scenario parameters, a value's further sources), depth first in the view's order.

A printed page cannot follow a link, so the print edition marks each source link with its number and
prints the list, full URLs, in the appendix; on screen each link is named by its host
("mof.gov.la"), not by the word "source" (WCAG 2.4.4: a link's purpose from its text).
"""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlsplit


def host(url: str) -> str:
    """The host a link is named by: ``https://www.mof.gov.la/x`` → ``mof.gov.la``; the URL itself when
    it has none."""
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        name = ""
    return name[4:] if name.startswith("www.") else (name or url)


def reading_order(parks: list[dict], instruments: Optional[list[dict]] = None,
                  first: Optional[list[tuple[dict, dict]]] = None) -> tuple[list[str], int]:
    """The first source URL of every value the report shows, in reading order: the key findings' gaps
    first (``first``: the two sides of each, as the cross-park key findings show them; else each park's
    three largest gaps), then the measures and the gaps (to verify too), then every source of the
    instruments cited. Returns (URLs, how many the key findings cite)."""
    urls: dict[str, None] = {}

    def add(side: Optional[dict]) -> None:
        for v in (side or {}).get("value"), ((side or {}).get("cap") or {}).get("value"):
            if v and v.get("sources"):
                urls.setdefault(v["sources"][0], None)

    for a, b in first if first is not None else [(g["a"], g["b"]) for p in parks for g in p["top3"]]:
        add(a)
        add(b)
    n_first = len(urls)
    for p in parks:
        for d in p["domains"]:
            for row in d["rows"]:
                add(row["a"])
                add(row["b"])
        for g in p["gaps"] + p["unverified_gaps"]:
            add(g["a"])
            add(g["b"])
    for group in instruments or []:
        for row in group["rows"]:
            for u in row["sources"]:
                urls.setdefault(u, None)
    return list(urls), n_first


def number_sources(urls: list[str], first: list[str]) -> list[dict]:
    """[{n, url, host}] for every distinct source URL of a view, numbered from 1: ``first`` (the
    reading order) and then ``urls``, every other URL under a ``sources`` key of the view (``labels.finish``
    collects them in the same walk as the view's translation)."""
    seen = dict.fromkeys([*first, *urls])
    return [{"n": i, "url": u, "host": host(u)} for i, u in enumerate(seen, 1)]
