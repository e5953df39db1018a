"""Chart labels are laid out over lines, never cut without their full text (issue 16), and every chart's
text alternative states its data; the parks chart shows what each score rests on (its coverage).

The layout is checked three ways: the wrapping itself (``charts.wrap``), the shipped reports in every
language (no label cut, every label and value in the <desc>), and a real Chromium measuring every label
line against the chart's width (the per-character widths are an estimate; the browser has the fonts)."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest

from harmonize.reporting.charts import text_px, value_bars, wrap

from test_report_browser import browser  # noqa: F401  (the shared Chromium fixture)

LANGS = ("en", "vi", "lo", "km")
LONG = {
    "en": "Land-rent (land-fee) exemption: years without rent, the construction period included, for investors "
          "in an economic zone of a border gate",
    "lo": "ການຍົກເວັ້ນຄ່າເຊົ່າທີ່ດິນໃນໄລຍະກໍ່ສ້າງ ແລະ ໄລຍະທີ່ບໍ່ຕ້ອງເສຍຄ່າເຊົ່າທີ່ດິນ ສຳລັບນັກລົງທຶນໃນເຂດເສດຖະກິດພິເສດ",
    "km": "ការលើកលែងថ្លៃជួលដីក្នុងអំឡុងពេលសាងសង់ និងឆ្នាំដែលមិនត្រូវបង់ថ្លៃជួលដី សម្រាប់វិនិយោគិនក្នុងតំបន់សេដ្ឋកិច្ចពិសេស",
}


def _joined(lab: dict) -> str:
    return "".join(p["text"] for line in lab["lines"] for p in line)


@pytest.mark.parametrize("lang", sorted(LONG))
def test_a_long_label_wraps_over_lines_and_keeps_every_character(lang):
    lab = wrap([(LONG[lang], False)], 300)
    assert len(lab["lines"]) > 1
    assert "".join(_joined(lab).split()) == "".join(LONG[lang].split())  # nothing dropped, no "…"
    assert all(text_px("".join(p["text"] for p in line)) <= 300 for line in lab["lines"])
    if lang == "en":  # Latin breaks at spaces: no word is split, so no <title> is needed
        assert not lab["cut"] and all(w in LONG[lang].split() for ln in lab["lines"]
                                      for w in "".join(p["text"] for p in ln).split())


def test_a_run_with_no_space_is_split_between_clusters_and_marked_cut():
    word = "ການຍົກເວັ້ນຄ່າເຊົ່າທີ່ດິນໃນໄລຍະກໍ່ສ້າງການຍົກເວັ້ນຄ່າເຊົ່າທີ່ດິນ"  # Lao writes a phrase without spaces
    lab = wrap([(word, False)], 150)
    assert lab["cut"] and lab["full"] == word and _joined(lab) == word
    for line in lab["lines"][1:]:  # no line starts with a combining vowel or tone mark
        assert not re.match(r"[\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd]", line[0]["text"])
    khmer = "ការលើកលែងថ្លៃជួលដីក្នុងអំឡុងពេលសាងសង់"
    lab = wrap([(khmer, False)], 120)
    assert _joined(lab) == khmer
    for line in lab["lines"][1:]:  # nor with a dependent vowel or a subscript (after the coeng sign)
        assert not re.match(r"[\u17b6-\u17d3]", line[0]["text"])
    for a, b in zip(lab["lines"], lab["lines"][1:]):
        assert not a[-1]["text"].endswith("\u17d2")


def test_wider_scripts_take_more_room_than_latin():
    assert text_px("ກ" * 10) > text_px("a" * 10) and text_px("ក" * 10) > text_px("a" * 10)
    assert text_px("\u0ec8\u0ec9") == 0  # tone marks stack, they take no width


def test_a_chart_grows_with_its_labels():
    short = value_bars([({"text": "CIT", "lang": "en"}, 2.0)] * 2)
    long = value_bars([({"text": LONG["en"] * 2, "lang": "en"}, 2.0)] * 2)
    assert long["height"] > short["height"]
    first, second = long["rows"]
    assert second["label_y"] - first["label_y"] > 38  # the second row starts below the first's lines
    assert first["bar_y"] > first["label_y"] + (len(first["text"]["lines"]) - 1) * first["text"]["line_h"]


@pytest.fixture(scope="module")
def out(shipped_reports) -> Path:
    return shipped_reports


def _svgs(html: str) -> list[str]:
    return re.findall(r'<svg role="img".*?</svg>', html, flags=re.S)


def _plain(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.mark.parametrize("lang", LANGS)
def test_no_chart_label_is_cut_and_the_text_alternative_states_the_data(out, lang):
    html = (out / f"report.{lang}.html").read_text(encoding="utf-8")
    svgs = _svgs(html)
    assert len(svgs) > 10
    labels = 0
    for svg in svgs:
        desc = _plain(re.search(r"<desc[^>]*>(.*?)</desc>", svg, flags=re.S).group(1))
        for lbl in re.findall(r'<text class="lbl".*?</text>', svg, flags=re.S):
            title = re.search(r"<title>(.*?)</title>", lbl)
            shown = _plain(re.sub(r"<title>.*?</title>", "", lbl))
            assert "…" not in shown, f"a cut label: {shown}"
            if title:  # a word split over lines: the full text is there, and it is the text shown
                assert "".join(_plain(title.group(1)).split()) == "".join(shown.split())
            labels += 1
            # the text alternative names the label (its words, whatever the line breaks)
            assert all(w in desc for w in shown.split()), (shown, desc[:200])
        for val in re.findall(r'<text class="val[^"]*"[^>]*>(.*?)</text>', svg):
            assert _plain(val) in desc, (val, desc[:200])  # and says every value drawn
    assert labels > 30


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_parks_chart_shows_each_parks_coverage(out, lang):
    """Each park's "x of n measures scored" (and the share of the catalogue weight) under its name and in
    the text alternative, read from the result."""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    html = (out / f"report.{lang}.html").read_text(encoding="utf-8")
    svg = next(s for s in _svgs(html) if 'aria-labelledby="park-ranges-t' in s)
    desc = _plain(re.search(r"<desc[^>]*>(.*?)</desc>", svg, flags=re.S).group(1))
    shown = _plain(svg.split("</desc>", 1)[1])
    parks = [p["check"] for p in report["parks"]]
    assert len(parks) > 2
    word = {"en": "of", "vi": "trên"}[lang]
    for r in parks:
        cov = r["coverage"]
        phrase = f"{cov['scored']} {word} {cov['measures_compared']}"
        assert phrase in desc and phrase in shown, phrase
    assert len(re.findall(rf"\d+ {word} \d+", shown)) == len(parks)


LINES_JS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg[role=img]')) {
    for (const t of svg.querySelectorAll('text.lbl > tspan')) {
      const box = t.getBBox();
      out.push([t.textContent, box.width, box.x + box.width, svg.viewBox.baseVal.width]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_line_fits_its_chart_in_chromium(browser, out, lang):  # noqa: F811
    """Chromium, with the report's fonts, draws every label line inside its chart, and no line wider than
    the layout's estimate of it (the estimate is conservative for every script)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((out / f"report.{lang}.html").resolve().as_uri(), wait_until="load")
        lines = page.evaluate(LINES_JS)
    finally:
        page.close()
    assert len(lines) > 30
    assert [t for t, _, right, width in lines if right > width + 0.5] == []
    assert [(t, round(w), round(text_px(t))) for t, w, _, _ in lines if w > text_px(t) + 0.5] == []
