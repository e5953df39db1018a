"""The report's rendering shortcuts give what Jinja's own mechanics give: the memoised ``_()``, the
dict lookup without an exception, one view shared by a language's Markdown and HTML."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError, select_autoescape

from harmonize.reporting.i18n import LANGS, environment, report_messages, translations

REPO = Path(__file__).resolve().parents[1]


def _stock(lang: str) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], undefined=StrictUndefined)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


@pytest.mark.parametrize("lang", LANGS)
def test_gettext_gives_what_jinja_gives_for_every_message(lang):
    """Every message of the report, escaped and not, twice (the second from the memo), and with a
    variable that needs escaping: the same text and the same type as Jinja's new-style gettext."""
    ours, stock = environment(lang), _stock(lang)
    source = ("{{ _(m) }}|{{ _(m) }}|{% autoescape true %}{{ _(m) }}|{{ _(m) }}|"
              "{{ _('%(who)s and %(what)s', who='<b>', what=m) }}{% endautoescape %}")
    messages = [m for m in report_messages() if "%(" not in m]
    assert len(messages) > 100
    for m in messages:
        assert ours.from_string(source).render(m=m) == stock.from_string(source).render(m=m), m
    with_variables = next(m for m in report_messages() if "%(" in m)
    names = {n: "<i>x</i>" for n in __import__("re").findall(r"%\((\w+)\)s", with_variables)}
    call = "{{ _(m, " + ", ".join(f"{n}=v" for n in names) + ") }}"
    for wrap in (call, "{% autoescape true %}" + call + "{% endautoescape %}"):
        assert ours.from_string(wrap).render(m=with_variables, v="<i>x</i>") == \
            stock.from_string(wrap).render(m=with_variables, v="<i>x</i>")


def test_a_percent_sign_fails_as_in_jinja():
    """A message with a bare % is a format error in Jinja's new-style gettext; it stays one (and is
    not remembered as a result)."""
    ours, stock = environment("en"), _stock("en")
    for env in (ours, stock):
        for _ in range(2):
            with pytest.raises((ValueError, TypeError)):
                env.from_string("{{ _('all 100 %') }}").render()


def test_dict_lookup_gives_what_jinja_gives():
    """``x.name`` on a dict: the attribute wins (``d.items`` is the method even with an 'items' key),
    then the key; a missing name is undefined in both."""
    ours, stock = environment("en"), _stock("en")
    d = {"items": "the key", "title": "T", "get": 1}
    for source in ("{{ d.title }}", "{{ d['items'] }}", "{{ d.items is callable }}", "{{ d.get is callable }}",
                   "{{ d.title|length }}", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}"):
        assert ours.from_string(source).render(d=d) == stock.from_string(source).render(d=d), source
    for env in (ours, stock):
        with pytest.raises(UndefinedError):
            env.from_string("{{ d.missing }}").render(d=d)


def test_one_view_serves_both_editions_of_a_language():
    """The templates only read the view: rendering Markdown and HTML from one view gives what a view
    built for each gives, and leaves the view as it was."""
    from harmonize.cli.report import build_document, select_parks
    from harmonize.policy.loader import load_tree
    from harmonize.reporting.render import render
    from harmonize.reporting.view import build_view

    ps = load_tree(REPO / "policies")
    selection = select_parks(ps, "all", None)[:1]
    doc, profiles, models = build_document(ps, selection, date(2026, 6, 30))
    view = build_view(doc, ps, "lo", profiles, models)
    before = copy.deepcopy(view)
    shared = [render(doc, fmt, "lo", ps, profiles, models, view=view) for fmt in ("md", "html")]
    assert view == before
    assert shared == [render(doc, fmt, "lo", ps, profiles, models) for fmt in ("md", "html")]
    assert "<html" in shared[1] and shared[0].startswith("#")


