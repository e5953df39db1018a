"""Escaping for every human-readable output: terminals, Markdown (pull-request comments), HTML, XML.

Text from a policy file (titles, notes, ids, citations, file and park names) is data. In a terminal it
must not set the window title, clear the screen, colour the output or start a line of its own (a fake
"PASS"); in Markdown it must not mention people, inject HTML or reorder what reviewers read with
bidirectional controls (Trojan Source); in XML it must not make the document ill-formed. Each output
escapes at its sink, so a renderer that forgets a field cannot forget the escaping.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional formatting controls: embeddings, overrides, isolates, marks (Trojan Source, CVE-2021-42574).
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SEPARATORS = frozenset("\u2028\u2029\u0085")


def _visible(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def _unsafe(ch: str) -> bool:
    """C0 and C1 controls, DEL, line separators and bidi controls; not tab or newline (callers decide)."""
    return ch in BIDI or ch in _SEPARATORS or unicodedata.category(ch) == "Cc"


_ANY_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(text: object) -> str:
    """One line of text: every control character (newlines and tabs too) and bidi control shown as
    ``\\xNN`` / ``\\uNNNN``."""
    s = str(text)
    if not _ANY_UNSAFE.search(s):
        return s
    return "".join(_visible(ch) if _unsafe(ch) else ch for ch in s)


def terminal(text: object) -> str:
    """A whole output for a terminal or a log: lines and tabs stay, every other control character (ESC
    sequences, carriage returns, C1, DEL) and every bidi control is shown escaped."""
    s = str(text)
    return _TERMINAL_UNSAFE.sub(lambda m: _visible(m.group()), s)  # one regex pass, not a loop per character


def lines(out: list[str]) -> str:
    """Join lines meant as one line each: a newline inside one of them is shown, never obeyed."""
    return "".join(one_line(x) + "\n" for x in out)


_MENTION = re.compile(r"@(?=[A-Za-z0-9_])")
_ENTITY_BIDI = re.compile(r"&#(?:x0*(?:61c|200[ef]|202[a-e]|206[6-9])|0*(?:1564|820[67]|823[4-8]|828[6-9]));",
                          re.I)


def markdown(text: object) -> str:
    """Inline text safe in GitHub-flavoured Markdown outside tables: no raw HTML, no entities (so no
    ``&#x202E;``), no live @mention, bidi controls visible, one line."""
    s = one_line(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@&#8203;", s)


def xml_text(text: object) -> str:
    """Text XML 1.0 can hold: characters it forbids (most C0 controls, surrogates, U+FFFE/FFFF) and bidi
    controls are shown escaped."""
    s = str(text)
    out = []
    for ch in s:
        n = ord(ch)
        ok = (n in (0x9, 0xA, 0xD) or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or 0x10000 <= n <= 0x10FFFF)
        out.append(ch if ok and ch not in BIDI and not (0x7F <= n <= 0x9F) else _visible(ch))
    return "".join(out)
