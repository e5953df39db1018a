"""The print edition and ``report --format pdf``, in the headless Chromium the browser tests use.

Like tests/test_report_browser.py, the Chromium tests skip outside CI when playwright or chromium is
missing and fail with CI=true. The PDFs are read back with pypdf (a test dependency): their pages,
their running header and footer, and their text, where every source URL must be printed in full.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.reporting import pdf

from conftest import POLICIES
from test_report import AS_OF
from test_report_browser import browser, _unavailable  # noqa: F401  (the shared Chromium fixture)

LANGS = ("en", "lo")  # Latin and a complex script; each full PDF takes tens of seconds to print
# the print width of an A4 page with the margins of reporting.pdf (210 mm − 2 × 12 mm) in CSS pixels
PRINT_WIDTH = round((210 - 24) / 25.4 * 96)
# The main body is everything before the appendices: key findings, the first roadmap actions, scores and
# gaps across parks and the scenario summary; each park's detail, the measures side by side and the
# scenarios year by year are annexes. Issue 16 wants it in 25 A4 pages for the shipped parks. Measured on
# 2 Dec 2026 (7 parks, 3 pairs): en 16, vi 15, lo 16, km 15 pages (en 167, vi 184, lo 191, km 171 before).
APPENDIX_MARKER = '<section id="appendix"'
MAIN_BODY_MAX_PAGES = 25


def _pypdf():
    try:
        import pypdf
    except ImportError:
        _unavailable("the pypdf package is not installed (pip install -e '.[test]')")
    return pypdf


@pytest.fixture(scope="module")
def edition(tmp_path_factory, browser) -> Path:  # noqa: F811
    """The shipped policies' HTML and PDF reports in every language, made by the command."""
    out = tmp_path_factory.mktemp("print")
    # in a process of its own: playwright's sync API does not nest, and the browser fixture is running
    for lang in LANGS:
        command("--out-dir", str(out), "--format", "pdf", "--lang", lang)
    command("--out-dir", str(out), "--format", "html", "--lang", "all")
    for lang in LANGS:
        assert (out / f"report.{lang}.pdf").read_bytes()[:5] == b"%PDF-"
    return out


def command(*args: str) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "harmonize", "report", str(POLICIES), "--as-of", AS_OF, *args],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr


_PAGES: dict[str, list[str]] = {}


def pages_text(path_or_bytes) -> list[str]:
    """Each page's text; a file's pages are read once per test run (pypdf reads 200 pages slowly)."""
    import io

    if isinstance(path_or_bytes, Path) and str(path_or_bytes) in _PAGES:
        return _PAGES[str(path_or_bytes)]
    pypdf = _pypdf()
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    if isinstance(path_or_bytes, Path):
        _PAGES[str(path_or_bytes)] = pages
    return pages


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_the_running_title_date_and_page_x_of_y(edition, lang):
    html = (edition / f"report.{lang}.html").read_text(encoding="utf-8")
    job = pdf.job(html, lang, __import__("datetime").date.fromisoformat(AS_OF))
    pages = pages_text(edition / f"report.{lang}.pdf")
    n = len(pages)
    assert n > 1
    flat = lambda s: "".join(s.split())  # noqa: E731  (text extraction spaces and wraps freely)
    for i, text in enumerate(pages, 1):
        assert f"{i}/{n}" in flat(text), f"page {i} of {n} has no page number"
        assert flat(job.date_line) in flat(text), f"page {i} has no date"
        assert flat(job.title)[:30] in flat(text), f"page {i} has no running title"


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_url_is_printed_in_full(edition, lang):
    html = (edition / f"report.{lang}.html").read_text(encoding="utf-8")
    import html as htmllib

    urls = {htmllib.unescape(u) for u in re.findall(r'<a [^>]*href="(https?://[^"]+)"', html)}
    assert len(urls) > 100  # the shipped policies cite about 200 sources
    job = pdf.job(html, lang, __import__("datetime").date.fromisoformat(AS_OF))
    pages = pages_text(edition / f"report.{lang}.pdf")
    running = ["".join(job.title.split()), "".join(job.date_line.split())]
    printed = ""
    for i, text in enumerate(pages, 1):  # the page's own text, without the running header and footer
        flat = "".join(text.split())
        for band in running + [f"{i}/{len(pages)}"]:
            flat = flat.replace(band, "")
        printed += flat
    missing = sorted(u for u in urls if "".join(u.split()) not in printed)
    assert missing == [], f"{len(missing)} source URLs not printed, e.g. {missing[:3]}"
    # on paper each source link carries the number of its entry in the printed list
    assert re.search(r"\[\d+\]", printed)


def test_the_pdf_is_the_same_every_run(edition, tmp_path):
    command("--format", "pdf", "--lang", "lo", "--out", str(tmp_path / "again.pdf"))
    assert (tmp_path / "again.pdf").read_bytes() == (edition / "report.lo.pdf").read_bytes()
    assert b"/Outlines" in (tmp_path / "again.pdf").read_bytes()  # bookmarks from the headings


@pytest.mark.parametrize("lang", LANGS)  # Latin and Lao, the longest script
def test_main_body_page_count(browser, edition, lang, record_property):  # noqa: F811
    html = (edition / f"report.{lang}.html").read_text(encoding="utf-8")
    assert APPENDIX_MARKER in html
    body = html[:html.index(APPENDIX_MARKER)] + "</main></div></body></html>\n"
    job = pdf.job(body, lang, __import__("datetime").date.fromisoformat(AS_OF))
    main_pages = len(pages_text(pdf.print_with(browser, job)))
    total = len(pages_text(edition / f"report.{lang}.pdf"))
    record_property(f"pages-{lang}", f"{main_pages} main / {total} total")
    print(f"{lang}: main body {main_pages} A4 pages, whole report {total}")
    assert 1 < main_pages < total
    assert main_pages <= MAIN_BODY_MAX_PAGES


