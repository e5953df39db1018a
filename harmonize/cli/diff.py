"""``harmonize diff BASE [HEAD]``: every value that changed between two policy trees, and what it does
to each park's compatibility.

BASE and HEAD are each a folder (a policy tree, or a folder holding one) or a git ref (``main``,
``origin/main``, ``HEAD~1``) read from the commit's objects (``git ls-tree``, ``git cat-file``) without
touching the working tree. HEAD defaults to the working tree's policies (``--policies``, default ``policies``).

Exit 0 (differences listed or none), 1 with ``--exit-code`` when there are differences (like
``git diff --exit-code``), 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Optional

from ..errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from ..reporting.text import fmt_bounds, fmt_change, fmt_score
from .args import all_parks, as_of_or_today, emit, load_parameter_set, park_profiles, resolve_park
from . import COMMANDS

FORMATS = ("text", "json", "markdown", "github", "sarif", "junit")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "diff", help=COMMANDS["diff"],
        epilog="BASE/HEAD: a folder or a git ref (read from the commit's objects; the working tree is untouched).\n"
               "exit codes: 0 listed (or no difference); 1 differences and --exit-code; 2 invalid input",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("base", metavar="BASE", help="git ref or folder")
    p.add_argument("head", nargs="?", metavar="HEAD", help="git ref or folder (default: the working tree's policies)")
    p.add_argument("--policies", default="policies", metavar="PATH",
                   help="the policy folder in the working tree; a git ref is read at this path (default: policies)")
    p.add_argument("--as-of", metavar="DATE", help="date the parks are scored at (default: today)")
    p.add_argument("--park", metavar="PROFILE", help="score only this park (default: every park of HEAD)")
    p.add_argument("--pair", metavar="A:B", help="score this pair of jurisdictions (with --park: that park's sites)")
    p.add_argument("--no-scores", action="store_true", help="list value changes only, do not score parks")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("-o", "--out", metavar="FILE", help="write the report to FILE (atomically) instead of stdout")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are differences")
    p.set_defaults(func=_command)


class _Side:
    def __init__(self, label: str, ps, tree=None):
        self.label, self.ps, self.tree = label, ps, tree


def _open(spec: Optional[str], policies: Path, what: str) -> _Side:
    from ..gates.git import GitError, tree_at_ref
    from ..policy.loader import find_root, load_tree
    from ..policy.tree import register_display_root

    if spec is None:
        path = policies
        if not path.exists():
            raise UsageError(f"no policy folder {policies}; give HEAD or --policies")
    else:
        path = Path(spec)
    if spec is None or path.is_dir():
        root = find_root(path)
        if root is None and path.is_dir() and (path / policies.name / "catalogue.yaml").is_file():
            root = path / policies.name
        if root is None:
            raise UsageError(f"{what} {path}: no catalogue.yaml at or above it; is this a policy folder?")
        ps = load_tree(root)
        label = str(spec or policies)
        tree = None
    elif path.exists():
        raise UsageError(f"{what} {spec}: a file; give a folder or a git ref")
    else:
        if not policies.exists():
            raise UsageError(f"{what} {spec}: reading a git ref needs the policy folder ({policies}) of a checkout")
        try:
            tree = tree_at_ref(spec, policies)
        except GitError as exc:
            raise UsageError(f"{what}: {exc}") from None
        # diff names both sides' files as the repository does (its annotations point at the head's lines);
        # the REF: prefix goes only on messages about the ref
        register_display_root(tree.root, str(_repo_name(policies)))
        ps = load_tree(tree.root)
        label = f"{spec} ({tree.commit[:12]})"
    if not ps.ok:
        at = f"{spec}:" if tree is not None else ""  # a ref's file as git names it: HEAD~1:policies/la/tax.yaml
        first = "\n".join([at + d.format() for d in ps.diagnostics if d.severity.value == "error"][:3])
        if tree is not None:
            tree.cleanup()
        raise UsageError(f"{what} {label}: the policy files have problems; run 'harmonize validate'.\n{first}")
    return _Side(label, ps, tree)


def _repo_name(policies: Path) -> Path:
    """How the working tree's policy folder is named in messages (a tree at a ref is named the same)."""
    from ..policy.tree import display_path

    return Path(display_path(policies)) if policies.exists() else policies


def _command(args: argparse.Namespace) -> int:
    policies = Path(args.policies)
    sides: list[_Side] = []
    try:
        from ..policy.loader import sharing

        with sharing(files=True):  # a file unchanged between the trees is read and validated once
            sides.append(_open(args.base, policies, "BASE"))
            sides.append(_open(args.head, policies, "HEAD"))
        base, head = sides
        report = build_report(base, head, args)
        report["root"] = _repo_name(policies)
        text = render(report, args.format, head.ps)  # before cleanup: locating a value re-reads its file
    finally:
        for s in sides:
            if s.tree is not None:
                s.tree.cleanup()
    emit(text, args.out, args.format)
    return EXIT_PROBLEMS if args.exit_code and report["different"] else EXIT_OK


