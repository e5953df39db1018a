"""The terminal report of a CheckResult: scores per domain, top gaps with legal basis, roadmap."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .escape import lines

if TYPE_CHECKING:
    from ..engine.result import CheckResult


def _score(x: Optional[float]) -> str:
    return "not scored" if x is None else f"{x:5.1f}"


def fmt_bounds(o) -> str:
    """A score with what it rests on: '69.8 [26.6–89.3], coverage 37 %, PROVISIONAL'."""
    if getattr(o, "lower", None) is None:
        return fmt_score(getattr(o, "score", None))
    flag = ", PROVISIONAL" if getattr(o, "provisional", False) else ""
    return f"{fmt_score(o.score)} [{o.lower:.1f}–{o.upper:.1f}], coverage {o.coverage:.0%}{flag}"


def _value(side) -> str:
    sv = side.value
    implied = getattr(side, "implied", None)
    if sv is None and implied is not None:
        return f"{implied.display} (implied: {implied.reason})"
    if sv is None and getattr(side, "state", None) == "not_encoded":
        return "not encoded (a coverage hole, not a legal gap)"
    if sv is None:
        if side.has_provisions:
            why = [e for e in side.excluded if not e.reason.startswith("no value in force")]
            text = "provisions exist, none applies to this site"
            if why:
                text += f" ({why[0].provision}: {why[0].reason})"
        else:
            text = "no provision"
    else:
        status = "" if sv.status == "verified" else f" [{sv.status}]"
        gf = " (grandfathered)" if sv.grandfathered else ""
        text = f"{sv.display}{status}{gf} — {sv.basis.cite()}"
    if side.cap is not None and side.cap.applied:
        text += f"; capped at {side.cap.effective:g} % by {side.cap.value.basis.cite()}"
    if side.package is not None:
        status = side.package.parameter_set_status or "status unknown"
        text += f"; CIT package EATR {side.package.eatr:.2f} % (parameter set {side.package.parameter_set}, {status})"
    return text


def text_report(r: CheckResult, top: int = 10) -> str:
    a, b = r.pair
    out: list[str] = []
    park = f"park {r.park.id}: {r.park.title}" if r.park else "no park profile (no site conditions)"
    out.append(f"Compatibility of {r.jurisdictions.get(a, a)} ({a}) and {r.jurisdictions.get(b, b)} ({b}) "
               f"as of {r.as_of}")
    out.append(f"{park}")
    for code in r.pair:
        s = r.sites.get(code)
        if s is not None:
            lic = f", licensed {s.licensed_on}" if s.licensed_on else ""
            out.append(f"  {code} site: zones {', '.join(s.zones) or '-'}; sectors {', '.join(s.sectors) or '-'}{lic}")
    layer = f"bilateral layer {r.bilateral}" if r.bilateral else "no bilateral layer"
    out.append(f"  {layer}; effective tax rates with parameter set {r.parameter_set}")
    out.append("")
    head = (f"{'domain':<36}{'weight':>7}{'score':>11}{'bounds':>14}{'coverage':>10}{'scored':>8}{'unscored':>10}"
            f"{'pts off':>9}")
    out.append(head)
    out.append("-" * len(head))
    for d in r.domains:
        bounds = "" if d.lower is None else f"{d.lower:.1f}–{d.upper:.1f}"
        out.append(f"{d.title[:35]:<36}{d.weight:>7g}{_score(d.score):>11}{bounds:>14}{d.coverage:>10.0%}"
                   f"{d.measures_scored:>8}{d.measures_unscored:>10}{d.contribution:>9.2f}")
    out.append("-" * len(head))
    o = r.overall
    bounds = "" if o.lower is None else f"{o.lower:.1f}–{o.upper:.1f}"
    out.append(f"{'OVERALL' + (' (PROVISIONAL)' if o.provisional else ''):<36}{'':>7}{_score(o.score):>11}{bounds:>14}"
               f"{o.coverage:>10.0%}{r.coverage.scored:>8}{r.coverage.unscored:>10}{o.points_lost:>9.2f}")
    out.append(f"  overall {fmt_bounds(o)}: the score of what is known; the bounds count every unscored measure as "
               f"fully different (lower) and fully equal (upper)")
    if o.provisional:
        out.append(f"  coverage {o.coverage:.0%} is below the catalogue's threshold of {o.coverage_threshold:.0%}: "
                   f"the score is provisional and is not to be ranked against other parks")
    if r.overall.note:
        out.append(f"  {r.overall.note}")
    out.append(f"  {r.coverage.note}")
    unscored = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in r.coverage.unscored_by_reason.items())
    if unscored:
        out.append(f"  unscored by reason — {unscored}")
    s = r.sensitivity
    if s.min_score is not None:
        stable = "keep their order" if s.top3_stable else (
            f"change in {len(s.unstable_variants)} of {len(s.variants)} one-at-a-time variants and "
            f"{s.corners_top3_changed} of {s.corners_tried} corners")
        out.append(f"  detail: with the domain weights ±{s.variation:.0%} the overall moves {s.min_score:.1f}–"
                   f"{s.max_score:.1f} (far less than the bounds above); top-3 roadmap items {stable}")
    out.append("")
    scoring = [g for g in r.gaps if g.points_lost > 0]
    other = [g for g in r.gaps if g.points_lost <= 0]
    out.append(f"Top gaps ({len(scoring)} losing points, {len(other)} unscored or one-sided without points)")
    for g in scoring[:top]:
        sim = "" if g.similarity is None else f", similarity {g.similarity:.2f}"
        fav = f", more favourable: {g.more_favourable}" if g.more_favourable else ""
        out.append(f"  [{g.severity}] {g.title} ({g.measure}) — {g.type.replace('_', ' ')}, "
                   f"-{g.points_lost:.2f} pts (severity {g.severity_points:.2f}){sim}{fav}")
        out.append(f"      {a}: {_value(g.a)}")
        out.append(f"      {b}: {_value(g.b)}")
    if len(scoring) > top:
        out.append(f"  ... {len(scoring) - top} more (--top N, or --format json)")
    unverified = [g for g in other if g.type == "unverified_data"]
    if unverified:
        names = ", ".join(g.measure for g in unverified[:top])
        more = f" and {len(unverified) - top} more" if len(unverified) > top else ""
        out.append(f"  Unverified data (not scored): {names}{more}")
    out.append("")
    out.append("Roadmap (points recoverable per unit of cost; cost by instrument rank: law > decree > circular > act)")
    for item in r.roadmap[:top]:
        amend = "; ".join(
            f"{x.jurisdiction}: {x.number or x.instrument or x.note or 'new provision'}"
            + (f" ({x.title})" if x.title else "") for x in item.amend) or "bilateral instrument"
        out.append(f"  {item.rank:>2}. {item.title} — {item.points_lost:.2f} pts / cost {item.cost:g} "
                   f"via {item.option.replace('_', ' ')}")
        out.append(f"      {item.remedy.replace('_', ' ')}: {amend}")
        for t in item.targets:
            out.append(f"      target {t}")
    if not r.roadmap:
        out.append("  nothing to harmonise: no measure loses points")
    if r.joint_regime is not None:
        j = r.joint_regime
        out.append(f"  or: {j.title} — {j.points_lost:.2f} pts / cost {j.cost:g} (bilateral protocol)")
    if r.shown:
        kinds = {}
        for item in r.shown:
            kinds[item.source] = kinds.get(item.source, 0) + 1
        parts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
        out.append("")
        out.append(f"Shown, not scored: {parts} item(s) (texts, local and bilateral-layer values; see --format json)")
    for n in r.notes:
        out.append(f"note: {n}")
    return lines(out)


def fmt_score(x: Optional[float]) -> str:
    return "not scored" if x is None else f"{x:.1f}"


def fmt_change(x: Optional[float]) -> str:
    if x is None:
        return "n/a"
    return "±0.0" if abs(x) < 0.05 else f"{x:+.1f}"


def text_gates(checks: list, gates: list, notes: list[str]) -> str:
    out = []
    for n in notes:
        out.append(f"note: {n}")
    for pc in checks:
        r = pc.result
        head = f"{pc.park_id or '(no park)'} ({r.pair[0]}:{r.pair[1]}, as of {r.as_of})"
        if pc.delta is not None:
            d = pc.delta
            out.append(f"{head}: overall {fmt_score(d.overall.before)} → {fmt_score(d.overall.after)} "
                       f"({fmt_change(d.overall.change)}); now {fmt_bounds(r.overall)}")
            for s in d.scores[1:]:
                if s.change is None and s.before == s.after:
                    continue
                if s.change is not None and abs(s.change) < 0.005:
                    continue
                out.append(f"  {s.key:<22} {fmt_score(s.before):>10} → {fmt_score(s.after):<10} "
                           f"{fmt_change(s.change)}")
            for c in d.measures[:10]:
                sides = "; ".join(f"{s.jurisdiction} {s.before or 'none'} → {s.after or 'none'}" for s in c.sides)
                out.append(f"  measure {c.measure}: {'−' if c.change > 0 else '+'}{abs(c.change):.2f} pts"
                           + (f" ({sides})" if sides else ""))
            for g in d.gaps:
                out.append(f"  gap {g.measure}: {g.status} ({g.severity_before or '-'} → {g.severity_after or '-'})")
        else:
            out.append(f"{head}: overall {fmt_bounds(r.overall)}")
    failed = [g for g in gates if not g.passed]
    out.append("")
    for g in gates:
        out.append(f"{'PASS' if g.passed else 'FAIL'} {g.name}: {g.message}")
        if not g.passed:
            for b in g.blame:
                where = f"{b.location[0]}:{b.location[1]}: " if b.location else ""
                out.append(f"    {where}{b.text}")
    out.append(f"{len(failed)} of {len(gates)} gate{'s' * (len(gates) != 1)} failed." if failed
               else f"All {len(gates)} gate{'s' * (len(gates) != 1)} passed.")
    return lines(out)


def score_matrix(countries: list[str], cells: dict) -> str:
    """The symmetric matrix of overall scores, each with its coverage by weight and its bounds (every
    unscored measure counted fully different / fully equal)."""
    cell = {k: f"{fmt_score(v[0])} ({v[1]}; {v[2]})" for k, v in cells.items()}
    width = max([len(c) for c in countries] + [len(x) for x in cell.values()]) + 2
    lines = ["", "matrix: overall score (coverage by weight; bounds)",
             " " * 6 + "".join(f"{c:>{width}}" for c in countries)]
    for a in countries:
        lines.append(f"{a:<6}" + "".join(f"{('–' if a == b else cell[(a, b)]):>{width}}" for b in countries))
    return "\n".join(lines) + "\n"
