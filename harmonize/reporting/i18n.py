"""Report languages: gettext catalogues and one Jinja environment per language.

The catalogues are the ``.po`` files under ``harmonize/locale/<lang>/LC_MESSAGES/harmonize.po``;
they are read with Babel and compiled to ``.mo`` in memory, so no binary is committed. Every
fixed string of the report templates goes through ``_()``; strings chosen in Python (labels of
severities, gap types, statuses …) are marked with ``N_()`` here and translated in the template.

``python -m harmonize.reporting.i18n`` rewrites ``harmonize/locale/harmonize.pot`` from the
templates and this package; the tests check that every message is in the catalogues.
"""

from __future__ import annotations

import io
from functools import lru_cache, partial
from pathlib import Path
from typing import Iterable

from jinja2 import Environment, pass_context
from markupsafe import Markup

LANGS = ("en", "vi", "lo", "km")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "harmonize"


def N_(message: str) -> str:
    """Marks a string for extraction; translated later, where it is shown."""
    return message


# Labels chosen by the view model and translated in the templates.
LABELS = {
    "severity": {"critical": N_("critical"), "major": N_("major"), "minor": N_("minor"), "info": N_("info")},
    "gap_type": {"divergent_values": N_("divergent values"), "one_side_only": N_("one side only"),
                 "different_conditions": N_("different conditions"), "timing": N_("timing"),
                 "unverified_data": N_("unverified data")},
    "status": {"verified": N_("verified"), "secondary": N_("secondary source"), "unverified": N_("unverified"),
               "none": N_("no value")},
    "option": {"align_on_more_favourable": N_("align on the more favourable value"),
               "common_floor": N_("agree a common floor"), "joint_park_regime": N_("joint-park regime"),
               "mutual_recognition": N_("mutual recognition"), "verify_data": N_("verify the data"),
               "agree_common_value": N_("agree a common value"), "record_data": N_("record the data"),
               "correct_profile": N_("correct the park profile"),
               "international_declaration": N_("declaration to an international body"),
               "administrative_practice": N_("administrative practice"),
               "widen_conditions": N_("widen the conditions")},
    "unscored": {"unverified_value": N_("unverified value"), "no_value_either_side": N_("no value on either side"),
                 "not_comparable": N_("values not comparable"), "no_package_etr": N_("no CIT package rate"),
                 "not_encoded": N_("not encoded (coverage hole)"),
                 "counted_in_package": N_("counted in its package")},
    "gap_status": {"new": N_("new"), "resolved": N_("resolved"), "worse": N_("worse"), "better": N_("better")},
    "agreement": {"all_agree": N_("all agree"), "outlier": N_("outlier"), "all_differ": N_("all differ"),
                  "mixed": N_("agree pairwise within tolerance only"), "incomplete": N_("not scored in every pair")},
    "shown": {"catalogue_text": N_("text measure"), "local_measure": N_("local measure"),
              "bilateral_layer": N_("bilateral layer")},
    "year_columns": {"revenue": N_("Revenue"), "profit": N_("Profit"), "taxable_profit": N_("Taxable profit"),
                     "cit_rate": N_("CIT rate"), "cit": N_("CIT"), "wht_dividends": N_("WHT on dividends"),
                     "wht_royalties": N_("WHT on royalties"), "import_duty": N_("Import duty"),
                     "land_rent": N_("Land rent"), "total": N_("Total")},
}

# A value that is not known is shown as this sign, never as a bold word; the legend explains it once
# (templates: ``{{ no_value.sign }}`` and ``{{ _(no_value.legend) }}``).
NO_VALUE = {"sign": "∅", "legend": N_("∅ marks a value the policy files do not record.")}


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(lang: str):
    """Babel Translations for ``lang`` (English: the null translations)."""
    from babel.messages.mofile import write_mo
    from babel.support import NullTranslations, Translations

    if lang == "en":
        return NullTranslations()
    buf = io.BytesIO()
    write_mo(buf, _catalog(lang))  # fuzzy entries are left out, as msgfmt does
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


@lru_cache(maxsize=None)
def _bytecode():
    """The report templates' compiled code (``compiled.Shipped``): from the files the install made
    beside the templates, else compiled once in this process and shared by every language (the
    languages differ only in the globals and filters a template looks up when it renders; the tests
    hold the code equal in every language). Never written to disk at run time."""
    from .compiled import FOLDER, Shipped
    from .templating import TEMPLATES

    return Shipped(TEMPLATES / FOLDER)


@lru_cache(maxsize=None)
def _catalog(lang: str):
    """The .po catalogue of ``lang``, read once per process (the translations and the count of
    untranslated messages both read it)."""
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


@lru_cache(maxsize=None)
def untranslated(lang: str) -> int:
    """How many report messages the catalogue of ``lang`` leaves in English (0 for English).

    The report's messages are those of ``harmonize.pot``, which the tests keep equal to what
    ``extract_messages`` finds in the templates and code (``python -m harmonize.reporting.i18n``
    rewrites it): reading it takes a fiftieth of parsing every template again on each run."""
    if lang == "en":
        return 0
    catalog = _catalog(lang)
    return sum(1 for m in _report_messages()
               if not (catalog.get(m) and catalog.get(m).string and not catalog.get(m).fuzzy))


def pot_path() -> Path:
    return LOCALE_DIR / f"{DOMAIN}.pot"


