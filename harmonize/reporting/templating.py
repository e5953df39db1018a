"""The Jinja2 environment for every renderer: templates live in the top-level templates/ folder.

HTML templates autoescape everything; Markdown templates escape table cells and code spans with
the filters below, so text from a policy file can never break out of its cell.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .escape import markdown, one_line

def _templates() -> Path:
    """The repository's templates/ folder; in a wheel, the same files installed as harmonize/templates."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "templates"
    return checkout if checkout.is_dir() else package / "templates"


TEMPLATES = _templates()


def md_cell(value: object) -> str:
    """Text safe inside a GitHub-flavoured Markdown table cell (and anywhere in a line): no raw HTML, no
    character reference (so no ``&#x202E;``), no link, no live @mention, controls and bidi visible."""
    text = " ".join(str(value).split())
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("[", "\\[").replace("]", "\\]")
    return markdown(text)


def md_code(value: object) -> str:
    """Text safe inside a single-backtick code span in a table (GFM splits cells on | even there); code
    spans show HTML, entities and @ literally, so only controls and bidi need showing."""
    return one_line(" ".join(str(value).split()).replace("`", "'").replace("|", "\\|"))


def _field(x: object, name: str) -> object:
    return x[name] if type(x) is dict else getattr(x, name)  # the view's Texts are dicts


def md_text(x: object) -> str:
    """A Text (``{"text", "lang", "fallback", "review"}``) as a Markdown table cell, `` (EN)`` after
    it when English stands in for a translation: the Markdown templates' ``t``, a function rather than
    a macro because a report calls it some 12,000 times."""
    return md_cell(_field(x, "text")) + (" (EN)" if _field(x, "fallback") else "")


def html_text(lang: str, english: str, unreviewed: str):
    """The HTML templates' ``t(x)`` for a page in ``lang``: the Text in a span naming its language where
    that is not the page's, then the EN mark when English stands in for a translation and the † mark
    when a native reviewer has not checked it (``english``, ``unreviewed``: the marks' titles, already
    translated and safe). A function rather than a macro: a report calls it some 15,000 times."""
    english_mark = f' <abbr class="tag-en" lang="en" title="{str(english)}">EN</abbr>'
    review_mark = f'<abbr class="tag-rv" title="{str(unreviewed)}">†</abbr>'

    def t(x: object) -> Markup:
        shown, its_lang = escape(_field(x, "text")), _field(x, "lang")
        out = str(shown) if its_lang == lang else f'<span lang="{escape(its_lang)}">{shown}</span>'
        if _field(x, "fallback"):
            out += english_mark
        if (x.get("review") if type(x) is dict else getattr(x, "get")("review")):
            out += review_mark
        return Markup(out)

    return t


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's environment, with ``x.name`` on a plain dict looked up without raising.

    Jinja reads ``x.name`` as the attribute, else the item: on a dict (the report's view is dicts)
    that is an AttributeError raised and caught for every lookup, hundreds of thousands per report.
    A plain dict has an attribute exactly when its type has it, so the same answer comes without
    the exception."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@lru_cache(maxsize=None)
def environment() -> Environment:
    env = _Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["md_cell"] = md_cell
    env.filters["md_code"] = md_code
    env.filters["md_where"] = md_where
    env.globals.update(md_text=md_text, html_text=html_text)
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def md_where(loc: object) -> str:
    """A policy file line in Markdown: a link to that line at the commit when GitHub Actions says which
    (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA), else the plain ``file:line``; '' for no place."""
    import os
    import re
    from urllib.parse import quote

    if not loc:
        return ""
    file, line = str(loc[0]), int(loc[1] or 1)  # type: ignore[index]
    shown = md_code(f"{file}:{line}")
    server, repo, sha = (os.environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if (re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?", server) and re.fullmatch(r"[\w.-]+/[\w.-]+", repo)
            and re.fullmatch(r"[0-9a-f]{7,64}", sha) and not file.startswith(("/", "..")) and ":" not in file):
        return f"[`{shown}`]({server}/{repo}/blob/{sha}/{quote(file)}#L{line})"
    return f"`{shown}`"
