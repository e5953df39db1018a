"""Issue 16: how much of each non-English HTML report a reader sees in English.

The share is measured in Chromium, at 1280 px with every <details> opened, as the characters of visible
text (no white space) whose nearest ``lang`` is English, over all visible text of the body, for the
shipped policies; it must stay under 10 %. What is left in English is marked so: text that exists only in
English (a source's own title, an engine remark) and anything a drafter adds before it is translated.
"""

from __future__ import annotations

import pytest

from harmonize.cli import main

from conftest import POLICIES
from test_report import AS_OF
from test_report_browser import browser, open_page, reports  # noqa: F401 — the fixtures

TARGET = 0.10  # measured in Chromium on 2 December 2026 with the shipped translations: vi 6.5 %, lo 6.3 %, km 6.0 %


ENGLISH_SHARE = """() => {
  // every collapsed section opened, as print shows it and a reader who opens it reads it: collapsing
  // English text must not count as translating it
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let all = 0, en = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script,style,title,desc')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const text = n.textContent.replace(/\\s+/g, '');
    if (!text) continue;
    all += text.length;
    const host = el.closest('[lang]');
    if (host && host.getAttribute('lang').toLowerCase().startsWith('en')) en += text.length;
  }
  return {all, en};
}"""




@pytest.mark.parametrize("lang", ["vi", "lo", "km"])
def test_english_share_of_visible_text(browser, reports, lang):  # noqa: F811
    page, seen = open_page(browser, reports / f"report.{lang}.html", 1280)
    try:
        counts = page.evaluate(ENGLISH_SHARE)
    finally:
        page.close()
    share = counts["en"] / counts["all"]
    print(f"{lang}: {share:.3f} of {counts['all']} visible characters inside lang=en")
    assert counts["all"] > 10_000
    assert share < TARGET, f"{lang}: {share:.1%} of the visible text is English"