# The templates' t(x) as it was, a macro, against the functions that replaced it (templating.html_text,
# templating.md_text), on Texts of every shape: translated or not, English fallback, awaiting review,
# text that HTML or Markdown would read as markup.
_HTML_MACRO = """{%- macro t(x) -%}
{%- if x.lang != lang -%}<span lang="{{ x.lang }}">{{ x.text }}</span>{%- else -%}{{ x.text }}{%- endif -%}
{%- if x.fallback %} <abbr class="tag-en" lang="en" title="{{ _('English: no translation in the policy files') }}">EN</abbr>{% endif -%}
{%- if x.get("review") %}<abbr class="tag-rv" title="{{ _('Translation not yet checked by a native reviewer') }}">†</abbr>{% endif -%}
{%- endmacro -%}"""
_MD_MACRO = """{%- macro t(x) -%}
{{ x.text | md_cell }}{% if x.fallback %} (EN){% endif %}
{%- endmacro -%}"""
_TEXTS = [{"text": s, "lang": lg, "fallback": fb, **({"review": rv} if rv is not None else {})}
          for s in ("Đặc khu", "<b>a & b</b> | [x](y) `z`", "", 42)
          for lg in ("en", "vi", 'x"y')
          for fb in (False, True)
          for rv in (None, False, True)]


@pytest.mark.parametrize("lang", LANGS)
def test_the_text_functions_give_what_the_macros_gave(lang):
    env = environment(lang)
    old = env.overlay(autoescape=True).from_string(
        _HTML_MACRO + "{% for x in xs %}{{ t(x) }}|{{ t(x) ~ '<i>' }}\n{% endfor %}")
    new = env.overlay(autoescape=True).from_string(
        "{%- set t = html_text(lang, _('English: no translation in the policy files'), "
        "_('Translation not yet checked by a native reviewer')) -%}"
        "{% for x in xs %}{{ t(x) }}|{{ t(x) ~ '<i>' }}\n{% endfor %}")
    assert new.render(xs=_TEXTS) == old.render(xs=_TEXTS)
    assert "&lt;b&gt;" in new.render(xs=_TEXTS)
    old_md = env.from_string(_MD_MACRO + "{% for x in xs %}{{ t(x) }}\n{% endfor %}")
    new_md = env.from_string("{%- set t = md_text -%}{% for x in xs %}{{ t(x) }}\n{% endfor %}")
    assert new_md.render(xs=_TEXTS) == old_md.render(xs=_TEXTS)


def test_context_call_gives_what_jinja_gives():
    """templating._Context.call against Jinja's own Context.call: macros (with a caller, in a loop that
    sets variables, autoescaped or not), functions that take the context, the evaluation context or
    the environment, built-ins, callable objects and a StopIteration."""
    from jinja2 import pass_context, pass_environment, pass_eval_context
    from jinja2.runtime import Context

    @pass_context
    def seen(ctx, name):
        return f"{name}={ctx.resolve(name)!s}"

    @pass_eval_context
    def escaping(ev, x):
        return f"{x}:{ev.autoescape}"

    @pass_environment
    def undefined_kind(env, x):
        return f"{x}:{env.undefined.__name__}"

    class Callable:
        @pass_context
        def __call__(self, ctx, x):
            return f"{x}:{ctx.name}"

    def stops():
        raise StopIteration

    source = """{%- macro box(x) -%}<b>{{ x }}</b>{% if caller is defined %}{{ caller() }}{% endif %}{%- endmacro -%}
{%- for i in [1, 2] -%}{% set tag = "<i>" ~ i %}{{ seen("tag") }} {{ box(tag) }} {% call box(i) %}c{{ tag }}{% endcall %}
{{ escaping(tag) }} {{ undefined_kind(i) }} {{ obj(i) }} {{ {"k": i}.get("k") }} {{ stops() is undefined }}
{% endfor -%}"""
    for autoescape in (False, True):
        ours = environment("en").overlay(autoescape=autoescape)
        stock = environment("en").overlay(autoescape=autoescape)
        stock.context_class = Context
        assert ours.context_class is not Context
        env_args = dict(seen=seen, escaping=escaping, undefined_kind=undefined_kind, obj=Callable(), stops=stops)
        got = ours.from_string(source).render(**env_args)
        assert got == stock.from_string(source).render(**env_args)
        assert "tag=&lt;i&gt;1" in got if autoescape else "tag=<i>1" in got


