"""Parks of three in plain text and Markdown: the three pairwise scores, per measure whether the
three countries agree or which one is the outlier, and the changes that close most pairwise gaps."""

from __future__ import annotations

from ..engine.joint import JointView

AGREEMENT = {"all_agree": "all agree", "outlier": "outlier", "all_differ": "all differ",
             "mixed": "agree pairwise within tolerance only", "incomplete": "not scored in every pair"}


def _score(x) -> str:
    return "n/a" if x is None else f"{x:.1f}"


def _summary(jv: JointView) -> list[str]:
    c = jv.counts
    out = [f"{c.get('all_agree', 0)} measure(s) where all three agree, {c.get('outlier', 0)} with one outlier "
           f"({', '.join(f'{k}: {v}' for k, v in sorted(jv.outliers.items()))}), {c.get('all_differ', 0)} where all "
           f"differ, {c.get('mixed', 0)} mixed, {c.get('incomplete', 0)} not scored in every pair"]
    return out


def joint_text(jv: JointView, top: int = 10) -> str:
    lines = [f"Joint view of a park of three: {jv.park or ''} ({', '.join(jv.countries)}) as of {jv.as_of}"]
    if jv.title:
        lines.append(f"  {jv.title}")
    for p in jv.pairs:
        lines.append(f"  {p.pair[0]}:{p.pair[1]}  score {_score(p.score)}  gaps {p.gaps}  "
                     f"layer {p.bilateral or 'none'}  ({p.park or 'no park'})")
    lines += ["  " + s for s in _summary(jv)]
    lines.append("")
    lines.append("measure                                   " + "  ".join(f"{c:>14}" for c in jv.countries) + "  agreement")
    for m in jv.measures:
        vals = "  ".join(f"{(v.display or '-')[:14]:>14}" for v in m.values)
        tag = AGREEMENT[m.agreement] + (f": {m.outlier}" if m.outlier else "")
        lines.append(f"{m.measure[:40]:<40}  {vals}  {tag}")
    lines.append("")
    lines.append("Roadmap for the three: changes ranked by pairwise gaps closed, then points")
    for ch in jv.roadmap[:top]:
        closed = ", ".join(f"{a}–{b}" for a, b in ch.pairs_closed)
        lines.append(f"  {ch.rank:>2}. {ch.jurisdiction} adopts the rule of {' and '.join(ch.align_with)} on "
                     f"{ch.title} ({ch.measure}): closes {ch.gaps_closed} gap(s) [{closed}], {ch.points:.2f} pts")
    if not jv.roadmap:
        lines.append("  (no pairwise gap to close)")
    lines += [f"  note: {n}" for n in jv.notes]
    return "\n".join(lines) + "\n"


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def joint_markdown(jv: JointView, top: int = 10) -> str:
    out = [f"## Joint view: {_md(jv.park or '')} ({', '.join(jv.countries)})", ""]
    if jv.title:
        out += [_md(jv.title), ""]
    out += ["| pair | score | gaps | bilateral layer |", "|---|---:|---:|---|"]
    out += [f"| {p.pair[0]}:{p.pair[1]} | {_score(p.score)} | {p.gaps} | {p.bilateral or '–'} |" for p in jv.pairs]
    out += ["", *_summary(jv), "", "| measure | " + " | ".join(jv.countries) + " | agreement |",
            "|---|" + "---|" * len(jv.countries) + "---|"]
    for m in jv.measures:
        tag = AGREEMENT[m.agreement] + (f": **{m.outlier}**" if m.outlier else "")
        out.append(f"| {_md(m.title)} | " + " | ".join(_md(v.display or "–") for v in m.values) + f" | {tag} |")
    out += ["", "| # | change | gaps closed | points |", "|---:|---|---:|---:|"]
    for ch in jv.roadmap[:top]:
        out.append(f"| {ch.rank} | {ch.jurisdiction} adopts the rule of {' and '.join(ch.align_with)} on "
                   f"{_md(ch.title)} | {ch.gaps_closed} | {ch.points:.2f} |")
    return "\n".join(out) + "\n"


def render_three(fmt: str, checks, joint: JointView, top: int, gated: bool = False, gates=(), notes=(),
                 pairs_markdown=None) -> str:
    """``check`` on a park of three: the three pairwise checks as usual, then the joint view
    (json, text, or markdown where ``pairs_markdown()`` renders the pairs)."""
    import json

    if fmt == "json":
        data = {"schema": "harmonize-check-three/1", "park": joint.park,
                "pairs": [pc.result.model_dump(mode="json") for pc in checks],
                "joint": joint.model_dump(mode="json")}
        if gated:
            data.update(passed=all(g.passed for g in gates), notes=list(notes), gates=[g.to_dict() for g in gates])
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        from .text import text_gates, text_report

        parts = [text_report(pc.result, top=top) for pc in checks]
        if gated:
            parts.append(text_gates(checks, gates, list(notes)))
        return "\n".join(parts) + "\n" + joint_text(joint, top=top)
    return pairs_markdown() + "\n" + joint_markdown(joint, top=top)
