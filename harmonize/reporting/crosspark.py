"""The report's body across parks: the parks side by side, domains × parks, and per pair of countries
the gaps and first roadmap actions its parks share, each shown once with the parks it applies to.

The shipped parks share three pairs of countries; a gap or an action of the same pair and measure
repeats across parks. Here it becomes one row with a cell per park (its points, its rank), and where
the parks differ (another value on one side, another target, another instrument) it stays apart: a
row is merged only when what the reader would act on is the same. Every number is read from the
view's parks (themselves read from the check results); nothing is computed anew but sums and counts.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from .charts import stacked_bars, value_bars
from .findings import ACTIONS, GAPS

SEVERITY_ORDER = ("critical", "major", "minor", "info")


def _key(x: Any) -> str:
    return json.dumps(x, sort_keys=True, ensure_ascii=False, default=str)


def _worst(severities) -> Optional[str]:
    found = [s for s in severities if s]
    return min(found, key=SEVERITY_ORDER.index) if found else None


def _groups(parks: list[dict]) -> list[dict]:
    """The parks by pair of countries (either order), in the order the report lists them; a group reads
    its sides in the order of its first park."""
    groups: list[dict] = []
    for p in parks:
        g = next((g for g in groups if {g["a"], g["b"]} == {p["a"], p["b"]}), None)
        if g is None:
            g = {"a": p["a"], "b": p["b"], "name_a": p["name_a"], "name_b": p["name_b"],
                 "anchor": f"pair-{p['a']}-{p['b']}", "members": []}
            groups.append(g)
        g["members"].append((p, p["a"] != g["a"]))  # (park, its sides read the other way round)
    return groups


def _label(p: dict) -> dict:
    """A park's name in a chart: its number in the parks table and its title (the two countries when it
    has no profile); the number first, so that a label cut short still says which park it is."""
    t = p["title"] or {"text": f"{p['name_a']['text']} – {p['name_b']['text']}", "lang": p["name_a"]["lang"],
                       "fallback": p["name_a"].get("fallback", False)}
    return {**t, "text": f"{p['no']}. {t['text']}"}


def _ref(p: dict) -> dict:
    return {"no": p["no"], "title": p["title"], "anchor": p["anchor"]}


def _measure_cell(p: dict, measure: str) -> dict:
    """A park's points on a measure, off the full scale as its gap list counts them: a gap's points, 0
    for a measure scored equal, or not scored (with why)."""
    gap = next((g for g in p["gaps"] if g["measure"] == measure), None)
    if gap is not None:
        return {"scored": True, "points": gap["points"], "reason": None}
    for d in p["domains"]:
        for row in d["rows"]:
            if row["measure"] == measure:
                return {"scored": row["scored"], "points": row["points"] if row["scored"] else None,
                        "reason": row["unscored_reason"]}
    return {"scored": False, "points": None, "reason": None}


def _pair_gaps(members: list[tuple[dict, bool]]) -> list[dict]:
    """Every measure that loses points in a park of the pair: the points in each park, the worst
    severity, and the two sides' values once per distinct combination, with the parks it holds for."""
    rows: dict[str, dict] = {}
    for p, flip in members:
        for g in p["gaps"]:
            row = rows.setdefault(g["measure"], {"measure": g["measure"], "title": g["title"], "domain": g["domain"],
                                                 "severities": [], "variants": {}, "max": 0.0})
            row["severities"].append(g["severity"])
            row["max"] = max(row["max"], g["points"])
            a, b = (g["b"], g["a"]) if flip else (g["a"], g["b"])
            v = row["variants"].setdefault(_key([a, b]), {"a": a, "b": b, "parks": []})
            v["parks"].append(_ref(p))
    out = []
    for row in rows.values():
        out.append({"measure": row["measure"], "title": row["title"], "domain": row["domain"], "max": row["max"],
                    "severity": _worst(row["severities"]), "variants": list(row["variants"].values()),
                    "cells": [_measure_cell(p, row["measure"]) for p, _ in members]})
    out.sort(key=lambda r: (-r["max"], r["measure"]))
    return out


