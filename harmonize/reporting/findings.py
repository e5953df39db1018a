"""Key findings: the numbers of the report's first page, every one read from the check result.

Nothing here is typed or estimated. The points a roadmap action would recover are the points its
measures take off the overall score today (``MeasureRow.contribution``): the overall score is by
definition 100 minus the sum of the contributions, and a measure brought to similarity 1 stays
scored with the same weight, so closing it raises the score by exactly its contribution. The score
after the first actions, with its bounds, is the engine's (``CheckResult.after_actions``, worked out
by ``engine.after``): it is read here, never added up from the actions.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..engine.after import AFTER_ACTIONS
from ..engine.result import CheckResult, RoadmapItem
from .i18n import N_

ACTIONS = AFTER_ACTIONS  # roadmap actions in the key findings: those the result's after_actions takes
GAPS = 3  # gaps in the key findings


def recoverable(r: CheckResult, item: RoadmapItem) -> float:
    """Points the overall score would gain if every measure this action closes matched fully."""
    closes = set(item.measures or [item.measure])
    return math.fsum(m.contribution for m in r.measures if m.measure in closes)


def _target(r: CheckResult, item: RoadmapItem) -> Optional[dict]:
    """The target value of the action's first measure: what, from which side, who changes."""
    gap = next((g for g in r.gaps if g.measure == item.measure), None)
    if gap is None:
        return None
    opt = next((o for o in gap.options if o.kind == item.option and o.target is not None), None)
    if opt is None or opt.target is None:
        return None
    t = opt.target
    return {"value": t.value, "from_side": t.from_side, "changes": list(t.changes),
            "candidates": dict(t.candidates), "typed": t.typed, "typed_candidates": dict(t.typed_candidates)}


def name_target(t: Optional[dict], jname, shown=None) -> Optional[dict]:
    """A target with jurisdiction names (``jname(code)`` gives a Text) in place of codes, and its values
    in the reader's language (``shown(TargetValue)`` gives a Text; ``shown``: None where the target
    carries no typed value, and the templates show the English ``value``)."""
    if t is None:
        return None
    typed = t.get("typed_candidates", {})

    def render(tv):
        return shown(tv) if (shown is not None and tv is not None) else None

    return {"value": t["value"], "shown": render(t.get("typed")),
            "from_side": jname(t["from_side"]) if t["from_side"] else None,
            "changes": [jname(c) for c in t["changes"]],
            "candidates": [{"name": jname(k), "value": v, "shown": render(typed.get(k))}
                           for k, v in sorted(t["candidates"].items())]}


def action(r: CheckResult, item: RoadmapItem) -> dict:
    """One roadmap action: its target, the instruments it changes and the points it would recover."""
    return {"rank": item.rank, "measure": item.measure, "title": item.title, "measures": len(item.measures),
            "instruments": item.changes, "target": _target(r, item), "points": recoverable(r, item),
            "points_full": item.points_lost}


def actions(r: CheckResult, n: int = ACTIONS) -> list[dict]:
    """The first ``n`` roadmap actions with their target and the points each would recover."""
    return [action(r, item) for item in r.roadmap[:n]]


def park_findings(r: CheckResult, n_actions: int = ACTIONS) -> dict:
    """Score, bounds, coverage, the first actions, the score after them with its bounds and gain (the
    result's ``after_actions``: none when the result has none, or it took another number of actions),
    and the data confidence line."""
    o = r.overall
    acts = actions(r, n_actions)
    after = r.after_actions if r.after_actions is not None and r.after_actions.n == len(acts) else None
    totals = {"verified": 0, "secondary": 0, "unverified": 0, "none": 0}
    for counts in r.coverage.values_by_status.values():
        for k in totals:
            totals[k] += counts.get(k, 0)
    return {"score": o.score, "lower": o.lower, "upper": o.upper, "coverage": o.coverage * 100,
            "provisional": o.provisional, "scored": r.coverage.scored, "compared": r.coverage.measures_compared,
            "unscored": r.coverage.unscored, "points_lost": o.points_lost, "actions": acts,
            "gain": after.gain if after is not None else None, "after": after.score if after is not None else None,
            "after_lower": after.lower if after is not None else None,
            "after_upper": after.upper if after is not None else None, "statuses": totals,
            "values_total": sum(totals.values()), "instruments_ranked": len(r.roadmap)}


def compare_parks(parks: list[dict[str, Any]], max_difference: float) -> dict:
    """Cross-park comparison: ranked by score only when every park is scored, none is provisional and
    their coverage differs by at most ``max_difference`` (a share, 0.10 = ten percentage points).

    ``parks``: dicts with ``title``, ``score``, ``coverage`` (percent) and ``provisional``."""
    scored = [p for p in parks if p["score"] is not None]
    covs = [p["coverage"] for p in scored]
    spread = (max(covs) - min(covs)) if covs else 0.0
    low = min(scored, key=lambda p: (p["coverage"], str(p["id"])), default=None)
    high = max(scored, key=lambda p: (p["coverage"], str(p["id"])), default=None)
    provisional = [p for p in parks if p["provisional"] or p["score"] is None]
    reason = None
    if len(parks) < 2:
        reason = "single"
    elif provisional:
        reason = "provisional"
    elif spread > max_difference * 100 + 1e-9:
        reason = "coverage"
    order = sorted(scored, key=lambda p: (-p["score"], str(p["id"]))) if reason is None else list(parks)
    return {"ranked": reason is None, "reason": reason, "order": order, "spread": spread,
            "threshold": max_difference * 100, "low": low, "high": high, "provisional": provisional}


# the parks chart: under each park, what its score rests on (why it ranks where it does)
COVERED = N_("%(x)s of %(n)s measures scored (%(cov)s of the catalogue weight)")
EDITION_NAMES = {"en": "English", "vi": "Tiếng Việt", "lo": "ພາສາລາວ", "km": "ភាសាខ្មែរ"}


def document_view(parks: list[dict], settings, lang: str, text) -> dict:
    """The document apparatus (status, issuing body, dates, other editions) and the cross-park
    comparison with its chart. ``parks``: the view's parks; ``text``: view.text."""
    from .charts import score_ranges

    rows = [{"id": p["id"], "anchor": p["anchor"], **p["findings"],
             "title": p["title"] or {"text": f"{p['name_a']['text']} – {p['name_b']['text']}", "lang": p["name_a"]["lang"],
                                     "fallback": p["name_a"]["fallback"]}} for p in parks]
    cmp = compare_parks(rows, settings.comparison.max_coverage_difference)
    from .formatting import Formatter
    from .i18n import translations

    fmt, covered = Formatter(lang), translations(lang).gettext(COVERED)
    chart = score_ranges([(x["title"], x["score"], x["lower"], x["upper"]) for x in cmp["order"]],
                         coverage=[covered % {"x": x["scored"], "n": x["compared"], "cov": fmt.pct(x["coverage"], 0)}
                                   for x in cmp["order"]])
    editions = [{"lang": lg, "name": EDITION_NAMES[lg], "href": href, "current": lg == lang}
                for lg, href in sorted(settings.editions.items(), key=lambda kv: list(EDITION_NAMES).index(kv[0]))]
    return {"status": settings.status,
            "issuing_body": text(settings.issuing_body, lang) if settings.issuing_body is not None else None,
            "issued": settings.issued, "cutoff": settings.information_cutoff, "editions": editions,
            "full_report": settings.full_report, "comparison": cmp, "comparison_why": settings.comparison.why,
            "park_chart": chart}
