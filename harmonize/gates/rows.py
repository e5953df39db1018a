"""Gates, gaps and measure changes of a check as located rows for the machine formats
(GitHub annotations, SARIF)."""

from __future__ import annotations

from .formats import Row
from .gates import EPS, Gate, ParkCheck
from .locations import measure_location


def gate_rows(gates: list[Gate]):
    rows = []
    for g in gates:
        loc = g.location or (g.blame[0].location if g.blame else None)
        rows.append(Row(g.rule, "gate-passed" if g.passed else "gate-failed",
                        (f"[{g.park}] " if g.park else "") + ("PASS " if g.passed else "FAIL ") + g.message,
                        "note" if g.passed else "error",
                        loc[0] if loc else None, loc[1] if loc else None, loc[2] if loc else None,
                        help=_RULE_HELP.get(g.rule.split("/domain/")[0] + ("/domain" if "/domain/" in g.rule else ""),
                                            "a CI gate of harmonize check")))
    return rows


_RULE_HELP = {
    "gate/overall": "The overall compatibility score must reach --fail-under.",
    "gate/domain": "A domain's compatibility score must reach --fail-under DOMAIN=SCORE.",
    "gate/max-drop": "The overall score may not fall by more than --max-drop points against the baseline.",
    "gate/new-critical": "No gap may become critical compared with the baseline.",
    "gate/legal-basis": "No value may lose its article, instrument or verification status, or be removed.",
    "gate/park-removed": "A park profile the baseline holds may not disappear unless the baseline is updated with it.",
    "gap/critical": "A gap costing at least 2 points of the full scale (whole catalogue weight, catalogue weights).",
    "gap/major": "A gap costing at least 0.75 points of the full scale.",
    "gap/minor": "A gap costing points.",
    "score/overall": "The overall score with its bounds and coverage (provisional below the catalogue threshold).",
    "change/measure": "A measure's contribution to the score changed against the baseline.",
}


def score_rows(checks: list[ParkCheck]):
    """One notice per park: the score, its bounds and its coverage (never a score alone)."""
    from ..reporting.text import fmt_bounds

    rows = []
    for pc in checks:
        o = pc.result.overall
        rows.append(Row("score/overall", "score",
                        (f"[{pc.park_id}] " if pc.park_id else "") + f"overall {fmt_bounds(o)}"
                        + (" (not to be ranked against other parks)" if o.provisional else "")
                        + "; domains: " + ", ".join(f"{d.domain} {fmt_bounds(d)}" for d in pc.result.domains),
                        "note", help=_RULE_HELP["score/overall"]))
    return rows


def finding_rows(ps, checks: list[ParkCheck]):
    """Gaps (no baseline) or measure changes (with a baseline), located at the value's line."""
    rows = []
    for pc in checks:
        prefix = f"[{pc.park_id}] " if pc.park_id else ""
        mrows = {m.measure: m for m in pc.result.measures}
        if pc.delta is not None:
            for c in pc.delta.measures:
                loc = measure_location(ps, mrows.get(c.measure), c.sides[0].jurisdiction if c.sides else None)
                sides = "; ".join(f"{s.jurisdiction} {s.before or 'none'} → {s.after or 'none'}" for s in c.sides)
                verb = "costs" if c.change > 0 else "recovers"
                rows.append(Row("change/measure", "measure-changed",
                                f"{prefix}{c.measure} ({c.title}) {verb} {abs(c.change):.2f} overall points"
                                + (f": {sides}" if sides else ""),
                                "warning" if c.change > EPS else "note",
                                *(loc if loc else (None, None, None)), help=_RULE_HELP["change/measure"]))
        else:
            for g in pc.result.gaps:
                if g.points_lost <= EPS:
                    continue
                loc = measure_location(ps, mrows.get(g.measure))
                rows.append(Row(f"gap/{g.severity}", g.type.replace("_", "-"),
                                f"{prefix}{g.measure} ({g.title}): {g.type.replace('_', ' ')}, −{g.points_lost:.2f} "
                                f"overall points; {g.a.jurisdiction} "
                                f"{_shown(g.a)} vs {g.b.jurisdiction} {_shown(g.b)} (severity points "
                                f"{g.severity_points:.2f})",
                                "warning" if g.severity == "critical" else "note",
                                *(loc if loc else (None, None, None)), help=_RULE_HELP.get(f"gap/{g.severity}", "")))
    return rows


def _shown(side) -> str:
    if side.value is not None:
        return side.value.display
    if side.implied is not None:
        return f"{side.implied.display} (implied by silence)"
    return "no such rule"
