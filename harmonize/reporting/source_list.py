"""The report's numbered source list: every source URL the view cites, numbered once, in the order a
reader meets it, with the host that names its link.

A printed page cannot follow a link, so the print edition marks each source link with its number and
prints the list, full URLs, in the appendix; on screen each link is named by its host
("mof.gov.la"), not by the word "source" (WCAG 2.4.4: a link's purpose from its text).
"""

from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import urlsplit


def _urls(node: Any) -> Iterator[str]:
    """Every URL under a ``sources`` key of the view, depth first in the view's (deterministic) order."""
    found: list[str] = []
    _collect(node, found)
    return iter(found)


def _collect(node: Any, found: list[str]) -> None:
    """``_urls`` into a list, called on containers only (nested generators cost a frame per level for
    every item, and most of a view is leaves)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, (list, tuple)):
                found.extend(u for u in value if isinstance(u, str))
            elif isinstance(value, (dict, list, tuple)):
                _collect(value, found)
    elif isinstance(node, (list, tuple)):
        for item in node:
            if isinstance(item, (dict, list, tuple)):
                _collect(item, found)


def host(url: str) -> str:
    """The host a link is named by: ``https://www.mof.gov.la/x`` → ``mof.gov.la``; the URL itself when
    it has none."""
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        name = ""
    return name[4:] if name.startswith("www.") else (name or url)


def source_list(view: dict) -> list[dict]:
    """[{n, url, host}] for every distinct source URL of the view, numbered from 1: first in the order
    of ``view["sources"]`` (the key findings' sources first, as the Markdown editions number them, so
    [n] means the same source in every edition), then any other URL the view holds."""
    seen = dict.fromkeys([*view.get("sources", []), *_urls(view)])
    return [{"n": i, "url": u, "host": host(u)} for i, u in enumerate(seen, 1)]