def _print_page(browser, path: Path):  # noqa: F811
    page = browser.new_page(viewport={"width": PRINT_WIDTH, "height": 1100})
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.emulate_media(media="print")
    return page


@pytest.mark.parametrize("lang", LANGS)
def test_no_table_cell_overflows_in_print(browser, edition, lang):  # noqa: F811
    page = _print_page(browser, edition / f"report.{lang}.html")
    try:
        over = page.evaluate("""() => [...document.querySelectorAll('th, td')]
            .filter(c => c.getClientRects().length && c.scrollWidth > c.clientWidth + 1)
            .map(c => `${c.closest('table').querySelector('caption')?.innerText || ''} | ${c.innerText.slice(0, 60)}`
                      + ` (${c.scrollWidth} > ${c.clientWidth})`)""")
        assert over == [], f"{len(over)} cells overflow in print, e.g. {over[:5]}"
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PRINT_WIDTH, f"the printed page is {wide}px wide for {PRINT_WIDTH}px"
        # the collapsed sections are printed open
        hidden = page.evaluate("""() => [...document.querySelectorAll('details > :not(summary)')]
            .filter(e => e.getClientRects().length === 0).length""")
        assert hidden == 0
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_no_word_of_a_table_header_breaks_in_print(browser, edition, lang):  # noqa: F811
    """'Simil | arity': a word of a column header split over two lines. Words of scripts written without
    spaces (Lao) are left to Chromium's line breaker."""
    page = _print_page(browser, edition / f"report.{lang}.html")
    try:
        broken = page.evaluate(r"""() => {
            const out = [];
            for (const th of document.querySelectorAll('thead th')) {
                const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    for (const m of n.data.matchAll(/[\p{Script=Latin}\p{Nd}]{2,}/gu)) {
                        const r = document.createRange();
                        r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
                        const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                        if (tops.size > 1) out.push(m[0]);
                    }
                }
            }
            return out;
        }""")
        assert broken == [], f"header words broken over lines in print: {sorted(set(broken))[:10]}"
    finally:
        page.close()


def test_pdf_asked_for_without_chromium_says_why(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HARMONIZE_CHROMIUM", str(tmp_path / "no-chromium"))
    code = main(["report", str(POLICIES), "--as-of", AS_OF, "--format", "pdf", "--out", str(tmp_path / "r.pdf")])
    err = capsys.readouterr().err
    assert code == 2 and "--format pdf" in err and "no-chromium" in err and "Traceback" not in err
    assert not (tmp_path / "r.pdf").exists()


def test_format_all_is_the_text_formats_and_make_report_asks_for_pdf_where_it_can(tmp_path, monkeypatch):
    import subprocess
    import sys

    monkeypatch.setenv("HARMONIZE_CHROMIUM", "")
    assert main(["report", str(POLICIES), "--as-of", AS_OF, "--out-dir", str(tmp_path), "--format", "all",
                 "--lang", "en", "--park", "lao-bao-densavanh"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.en.html", "report.en.md", "report.json"]
    # what 'make report' asks before printing: no Chromium, exit 1 and why
    done = subprocess.run([sys.executable, "-m", "harmonize.reporting.pdf"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1 and "No PDF" in done.stderr and "HARMONIZE_CHROMIUM" in done.stderr


def test_pdf_needs_a_file_to_write(tmp_path, capsys):
    code = main(["report", str(POLICIES), "--as-of", AS_OF, "--format", "pdf"])
    assert code == 2 and "--out" in capsys.readouterr().err


def test_tagged_element_ids_are_numbered_in_order():
    raw = b"<</ID (node00000067)>> <</ID (node00000053)>> /Names [(node00000053) 5 0 R (node00000067) 6 0 R]"
    assert pdf.renumbered_nodes(raw) == (b"<</ID (node00000002)>> <</ID (node00000001)>> "
                                         b"/Names [(node00000001) 5 0 R (node00000002) 6 0 R]")


def test_time_stamps_are_replaced_byte_for_byte():
    from datetime import date

    raw = b"<< /CreationDate (D:20261202135309+00'00')\n/ModDate (D:20261202135309Z) >> xref"
    fixed = pdf.fixed_stamps(raw, date(2026, 1, 1))
    # the zoned stamp is replaced; the shorter 'Z' one is kept, as a longer one would move every offset
    assert fixed == raw.replace(b"D:20261202135309+00'00'", b"D:20260101000000+00'00'")


@pytest.mark.parametrize("lang", LANGS)
def test_running_header_and_footer_fit_the_paper(browser, edition, lang):  # noqa: F811
    """Chromium draws the bands on the paper's width (A4: 794 CSS px); a band wider than that is cut
    off at the right edge, where the date and the page number are."""
    from datetime import date

    job = pdf.job((edition / f"report.{lang}.html").read_text(encoding="utf-8"), lang, date.fromisoformat(AS_OF))
    page = browser.new_page(viewport={"width": round(210 / 25.4 * 96), "height": 200})
    try:
        for band in (pdf.header(job), pdf.footer(job)):
            page.set_content(f'<body style="margin:0">{band}</body>')
            assert page.evaluate("document.documentElement.scrollWidth") <= round(210 / 25.4 * 96)
    finally:
        page.close()
