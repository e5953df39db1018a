"""The HTML report in a real headless Chromium (Debian's, driven by playwright's Python driver).

Outside CI the tests skip, with the reason, when playwright or chromium is missing; with CI=true
they fail instead, so a CI machine without a browser can never pass silently.
Set HARMONIZE_SCREENSHOTS=DIR to keep the screenshots (they always go to pytest's tmp_path).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from harmonize.cli import main

from conftest import POLICIES
from test_report import AS_OF, PARK, hostile_tree, tags

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WIDTHS = (1280, 375)


def _chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests (make test installs chromium and playwright)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    exe = _chromium_path()
    if exe is None:
        _unavailable("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def reports(shipped_reports) -> Path:
    return shipped_reports


def _screens(dest_name: str) -> list[Path]:
    extra = os.environ.get("HARMONIZE_SCREENSHOTS")
    return [Path(extra) / dest_name] if extra else []


def open_page(browser, path: Path, width: int):
    """A page showing ``path``; records console errors, requests and dialogs."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))

    def dialog(d):
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(100)
    return page, seen


def shoot(page, tmp_path: Path, name: str) -> None:
    """The first screen into tmp_path; with HARMONIZE_SCREENSHOTS also the whole page (slow: it is long)."""
    page.screenshot(path=str(tmp_path / name))
    for dest in _screens(name):
        dest.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(dest))
        page.screenshot(path=str(dest.with_name(dest.stem + "-full.png")), full_page=True)


@pytest.fixture(scope="module")
def overall() -> str:
    from harmonize.cli.args import resolve_park
    from harmonize.cli.args import load_or_fail, load_parameter_set
    from harmonize.engine.run import run_check

    ps = load_or_fail(POLICIES)
    park, pid, pair = resolve_park(ps, PARK, None)
    result = run_check(ps, pair, date.fromisoformat(AS_OF), park, park_id=pid, params=load_parameter_set(ps.root))
    return f"{result.overall.score:.1f}"


@pytest.mark.parametrize("width", WIDTHS)
def test_english_report_in_chromium(browser, reports, tmp_path, overall, width):
    path = reports / "report.en.html"
    page, seen = open_page(browser, path, width)
    try:
        assert seen["errors"] == []
        assert seen["requests"] == [path.resolve().as_uri()]  # nothing but the file itself
        text = page.inner_text("body")
        assert f"{overall} / 100" in text
        assert "Withholding tax on dividends paid abroad" in text and "67/NA" in text
        sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], f"horizontal overflow at {width}px: {sizes}"
        assert page.locator("svg[role=img]").count() >= 5
        assert page.locator("h1").count() == 1
        shoot(page, tmp_path, f"report-en-{width}.png")
        assert (tmp_path / f"report-en-{width}.png").stat().st_size > 10_000
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["vi", "lo"])
@pytest.mark.parametrize("width", WIDTHS)
def test_translated_reports_in_chromium(browser, reports, tmp_path, overall, lang, width):
    path = reports / f"report.{lang}.html"
    page, seen = open_page(browser, path, width)
    try:
        assert seen["errors"] == [] and seen["requests"] == [path.resolve().as_uri()]
        assert page.evaluate("document.documentElement.lang") == lang
        assert f"{overall.replace('.', ',')} / 100" in page.inner_text("body")
        sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], f"horizontal overflow at {width}px: {sizes}"
        shoot(page, tmp_path, f"report-{lang}-{width}.png")
    finally:
        page.close()


def test_print_layout_renders(browser, reports, tmp_path):
    page, seen = open_page(browser, reports / "report.en.html", 1280)
    try:
        page.emulate_media(media="print")
        # the table of contents is printed (on screen it links; on paper it lists the sections)
        assert page.evaluate("getComputedStyle(document.querySelector('nav.toc')).display") == "block"
        assert page.evaluate("getComputedStyle(document.querySelector('a.skip')).display") == "none"
        pdf = page.pdf(format="A4")
        assert pdf[:4] == b"%PDF" and len(pdf) > 50_000
        assert seen["errors"] == []
    finally:
        page.close()