def _pair_actions(members: list[tuple[dict, bool]], first: int) -> tuple[list[dict], int]:
    """The roadmap actions of the pair's parks, one row per action that is the same in several parks
    (measure, target, instruments to amend); the rows that are among the first ``first`` of a park,
    and how many park rows the pair's roadmaps have in all."""
    merged: dict[str, dict] = {}
    total = 0
    for p, flip in members:
        for i in p["roadmap"]:
            total += 1
            amend_a, amend_b = (i["amend_b"], i["amend_a"]) if flip else (i["amend_a"], i["amend_b"])
            key = _key([i["measure"], i["measures"], i["target"], i["instruments"],
                        [x["instrument"] for x in amend_a], [x["instrument"] for x in amend_b],
                        [x["instrument"] for x in i["amend_joint"]]])
            row = merged.setdefault(key, {"measure": i["measure"], "title": i["title"], "measures": i["measures"],
                                          "target": i["target"], "instruments": i["instruments"],
                                          "amend_a": amend_a, "amend_b": amend_b, "amend_joint": i["amend_joint"],
                                          "severities": [], "parks": []})
            row["severities"].append(i["severity"])
            row["parks"].append({**_ref(p), "rank": i["rank"], "recovered": i["recovered"]})
    rows = [r for r in merged.values() if any(x["rank"] <= first for x in r["parks"])]
    for r in rows:
        r["severity"] = _worst(r.pop("severities"))
        r["best"] = min(x["rank"] for x in r["parks"])
    rows.sort(key=lambda r: (r["best"], -len(r["parks"]), -max(x["recovered"] for x in r["parks"]), r["measure"]))
    return rows, total


def points_example(parks: list[dict]) -> Optional[dict]:
    """The report's largest gap (the first park's, on a tie), in the park where it is largest: its points
    off the full scale and the points closing it adds to that park's overall score (the measure's
    contribution), both read from the park's rows, to show the reader the two kinds of points side by side."""
    best: Optional[tuple[dict, dict]] = None
    for p in parks:
        for g in p["gaps"]:
            if g["points"] > 0 and (best is None or g["points"] > best[0]["points"]):
                best = (g, p)
    if best is None:
        return None
    g, p = best
    rise = next((row["points"] for d in p["domains"] for row in d["rows"] if row["measure"] == g["measure"]), None)
    if rise is None:
        return None
    return {"title": g["title"], "park": _ref(p), "full": g["points"], "rise": rise}


def cross_park(parks: list[dict], first: int = ACTIONS, top: int = GAPS) -> dict:
    """The body's cross-park view. ``parks``: the view's parks, each numbered (``no``)."""
    groups = []
    shown = total = 0
    for g in _groups(parks):
        members = g.pop("members")
        gaps = _pair_gaps(members)
        actions, n = _pair_actions(members, first)
        total += n
        shown += sum(len(a["parks"]) for a in actions)
        gains = [p["findings"]["gain"] for p, _ in members
                 if p["findings"]["actions"] and p["findings"]["gain"] is not None]
        groups.append({**g, "parks": [_ref(p) for p, _ in members], "gaps": gaps, "top": gaps[:top],
                       "gain_low": min(gains) if gains else None, "gain_high": max(gains) if gains else None,
                       "actions": actions, "roadmap_rows": n, "shown_rows": sum(len(a["parks"]) for a in actions)})
    domains = [{"domain": d["domain"], "title": d["title"]} for d in (parks[0]["domains"] if parks else [])]
    rows = []
    for p in parks:
        by = {d["domain"]: d for d in p["domains"]}
        f = p["findings"]
        pair = [p["name_a"], p["name_b"]]
        named = bool(p["title"]) and p["title"]["text"].endswith(f"({pair[0]['text']} – {pair[1]['text']})")
        rows.append({**_ref(p), "pair": None if named else pair, "findings": f, "overall": p["overall"],
                     "sensitivity": p["sensitivity"],
                     "cells": [{"score": by[d["domain"]]["score"] if d["domain"] in by else None,
                                "scored": by[d["domain"]]["scored"] if d["domain"] in by else 0,
                                "n": (by[d["domain"]]["scored"] + by[d["domain"]]["unscored"]) if d["domain"] in by else 0}
                               for d in domains]})
    status = stacked_bars([(_label(p), [p["status_totals"][k] for k in ("verified", "secondary", "unverified", "none")])
                           for p in parks])
    gain = value_bars([(_label(p), p["findings"]["gain"]) for p in parks
                       if p["findings"]["actions"] and p["findings"]["gain"] is not None])
    return {"groups": groups, "domains": domains, "parks": rows, "first": first, "gain_chart": gain,
            "points_example": points_example(parks),
            "status_chart": status,
            "roadmap_rows": total, "roadmap_shown": shown, "roadmap_left": total - shown}


ANNEXES = ("roadmap", "parks", "measures", "joints", "scenarios", "instruments", "method", "weights", "glossary",
           "notes", "data", "sources")


def annex_letters(view: dict) -> dict:
    """The annexes' letters in reading order, A, B, …; the joint view's and the scenarios' annex only
    when the report has them."""
    present = [k for k in ANNEXES if (k != "joints" or view["joints"]) and (k != "scenarios" or view["any_scenarios"])]
    return {k: chr(ord("A") + i) for i, k in enumerate(present)}
