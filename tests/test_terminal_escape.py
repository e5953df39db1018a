"""terminal() escapes in one regex pass (issue 14: the per-character loop was 40 % of `report`, run on
every Markdown report since a newline sent every multi-line text down it); it escapes exactly what the
per-character rule escapes, for every code point of the Basic Multilingual Plane."""

from __future__ import annotations

from harmonize.reporting.escape import _unsafe, _visible, terminal


def _per_character(s: str) -> str:
    return "".join(_visible(ch) if _unsafe(ch) and ch not in "\n\t" else ch for ch in s)


def test_terminal_escapes_what_the_per_character_rule_escapes():
    for n in range(0x10000):
        if 0xD800 <= n <= 0xDFFF:
            continue
        text = f"a{chr(n)}b\n\tc"
        assert terminal(text) == _per_character(text), hex(n)


def test_terminal_keeps_lines_and_tabs_and_shows_the_rest():
    assert terminal("x\n\ty") == "x\n\ty"
    assert terminal("\x1b[2J\r\u202e") == "\\x1b[2J\\x0d\\u202e"
    assert terminal(42) == "42"
