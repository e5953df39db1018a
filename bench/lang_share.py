"""Share of a report's visible text that is marked English (inside an element with lang="en").

    python bench/lang_share.py reports/report.vi.html reports/report.lo.html reports/report.km.html

Visible text: the text of <body> outside <script>, <style> and <template>, counted in characters
other than white space; each character belongs to the language of its nearest ancestor with a
``lang`` attribute. Parsed with the standard library's html.parser, no browser. The browser test
(tests/test_report_browser.py) measures the rendered page; this is the quick look at files.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser

HIDDEN = {"script", "style", "template", "head"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class LangShare(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = []  # (tag, lang, hidden)
        self.chars: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in VOID:
            return
        parent_lang, parent_hidden = (self.stack[-1][1], self.stack[-1][2]) if self.stack else ("", False)
        lang = dict(attrs).get("lang") or parent_lang
        self.stack.append((tag, lang.lower(), parent_hidden or tag in HIDDEN))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.stack or self.stack[-1][2]:
            return
        n = sum(1 for c in data if not c.isspace())
        if n:
            lang = self.stack[-1][1].split("-")[0]
            self.chars[lang] = self.chars.get(lang, 0) + n


def english_share(html: str) -> tuple[float, dict[str, int]]:
    p = LangShare()
    p.feed(html)
    p.close()
    total = sum(p.chars.values())
    return (p.chars.get("en", 0) / total if total else 0.0), p.chars


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    for path in paths:
        try:
            with open(path, encoding="utf-8") as fh:
                share, chars = english_share(fh.read())
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"{path}: {share:.1%} of {sum(chars.values()):,} visible characters in lang=\"en\"")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
