"""Values in the reader's language: each kind of value, per locale, built from the typed value; the
catalogues complete in every report language; the same report bytes from another process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harmonize.policy.models import LocalTextModel, Measure
from harmonize.reporting.formatting import Formatter
from harmonize.reporting.i18n import LANGS, extract_messages, po_path, untranslated
from harmonize.reporting.values import NO_VALUE_SIGN, ValueWords, scenario_disclaimer

from conftest import POLICIES, REPO

NBSP = "\u00a0"
AS_OF = "2026-01-01"


def measure(kind: str, unit: str = "none", **extra) -> Measure:
    return Measure.model_validate({"domain": "tax", "kind": kind, "unit": unit, "title": "t", **extra})


def shown(lang: str, m, v, **kw) -> str:
    return ValueWords(lang).value(m, v, **kw)["text"]


# --- each kind of value, per locale ----------------------------------------------------------

YES_NO = {"en": ("yes", "no"), "vi": ("có", "không"), "lo": ("ມີ", "ບໍ່ມີ"), "km": ("មាន", "គ្មាន")}


@pytest.mark.parametrize("lang", LANGS)
def test_yes_no(lang):
    m = measure("boolean")
    assert (shown(lang, m, True), shown(lang, m, False)) == YES_NO[lang]


@pytest.mark.parametrize("lang, three_years, one_year, ten_days", [
    ("en", "3 years", "1 year", "10 days"),
    ("vi", "3 năm", "1 năm", "10 ngày"),
    ("lo", "3 ປີ", "1 ປີ", "10 ວັນ"),
    ("km", "3 ឆ្នាំ", "1 ឆ្នាំ", "10 ថ្ងៃ"),  # Latin digits: CLDR's default numbering system for km
])
def test_durations_and_days(lang, three_years, one_year, ten_days):
    years, days = measure("duration", "years"), measure("duration", "days")
    assert shown(lang, years, 3) == three_years
    assert shown(lang, years, 1) == one_year
    assert shown(lang, days, 10) == ten_days


@pytest.mark.parametrize("lang, half, whole, fraction", [
    ("en", "8.5", "10", "0.25"), ("vi", "8,5", "10", "0,25"), ("lo", "8,5", "10", "0,25"), ("km", "8.5", "10", "0.25"),
])
def test_rates_keep_their_decimals(lang, half, whole, fraction):
    rate = measure("rate", "percent")
    assert shown(lang, rate, 8.5) == f"{half}{NBSP}%"  # never 8 %
    assert shown(lang, rate, 10.0) == f"{whole}{NBSP}%"  # no '10.0 %'
    assert shown(lang, rate, 0.25) == f"{fraction}{NBSP}%"
    assert Formatter(lang).rate(8.5) == f"{half}{NBSP}%"
    assert Formatter(lang).rate(None) == "–"


@pytest.mark.parametrize("lang, years, rates", [
    ("en", "4–10 years", f"5–10{NBSP}%"), ("vi", "4–10 năm", f"5–10{NBSP}%"), ("lo", "4–10 ປີ", f"5–10{NBSP}%"),
    ("km", "4–10 ឆ្នាំ", f"5–10{NBSP}%"),
])
def test_ranges(lang, years, rates):
    assert shown(lang, measure("duration", "years"), {"min": 4, "max": 10}) == years
    assert shown(lang, measure("rate", "percent"), {"min": 5, "max": 10}) == rates


SCHEDULE = {"start": "first_taxable_profit", "phases": [{"years": 4, "exempt": True}, {"years": 9, "reduction": 50}]}


@pytest.mark.parametrize("lang, sentence", [
    ("en", f"exempt for 4 years, reduced by 50{NBSP}% for the next 9 years counted from the first year of taxable "
           "profit"),
    # the reader's review, proposal 1
    ("vi", f"miễn thuế 4 năm, giảm 50{NBSP}% trong 9 năm tiếp theo kể từ năm đầu có thu nhập chịu thuế"),
    ("lo", f"ຍົກເວັ້ນອາກອນ 4 ປີ, ຫຼຸດ 50{NBSP}% ໃນ 9 ປີ ຕໍ່ໄປ ນັບແຕ່ປີທຳອິດທີ່ມີກຳໄລທີ່ຕ້ອງເສຍອາກອນ"),
    ("km", f"លើកលែងពន្ធ 4 ឆ្នាំ, កាត់បន្ថយ 50{NBSP}% រយៈពេល 9 ឆ្នាំ បន្ទាប់ គិតចាប់ពីឆ្នាំដំបូងដែលមានប្រាក់ចំណេញជាប់ពន្ធ"),
])
def test_schedules_are_sentences_built_from_the_phases(lang, sentence):
    assert shown(lang, measure("schedule"), SCHEDULE) == sentence


def test_schedule_phases_in_their_order_and_an_open_end():
    sched = {"start": "not_verified", "phases": [{"years": 2, "exempt": True}, {"years": 3, "rate": 8.5},
                                                 {"years": None, "reduction": 25}]}
    assert shown("en", measure("schedule"), sched) == (f"exempt for 2 years, taxed at 8.5{NBSP}% for the next 3 years, "
                                                       f"reduced by 25{NBSP}% thereafter; start of the period not verified")
    assert shown("vi", measure("schedule"), {"start": "first_revenue", "phases": [{"years": None, "exempt": True}]}) \
        == "miễn thuế trong suốt thời gian thực hiện dự án kể từ năm đầu có doanh thu"


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_is_a_sign_not_a_word(lang):
    out = ValueWords(lang).value(measure("rate", "percent"), None)
    assert out["text"] == NO_VALUE_SIGN == "∅" and out.get("none") is True and out["lang"] == lang


def test_absent_up_to_amounts_and_sets():
    assert shown("vi", measure("boolean"), None, absent=True) == "không có (pháp luật không quy định)"
    assert shown("vi", measure("duration", "years"), 15, up_to=True) == "tối đa 15 năm, xem xét từng trường hợp"
    assert shown("vi", measure("amount", "currency"), {"amount": 1234567, "currency": "USD"}) == "1.234.567 USD"
    assert shown("lo", measure("set", options=[]), []) == "(ບໍ່ມີ)"


def test_option_labels_or_the_code_marked_english():
    m = measure("enum", options=["negative_list", "positive_list"])
    out = ValueWords("vi").value(m, "negative_list")
    assert out == {"text": "negative_list", "lang": "en", "fallback": True}
    # a label (the catalogue's, once it has one) is shown in the reader's language
    labelled = m.model_copy(update={"labels": {"negative_list": LocalTextModel(en="negative list",
                                                                             vi="danh mục hạn chế")}})
    assert ValueWords("vi").value(labelled, "negative_list") == {"text": "danh mục hạn chế", "lang": "vi",
                                                                 "fallback": False}
    assert ValueWords("lo").value(labelled, "negative_list")["lang"] == "en"  # no lo label: English, marked


def test_scenario_disclaimer_translated_not_in_capitals():
    shipped = "ILLUSTRATIVE ASSUMPTION of a hypothetical investor; not law, not data about a real company."
    vi = scenario_disclaimer(shipped, "vi")
    assert vi == {"text": "Giả định minh họa về một nhà đầu tư giả định; không phải quy định pháp luật, không phải "
                          "số liệu của doanh nghiệp thực tế.", "lang": "vi", "fallback": False}
    assert not any(w.isupper() and len(w) > 1 for w in scenario_disclaimer(shipped, "en")["text"].split())
    own = scenario_disclaimer("made up for a test", "lo")
    assert own == {"text": "made up for a test", "lang": "en", "fallback": True}  # said more: shown as written


@pytest.mark.parametrize("lang, long, short", [
    ("vi", "ngày 02 tháng 12 năm 2026", "02/12/2026"),
    ("en", "2 December 2026", "2 Dec 2026"),
])
def test_dates_in_official_style(lang, long, short):
    f = Formatter(lang)
    assert f.date(date(2026, 12, 2)) == long and f.short_date(date(2026, 12, 2)) == short


def test_vietnamese_dates_pad_days_below_ten_and_months_one_and_two():
    f = Formatter("vi")
    assert f.short_date(date(2024, 5, 1)) == "01/5/2024"
    assert f.short_date(date(2011, 12, 20)) == "20/12/2011"
    assert f.date(date(2020, 2, 5)) == "ngày 05 tháng 02 năm 2020"


# --- catalogues ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", [x for x in LANGS if x != "en"])
def test_no_message_left_in_english(lang):
    assert untranslated(lang) == 0


def _forget(i18n) -> None:
    """Forget what i18n read once per process: the catalogues, the .pot's messages, the counts."""
    for cached in (i18n.untranslated, i18n._catalog, i18n._report_messages):
        cached.cache_clear()


