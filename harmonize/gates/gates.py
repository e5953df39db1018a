"""CI gates on a check: score thresholds, the baseline comparison and lost legal bases.

Each gate passes or fails with a message that names by how much and the measures responsible,
located at their policy file lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..reporting.text import fmt_change, fmt_score
from .locations import measure_location, value_loc
from .policydiff import basis

EPS = 1e-9


@dataclass
class Blame:
    measure: str
    points: float  # overall points this measure takes off (or, with a baseline, more than before)
    text: str
    location: Optional[tuple[str, int, int]] = None


@dataclass
class Gate:
    rule: str
    park: Optional[str]
    passed: bool
    message: str
    blame: list[Blame] = field(default_factory=list)
    location: Optional[tuple[str, int, int]] = None

    @property
    def name(self) -> str:
        return f"{self.rule} [{self.park}]" if self.park else self.rule

    def to_dict(self) -> dict:
        return {"rule": self.rule, "park": self.park, "passed": self.passed, "message": self.message,
                "measures": [{"measure": b.measure, "points": b.points, "text": b.text,
                              "file": b.location[0] if b.location else None,
                              "line": b.location[1] if b.location else None} for b in self.blame]}


@dataclass
class ParkCheck:
    park_id: Optional[str]
    result: Any
    base: Any = None
    delta: Any = None
    gates: list[Gate] = field(default_factory=list)


def _blame_result(ps, result, domain: Optional[str] = None, n: int = 3) -> list[Blame]:
    rows = [m for m in result.measures if m.scored and m.contribution > EPS and (domain is None or m.domain == domain)]
    rows.sort(key=lambda m: (-m.contribution, m.measure))
    out = []
    for m in rows[:n]:
        pts = m.points_lost_domain if domain else m.contribution
        out.append(Blame(m.measure, pts, f"{m.measure} −{pts:.2f} pts (similarity {m.similarity:.2f}: "
                                         f"{_side_text(m.a)} vs {_side_text(m.b)})", measure_location(ps, m)))
    return out


def _side_text(side) -> str:
    return f"{side.jurisdiction} {side.value.display if side.value else 'none'}"


def _blame_delta(ps, result, delta, domain: Optional[str] = None, n: int = 3) -> list[Blame]:
    rows = {m.measure: m for m in result.measures}
    changes = [c for c in delta.measures if c.change > EPS and (domain is None or c.domain == domain)]
    out = []
    for c in changes[:n]:
        sides = "; ".join(f"{s.jurisdiction} {s.before or 'none'} → {s.after or 'none'}" for s in c.sides)
        out.append(Blame(c.measure, c.change,
                         f"{c.measure} −{c.change:.2f} pts" + (f" ({sides})" if sides else ""),
                         measure_location(ps, rows.get(c.measure), c.sides[0].jurisdiction if c.sides else None)))
    return out


def _blames(blame: list[Blame]) -> str:
    return "; responsible: " + ", ".join(b.text for b in blame) if blame else ""


def _uncertainty(r) -> str:
    o = r.overall
    if o.lower is None:
        return ""
    return (f" (bounds {o.lower:.1f}–{o.upper:.1f}, coverage {o.coverage:.0%}"
            + (", provisional" if o.provisional else "") + ")")


def score_gates(ps, pc: ParkCheck, overall: Optional[float], per: dict[str, float]) -> list[Gate]:
    r, gates = pc.result, []
    if overall is not None:
        s = r.overall.score
        if s is None:
            gates.append(Gate("gate/overall", pc.park_id, False, f"overall score not computed (nothing scored); "
                                                                 f"--fail-under {overall:g} cannot be met"))
        elif s + EPS < overall:
            blame = _blame_delta(ps, r, pc.delta) if pc.delta else []
            blame = blame or _blame_result(ps, r)
            gates.append(Gate("gate/overall", pc.park_id, False,
                              f"overall score {s:.2f} is {overall - s:.2f} below --fail-under {overall:g}"
                              + _uncertainty(r) + _blames(blame), blame))
        else:
            gates.append(Gate("gate/overall", pc.park_id, True, f"overall score {s:.2f} ≥ {overall:g}"
                              + _uncertainty(r)))
    dom = {d.domain: d for d in r.domains}
    for key, thr in sorted(per.items()):
        d = dom.get(key)
        rule = f"gate/domain/{key}"
        if d is None or d.score is None:
            gates.append(Gate(rule, pc.park_id, False, f"domain {key} is not scored (no measure with known values "
                                                       f"on both sides); --fail-under {key}={thr:g} cannot be met"))
        elif d.score + EPS < thr:
            blame = (_blame_delta(ps, r, pc.delta, key) if pc.delta else []) or _blame_result(ps, r, key)
            gates.append(Gate(rule, pc.park_id, False,
                              f"{key} score {d.score:.2f} is {thr - d.score:.2f} below --fail-under {key}={thr:g}"
                              + _blames(blame), blame))
        else:
            gates.append(Gate(rule, pc.park_id, True, f"{key} score {d.score:.2f} ≥ {thr:g}"))
    return gates


def baseline_gates(ps, pc: ParkCheck, max_drop: float, new_critical: bool) -> list[Gate]:
    r, d = pc.result, pc.delta
    gates = []
    ch = d.overall.change
    if ch is None:
        before, after = d.overall.before, d.overall.after
        ok = not (before is not None and after is None)
        gates.append(Gate("gate/max-drop", pc.park_id, ok,
                          f"overall score {fmt_score(before)} → {fmt_score(after)}"
                          + ("" if ok else ": no longer scored")))
    elif -ch > max_drop + EPS:
        blame = _blame_delta(ps, r, d)
        gates.append(Gate("gate/max-drop", pc.park_id, False,
                          f"overall score fell {-ch:.2f} points ({d.overall.before:.2f} → {d.overall.after:.2f}), "
                          f"{-ch - max_drop:.2f} more than --max-drop {max_drop:g}" + _blames(blame), blame))
    else:
        gates.append(Gate("gate/max-drop", pc.park_id, True,
                          f"overall score {d.overall.before:.2f} → {d.overall.after:.2f} ({fmt_change(ch)}), "
                          f"within --max-drop {max_drop:g}"))
    if new_critical:
        new = d.new_gaps("critical")
        rows = {m.measure: m for m in r.measures}
        moved = {c.measure: c.sides[0].jurisdiction for c in d.measures if c.sides}
        if new:
            blame = [Blame(g.measure, g.points_after - g.points_before,
                           f"{g.measure} ({g.severity_before or 'no gap'} → critical, −{g.points_after:.2f} pts)",
                           measure_location(ps, rows.get(g.measure), moved.get(g.measure))) for g in new]
            gates.append(Gate("gate/new-critical", pc.park_id, False,
                              f"{len(new)} new critical gap{'s' * (len(new) != 1)}" + _blames(blame), blame))
        else:
            gates.append(Gate("gate/new-critical", pc.park_id, True, "no new critical gap"))
    return gates


def legal_basis_gate(head_ps, policy_diff) -> Gate:
    losses = policy_diff.basis_losses()
    if not losses:
        extra = " (among the values the baseline result shows)" if policy_diff.partial_base else ""
        return Gate("gate/legal-basis", None, True, f"no value lost its legal basis{extra}")
    blame = []
    for v in losses:
        idx = v.index_after if v.after is not None else None
        loc = value_loc(head_ps, v, idx)
        blame.append(Blame(v.measure, 0.0, f"{v.jurisdiction} {v.provision}: {'; '.join(v.basis_lost)} "
                                           f"(was {basis(v.before)})", loc))
    return Gate("gate/legal-basis", None, False,
                f"{len(losses)} value{'s' * (len(losses) != 1)} lost {'their' if len(losses) != 1 else 'its'} "
                f"legal basis" + _blames(blame), blame)
