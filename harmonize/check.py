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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

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
    p = subparsers.add_parser("check", help="score how compatible two jurisdictions are for a joint park, "
                                            "with gaps and a roadmap; gate CI on the score",
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


# --- shared helpers (baseline.py and diff.py use them) -------------------------------------------


def default_pair(ps) -> tuple[str, str]:
    from .cli import UsageError

    countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
    if len(countries) != 2:
        raise UsageError(f"--pair is needed: there are {len(countries)} country jurisdictions "
                         f"({', '.join(countries) or 'none'})")
    return countries[0], countries[1]


def parse_pair(ps, text: str) -> tuple[str, str]:
    """--pair A:B: two different, declared jurisdiction codes. Raises UsageError."""
    from .cli import UsageError

    parts = text.split(":")
    if len(parts) != 2 or not all(parts):
        raise UsageError(f"--pair: expected two jurisdiction codes as A:B, got {text!r}")
    for code in parts:
        if code not in ps.jurisdictions:
            raise UsageError(f"--pair: unknown jurisdiction '{code}' (known: {', '.join(sorted(ps.jurisdictions))})")
    if parts[0] == parts[1]:
        raise UsageError("--pair: the two jurisdictions must differ")
    return parts[0], parts[1]


def park_profiles(ps):
    from .cli import UsageError
    from .engine.profiles import load_parks

    parks, diags = load_parks(ps.root, ps)
    if diags:
        raise UsageError("the park profiles have problems:\n" + "\n".join(d.format() for d in diags[:5]))
    return parks


def all_parks(ps) -> list[tuple[Any, Optional[str], tuple[str, str]]]:
    """(park, park id, pair) for every park profile of the tree; the no-park pair when there is none."""
    parks = park_profiles(ps)
    if not parks:
        return [(None, None, default_pair(ps))]
    return [(parks[k], k, (parks[k].pair[0], parks[k].pair[1])) for k in sorted(parks)]


def resolve_park(ps, park_arg: Optional[str], pair_arg: Optional[str]):
    """(park, park id, pair) as --park and --pair ask. Raises UsageError."""
    from .cli import UsageError
    from .engine.profiles import load_park_file
    from .loader import resolve

    root = ps.root
    park, park_id = None, None
    if park_arg and park_arg.lower() != "none" and Path(park_arg).suffix in (".yaml", ".yml"):
        ppath = Path(park_arg)
        if not ppath.is_file():
            raise UsageError(f"--park: no such file: {ppath}")
        from .engine.profiles import check_park

        park, source, problems = load_park_file(ppath)
        findings = [p for p in problems if not hasattr(p, "format")]
        if park is not None:
            findings += check_park(park, source, ps)
        diags = [p for p in problems if hasattr(p, "format")] + resolve(findings)
        if diags:
            raise UsageError("the park profile has problems:\n" + "\n".join(d.format() for d in diags[:5]))
        park_id = ppath.stem
    elif not park_arg or park_arg.lower() != "none":
        parks = park_profiles(ps)
        if park_arg:
            if park_arg not in parks:
                known = ", ".join(sorted(parks)) or "none"
                raise UsageError(f"--park: no profile '{park_arg}' under {root / 'parks'} (known: {known})")
            park_id = park_arg
        elif parks:
            park_id = sorted(parks)[0]
        park = parks.get(park_id) if park_id else None

    if pair_arg:
        pair = parse_pair(ps, pair_arg)
    elif park is not None:
        pair = (park.pair[0], park.pair[1])
    else:
        pair = default_pair(ps)
    if park is not None and set(pair) != set(park.pair):
        missing = [c for c in pair if c not in park.sites]
        if missing:
            raise UsageError(f"--pair {pair[0]}:{pair[1]} does not match park '{park_id}' "
                             f"({park.pair[0]}:{park.pair[1]}); use --park none or another profile")
    return park, park_id, pair


def value_location(ps, sv) -> Optional[tuple[str, int, int]]:
    """The policy file line of a SideValue (its provision's value starting on the same day)."""
    from .policydiff import locate

    if sv is None:
        return None
    for code, j in ps.jurisdictions.items():
        prov = j.provisions.get(sv.provision)
        if prov is None:
            continue
        for i, dv in enumerate(prov.values):
            if dv.from_ == sv.value_from and dv.basis.instrument == sv.basis.instrument:
                return locate(ps, code, sv.provision, i)
    return None


def measure_location(ps, row, jurisdiction: Optional[str] = None) -> Optional[tuple[str, int, int]]:
    """Where a measure row's value lies: the named side first, then a, then b."""
    if row is None:
        return None
    sides = [row.a, row.b]
    if jurisdiction:
        sides.sort(key=lambda s: s.jurisdiction != jurisdiction)
    for s in sides:
        loc = value_location(ps, s.value)
        if loc:
            return loc
    return None


def fmt_score(x: Optional[float]) -> str:
    return "not scored" if x is None else f"{x:.1f}"


def fmt_change(x: Optional[float]) -> str:
    if x is None:
        return "n/a"
    return "±0.0" if abs(x) < 0.05 else f"{x:+.1f}"


# --- gates ---------------------------------------------------------------------------------------


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


def parse_fail_under(values: list[str], domains: set[str]) -> tuple[Optional[float], dict[str, float]]:
    from .cli import UsageError

    overall, per = None, {}
    for v in values:
        key, sep, num = v.rpartition("=")
        try:
            score = float(num)
        except ValueError:
            raise UsageError(f"--fail-under: expected SCORE or DOMAIN=SCORE, got {v!r}") from None
        if not (0 <= score <= 100) or math.isnan(score):
            raise UsageError(f"--fail-under: a score is between 0 and 100, got {num}")
        if sep:
            if key not in domains:
                raise UsageError(f"--fail-under: unknown domain '{key}' (known: {', '.join(sorted(domains))})")
            per[key] = score
        else:
            overall = score
    return overall, per


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
                              + _blames(blame), blame))
        else:
            gates.append(Gate("gate/overall", pc.park_id, True, f"overall score {s:.2f} ≥ {overall:g}"))
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
    from .policydiff import basis

    losses = policy_diff.basis_losses()
    if not losses:
        extra = " (among the values the baseline result shows)" if policy_diff.partial_base else ""
        return Gate("gate/legal-basis", None, True, f"no value lost its legal basis{extra}")
    blame = []
    for v in losses:
        idx = v.index_after if v.after is not None else None
        loc = _value_loc(head_ps, v, idx)
        blame.append(Blame(v.measure, 0.0, f"{v.jurisdiction} {v.provision}: {'; '.join(v.basis_lost)} "
                                           f"(was {basis(v.before)})", loc))
    return Gate("gate/legal-basis", None, False,
                f"{len(losses)} value{'s' * (len(losses) != 1)} lost {'their' if len(losses) != 1 else 'its'} "
                f"legal basis" + _blames(blame), blame)


