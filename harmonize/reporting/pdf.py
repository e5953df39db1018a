"""The print edition: the HTML report printed to an A4 PDF by headless Chromium.

Chromium is the same one the browser tests drive (Debian's ``/usr/bin/chromium``, or the one named by
``HARMONIZE_CHROMIUM``), driven through playwright's Python driver (the optional extra ``pdf``). Why
playwright and not ``chromium --headless --print-to-pdf``: the running header and footer — the report's
title, its date and "page x / y" — are ``headerTemplate``/``footerTemplate`` with ``pageNumber`` and
``totalPages`` of the DevTools ``Page.printToPDF`` call, which the command line cannot set (its own header
prints the file's path and the time of printing); playwright also makes the PDF's outline (bookmarks from
the headings) and tags it for screen readers.

The HTML is loaded as a string, every request is refused (the report fetches nothing; a link in a
policy note cannot make the printer fetch either), and Chromium's time stamps are set to the law's
date and the ids of its tagged elements are numbered from 1, so the same report gives the same PDF,
byte for byte.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date

from ..errors import UsageError

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--font-render-hinting=none"]
MARGIN = {"top": "18mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}  # as @page in _print.css.j2
FONTS = '"Noto Sans", "Noto Sans Lao", "Phetsarath OT", "Khmer OS", system-ui, sans-serif'
# Skia's PDF time stamps, D:YYYYMMDDHHmmSS then a zone: replaced by the same number of bytes, so the
# cross-reference offsets stay right
_STAMP = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}(?:Z|[+-]\d\d'\d\d')?\)")


@dataclass(frozen=True)
class PrintJob:
    """One report to print: its HTML, its language, the running title and the date line."""
    html: str
    lang: str
    title: str
    date_line: str
    stamp: date


def chromium() -> str | None:
    """The Chromium to print with: ``HARMONIZE_CHROMIUM`` when set (an empty value: none), else Debian's."""
    named = os.environ.get("HARMONIZE_CHROMIUM")
    if named is not None:
        return named if named and os.path.isfile(named) and os.access(named, os.X_OK) else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable() -> str | None:
    """Why no PDF can be made here (one line), or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the PDF edition needs playwright: pip install 'harmonize-law[pdf]' (it drives Chromium)"
    if chromium() is None:
        named = os.environ.get("HARMONIZE_CHROMIUM")
        if named is not None:
            return f"HARMONIZE_CHROMIUM={named!r} is not an executable Chromium"
        return "the PDF edition needs Chromium, which is not installed (apt-get install chromium)"
    return None


def _band(job: PrintJob, inner: str) -> str:
    # Chromium draws the bands in their own page at font-size 0: every size is set here
    # and the band is the paper's width: the page margins are padding inside it
    return (f'<div lang="{html.escape(job.lang)}" style="width:100%;box-sizing:border-box;padding:0 12mm;'
            f'font:7.5pt {html.escape(FONTS)};color:#4f5b6b;display:flex;justify-content:space-between;'
            f'align-items:baseline;gap:8mm">{inner}</div>')


def header(job: PrintJob) -> str:
    return _band(job, f"<span>{html.escape(job.title)}</span><span style=\"white-space:nowrap\">"
                      f"{html.escape(job.date_line)}</span>")


def footer(job: PrintJob) -> str:
    return _band(job, '<span></span><span style="white-space:nowrap"><span class="pageNumber"></span> / '
                      '<span class="totalPages"></span></span>')


def fixed_stamps(pdf: bytes, day: date) -> bytes:
    """The PDF with its creation and modification times set to ``day`` (midnight UTC)."""
    stamp = f"D:{day:%Y%m%d}000000".encode()

    def repl(m: re.Match) -> bytes:
        old = m.group(0)
        new = b"/" + m.group(1) + b" (" + stamp + b"+00'00')"
        return new if len(new) == len(old) else old  # never change a length: the offsets would break

    return _STAMP.sub(repl, pdf)


def renumbered_nodes(pdf: bytes) -> bytes:
    """The PDF with the ids of its tagged elements (``(node00000053)``: Chromium's DOM node counter, which
    depends on what the process did before) numbered 1, 2, 3 … in their own order: same length, same
    order, so the offsets and the sorted ID tree stay right."""
    ids = sorted(set(re.findall(rb"\(node(\d{8})\)", pdf)), key=int)
    new = {old: b"%08d" % i for i, old in enumerate(ids, 1)}
    return re.sub(rb"\(node(\d{8})\)", lambda m: b"(node" + new[m.group(1)] + b")", pdf)


def print_with(browser, job: PrintJob) -> bytes:
    """``job`` printed in a new page of a running playwright Chromium ``browser``."""
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(job.html, wait_until="load")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", margin=MARGIN, print_background=True, display_header_footer=True,
                       header_template=header(job), footer_template=footer(job), outline=True, tagged=True)
    finally:
        page.close()
    return renumbered_nodes(fixed_stamps(pdf, job.stamp))


def print_pdfs(jobs: list[PrintJob]) -> list[bytes]:
    """Each job's PDF. UsageError, one line, when Chromium cannot be used."""
    why = unavailable()
    if why:
        raise UsageError(f"cannot write the PDF: {why}")
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as p:
            out = []
            for job in jobs:  # a Chromium each: the tagged PDF numbers its elements by a per-process counter
                browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
                try:
                    out.append(print_with(browser, job))
                finally:
                    browser.close()
    except Error as exc:
        first = (str(exc).strip().splitlines() or ["no message"])[0]
        raise UsageError(f"cannot write the PDF: Chromium failed: {first}") from None
    return out


def job(report_html: str, lang: str, as_of: date) -> PrintJob:
    """The print job of a rendered HTML report: its <title> runs at the top of every page, with the law's date."""
    from .formatting import Formatter
    from .i18n import translations

    found = re.search(r"<title>(.*?)</title>", report_html, re.S)
    title = " ".join(html.unescape(found.group(1)).split()) if found else ""
    date_line = translations(lang).gettext("Law as of %(date)s") % {"date": Formatter(lang).date(as_of)}
    return PrintJob(html=report_html, lang=lang, title=title, date_line=date_line, stamp=as_of)


if __name__ == "__main__":  # 'make report': exit 0 where a PDF can be made, else say why and exit 1
    import sys

    if unavailable():
        print(f"No PDF: {unavailable()}", file=sys.stderr)
        raise SystemExit(1)