@pytest.mark.parametrize("lang", [x for x in LANGS if x != "en"])
def test_untranslated_counts_the_messages_the_templates_use(lang, tmp_path, monkeypatch):
    """``untranslated`` reads the report's messages from the .pot: the same count as from the
    templates and code themselves, for the shipped catalogue and for one missing half its messages."""
    import harmonize.reporting.i18n as i18n
    from babel.messages.pofile import read_po

    def from_templates() -> int:
        with i18n.po_path(lang).open("rb") as fh:
            cat = read_po(fh, locale=lang)
        return sum(1 for m, _ in extract_messages() if not (cat.get(m) and cat.get(m).string and not cat.get(m).fuzzy))

    assert untranslated(lang) == from_templates()
    text = po_path(lang).read_text(encoding="utf-8")
    entries = text.split("\n\n")
    kept = [e for i, e in enumerate(entries) if i == 0 or i % 2]  # the header and every other message
    folder = tmp_path / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "harmonize.po").write_text("\n\n".join(kept), encoding="utf-8")
    (tmp_path / "harmonize.pot").write_bytes(i18n.pot_path().read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    _forget(i18n)
    try:
        assert untranslated(lang) == from_templates() > 100
    finally:
        _forget(i18n)


def test_an_untranslated_message_is_counted(tmp_path, monkeypatch):
    """The completeness check can fail: a catalogue missing one message counts it."""
    import harmonize.reporting.i18n as i18n

    wanted = extract_messages()[0][0]
    text = po_path("km").read_text(encoding="utf-8")
    quoted = '"' + wanted.replace("\\", "\\\\").replace('"', '\\"') + '"'
    start = text.index(f"msgid {quoted}")
    end = text.index("\n\n", start)
    folder = tmp_path / "km" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "harmonize.po").write_text(text[:start] + text[end + 2:], encoding="utf-8")
    (tmp_path / "harmonize.pot").write_bytes(i18n.pot_path().read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    _forget(i18n)
    try:
        assert i18n.untranslated("km") == 1
    finally:
        _forget(i18n)


def test_review_marks_only_on_lao_and_khmer_entries_that_exist():
    from babel.messages.pofile import read_po

    for lang in ("vi", "lo", "km"):
        with po_path(lang).open("rb") as fh:
            cat = read_po(fh, locale=lang)
        marked = [m.id for m in cat if m.id and "review: needed" in m.auto_comments]
        assert all(cat.get(m).string for m in marked)
        if lang == "lo":  # the review's † proposals stay marked
            assert "Joint industrial parks · legal-framework criterion" in marked
            assert cat.get("Joint industrial parks · legal-framework criterion").string == \
                "ເຂດອຸດສາຫະກຳຮ່ວມ · ເກນດ້ານກອບກົດໝາຍ"


def test_vietnamese_review_terms():
    from babel.messages.pofile import read_po

    with po_path("vi").open("rb") as fh:
        cat = read_po(fh, locale="vi")
    # "không có điểm chung" (nothing in common) is right; "điểm chung" for the overall score is not
    everything = " ".join(re.sub(r"%\(\w+\)s", "", m.string) for m in cat if m.id).replace("không có điểm chung", "")
    for wrong in ("điểm chung", "commit", "GTHT", "Thời hạn:", "Khoảng cách mất", "tầng song phương",
                  "Thuế suất hiệu dụng", "gói ưu đãi"):
        assert wrong not in everything, wrong
    assert cat.get("PV").string == "Giá trị hiện tại (PV)"
    assert cat.get("Gap that costs most").string == "Khác biệt làm giảm điểm nhiều nhất"


# --- whole reports ---------------------------------------------------------------------------


class _Values(HTMLParser):
    """The text of every value cell (<strong class="disp">) and whether it sits in lang="en"."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.english = False
        self.values: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "strong" and a.get("class") == "disp":
            self.depth, self.english = 1, False
            self.values.append(("", False))
        elif self.depth:
            self.depth += 1
            self.english = self.english or a.get("lang") == "en"

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            text, _ = self.values[-1]
            self.values[-1] = (text + data, self.english)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    from harmonize.cli import main

    out = tmp_path_factory.mktemp("i18n-reports")
    assert main(["report", str(POLICIES), "--as-of", AS_OF, "--out-dir", str(out), "--format", "all"]) == 0
    return out


@pytest.mark.parametrize("lang", ["vi", "lo", "km"])
def test_values_in_the_report_are_in_its_language(reports, lang):
    """Numbers, durations, yes/no and schedules are never English; what is left in English are option
    codes the catalogue has no label for yet (lower-case identifiers), marked lang="en"."""
    p = _Values()
    p.feed((reports / f"report.{lang}.html").read_text(encoding="utf-8"))
    assert len(p.values) > 300
    english = {text.removesuffix(" EN") for text, en in p.values if en}  # the EN tag of a fallback
    assert all(set(t) <= set("abcdefghijklmnopqrstuvwxyz_, ") for t in english), sorted(english)[:5]
    words = {t for t, _ in p.values}
    assert YES_NO[lang][0] in words and "yes" not in words and "unknown" not in words


def test_reports_are_byte_identical_in_another_process(reports, tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "harmonize", "report", str(POLICIES), "--as-of", AS_OF, "--out-dir",
                    str(tmp_path), "--format", "all"], cwd=REPO, env=env, check=True, capture_output=True)
    for name in ("report.vi.html", "report.lo.html", "report.km.html", "report.vi.md", "report.km.md"):
        assert (tmp_path / name).read_bytes() == (reports / name).read_bytes(), name
