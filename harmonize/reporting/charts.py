"""SVG chart geometry as data: the HTML template draws rectangles and text from these numbers.

Every coordinate is rounded to one decimal so the same inputs give byte-identical SVG.

Labels are never cut to fit: SVG text does not wrap, so ``wrap`` lays each label out over lines
(``<tspan>``), measuring it with a conservative advance per character and script (Lao and Khmer glyphs
are wider than Latin ones; combining marks take no width) at the font size the report's CSS gives chart
text. Lines break at spaces; a run with no space wider than the chart (Lao and Khmer write words
without spaces) is split between grapheme clusters, and then the label is marked ``cut`` so the
template gives the full text in a ``<title>`` (the chart's ``<desc>`` always has it).
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from typing import Any, Optional, Sequence

FONT_PX = 13.0  # svg text (templates/report.html.j2)
LINE_PX = 18.0  # a label's line step, Latin script
LINE_PX_TALL = 22.0  # Lao and Khmer: stacked vowels and subscripts need more


def _tall(ch: str) -> bool:
    return "\u0e80" <= ch <= "\u0eff" or "\u1780" <= ch <= "\u17ff" or "\u19e0" <= ch <= "\u19ff"


@lru_cache(maxsize=None)
def char_em(ch: str) -> float:
    """A conservative advance of ``ch`` in em (wider than the widest common glyph of its class);
    remembered per character (a report measures about 70,000 characters of a few hundred kinds)."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    o = ord(ch)
    if 0x1780 <= o <= 0x17FF or 0x19E0 <= o <= 0x19FF:  # Khmer
        return 1.0
    if 0x0E00 <= o <= 0x0EFF:  # Thai, Lao
        return 0.85
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.05
    if ch == " ":
        return 0.32
    if ch in "mwMW@%—…":
        return 0.95
    if ch.isupper() or ch.isdigit():
        return 0.72
    if ch in "ilj.,:;'|!()[]":
        return 0.4
    return 0.62


def text_px(text: str, font: float = FONT_PX) -> float:
    return font * sum(map(char_em, text))


def _breakable_before(text: str, i: int) -> bool:
    """True when a word may be split before ``text[i]``: never inside a grapheme cluster (a combining
    mark, a Khmer subscript after the coeng sign, a joiner)."""
    if i <= 0 or i >= len(text):
        return False
    cur, prev = text[i], text[i - 1]
    return not (unicodedata.category(cur).startswith("M") or prev in "\u17d2\u200d" or cur == "\u200d")


def _split_word(word: str, width: float) -> list[str]:
    """A word wider than ``width`` in pieces that fit, split between grapheme clusters (at the last
    boundary before the piece overflows; a single cluster wider than the line stays whole)."""
    pieces, start, used, cut_at, used_before = [], 0, 0.0, None, 0.0
    for i, ch in enumerate(word):
        if i > start and _breakable_before(word, i):
            cut_at, used_before = i, used
        used += text_px(ch)
        if used > width and cut_at is not None:
            pieces.append(word[start:cut_at])
            start, used, cut_at = cut_at, used - used_before, None
    pieces.append(word[start:])
    return pieces


def wrap(segments: Sequence[tuple[str, bool]], width: float) -> dict:
    """A label over lines of at most ``width`` px: {lines: [[{seg, text}]], cut, full, line_h}.

    ``segments``: (text, starts a new line); each piece of a line says which segment it comes from, so
    the template can style and tag each (a muted count after an English title, say)."""
    lines: list[list[dict]] = [[]]
    used, cut = 0.0, False
    space = text_px(" ")
    for seg, (text, newline) in enumerate(segments):
        if newline and lines[-1]:
            lines.append([])
            used = 0.0
        for k, word in enumerate(text.replace("\u200b", " ").split(" ")):
            if not word:
                continue
            lead = k > 0 or (seg > 0 and not newline and text[:1] == " ")
            gap = space if (lead and lines[-1]) else 0.0
            w = text_px(word)
            if lines[-1] and used + gap + w > width:
                lines.append([])
                used, gap = 0.0, 0.0
            for j, piece in enumerate(_split_word(word, width) if w > width else [word]):
                if j > 0:
                    lines.append([])
                    used, gap, cut = 0.0, 0.0, True
                line = lines[-1]
                if line and line[-1]["seg"] == seg:
                    line[-1]["text"] += (" " if gap else "") + piece
                else:
                    line.append({"seg": seg, "text": (" " if gap else "") + piece})
                used += gap + text_px(piece)
    lines = [ln for ln in lines if ln] or [[{"seg": 0, "text": ""}]]
    full = "".join(t if (i == 0 or not nl) else " " + t for i, (t, nl) in enumerate(segments))
    tall = any(_tall(c) for t, _ in segments for c in t)
    return {"lines": lines, "cut": cut, "full": " ".join(full.split()), "line_h": LINE_PX_TALL if tall else LINE_PX}