def _value_loc(head_ps, v, idx):
    from .policydiff import locate

    loc = locate(head_ps, v.jurisdiction, v.provision, idx)
    if loc is None and v.file and head_ps.root is not None:
        from .loader import display_path

        f = head_ps.root / v.file
        if f.is_file():
            loc = (display_path(f), 1, 1)
    return loc


# --- rows and renderers --------------------------------------------------------------------------


def gate_rows(gates: list[Gate]):
    from .formats import Row

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
    "gap/critical": "A gap costing at least 2 overall points.",
    "gap/major": "A gap costing at least 0.75 overall points.",
    "gap/minor": "A gap costing points.",
    "change/measure": "A measure's contribution to the score changed against the baseline.",
}


def finding_rows(ps, checks: list[ParkCheck]):
    """Gaps (no baseline) or measure changes (with a baseline), located at the value's line."""
    from .formats import Row

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


def junit_report(ps, checks: list[ParkCheck], gates: list[Gate]) -> str:
    """One test case per gate and per measure (per park), with stable names (``gate/max-drop``,
    ``measure/wht_dividends``; the class is the park): a measure fails when a failed gate names it."""
    from xml.etree import ElementTree as ET

    cases = []  # (classname, name, failure message or None, text, location)
    for g in gates:
        loc = g.location or (g.blame[0].location if g.blame else None)
        cases.append((g.park or "all parks", g.rule, None if g.passed else g.message, g.message, loc))
    for pc in checks:
        blamed = {}
        for g in gates:
            if not g.passed and g.park in (None, pc.park_id):
                for b in g.blame:
                    blamed.setdefault(b.measure, (g, b))
        for m in pc.result.measures:
            state = (f"similarity {m.similarity:.2f}, {m.contribution:.2f} overall points lost" if m.scored
                     else f"not scored ({m.unscored_reason})")
            if m.measure in blamed:
                g, b = blamed[m.measure]
                cases.append((pc.park_id or "no park", f"measure/{m.measure}", f"named by {g.rule}: {b.text}",
                              state, b.location))
            else:
                cases.append((pc.park_id or "no park", f"measure/{m.measure}", None, state, None))
    failures = sum(1 for c in cases if c[2] is not None)
    root = ET.Element("testsuites", name="harmonize", tests=str(len(cases)), failures=str(failures), errors="0")
    ts = ET.SubElement(root, "testsuite", name="harmonize check", tests=str(len(cases)), failures=str(failures),
                       errors="0", skipped="0")
    for classname, name, failure, text, loc in cases:
        case = ET.SubElement(ts, "testcase", classname=classname, name=name)
        if loc:
            case.set("file", loc[0])
            case.set("line", str(loc[1]))
        if failure is not None:
            el = ET.SubElement(case, "failure", type=name, message=failure)
            el.text = (f"{loc[0]}:{loc[1]}: " if loc else "") + failure
        else:
            ET.SubElement(case, "system-out").text = text
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def text_gates(checks: list[ParkCheck], gates: list[Gate], notes: list[str]) -> str:
    out = []
    for n in notes:
        out.append(f"note: {n}")
    for pc in checks:
        r = pc.result
        head = f"{pc.park_id or '(no park)'} ({r.pair[0]}:{r.pair[1]}, as of {r.as_of})"
        if pc.delta is not None:
            d = pc.delta
            out.append(f"{head}: overall {fmt_score(d.overall.before)} → {fmt_score(d.overall.after)} "
                       f"({fmt_change(d.overall.change)})")
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
            out.append(f"{head}: overall {fmt_score(r.overall.score)}")
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
    return "\n".join(out) + "\n"


