"""The report's cross-park body (harmonize.reporting.crosspark): a gap or an action shared by the parks
of one pair of countries is shown once with the parks it applies to — whichever order a park names the
two countries in — and never merged where the parks differ."""

from __future__ import annotations

from harmonize.reporting.crosspark import annex_letters, cross_park


def _t(s: str) -> dict:
    return {"text": s, "lang": "en", "fallback": False}


def _side(code: str, value: str) -> dict:
    return {"jurisdiction": code, "value": {"display": value, "sources": []}, "cap": None}


def _park(no: int, a: str, b: str, gaps: dict, roadmap: list[dict]) -> dict:
    """A view park: ``gaps`` {measure: (points, value of a, value of b)}; ``roadmap`` rows with their
    measure, rank, recovered points, target and the instruments each side amends."""
    rows = [{"measure": m, "scored": True, "points": p, "unscored_reason": None} for m, (p, _, _) in gaps.items()]
    rows.append({"measure": "not_scored_here", "scored": False, "points": 0.0, "unscored_reason": "unverified_value"})
    return {
        "no": no, "id": f"park{no}", "title": _t(f"Park {no}"), "anchor": f"park-{no}", "a": a, "b": b,
        "name_a": _t(a.upper()), "name_b": _t(b.upper()),
        "domains": [{"domain": "tax", "title": _t("Taxation"), "score": 50.0, "scored": len(gaps), "unscored": 1,
                     "rows": rows}],
        "gaps": [{"measure": m, "title": _t(m), "domain": _t("Taxation"), "severity": "major", "points": p,
                  "a": _side(a, va), "b": _side(b, vb)} for m, (p, va, vb) in gaps.items()],
        "roadmap": [{"measure": r["measure"], "title": _t(r["measure"]), "measures": 1, "target": r["target"],
                     "instruments": 1, "rank": r["rank"], "recovered": r["recovered"], "severity": "major",
                     "amend_a": [{"instrument": i} for i in r.get(a, [])],
                     "amend_b": [{"instrument": i} for i in r.get(b, [])], "amend_joint": []}
                    for r in roadmap],
        "findings": {"gain": sum(r["recovered"] for r in roadmap[:5]), "actions": roadmap[:5], "scored": 1,
                     "compared": 2},
        "overall": {"score": 50.0}, "sensitivity": None,
        "status_totals": {"verified": 1, "secondary": 0, "unverified": 0, "none": 1},
    }


TARGET = {"value": "5 %", "changes": ["VN"], "from_side": "LA"}


def test_a_gap_shared_by_a_pair_is_one_row_with_the_points_of_each_park():
    # park 2 names the pair the other way round (la, vn): its sides are read in the group's order
    p1 = _park(1, "vn", "la", {"wht": (3.0, "10 %", "5 %"), "cit": (1.0, "20 %", "20 %")}, [])
    p2 = _park(2, "la", "vn", {"wht": (2.5, "5 %", "10 %")}, [])
    p3 = _park(3, "vn", "kh", {"wht": (4.0, "10 %", "14 %")}, [])
    x = cross_park([p1, p2, p3])
    assert [(g["a"], g["b"], [p["no"] for p in g["parks"]]) for g in x["groups"]] == [("vn", "la", [1, 2]),
                                                                                     ("vn", "kh", [3])]
    wht = x["groups"][0]["gaps"][0]
    assert wht["measure"] == "wht" and wht["max"] == 3.0
    assert [c["points"] for c in wht["cells"]] == [3.0, 2.5]
    # the same values on each side, read in the group's order: one variant for both parks
    assert len(wht["variants"]) == 1 and [p["no"] for p in wht["variants"][0]["parks"]] == [1, 2]
    assert wht["variants"][0]["a"]["jurisdiction"] == "vn"
    cit = x["groups"][0]["gaps"][1]  # a gap of park 1 only: park 2 did not score it
    assert cit["cells"][1] == {"scored": False, "points": None, "reason": None}


def test_a_park_that_differs_is_never_merged_away():
    p1 = _park(1, "vn", "la", {"cit": (5.0, "20 %", "8y exempt")}, [])
    p2 = _park(2, "vn", "la", {"cit": (9.0, "20 %", "7y exempt")}, [])
    gap = cross_park([p1, p2])["groups"][0]["gaps"][0]
    assert [[p["no"] for p in v["parks"]] for v in gap["variants"]] == [[1], [2]]


def test_first_actions_are_merged_by_measure_target_and_instruments():
    same = {"measure": "wht", "target": TARGET, "vn": ["vn-circular"], "recovered": 3.0}
    p1 = _park(1, "vn", "la", {}, [{**same, "rank": 1}, {"measure": "late", "target": TARGET, "rank": 6,
                                                        "recovered": 0.1}])
    p2 = _park(2, "la", "vn", {}, [{**same, "rank": 2, "recovered": 1.5},
                                   {"measure": "fund", "target": TARGET, "vn": ["vn-decree"], "rank": 1,
                                    "recovered": 2.0}])
    p3 = _park(3, "vn", "la", {}, [{**same, "vn": ["another-instrument"], "rank": 1}])
    x = cross_park([p1, p2, p3])
    acts = x["groups"][0]["actions"]
    # wht in parks 1 and 2 amends the same instrument: one row; park 3 amends another: its own row. Rows
    # by their best rank, then by the parks they serve, then by the points they recover
    assert [(a["measure"], [(p["no"], p["rank"], p["recovered"]) for p in a["parks"]]) for a in acts] == [
        ("wht", [(1, 1, 3.0), (2, 2, 1.5)]), ("wht", [(3, 1, 3.0)]), ("fund", [(2, 1, 2.0)])]
    assert acts[0]["amend_a"] == [{"instrument": "vn-circular"}] and acts[0]["amend_b"] == []
    # 'late' (rank 6 in its only park) is left out of the body, and counted
    assert x["roadmap_rows"] == 5 and x["roadmap_shown"] == 4 and x["roadmap_left"] == 1


def test_annex_letters_follow_the_reading_order_and_skip_what_is_absent():
    full = annex_letters({"joints": [{}], "any_scenarios": True})
    assert list(full.values()) == [chr(ord("A") + i) for i in range(len(full))]
    assert full["roadmap"] == "A" and full["measures"] == "C" and full["sources"] == "L"
    bare = annex_letters({"joints": [], "any_scenarios": False})
    assert "joints" not in bare and "scenarios" not in bare and bare["instruments"] == "D"