def _segments(label: Any, extra: Optional[Sequence[tuple[str, bool]]] = None) -> list[tuple[str, bool]]:
    text = label.get("text", "") if isinstance(label, dict) else str(label)
    return [(text, False), *(extra or [])]


def _more(lab: dict) -> float:
    """The height a label takes beyond its first line, and the room tall scripts need above it."""
    return (len(lab["lines"]) - 1) * lab["line_h"] + _pad(lab)


def _pad(lab: dict) -> float:
    """Lao and Khmer marks stack above the line: their first line starts lower."""
    return lab["line_h"] - LINE_PX


VALUE_PX = 16 * 0.72 * FONT_PX  # "81.8 (59.1–83.2)": a score and its bounds, widest digits


def _r(x: float) -> float:
    return round(x, 1) + 0.0


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """0 and ``count`` round steps covering ``top`` (1, 2, 2.5 or 5 × a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def domain_bars(rows: Sequence[tuple[Any, Optional[float]]], width: float = 560,
                extra: Optional[Sequence[Sequence[tuple[str, bool]]]] = None) -> dict:
    """Horizontal bars, one per domain: label above (wrapped), bar 0–100 below, score after the bar.

    ``rows``: (label object passed through, score or None = not scored); ``extra``: per row, segments
    shown after the label's ``title`` (its count of measures scored)."""
    bar_w = width - 52
    top = 4.0
    y = top
    out_rows = []
    for i, (label, score) in enumerate(rows):
        title = label.get("title", label) if isinstance(label, dict) else label
        lab = wrap(_segments(title, extra[i] if extra else None), width)
        w = 0.0 if score is None else bar_w * max(0.0, min(100.0, score)) / 100
        dy = _more(lab)
        out_rows.append({"label": label, "score": score, "text": lab, "label_y": _r(y + 13 + _pad(lab)), "bar_x": 0.0,
                         "bar_y": _r(y + 19 + dy), "bar_w": _r(w), "bar_h": 13.0, "value_x": _r(w + 6),
                         "value_y": _r(y + 30 + dy)})
        y += 40 + dy
    height = y + 18
    ticks = [{"value": v, "x": _r(bar_w * v / 100)} for v in (0, 25, 50, 75, 100)]
    return {"width": _r(width), "height": _r(height), "bar_width": _r(bar_w), "rows": out_rows, "ticks": ticks,
            "grid_top": float(top), "grid_bottom": _r(y), "tick_y": _r(height - 3)}


def grouped_bars(years: Sequence[int], series: Sequence[Sequence[float]], width: float = 480,
                 height: float = 220) -> dict:
    """Vertical bars per year, one bar per series side by side, with a y axis of round ticks."""
    left, right, top, bottom = 58.0, 6.0, 8.0, 26.0
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for s in series for v in s), default=0.0)
    ticks = nice_ticks(peak)
    y_max = ticks[-1] or 1.0
    n = max(len(years), 1)
    group = plot_w / n
    k = max(len(series), 1)
    bar = group * 0.8 / k
    bars = []
    for i, year in enumerate(years):
        for j, s in enumerate(series):
            v = s[i]
            h = plot_h * max(v, 0.0) / y_max
            bars.append({"series": j, "year": year, "value": v, "x": _r(left + i * group + group * 0.1 + j * bar),
                         "y": _r(top + plot_h - h), "w": _r(bar), "h": _r(h)})
    step = max(1, math.ceil(n / 12))  # at most ~12 year labels
    labels = [{"year": year, "x": _r(left + i * group + group / 2)} for i, year in enumerate(years) if i % step == 0]
    return {"width": _r(width), "height": _r(height), "left": left, "right": _r(width - right), "top": top,
            "bottom": _r(top + plot_h), "bars": bars, "year_labels": labels, "label_y": _r(height - 8),
            "ticks": [{"value": t, "y": _r(top + plot_h - plot_h * t / y_max)} for t in ticks]}


