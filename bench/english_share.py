"""The share of a report's text that is English: characters inside an element marked ``lang="en"``
out of all text characters of the body (whitespace not counted; style and script left out).

    python bench/english_share.py reports/report.vi.html reports/report.lo.html reports/report.km.html

A static reading of the HTML: text in collapsed ``<details>`` counts (it prints), the layout is
not computed. Prints one line per file; ``--json`` gives the numbers as data. The English badge
(``EN``) itself is inside ``lang="en"`` and counts as English, as a reader sees it.
"""

from __future__ import annotations

import argparse
import json
import sys
from html.parser import HTMLParser
from pathlib import Path

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP = {"style", "script", "template", "head"}


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, lang in force, skipped)
        self.total = 0
        self.english = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _VOID:
            return
        parent_lang = self.stack[-1][1] if self.stack else None
        lang = dict(attrs).get("lang", parent_lang)
        skipped = tag in _SKIP or (bool(self.stack) and self.stack[-1][2])
        self.stack.append((tag, lang, skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):  # tolerate unclosed inner elements
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.stack or self.stack[-1][2]:
            return
        n = sum(1 for c in data if not c.isspace())
        self.total += n
        if (self.stack[-1][1] or "").lower().split("-")[0] == "en":
            self.english += n


def english_share(html: str) -> dict:
    """{'chars': visible characters, 'english': those inside lang="en", 'share': english / chars}."""
    c = _Counter()
    c.feed(html)
    c.close()
    return {"chars": c.total, "english": c.english, "share": c.english / c.total if c.total else 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out = {}
    for f in args.files:
        try:
            out[str(f)] = english_share(f.read_text(encoding="utf-8"))
        except OSError as e:
            print(f"{f}: cannot read: {e.strerror}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(out, indent=2, sort_keys=True))
    else:
        for name, r in out.items():
            print(f"{name}: {r['share']:.1%} English ({r['english']:,} of {r['chars']:,} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
