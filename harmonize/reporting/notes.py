"""Free-text notes from policy files as safe HTML: Markdown with raw HTML disabled, links only to
http(s) addresses. Everything else a note contains is escaped by markdown-it itself."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = ("http://", "https://")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image"])  # a note never fetches anything
    md.validateLink = _validate_link  # rejects javascript:, data:, vbscript:, relative links …
    return md


def note_html(text: object) -> Markup:
    """One note as inline HTML (no surrounding paragraph)."""
    html = _parser().renderInline(str(text))
    # links open as ordinary links; rel keeps the report from leaking its origin
    html = html.replace("<a href=", '<a rel="noopener noreferrer" href=')
    return Markup(html)  # noqa: S704 — markdown-it escaped everything, raw HTML is off


def safe_url(url: str | None) -> str | None:
    """A URL a reader can open: http(s) as is, doi: through doi.org; anything else None."""
    if not url:
        return None
    if url.lower().startswith(SAFE_SCHEMES):
        return url
    if url.lower().startswith("doi:"):
        return "https://doi.org/" + url[4:]
    return None


def md_url(url: str | None) -> str:
    """A safe URL for a Markdown link destination inside a table cell ('' when not http(s))."""
    from urllib.parse import quote

    safe = safe_url(url)
    return "" if safe is None else quote(safe, safe=":/?#@!$&'*+,;=%~-._")