def value_bars(rows: Sequence[tuple[Any, float]], width: float = 720, top_value: Optional[float] = None) -> dict:
    """Horizontal bars of a non-negative quantity (points lost, points recovered): label above
    (wrapped), bar below, value after it. ``rows``: (label Text passed through, value)."""
    top, value_w = 4.0, 64.0
    bar_w = width - value_w
    peak = top_value if top_value is not None else max((v for _, v in rows), default=0.0)
    ticks = nice_ticks(peak) if peak > 0 else [0.0, 1.0]
    scale = ticks[-1] or 1.0
    out_rows = []
    y = top
    for label, v in rows:
        lab = wrap(_segments(label), width)
        dy = _more(lab)
        w = bar_w * max(v, 0.0) / scale
        out_rows.append({"label": label, "value": v, "text": lab, "label_y": _r(y + 13 + _pad(lab)),
                         "bar_y": _r(y + 19 + dy), "bar_w": _r(w), "bar_h": 12.0, "value_x": _r(w + 6), "value_y": _r(y + 30 + dy)})
        y += 38 + dy
    height = y + 18
    return {"width": _r(width), "height": _r(height), "bar_width": _r(bar_w), "rows": out_rows,
            "ticks": [{"value": t, "x": _r(bar_w * t / scale)} for t in ticks],
            "grid_top": float(top), "grid_bottom": _r(y), "tick_y": _r(height - 3)}


def score_ranges(rows: Sequence[tuple[Any, Optional[float], Optional[float], Optional[float]]],
                 width: float = 720, coverage: Optional[Sequence[str]] = None) -> dict:
    """Parks side by side on one 0–100 axis: a line from the lower to the upper bound, a dot at the score.
    ``rows``: (label Text, score, lower, upper); ``coverage``: per row, the line saying how much of the
    catalogue was scored (shown under the label: why a park ranks where it does)."""
    top, right = 4.0, 12.0
    axis_w = width - right
    out_rows = []
    y = top
    for i, (label, score, lower, upper) in enumerate(rows):
        lab = wrap(_segments(label, [(coverage[i], True)] if coverage else None), width)
        dy = _more(lab)
        out_rows.append({"label": label, "score": score, "lower": lower, "upper": upper, "text": lab,
                         "coverage": coverage[i] if coverage else None, "label_y": _r(y + 13 + _pad(lab)),
                         "line_y": _r(y + 31 + dy),
                         "x_low": None if lower is None else _r(axis_w * lower / 100),
                         "x_high": None if upper is None else _r(axis_w * upper / 100),
                         "x_score": None if score is None else _r(axis_w * score / 100),
                         "value_right": upper is not None and axis_w * upper / 100 + 8 + VALUE_PX <= width})
        y += 46 + dy
    height = y + 18
    return {"width": _r(width), "height": _r(height), "rows": out_rows,
            "ticks": [{"value": v, "x": _r(axis_w * v / 100)} for v in (0, 25, 50, 75, 100)],
            "grid_top": float(top), "grid_bottom": _r(y), "tick_y": _r(height - 3)}


def stacked_bars(rows: Sequence[tuple[Any, Sequence[int]]], width: float = 720) -> dict:
    """One bar per row split into segments by count (values by status), each bar the row's total."""
    top = 4.0
    peak = max((sum(c) for _, c in rows), default=0) or 1
    out_rows = []
    y = top
    for label, counts in rows:
        lab = wrap(_segments(label), width)
        dy = _more(lab)
        x, segs = 0.0, []
        for k, c in enumerate(counts):
            w = width * c / peak
            segs.append({"series": k, "count": c, "x": _r(x), "w": _r(w)})
            x += w
        out_rows.append({"label": label, "total": sum(counts), "segments": segs, "text": lab,
                         "label_y": _r(y + 13 + _pad(lab)), "bar_y": _r(y + 19 + dy), "bar_h": 14.0})
        y += 38 + dy
    return {"width": _r(width), "height": _r(y + 4), "rows": out_rows}