# --- the command ---------------------------------------------------------------------------------


def _command(args: argparse.Namespace) -> int:
    from .cli import UsageError, load_or_fail

    if args.top < 0:
        raise UsageError("--top must be 0 or more")
    if args.max_drop is not None and (args.max_drop < 0 or math.isnan(args.max_drop)):
        raise UsageError("--max-drop must be 0 or more")
    if (args.max_drop is not None or args.allow_new_critical) and not args.baseline:
        raise UsageError("--max-drop and --allow-new-critical need --baseline")
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    ps = load_or_fail(path)
    if args.all_pairs:
        return _all_pairs(args, ps)
    domains = {d.value for d in ps.catalogue.domains} if ps.catalogue else set()
    overall_thr, per_thr = parse_fail_under(args.fail_under, domains)
    gated = bool(args.fail_under or args.baseline)

    base_file, base_tree, notes = None, None, []
    try:
        if args.baseline:
            from .baseline import GitError, load_baseline, tree_at_ref

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


def pair_summary(r, top: int = 5) -> dict:
    """One row of the all-pairs matrix; the full result is `check --pair A:B --format json`."""
    severities: dict[str, int] = {}
    for g in r.gaps:
        severities[g.severity] = severities.get(g.severity, 0) + 1
    return {
        "pair": list(r.pair),
        "overall": r.overall.score,
        "domains": {d.domain: d.score for d in r.domains},
        "coverage": {"scored": r.coverage.scored, "unscored": r.coverage.unscored},
        "gaps_by_severity": severities,
        "roadmap_top": [{"measure": i.measure, "points_lost": i.points_lost, "changes": i.changes}
                        for i in r.roadmap[:top]],
    }


