"""``harmonize baseline``: write or show the accepted compatibility results the repository keeps.

    harmonize baseline update [PATH] [--file FILE] [--as-of DATE]
    harmonize baseline show [--file FILE] [--format text|json]

The file format is ``gates.baseline``'s.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from ..gates.baseline import DEFAULT_FILE
from ..reporting.escape import one_line
from .args import all_parks, load_or_fail, load_parameter_set, parse_date
from . import COMMANDS


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "baseline", help=COMMANDS["baseline"],
        description="The accepted baseline: one result per park as of a pinned date, plus every value's legal "
                    "basis. Update it after a deliberate change of law and commit it with the change; "
                    "'harmonize check --baseline baseline/compatibility.json' gates against it.")
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    u = sub.add_parser("update", help="recompute every park and rewrite the file atomically")
    u.add_argument("path", nargs="?", default="policies", metavar="PATH", help="policy folder (default: policies/)")
    u.add_argument("--file", default=str(DEFAULT_FILE), metavar="FILE", help=f"baseline file (default {DEFAULT_FILE})")
    u.add_argument("--as-of", metavar="DATE",
                   help="pin this date (default: the date already pinned in the file, else today)")
    u.add_argument("--params", metavar="SET", help="economic parameter set (default: the scenarios file's default)")
    u.set_defaults(func=_update)
    s = sub.add_parser("show", help="print the baseline's scores and gaps per park")
    s.add_argument("--file", default=str(DEFAULT_FILE), metavar="FILE", help=f"baseline file (default {DEFAULT_FILE})")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=_show)
    p.set_defaults(func=_no_action)


def _no_action(args: argparse.Namespace) -> int:
    raise UsageError("baseline: say 'update' or 'show' (see harmonize baseline --help)")


def _update(args: argparse.Namespace) -> int:
    from ..atomic import write_atomic
    from ..engine.run import run_check
    from ..gates.baseline import build, full_path, load_baseline, park_key, pinned_date
    from ..reporting.text import fmt_bounds

    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    dest = Path(args.file)
    if args.as_of:
        as_of = parse_date(args.as_of)
    elif dest.is_file():
        try:
            as_of = load_baseline(dest).as_of
        except ValueError as exc:
            pinned = pinned_date(dest)
            if pinned is None:
                raise UsageError(f"{exc}; give --as-of to start a new baseline") from None
            as_of = pinned
            print(f"{dest}: an older baseline format: rewritten in the current one, keeping its date {pinned}")
    else:
        as_of = date.today()
    ps = load_or_fail(path)
    try:
        params = load_parameter_set(ps.root, args.params)
    except ValueError as exc:
        raise UsageError(f"--params: {exc}") from None
    results = [run_check(ps, pair, as_of, park, park_id=pid, params=params) for park, pid, pair in all_parks(ps)]
    full_dest = full_path(dest)
    text, full = build(ps, results, as_of, path, full_dest.name)
    old = [p.read_text(encoding="utf-8") if p.is_file() else None for p in (dest, full_dest)]
    write_atomic(full_dest, full)  # the full results first: the summary names them by their digest
    write_atomic(dest, text)
    what = "unchanged" if old == [text, full] else ("written" if old[0] is None else "updated")
    print(one_line(f"{dest}: {what}; {len(results)} park{'s' * (len(results) != 1)} as of {as_of.isoformat()}"))
    for r in results:
        print(one_line(f"  {park_key(r) or '(no park)'}: overall {fmt_bounds(r.overall)}"))
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from ..gates.baseline import dumps, load_baseline, summary_of
    from ..reporting.text import fmt_bounds

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"no baseline file {path}; create it with 'harmonize baseline update --as-of DATE'")
    try:
        b = load_baseline(path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        sys.stdout.write(dumps({"as_of": b.as_of.isoformat(), "commit": b.commit, "digest": b.digest,
                                "summary": {k: summary_of(r) for k, r in b.results.items()}}))
        return EXIT_OK
    print(one_line(f"baseline {path} as of {b.as_of.isoformat()}"
                   + (f", policies at commit {b.commit[:12]}" if b.commit else "")
                   + (f", {b.digest[:19]}" if b.digest else "")))
    for key, r in b.results.items():
        print()
        print(one_line(f"{key or '(no park)'} ({r.pair[0]}:{r.pair[1]}): overall {fmt_bounds(r.overall)}"))
        for d in r.domains:
            print(one_line(f"  {d.domain:<22} {fmt_bounds(d):>10}"))
        crit = [g.measure for g in r.gaps if g.severity == "critical"]
        print(one_line(f"  critical gaps ({len(crit)}): {', '.join(crit) or 'none'}"))
    for n in b.notes:
        print(one_line(f"note: {n}"))
    return EXIT_OK