def test_a_macro_escapes_as_its_caller_does():
    """A macro defined where nothing is escaped, called from an HTML template: Jinja passes the caller's
    evaluation context to every macro call, so the macro's text comes back as markup for the caller
    (unescaped, as Jinja's own call gives it); without it the caller would escape it again."""
    from jinja2 import DictLoader
    from jinja2.runtime import Context

    loader = DictLoader({"m.txt": "{% macro show(x) %}[{{ x }}]{% endmacro %}",
                         "p.html": '{% import "m.txt" as m %}{{ m.show("<i>") }}'})
    outs = []
    for ctx in (None, Context):
        env = environment("en").overlay(loader=loader, autoescape=select_autoescape(["html"]))
        if ctx is not None:
            env.context_class = ctx
        outs.append(env.get_template("p.html").render())
    assert outs[0] == outs[1] == "[<i>]"


# en(s), badge(status) and link(url, label) as they were, macros, against the functions that replaced them.
_HTML_MACROS = _HTML_MACRO + """
{%- macro en(s) -%}
{%- set x = tr(s) if tr is defined else none -%}
{%- if x -%}{{ t(x) }}
{%- elif lang != "en" -%}<span lang="en">{{ s }}</span>{%- else -%}{{ s }}{%- endif -%}
{%- endmacro -%}
{%- macro en_note(s) -%}
{%- set x = tr(s) if tr is defined else none -%}
{%- if x -%}{{ x.text | note }}{% if x.review %}<abbr class="tag-rv" title="{{ _('Translation not yet checked by a native reviewer') }}">†</abbr>{% endif %}
{%- elif lang != "en" -%}<span lang="en">{{ s | note }}</span>{%- else -%}{{ s | note }}{%- endif -%}
{%- endmacro -%}
{%- macro badge(status) -%}
{%- if status == "unverified" -%}<span class="badge b-unverified">⚠ {{ _("unverified") }}</span>
{%- elif status == "secondary" -%}<span class="badge b-secondary">{{ _("secondary source") }}</span>
{%- endif -%}
{%- endmacro -%}
{%- macro link(url, label=none) -%}
{%- set safe = url | safe_url -%}
{%- set n = r.get("source_no", {}).get(url) -%}
{%- set s = r.sources[n - 1] if n else none -%}
{%- if safe -%}<a class="src" href="{{ safe }}" rel="noopener noreferrer"{% if s %} data-n="{{ s.n }}"{% endif %}>{{ label or (s.host if s else safe) }}</a>
{%- else -%}<span class="muted">{{ url }}</span>{%- endif -%}
{%- endmacro -%}"""
_NEW_HTML = """{%- set t = html_text(lang, _('English: no translation in the policy files'),
    _('Translation not yet checked by a native reviewer')) -%}
{%- set en = html_en(t, tr if tr is defined else none, lang) -%}
{%- set badge = html_badge(_("unverified"), _("secondary source")) -%}
{%- set link = html_link(r) -%}
{%- set en_note = html_en_note(tr if tr is defined else none, lang, _('Translation not yet checked by a native reviewer')) -%}"""
_USE = """{% for s in texts %}{{ en(s) }}|{{ en(s) ~ "<i>" }}|{{ en_note(s) }}
{% endfor %}{% for b in statuses %}[{{ badge(b) }}]{{ badge(b) or "none" }}
{% endfor %}{% for u in urls %}{{ link(u) }} {{ link(u, "a<b") }} {{ link(u, label=none) }}
{% endfor %}"""


