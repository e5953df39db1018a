"""SVG chart geometry as data: the HTML template draws rectangles and text from these numbers.

Every coordinate is rounded to one decimal so the same inputs give byte-identical SVG.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence


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


def domain_bars(rows: Sequence[tuple[Any, Optional[float]]], width: float = 560) -> dict:
    """Horizontal bars, one per domain: label above, bar 0–100 below, score after the bar.

    ``rows``: (label object passed through, score or None = not scored)."""
    bar_w = width - 52
    row_h = 40
    top = 4
    out_rows = []
    for i, (label, score) in enumerate(rows):
        y = top + i * row_h
        w = 0.0 if score is None else bar_w * max(0.0, min(100.0, score)) / 100
        out_rows.append({"label": label, "score": score, "label_y": _r(y + 13), "bar_x": 0.0, "bar_y": _r(y + 19),
                         "bar_w": _r(w), "bar_h": 13.0, "value_x": _r(w + 6), "value_y": _r(y + 30)})
    height = top + len(rows) * row_h + 18
    ticks = [{"value": v, "x": _r(bar_w * v / 100)} for v in (0, 25, 50, 75, 100)]
    return {"width": _r(width), "height": _r(height), "bar_width": _r(bar_w), "rows": out_rows, "ticks": ticks,
            "grid_top": float(top), "grid_bottom": _r(top + len(rows) * row_h), "tick_y": _r(height - 3)}


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
    """Horizontal bars of a non-negative quantity (points lost, points recovered): label above, bar
    below, value after it. ``rows``: (label object passed through, value)."""
    row_h, top, value_w = 38.0, 4.0, 64.0
    bar_w = width - value_w
    peak = top_value if top_value is not None else max((v for _, v in rows), default=0.0)
    ticks = nice_ticks(peak) if peak > 0 else [0.0, 1.0]
    scale = ticks[-1] or 1.0
    out_rows = []
    for i, (label, v) in enumerate(rows):
        y = top + i * row_h
        w = bar_w * max(v, 0.0) / scale
        out_rows.append({"label": label, "value": v, "label_y": _r(y + 13), "bar_y": _r(y + 19), "bar_w": _r(w),
                         "bar_h": 12.0, "value_x": _r(w + 6), "value_y": _r(y + 30)})
    height = top + len(rows) * row_h + 18
    return {"width": _r(width), "height": _r(height), "bar_width": _r(bar_w), "rows": out_rows,
            "ticks": [{"value": t, "x": _r(bar_w * t / scale)} for t in ticks],
            "grid_top": float(top), "grid_bottom": _r(top + len(rows) * row_h), "tick_y": _r(height - 3)}


def score_ranges(rows: Sequence[tuple[Any, Optional[float], Optional[float], Optional[float]]],
                 width: float = 720) -> dict:
    """Parks side by side on one 0–100 axis: a line from the lower to the upper bound, a dot at the score.
    ``rows``: (label, score, lower, upper)."""
    row_h, top, right = 46.0, 4.0, 12.0
    axis_w = width - right
    out_rows = []
    for i, (label, score, lower, upper) in enumerate(rows):
        y = top + i * row_h
        out_rows.append({"label": label, "score": score, "lower": lower, "upper": upper, "label_y": _r(y + 13),
                         "line_y": _r(y + 31),
                         "x_low": None if lower is None else _r(axis_w * lower / 100),
                         "x_high": None if upper is None else _r(axis_w * upper / 100),
                         "x_score": None if score is None else _r(axis_w * score / 100)})
    height = top + len(rows) * row_h + 18
    return {"width": _r(width), "height": _r(height), "rows": out_rows,
            "ticks": [{"value": v, "x": _r(axis_w * v / 100)} for v in (0, 25, 50, 75, 100)],
            "grid_top": float(top), "grid_bottom": _r(top + len(rows) * row_h), "tick_y": _r(height - 3)}


def stacked_bars(rows: Sequence[tuple[Any, Sequence[int]]], width: float = 720) -> dict:
    """One bar per row split into segments by count (values by status), each bar the row's total."""
    row_h, top = 38.0, 4.0
    peak = max((sum(c) for _, c in rows), default=0) or 1
    out_rows = []
    for i, (label, counts) in enumerate(rows):
        y = top + i * row_h
        x, segs = 0.0, []
        for k, c in enumerate(counts):
            w = width * c / peak
            segs.append({"series": k, "count": c, "x": _r(x), "w": _r(w)})
            x += w
        out_rows.append({"label": label, "total": sum(counts), "segments": segs, "label_y": _r(y + 13),
                         "bar_y": _r(y + 19), "bar_h": 14.0})
    return {"width": _r(width), "height": _r(top + len(rows) * row_h + 4), "rows": out_rows}