def build_report(base: _Side, head: _Side, args) -> dict:
    from ..engine.delta import compare_results
    from ..engine.run import run_check
    from ..gates.policydiff import diff_snapshots, snapshot

    pdiff = diff_snapshots(snapshot(base.ps), snapshot(head.ps))
    as_of = as_of_or_today(args.as_of)
    parks = []
    if not args.no_scores:
        targets = [resolve_park(head.ps, args.park, args.pair)] if (args.park or args.pair) else all_parks(head.ps)
        try:
            base_parks = park_profiles(base.ps)
        except UsageError:
            base_parks = {}
        params_h = load_parameter_set(head.ps.root)
        try:
            params_b = load_parameter_set(base.ps.root, params_h.name)
        except ValueError:
            params_b = params_h
        for park, pid, pair in targets:
            if any(c not in base.ps.jurisdictions for c in pair):
                continue
            bpark = base_parks.get(pid, park) if pid else None
            h = run_check(head.ps, pair, as_of, park, park_id=pid, params=params_h)
            b = run_check(base.ps, pair, as_of, bpark, park_id=pid, params=params_b)
            delta = compare_results(b, h)
            changed = {c.measure: c.sides[0].jurisdiction for c in delta.measures if c.sides}
            # the head rows and the side that changed: only the measures a format prints are located
            parks.append({"park": pid, "pair": list(pair), "delta": delta, "now": h.overall,
                          "rows": {m.measure: m for m in h.measures}, "changed": changed})
    moved = any(p["delta"].measures or p["delta"].gaps for p in parks)
    return {"base": base.label, "head": head.label, "as_of": as_of, "diff": pdiff, "parks": parks,
            "different": not pdiff.empty or moved}


def _mloc(ps, park: dict, measure: str):
    """Where a printed measure's value lies in the head tree, on the side that changed first. Locating
    reads a file's node marks, so only the rows a format prints are located."""
    from ..gates.locations import measure_location

    return measure_location(ps, park["rows"].get(measure), park["changed"].get(measure))


def _loc(ps, v) -> Optional[tuple[str, int, int]]:
    from ..gates.locations import value_loc

    return value_loc(ps, v, v.index_after if v.after is not None else None)


def _value_line(v) -> str:
    from ..gates.policydiff import basis

    return (f"{v.jurisdiction} {v.provision} ({v.measure}) {v.what()}; "
            f"before: {basis(v.before)}; after: {basis(v.after)}")


def _rows(report: dict, ps):
    from ..gates.formats import Row

    rows = []
    for v in report["diff"].values:
        loc = _loc(ps, v) or (None, None, None)
        msg = _value_line(v) + (f"; legal basis lost: {'; '.join(v.basis_lost)}" if v.basis_lost else "")
        rows.append(Row(f"value/{v.change}", "value-" + v.change, msg, "warning" if v.basis_lost else "note",
                        *loc, help="A dated value of a provision changed between BASE and HEAD."))
    for it in report["diff"].items:
        loc = (None, None, None)
        if it.kind == "provision" and it.change != "removed":
            from ..gates.policydiff import locate

            loc = locate(ps, it.jurisdiction, it.id, None) or loc
        elif it.kind == "instrument" and it.change != "removed":
            j = ps.jurisdictions.get(it.jurisdiction)
            o = j.origins.get(("instruments", it.id)) if j else None
            if o:
                loc = (o.source.display, *o.source.locate(o.path, True))
        where = f"{it.jurisdiction} " if it.jurisdiction else ""
        rows.append(Row(f"{it.kind}/{it.change}", f"{it.kind.replace('_', '-')}-{it.change}",
                        f"{where}{it.kind.replace('_', ' ')} {it.id} {it.change}" + (f": {it.detail}" if it.detail else ""),
                        "warning" if it.change == "removed" else "note", *loc,
                        help=f"A {it.kind.replace('_', ' ')} was added, removed or changed between BASE and HEAD."))
    for p in report["parks"]:
        d = p["delta"]
        o = d.overall
        for c in d.measures:
            loc = _mloc(ps, p, c.measure) or (None, None, None)
            moved = (f"{'−' if c.change > 0 else '+'}{abs(c.change):.2f} overall points" if abs(c.change) > 1e-9
                     else "values changed, overall points unchanged")
            rows.append(Row("score/measure", "score-moved",
                            f"[{p['park'] or 'no park'}] {c.measure}: {moved} (overall {_s(o.before)} → {_s(o.after)})",
                            "warning" if c.change > 1e-9 else "note", *loc,
                            help="A measure's contribution to a park's score moved."))
        for g in d.gaps:
            loc = _mloc(ps, p, g.measure) or (None, None, None)
            rows.append(Row(f"gap/{g.status}", f"gap-{g.status}",
                            f"[{p['park'] or 'no park'}] gap {g.measure} {g.status}: {g.severity_before or '-'} → "
                            f"{g.severity_after or '-'} ({g.points_before:.2f} → {g.points_after:.2f} pts)",
                            "warning" if g.status in ("new", "worse") else "note", *loc,
                            help="A gap appeared, worsened, improved or was resolved."))
    return rows


