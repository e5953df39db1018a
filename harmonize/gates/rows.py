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
    "gap/critical": "A gap costing at least 2 overall points.",
    "gap/major": "A gap costing at least 0.75 overall points.",
    "gap/minor": "A gap costing points.",
    "change/measure": "A measure's contribution to the score changed against the baseline.",
}


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
                                f"{g.a.value.display if g.a.value else 'none'} vs {g.b.jurisdiction} "
                                f"{g.b.value.display if g.b.value else 'none'}",
                                "warning" if g.severity == "critical" else "note",
                                *(loc if loc else (None, None, None)), help=_RULE_HELP.get(f"gap/{g.severity}", "")))
    return rows