def _all_pairs(args: argparse.Namespace, ps) -> int:
    """Every unordered pair of country jurisdictions, one result at a time: memory stays flat."""
    import io
    import json
    import os
    import tempfile

    from .cli import EXIT_OK, UsageError, as_of_or_today
    from .engine.run import load_parameter_set, run_check

    if args.park or args.pair or args.baseline or args.fail_under:
        raise UsageError("--all-pairs compares every pair without park sites; it takes no --park, --pair, "
                         "--baseline or --fail-under")
    if args.format not in ("text", "json"):
        raise UsageError("--all-pairs writes text or json")
    as_of = as_of_or_today(args.as_of)
    try:
        params = load_parameter_set(ps.root, args.params)
    except ValueError as exc:
        raise UsageError(f"--params: {exc}") from None
    countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
    pairs = [(a, b) for i, a in enumerate(countries) for b in countries[i + 1:]]
    if not pairs:
        raise UsageError("--all-pairs needs at least two country jurisdictions")
    if args.out:
        dest = Path(args.out)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
        out = io.open(fd, "w", encoding="utf-8")
    else:
        out, tmp = sys.stdout, None
    try:
        if args.format == "json":
            out.write(f'{{"schema": "harmonize-all-pairs/1", "as_of": "{as_of}", "results": [\n')
        else:
            out.write(f"{'pair':<12}{'overall':>9}  domains (score)\n")
        for k, (a, b) in enumerate(pairs):
            r = run_check(ps, (a, b), as_of, None, params=params)
            if args.format == "json":
                out.write(("" if k == 0 else ",\n") + json.dumps(pair_summary(r), sort_keys=True))
            else:
                doms = " ".join(f"{d.domain}={fmt_score(d.score)}" for d in r.domains)
                out.write(f"{a + ':' + b:<12}{fmt_score(r.overall.score):>9}  {doms}\n")
            del r
        if args.format == "json":
            out.write("\n]}\n")
        if tmp is not None:
            out.flush()
            os.fsync(out.fileno())
            out.close()
            os.replace(tmp, dest)
            tmp = None
    finally:
        if tmp is not None:
            out.close()
            os.unlink(tmp)
    return EXIT_OK


def _gated(args, ps, base_file, base_tree, overall_thr, per_thr, gated, notes) -> int:
    from datetime import date

    from .cli import EXIT_OK, EXIT_PROBLEMS, UsageError, parse_date
    from .engine.delta import compare_results
    from .engine.run import load_parameter_set, run_check

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

    # which parks
    if args.park:
        targets = [resolve_park(ps, args.park, args.pair)]
    elif base_file is not None:
        targets = []
        if base_file.kind == "baseline":
            extra = sorted(set(park_profiles(ps)) - set(base_file.results))
            if extra:
                notes.append(f"no baseline result for park{'s' * (len(extra) != 1)} {', '.join(extra)}: not "
                             f"compared (run 'harmonize baseline update' to accept them)")
        for key, r in base_file.results.items():
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
        from .loader import load_tree

        base_ps = load_tree(base_tree.root)
        if not base_ps.ok:
            first = "\n".join(d.format() for d in base_ps.diagnostics[:3])
            raise UsageError(f"--baseline {args.baseline}: the policies at that ref have problems:\n{first}")
        base_params = load_parameter_set(base_ps.root, params_name) if params_name else params
        notes.append(f"baseline: the policies at {base_tree.ref} ({base_tree.commit[:12]})")
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
            from .cli import UsageError as _U

            base_park = park
            if pid:
                try:
                    base_parks = park_profiles(base_ps)
                except _U:
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

    gates: list[Gate] = []
    for pc in checks:
        pc.gates = score_gates(ps, pc, overall_thr, per_thr)
        if pc.delta is not None:
            max_drop = args.max_drop if args.max_drop is not None else 0.0
            pc.gates += baseline_gates(ps, pc, max_drop, not args.allow_new_critical)
        gates += pc.gates
    policy_diff = None
    if base_ps is not None or base_file is not None:
        from .policydiff import diff_snapshots, snapshot, snapshot_from_result

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
    text = _render(args, ps, checks, gates, notes, gated, policy_diff)
    if args.out:
        from .atomic import write_atomic

        write_atomic(Path(args.out), text)
    else:
        sys.stdout.write(text)
    if failed and args.out and args.format != "text":
        print(f"harmonize check: {sum(not g.passed for g in gates)} gate(s) failed; see {args.out}", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _render(args, ps, checks: list[ParkCheck], gates: list[Gate], notes: list[str], gated: bool,
            policy_diff) -> str:
    fmt = args.format
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
        from .engine.report import text_report

        if not gated:
            return text_report(checks[0].result, top=args.top)
        head = text_report(checks[0].result, top=args.top) + "\n" if len(checks) == 1 else ""
        return head + text_gates(checks, gates, notes)
    if fmt == "github":
        from .formats.github import render

        return render(gate_rows(gates) + finding_rows(ps, checks))
    if fmt == "sarif":
        from . import __version__
        from .formats.sarif import render

        return render(gate_rows([g for g in gates if not g.passed]) + finding_rows(ps, checks), __version__)
    if fmt == "junit":
        return junit_report(ps, checks, gates)
    from .templating import render as template

    return template("check.md.j2", checks=checks, gates=gates, notes=notes, gated=gated,
                    failed=[g for g in gates if not g.passed], fmt_score=fmt_score, fmt_change=fmt_change,
                    top=args.top)
