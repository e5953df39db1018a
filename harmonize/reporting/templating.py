"""The Jinja2 environment for every renderer: templates live in the top-level templates/ folder.

HTML templates autoescape everything; Markdown templates escape table cells and code spans with
the filters below, so text from a policy file can never break out of its cell.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.runtime import Context, Macro
from jinja2.utils import _PassArg
from markupsafe import Markup, escape

from .escape import markdown, one_line

def _templates() -> Path:
    """The repository's templates/ folder; in a wheel, the same files installed as harmonize/templates."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "templates"
    return checkout if checkout.is_dir() else package / "templates"


TEMPLATES = _templates()


def report_templates(root: Path = TEMPLATES) -> list[str]:
    """Every report template's name under the templates folder ``root`` (``report*.j2``, ``report/*.j2``):
    what the install compiles and what the message catalogue is extracted from."""
    return sorted([p.name for p in root.glob("report*.j2")] + [f"report/{p.name}" for p in (root / "report").glob("*.j2")])


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


def md_mark(unverified: str, secondary: str):
    """The Markdown templates' ``mark(v)``: `` ⚠ **unverified**`` or `` ◐ _secondary source_`` after a
    value of that status (the words translated), else nothing."""
    marks = {"unverified": f" ⚠ **{unverified}**", "secondary": f" ◐ _{secondary}_"}

    def mark(v: object) -> str:
        status = _field(v, "status")
        return marks.get(status, "") if isinstance(status, str) else ""

    return mark


def md_article(unverified: str):
    """The Markdown templates' ``article(b)``: a legal basis's article as ``md_text`` shows it, with
    `` (article not verified)`` after it when it is not verified, or ``_article not verified_`` when
    the basis names none (``unverified``: those words, translated)."""
    def article(b: object) -> str:
        if _field(b, "article"):
            shown = md_text(_field(b, "article_text"))
            return shown if _field(b, "article_verified") else f"{shown} ({unverified})"
        return f"_{unverified}_"

    return article


def md_source_link(r: object):
    """The Markdown templates' ``source_link(urls)`` for the view ``r``: `` · [n]``, the number in the
    view's one source list of the first URL, when it has one; else nothing."""
    def source_link(urls: object) -> str:
        numbers = _field(r, "source_no")
        if urls and urls[0] in numbers:  # type: ignore[index, operator]
            return f" · [{numbers[urls[0]]}]"  # type: ignore[index]
        return ""

    return source_link


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


def html_en(t, tr, lang: str):
    """The HTML templates' ``en(s)``: English text from a policy file as a Text in the page's language
    when the translations file has one (``tr(s)``, shown by ``t``), else the English, in a span saying
    so on a page in another language. A function rather than a macro (about 3,500 calls a report)."""
    def en(s: object) -> Markup:
        x = tr(s) if tr is not None else None
        if x:
            return Markup(t(x))
        return Markup(f'<span lang="en">{escape(s)}</span>') if lang != "en" else escape(s)

    return en


def html_en_note(note, tr, lang: str, unreviewed: str):
    """The HTML templates' ``en_note(s)``: a note from a policy file through the ``note`` filter (safe
    Markdown), in the page's language when the translations file has it (``tr(s)``; the † mark when a
    native reviewer has not checked it, ``unreviewed`` its title, translated and safe), else the
    English, in a span saying so on a page in another language. ``note`` is the language
    environment's filter (i18n.environment binds it)."""
    review_mark = f'<abbr class="tag-rv" title="{str(unreviewed)}">†</abbr>'

    def en_note(s: object) -> Markup:
        x = tr(s) if tr is not None else None
        if x:
            return Markup(str(escape(note(_field(x, "text")))) + (review_mark if _field(x, "review") else ""))
        if lang != "en":
            return Markup(f'<span lang="en">{escape(note(s))}</span>')
        return escape(note(s))

    return en_note