def _s(x) -> str:
    return "not scored" if x is None else f"{x:.2f}"


def _json(report: dict) -> str:
    diff = report["diff"].to_dict()
    root = report.get("root")
    if root is not None:  # repository-relative, as every other output names files
        for entry in diff.get("values", []) + diff.get("items", []):
            if entry.get("file"):
                entry["file"] = (root / entry["file"]).as_posix()
    data = {"base": report["base"], "head": report["head"], "as_of": report["as_of"].isoformat(),
            "different": report["different"], **diff,
            "parks": [{"park": p["park"], "pair": p["pair"], "delta": p["delta"].model_dump(mode="json")}
                      for p in report["parks"]]}
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _text(report: dict, ps=None) -> str:
    from ..gates.policydiff import basis
    from ..reporting.escape import lines

    out = [f"harmonize diff {report['base']} → {report['head']}"]
    pd = report["diff"]
    if pd.empty:
        out.append("No value, provision, instrument or measure changed.")
    for v in pd.values:
        loc = _loc(ps, v) if ps is not None else None
        where = f"{loc[0]}:{loc[1]}: " if loc else (f"{v.file}: " if v.file else "")
        out.append(f"{where}{v.jurisdiction} {v.provision} (measure {v.measure}) {v.what()}")
        out.append(f"    before: {basis(v.before)}")
        out.append(f"    after:  {basis(v.after)}")
        if v.basis_lost:
            out.append(f"    legal basis lost: {'; '.join(v.basis_lost)}")
    for it in pd.items:
        out.append(f"{it.kind.replace('_', ' ')} {it.change}: {(it.jurisdiction + ' ') if it.jurisdiction else ''}{it.id}"
                   + (f" — {it.detail}" if it.detail else ""))
    for p in report["parks"]:
        d = p["delta"]
        out.append("")
        out.append(f"park {p['park'] or '(none)'} ({p['pair'][0]}:{p['pair'][1]}) as of {report['as_of']}: overall "
                   f"{fmt_score(d.overall.before)} → {fmt_score(d.overall.after)} ({fmt_change(d.overall.change)}); "
                   f"now {fmt_bounds(p['now'])}")
        for s in d.scores[1:]:
            if s.change is not None and abs(s.change) > 0.005 or (s.change is None and s.before != s.after):
                out.append(f"  {s.key:<22} {fmt_score(s.before):>10} → {fmt_score(s.after):<10} {fmt_change(s.change)}")
        for c in d.measures:
            sides = "; ".join(f"{s.jurisdiction} {s.before or 'none'} → {s.after or 'none'}" for s in c.sides)
            moved = f"{'−' if c.change > 0 else '+'}{abs(c.change):.2f} pts" if abs(c.change) > 1e-9 else "±0 pts"
            out.append(f"  measure {c.measure}: {moved}" + (f" ({sides})" if sides else ""))
        for g in d.gaps:
            out.append(f"  gap {g.measure}: {g.status} ({g.severity_before or '-'} → {g.severity_after or '-'}, "
                       f"{g.points_before:.2f} → {g.points_after:.2f} pts)")
        if not d.measures and not d.gaps:
            out.append("  no score or gap moved")
    return lines(out)


def render(report: dict, fmt: str, ps) -> str:
    if fmt == "json":
        return _json(report)
    if fmt == "text":
        return _text(report, ps)
    if fmt == "github":
        from ..gates.formats.github import group, render as github, write_overflow

        rows = group(_rows(report, ps))
        write_overflow(rows)
        return github(rows)
    if fmt == "sarif":
        from .. import __version__
        from ..gates.formats.sarif import render as sarif

        return sarif(_rows(report, ps), __version__)
    if fmt == "junit":
        from ..gates.formats.junit import render as junit

        rows = _rows(report, ps)
        return junit("harmonize diff", [] if rows else ["no differences"], rows)
    from ..gates.policydiff import basis
    from ..reporting.templating import render as template

    return template("diff.md.j2", r=report, basis=basis, fmt_score=fmt_score, fmt_change=fmt_change,
                    fmt_bounds=fmt_bounds)