@pytest.mark.parametrize("lang", LANGS)
def test_en_en_note_badge_and_link_give_what_the_macros_gave(lang):
    from types import SimpleNamespace

    from harmonize.policy.translations import key
    from harmonize.reporting.labels import note_translator

    r = {"sources": [{"n": 1, "url": "https://www.mof.gov.la/x?a=1&b=2", "host": "mof.gov.la"},
                     {"n": 2, "url": "doi:10.1/x", "host": "10.1"}],
         "source_no": {"https://www.mof.gov.la/x?a=1&b=2": 1, "doi:10.1/x": 2}}
    urls = [*r["source_no"], "https://unlisted.example/<q>", "javascript:alert(1)", "", None, "ftp://x"]
    texts = ["Zone A", "<b>bold</b> & co", "", None, 7, "A *note* with [a link](https://x.example) and <script>",
             "Zone B"]
    table = {key("Zone A"): SimpleNamespace(text="Khu A", review="needed"),
             key("Zone B"): SimpleNamespace(text="Khu **B**", review=None)}
    data = dict(r=r, texts=texts, statuses=["unverified", "secondary", "verified", None, 3], urls=urls)
    env = environment(lang).overlay(autoescape=True)
    for tr in (note_translator(table, lang), None):
        extra = {"tr": tr} if tr is not None else {}
        old = env.from_string(_HTML_MACROS + _USE).render(**data, **extra)
        new = env.from_string(_NEW_HTML + _USE).render(**data, **extra)
        assert new == old
        assert 'data-n="1"' in new and "&lt;b&gt;bold" in new and '<span class="muted">javascript:' in new


_MD_MACROS = _MD_MACRO + """
{%- macro mark(v) -%}
{%- if v.status == "unverified" %} ⚠ **{{ _("unverified") }}**{% elif v.status == "secondary" %} ◐ _{{ _("secondary source") }}_{% endif -%}
{%- endmacro -%}
{%- macro article(b) -%}
{%- if b.article -%}
{{ t(b.article_text) }}{% if not b.article_verified %} ({{ _("article not verified") }}){% endif %}
{%- else -%}
_{{ _("article not verified") }}_
{%- endif -%}
{%- endmacro -%}
{%- macro source_link(urls) -%}
{%- if urls and urls[0] in r.source_no %} · [{{ r.source_no[urls[0]] }}]{% endif -%}
{%- endmacro -%}"""
_NEW_MD = """{%- set t = md_text -%}{%- set mark = md_mark(_("unverified"), _("secondary source")) -%}
{%- set article = md_article(_("article not verified")) -%}{%- set source_link = md_source_link(r) -%}"""
_USE_MD = """{% for v in values %}[{{ mark(v) }}]
{% endfor %}{% for b in bases %}[{{ article(b) }}]
{% endfor %}{% for u in urls %}[{{ source_link(u) }}]
{% endfor %}"""


@pytest.mark.parametrize("lang", LANGS)
def test_mark_article_and_source_link_give_what_the_macros_gave(lang):
    text = {"text": "Điều 3 | `x`", "lang": "vi", "fallback": True, "review": False}
    data = dict(r={"source_no": {"https://a.example/1": 1, "https://b.example/2": 12}},
                values=[{"status": s} for s in ("unverified", "secondary", "verified", None)],
                bases=[{"article": a, "article_text": text, "article_verified": ok}
                       for a in ("Art. 3", "", None) for ok in (True, False)],
                urls=[["https://b.example/2", "https://a.example/1"], ["https://c.example"], [], None])
    env = environment(lang)
    old = env.from_string(_MD_MACROS + _USE_MD).render(**data)
    new = env.from_string(_NEW_MD + _USE_MD).render(**data)
    assert new == old and " · [12]" in new and "\\|" in new