def html_badge(unverified: str, secondary: str):
    """The HTML templates' ``badge(status)``: the mark of an unverified or a secondary-source value
    (``unverified``, ``secondary``: the marks' words, translated and safe), else nothing."""
    marks = {"unverified": Markup(f'<span class="badge b-unverified">⚠ {str(unverified)}</span>'),
             "secondary": Markup(f'<span class="badge b-secondary">{str(secondary)}</span>')}
    nothing = Markup("")

    def badge(status: object) -> Markup:
        return marks.get(status, nothing) if isinstance(status, str) else nothing

    return badge


def html_link(r: object):
    """The HTML templates' ``link(url, label=None)`` for the view ``r``: a source link named by
    ``label`` or its host, with its number in the view's one source list (``data-n``, which the print
    edition shows); a URL a reader cannot open (``notes.safe_url``) as muted text."""
    from .notes import safe_url

    numbers = r.get("source_no", {}) if type(r) is dict else {}
    listed = r["sources"] if type(r) is dict and "sources" in r else None

    def link(url: object, label: object = None) -> Markup:
        safe = safe_url(url)  # type: ignore[arg-type]
        n = numbers.get(url)
        s = listed[n - 1] if n else None  # type: ignore[index]
        if safe:
            number = f' data-n="{escape(_field(s, "n"))}"' if s else ""
            name = label or (_field(s, "host") if s else safe)
            return Markup(f'<a class="src" href="{escape(safe)}" rel="noopener noreferrer"{number}>{escape(name)}</a>')
        return Markup(f'<span class="muted">{escape(url)}</span>')

    return link


_DICT_ATTRIBUTES = frozenset(dir(dict))
_FUNCTION, _BUILTIN = type(md_text), type(len)


class _Context(Context):
    """Jinja's render context, with ``Context.call`` (every call a template makes: macros, ``_()``,
    ``x.get()``, ``t()``; about 150,000 per report) done without its two generic look-ups of how the
    callee wants to be called for the three kinds of callee whose answer is known: a function (its
    ``jinja_pass_arg``; its ``__call__`` carries none), a macro (its ``__call__`` takes the evaluation
    context) and a built-in (nothing). Anything else goes to Jinja's own ``call``. The same arguments
    either way (tests/test_render_mechanics.py)."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        if __debug__:
            __traceback_hide__ = True  # noqa: F841 (Jinja hides this frame from template tracebacks)
        kind = type(__obj)
        if kind is _FUNCTION:
            pass_arg = getattr(__obj, "jinja_pass_arg", None)
        elif kind is Macro:  # its __call__ takes the evaluation context (autoescape of the caller)
            __obj, pass_arg = __obj.__call__, _PassArg.eval_context
        elif kind is _BUILTIN:
            pass_arg = None
        else:
            return Context.call(__self, __obj, *args, **kwargs)
        if pass_arg is _PassArg.context:
            if kwargs.get("_loop_vars"):
                __self = __self.derived(kwargs["_loop_vars"])
            if kwargs.get("_block_vars"):
                __self = __self.derived(kwargs["_block_vars"])
            args = (__self,) + args
        elif pass_arg is _PassArg.eval_context:
            args = (__self.eval_ctx,) + args
        elif pass_arg is _PassArg.environment:
            args = (__self.environment,) + args
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


class _Environment(Environment):
    """Jinja's environment, with ``x.name`` on a plain dict looked up without raising.

    Jinja reads ``x.name`` as the attribute, else the item: on a dict (the report's view is dicts)
    that is an AttributeError raised and caught for every lookup, hundreds of thousands per report.
    A plain dict has an attribute exactly when its type has it, so the same answer comes without
    the exception."""

    context_class = _Context

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
    env.globals.update(md_text=md_text, md_mark=md_mark, md_article=md_article, md_source_link=md_source_link,
                       html_text=html_text, html_en=html_en, html_badge=html_badge, html_link=html_link)
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