def report_messages() -> list[str]:
    """The msgids of ``harmonize.pot``: every message of the report templates and code."""
    return list(_report_messages())


@lru_cache(maxsize=1)
def _report_messages() -> tuple[str, ...]:
    """``report_messages``, read once per process (each language's count of untranslated messages reads it)."""
    from babel.messages.pofile import read_po

    with pot_path().open("rb") as fh:
        return tuple(m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(fh) if m.id)


def _memo_gettext(catalogue):
    """The templates' ``_()``: what Jinja's new-style gettext returns (the translation, Markup where
    the template autoescapes, formatted with the keyword variables), without its two extra levels of
    context calls, and remembered for messages without variables (a report in four languages calls
    ``_()`` about 50,000 times for about a thousand messages)."""
    translate = getattr(catalogue, "ugettext", None) or catalogue.gettext
    done: dict[tuple[str, type, bool], str] = {}  # keyed by type too: a Markup message stays Markup

    @pass_context
    def gettext(__context, __string: str, **variables):
        autoescape = bool(__context.eval_ctx.autoescape)
        if not variables:
            found = done.get((__string, type(__string), autoescape))
            if found is not None:
                return found
        rv = translate(__string)
        if autoescape:
            rv = Markup(rv)
        rv = rv % variables  # always a format string, as Jinja's new-style gettext
        if not variables:
            done[(__string, type(__string), autoescape)] = rv
        return rv

    return gettext


def _memo_note(note_html):
    """The ``note`` filter remembered by text: markdown-it renders each distinct note once, not once
    per edition and place (its HTML depends on the text only)."""
    done: dict[str, object] = {}

    def note(text: object):
        key = str(text)
        found = done.get(key)
        if found is None:
            found = done[key] = note_html(key)
        return found

    return note


@lru_cache(maxsize=None)
def environment(lang: str) -> Environment:
    """The shared report environment (templating.environment) overlaid with gettext for ``lang``."""
    from .templating import environment as base, html_en_note
    from .formatting import Formatter
    from .notes import md_url, note_html, safe_url

    if lang not in LANGS:
        raise ValueError(f"unknown report language {lang!r} (known: {', '.join(LANGS)})")
    # Every language overlay has the same settings and extension (new-style gettext), so one
    # compilation serves all of them; the base environment, without the extension, keeps its own.
    env = base().overlay(extensions=["jinja2.ext.i18n"], cache_size=50, bytecode_cache=_bytecode())
    # an overlay shares its parent's globals and filters dicts: give each language its own
    env.globals = dict(env.globals)
    env.filters = dict(env.filters)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _memo_gettext(translations(lang))
    fmt = Formatter(lang)
    env.filters.update(md_url=md_url, num=fmt.num, money=fmt.money, pct=fmt.pct, ratio=fmt.ratio, date=fmt.date,
                       short_date=fmt.short_date, compact=fmt.compact, note=_memo_note(note_html), safe_url=safe_url,
                       rate=fmt.rate)
    env.globals.update(lang=lang, labels=LABELS, no_value=NO_VALUE,
                       html_en_note=partial(html_en_note, env.filters["note"]))
    return env


# --- extraction (for the .pot and the completeness test) -------------------------------------


def extract_messages() -> list[tuple[str, list[str]]]:
    """Every msgid of the report: [(msgid, [locations])], sorted."""
    return [(m, list(where)) for m, where in _extracted()]


@lru_cache(maxsize=1)
def _extracted() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The extraction, once per process: ``untranslated`` asks for it once per language, and each
    extraction parses every template again (about a seventh of a report in four languages)."""
    from babel.messages.extract import extract
    from jinja2.ext import babel_extract

    from .templating import TEMPLATES, report_templates

    found: dict[str, set[str]] = {}

    def add(items: Iterable, where: str) -> None:
        for lineno, message, _comments, _context in items:
            if isinstance(message, (tuple, list)):
                message = message[0] if message else None
            if isinstance(message, str) and message:
                found.setdefault(message, set()).add(f"{where}:{lineno}")

    for name in report_templates(TEMPLATES):
        with (TEMPLATES / name).open("rb") as fh:
            add(extract(babel_extract, fh, keywords={"_": None, "gettext": None},
                        options={"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true",
                                 "trim_blocks": "false"}),
                f"templates/{name}")
    for path in sorted(Path(__file__).parent.glob("*.py")):
        with path.open("rb") as fh:
            add(extract("python", fh, keywords={"N_": None, "_": None}), f"harmonize/reporting/{path.name}")
    return tuple((m, tuple(sorted(found[m]))) for m in sorted(found))


def pot_text() -> str:
    """The .pot template (no creation date, so it is reproducible)."""
    lines = ['# Messages of the harmonize reports. Regenerate: python -m harmonize.reporting.i18n',
             'msgid ""', 'msgstr ""', '"Project-Id-Version: harmonize\\n"',
             '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, where in extract_messages():
        lines.append("#: " + " ".join(where))
        if "%(" in msgid:
            lines.append("#, python-format")
        lines.append("msgid " + _po_quote(msgid))
        lines.append('msgstr ""')
        lines.append("")
    return "\n".join(lines)


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


if __name__ == "__main__":  # pragma: no cover
    from ..atomic import write_atomic

    write_atomic(pot_path(), pot_text())
    print(f"wrote {pot_path()}")