def test_hostile_policy_text_never_runs(browser, tree, tmp_path):
    hostile_tree(tree)
    out = tmp_path / "out"
    assert main(["report", str(tree), "--park", PARK, "--as-of", AS_OF, "--out-dir", str(out), "--format", "html",
                 "--lang", "en"]) == 0
    path = out / "report.en.html"
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not any(k.lower().startswith("on") for _, a in tags(html) for k in a)
    for width in WIDTHS:
        page, seen = open_page(browser, path, width)
        try:
            # click every link whose text came from a policy file: none may run script
            assert seen["dialogs"] == [] and seen["errors"] == []
            assert seen["requests"] == [path.resolve().as_uri()]
            assert page.evaluate("document.scripts.length") == 0
            assert page.locator("img").count() == 0
            assert "<script>alert(1)</script>" in page.inner_text("body")  # shown as text
            hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
            # links out, in-page anchors, or the other language editions (report.yaml, not policy text)
            assert all(h.startswith(("#", "http://", "https://")) or re.fullmatch(r"report\.(en|vi|lo|km)\.html", h)
                       for h in hrefs)
            shoot(page, tmp_path, f"hostile-{width}.png")
        finally:
            page.close()


def _khmer_font() -> bool:
    import subprocess

    try:
        done = subprocess.run(["fc-list", ":lang=km"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(done.stdout.strip())


@pytest.mark.parametrize("width", WIDTHS)
def test_khmer_report_renders_khmer_script(browser, reports, tmp_path, overall, width):
    from harmonize.reporting.formatting import Formatter

    if not _khmer_font():
        _unavailable("no Khmer font is installed (make browser installs fonts-khmeros)")
    path = reports / "report.km.html"
    page, seen = open_page(browser, path, width)
    try:
        assert seen["errors"] == [] and seen["requests"] == [path.resolve().as_uri()]
        assert page.evaluate("document.documentElement.lang") == "km"
        body = page.inner_text("body")
        assert f"{Formatter('km').num(float(overall))} / 100" in body
        assert "របាយការណ៍" in page.inner_text("h1")  # the heading is Khmer, not a fallback
        assert "EN" in body  # texts without a Khmer translation are marked as English
        # Khmer glyphs are drawn: the heading is wider than the same number of missing-glyph boxes would be
        # narrow, and a Khmer string measures differently from a Latin one of equal length (no tofu)
        widths = page.evaluate(r"""() => {
            const probe = (t) => { const s = document.createElement('span'); s.textContent = t;
                s.style.font = '32px sans-serif'; document.body.appendChild(s);
                const w = s.getBoundingClientRect().width; s.remove(); return w; };
            return [probe('ក'), probe('ខ'), probe('\u{10FFFD}')];
        }""")
        assert widths[0] > 0 and widths[0] != widths[2] and widths[1] != widths[2], widths
        sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], f"horizontal overflow at {width}px: {sizes}"
        shoot(page, tmp_path, f"report-km-{width}.png")
    finally:
        page.close()


# axe-core, the accessibility engine, from the npm registry: 'make browser' installs it into .venv/axe
AXE = Path(os.environ.get("HARMONIZE_AXE") or
           Path(__file__).resolve().parent.parent / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js")


# every language on a wide screen; on a phone a Latin and a complex-script one (the layout rules are shared)
@pytest.mark.parametrize("width, lang", [(1280, "en"), (1280, "vi"), (1280, "lo"), (1280, "km"), (375, "en"),
                                         (375, "lo")])
def test_no_accessibility_violation(browser, reports, lang, width):
    """axe-core's default rules (WCAG 2.0–2.2 A and AA, and best practice, target size included) find
    nothing in any language's report, on a wide screen and a phone."""
    if not AXE.is_file():
        _unavailable(f"axe-core is not installed at {AXE} (make browser installs it from the npm registry)")
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)  # the CSP forbids scripts
    try:
        page.goto((reports / f"report.{lang}.html").resolve().as_uri(), wait_until="load")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes[0].target.join(' ')}`)""")
        assert found == [], f"axe-core violations in report.{lang}.html at {width}px: {found}"
        # a skip link leads past the title band and the contents to the report
        assert page.evaluate("document.querySelector('a.skip').getAttribute('href')") == "#content"
        assert page.locator("#content").count() == 1
        # source links are named by their host or title, never the bare word "source"
        names = page.evaluate("[...document.querySelectorAll('a.src')].map(a => a.textContent.trim())")
        assert names and not {"source", "[1]"} & set(names)
        assert all("." in n for n in names), [n for n in names if "." not in n][:5]
    finally:
        page.close()
