"""``harmonize check``: how compatible a joint park would be, why, and what to harmonise first.

    harmonize check [PATH] [--pair A:B] [--as-of DATE] [--park PROFILE|none] [--params SET]
                    [--format text|json|markdown|github|sarif|junit] [--top N] [-o FILE]
                    [--fail-under SCORE] [--fail-under DOMAIN=SCORE ...]
                    [--baseline REF_OR_FILE [--max-drop POINTS] [--allow-new-critical]]

Defaults: PATH ``policies``; as-of today (with a baseline file: the baseline's date); park the
first profile (alphabetically) under ``PATH/parks`` if any, else no site conditions; pair the
park's pair, else the two ``kind: country`` jurisdictions when there are exactly two. With a gate
and no --park, every park profile is checked (with a baseline file: every park it holds).

Exit codes: 0 every gate passed (or no gate given); 1 a gate failed; 2 invalid input or usage.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from ..errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from ..reporting.escape import terminal
from ..reporting.text import fmt_change, fmt_score
from .args import (all_parks, as_of_or_today, emit, load_or_fail, load_parameter_set, parse_date, parse_fail_under,
                   park_profiles, resolve_park, trio_parks)
from . import COMMANDS

FORMATS = ("text", "json", "markdown", "github", "sarif", "junit")
GATES_HELP = """\
gates (exit 1 when one fails; each failure names the gate, by how much, and the measures responsible):
  --fail-under SCORE          overall score below SCORE                           gate/overall
  --fail-under DOMAIN=SCORE   a domain's score below SCORE (or the domain unscored) gate/domain/DOMAIN
  --baseline REF_OR_FILE      compare with the policies at a git ref (origin/main, HEAD~1) or a saved
                              result / baseline file (baseline/compatibility.json); then, by default:
    --max-drop POINTS         overall score fell by more than POINTS (default 0)  gate/max-drop
    new critical gaps         a gap critical now that was not (--allow-new-critical) gate/new-critical
    legal basis lost          an article cited became null, a cited instrument disappeared, a status
                              fell from verified/secondary to unverified, a value was removed
                                                                                  gate/legal-basis
  Like with like: the baseline's pair, park, parameter set and date are used (a baseline file's
  as-of date unless --as-of is given; with a file, --as-of must equal it).

exit codes: 0 pass, 1 a gate failed, 2 invalid input or usage error
"""
EPS = 1e-9


def register(subparsers) -> None:
    p = subparsers.add_parser("check", help=COMMANDS["check"],
                              epilog=GATES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path", nargs="?", default="policies", metavar="PATH", help="policy folder (default: policies/)")
    p.add_argument("--pair", metavar="A:B", help="the two jurisdictions (default: the park's pair)")
    p.add_argument("--as-of", metavar="DATE", help="the date the law is read at, YYYY-MM-DD (default: today; "
                                                   "with a baseline file, its date)")
    p.add_argument("--park", metavar="PROFILE",
                   help="park profile id (file stem under PATH/parks), a profile file, or 'none' "
                        "(default: the first profile; with a gate, every profile)")
    p.add_argument("--params", metavar="SET", help="economic parameter set for effective tax rates "
                                                   "(default: the scenarios file's default)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("-o", "--out", metavar="FILE", help="write the report to FILE (atomically) instead of stdout")
    p.add_argument("--top", type=int, default=10, metavar="N", help="gaps and roadmap items shown in text (default 10)")
    p.add_argument("--all-pairs", action="store_true",
                   help="compare every pair of country jurisdictions (no park sites): a matrix of scores, gap "
                        "counts and the top of each roadmap, as text or json (streamed)")
    p.add_argument("--fail-under", action="append", default=[], metavar="[DOMAIN=]SCORE",
                   help="fail when the overall score (or DOMAIN's score) is below SCORE; repeatable")
    p.add_argument("--baseline", metavar="REF_OR_FILE",
                   help="git ref or saved result/baseline file to compare with")
    p.add_argument("--max-drop", type=float, default=None, metavar="POINTS",
                   help="with --baseline: fail when the overall score falls by more than POINTS (default 0)")
    p.add_argument("--allow-new-critical", action="store_true",
                   help="with --baseline: do not fail on new critical gaps")
    p.set_defaults(func=_command)


# --- the command ---------------------------------------------------------------------------------


def _command(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise UsageError("--top must be 0 or more")
    if args.max_drop is not None and (args.max_drop < 0 or not math.isfinite(args.max_drop)):
        raise UsageError("--max-drop must be 0 or more")
    if (args.max_drop is not None or args.allow_new_critical) and not args.baseline:
        raise UsageError("--max-drop and --allow-new-critical need --baseline")
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    ps = load_or_fail(path)
    if args.all_pairs:
        from .allpairs import all_pairs

        return all_pairs(args, ps)
    domains = {d.value for d in ps.catalogue.domains} if ps.catalogue else set()
    overall_thr, per_thr = parse_fail_under(args.fail_under, domains)
    gated = bool(args.fail_under or args.baseline)

    base_file, base_tree, notes = None, None, []
    try:
        if args.baseline:
            from ..gates.baseline import load_baseline
            from ..gates.git import GitError, tree_at_ref

            bpath = Path(args.baseline)
            if bpath.is_file():
                try:
                    base_file = load_baseline(bpath)
                except ValueError as exc:
                    raise UsageError(f"--baseline: {exc}") from None
                notes += base_file.notes
            elif bpath.is_dir():
                raise UsageError(f"--baseline: {bpath} is a folder; give a git ref or a result/baseline file "
                                 f"(use 'harmonize diff {bpath}' to compare folders)")
            else:
                try:
                    base_tree = tree_at_ref(args.baseline, ps.root)
                except GitError as exc:
                    raise UsageError(f"--baseline: {exc}") from None
        return _gated(args, ps, base_file, base_tree, overall_thr, per_thr, gated, notes)
    finally:
        if base_tree is not None:
            base_tree.cleanup()


def _gated(args, ps, base_file, base_tree, overall_thr, per_thr, gated, notes) -> int:
    from datetime import date

    from ..gates.gates import Gate, ParkCheck, baseline_gates, legal_basis_gate, score_gates

    from ..engine.delta import compare_results
    from ..engine.run import run_check

    # the date: a baseline file's own date unless --as-of (which must then agree)
    if args.as_of:
        as_of = parse_date(args.as_of)
        if base_file is not None and as_of != base_file.as_of:
            raise UsageError(f"--as-of {as_of} differs from the baseline's date {base_file.as_of} in "
                             f"{base_file.path}: the results would not be like with like; drop --as-of, or "
                             f"compare with a git ref, which is recomputed at any date")
        if base_file is not None:
            notes.append(f"as of {as_of}, the baseline's date")
        elif base_tree is not None:
            notes.append(f"as of {as_of} (--as-of) on both sides")
    elif base_file is not None:
        as_of = base_file.as_of
        notes.append(f"as of {as_of}: the baseline's date (like with like; --as-of may only repeat it)")
    else:
        as_of = date.today()
        if base_tree is not None:
            notes.append(f"as of {as_of} (today) on both sides; pin a date with --as-of")

    # which parks (a park of three: its three pairs, then a joint view); a park the baseline has and
    # the head lost fails gate/park-removed
    removed: list[str] = []
    trio = None
    if args.park and not args.pair and base_file is None and args.park in trio_parks(ps):
        trio = args.park
        parks = park_profiles(ps)
        targets = [(parks[k], k, tuple(parks[k].pair)) for k in trio_parks(ps)[trio][1]]
    elif args.park:
        targets = [resolve_park(ps, args.park, args.pair)]
    elif base_file is not None:
        targets = []
        if base_file.kind == "baseline":
            extra = sorted(set(park_profiles(ps)) - set(base_file.results))
            if extra:
                notes.append(f"no baseline result for park{'s' * (len(extra) != 1)} {', '.join(extra)}: not "
                             f"compared (run 'harmonize baseline update' to accept them)")
        head_parks = set(park_profiles(ps))
        for key, r in base_file.results.items():
            if key and key not in head_parks:
                removed.append(key)  # a gate failure below, not a usage error
                continue
            park, pid, pair = resolve_park(ps, key or "none", args.pair or f"{r.pair[0]}:{r.pair[1]}")
            targets.append((park, pid, pair))
    elif gated and not args.pair:
        targets = all_parks(ps)
    else:
        targets = [resolve_park(ps, None, args.pair)]

    # the parameter set: the baseline's unless given
    params_name = args.params
    if base_file is not None:
        used = {r.parameter_set for r in base_file.results.values()}
        if params_name and params_name not in used:
            raise UsageError(f"--params {params_name}: the baseline was computed with {', '.join(sorted(used))}")
        params_name = params_name or sorted(used)[0]
    try:
        params = load_parameter_set(ps.root, params_name)
    except ValueError as exc:
        raise UsageError(f"--params: {exc}") from None

    base_ps = None
    if base_tree is not None:
        from ..policy.loader import load_tree

        base_ps = load_tree(base_tree.root)  # its files are named REF:path (gates.git registers the label)
        if not base_ps.ok:
            first = "\n".join([d.format() for d in base_ps.diagnostics if d.severity.value == "error"][:3])
            raise UsageError(f"--baseline {args.baseline}: the policies at that ref have problems:\n{first}")
        base_params = load_parameter_set(base_ps.root, params_name) if params_name else params
        notes.append(f"baseline: the policies at {base_tree.ref} ({base_tree.commit[:12]})")
        if not args.park and not args.pair:
            try:
                removed += sorted(set(park_profiles(base_ps)) - set(park_profiles(ps)))
            except UsageError:
                pass  # the baseline's park profiles do not load: nothing to compare them with
    elif base_file is not None:
        notes.append(f"baseline: {base_file.path}"
                     + (f" (policies at {base_file.commit[:12]})" if base_file.commit else ""))

    checks: list[ParkCheck] = []
    for park, pid, pair in targets:
        result = run_check(ps, pair, as_of, park, park_id=pid, params=params)
        pc = ParkCheck(pid, result)
        if base_file is not None:
            key = pid or ""
            base = base_file.results.get(key)
            if base is None and len(base_file.results) == 1 and base_file.kind == "result":
                only = next(iter(base_file.results.values()))
                raise UsageError(f"--baseline: {base_file.path} is a result for park "
                                 f"'{only.park.id if only.park else 'none'}', not '{pid or 'none'}'; "
                                 f"pass --park accordingly")
            if base is None:
                raise UsageError(f"--baseline: {base_file.path} has no result for park '{pid or 'none'}' "
                                 f"(it has: {', '.join(k or 'none' for k in base_file.results)})")
            if list(base.pair) != list(pair):
                raise UsageError(f"--baseline: the baseline compares {base.pair[0]}:{base.pair[1]}, this check "
                                 f"{pair[0]}:{pair[1]}: not like with like")
            pc.base = base
        elif base_ps is not None:
            base_park = park
            if pid:
                try:
                    base_parks = park_profiles(base_ps)
                except UsageError:
                    base_parks = {}
                if pid in base_parks:
                    base_park = base_parks[pid]
                else:
                    notes.append(f"park '{pid}' is new: its profile is applied to the baseline's law too")
            missing = [c for c in pair if c not in base_ps.jurisdictions]
            if missing:
                raise UsageError(f"--baseline {args.baseline}: no jurisdiction {', '.join(missing)} at that ref")
            pc.base = run_check(base_ps, pair, as_of, base_park, park_id=pid, params=base_params)
        if pc.base is not None:
            pc.delta = compare_results(pc.base, result)
        checks.append(pc)

    gates: list[Gate] = [
        Gate("gate/park-removed", pid, False,
             f"park '{pid}' is in the baseline but its profile is gone; if the deletion is intended, accept it "
             f"with 'harmonize baseline update' in the same change") for pid in removed]
    for pc in checks:
        pc.gates = score_gates(ps, pc, overall_thr, per_thr)
        if pc.delta is not None:
            max_drop = args.max_drop if args.max_drop is not None else 0.0
            pc.gates += baseline_gates(ps, pc, max_drop, not args.allow_new_critical)
        gates += pc.gates
    policy_diff = None
    if base_ps is not None or base_file is not None:
        from ..gates.policydiff import diff_snapshots, snapshot, snapshot_from_result

        if base_ps is not None:
            base_snap = snapshot(base_ps)
        elif base_file.snapshot is not None:
            base_snap = base_file.snapshot
        else:
            base_snap = snapshot_from_result(next(iter(base_file.results.values())))
            for r in list(base_file.results.values())[1:]:
                extra = snapshot_from_result(r)
                for code, j in extra["jurisdictions"].items():
                    base_snap["jurisdictions"].setdefault(code, j)
        policy_diff = diff_snapshots(base_snap, snapshot(ps))
        if not policy_diff.partial_base:
            n = len(policy_diff.values) + len(policy_diff.items)
            notes.append("the policies are the baseline's (no value changed)" if not n else
                         f"{len(policy_diff.values)} value{'s' * (len(policy_diff.values) != 1)} and "
                         f"{len(policy_diff.items)} other item{'s' * (len(policy_diff.items) != 1)} changed since "
                         f"the baseline (harmonize diff lists them)")
        gates.append(legal_basis_gate(ps, policy_diff))

    failed = any(not g.passed for g in gates)
    joint = None
    if trio is not None:
        from ..engine.joint import joint_view

        profile = trio_parks(ps)[trio][0]
        joint = joint_view([pc.result for pc in checks], park=trio, title=profile.title.en)
    emit(_render(args, ps, checks, gates, notes, gated, policy_diff, joint), args.out, args.format)
    if failed and args.out and args.format != "text":
        print(terminal(f"harmonize check: {sum(not g.passed for g in gates)} gate(s) failed; see {args.out}"),
              file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _render(args, ps, checks: list, gates: list, notes: list[str], gated: bool,
            policy_diff, joint=None) -> str:
    fmt = args.format
    if joint is not None and fmt in ("json", "text", "markdown"):
        from ..reporting.joint import render_three

        pairs_md = (lambda: _render(args, ps, checks, gates, notes, gated, policy_diff)) if fmt == "markdown" else None
        return render_three(fmt, checks, joint, args.top, gated, gates, notes, pairs_md)
    if fmt == "json":
        if not gated:
            return checks[0].result.to_json()
        data = {
            "schema": "harmonize-check-gates/1",
            "passed": all(g.passed for g in gates),
            "notes": notes,
            "gates": [g.to_dict() for g in gates],
            "parks": [{"park": pc.park_id, "result": pc.result.model_dump(mode="json"),
                       "delta": pc.delta.model_dump(mode="json") if pc.delta else None} for pc in checks],
        }
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        from ..reporting.text import text_gates, text_report

        if not gated:
            return text_report(checks[0].result, top=args.top)
        # with a baseline, the compact delta (text_gates) says what moved; the full report would bury it
        single = len(checks) == 1 and checks[0].delta is None
        head = text_report(checks[0].result, top=args.top) + "\n" if single else ""
        return head + text_gates(checks, gates, notes)
    if fmt == "github":
        from ..gates.formats.github import group, render, write_overflow
        from ..gates.rows import finding_rows, gate_rows, score_rows

        # each park's score with its bounds; failed gates only (a notice per passing gate is noise);
        # one annotation per place, all parks named
        rows = group(score_rows(checks) + gate_rows([g for g in gates if not g.passed]) + finding_rows(ps, checks))
        write_overflow(rows)
        return render(rows)
    if fmt == "sarif":
        from .. import __version__
        from ..gates.formats.sarif import render
        from ..gates.rows import finding_rows, gate_rows

        return render(gate_rows([g for g in gates if not g.passed]) + finding_rows(ps, checks), __version__)
    if fmt == "junit":
        from ..gates.formats.junit import check_report

        return check_report(ps, checks, gates)
    from ..reporting.templating import render as template

    from ..gates.locations import measure_location

    def where(pc, measure: str):
        return measure_location(ps, next((m for m in pc.result.measures if m.measure == measure), None))

    return template("check.md.j2", checks=checks, gates=gates, notes=notes, gated=gated,
                    failed=[g for g in gates if not g.passed], fmt_score=fmt_score, fmt_change=fmt_change,
                    top=args.top, where=where)

