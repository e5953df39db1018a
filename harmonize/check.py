"""``harmonize check``: how compatible a joint park would be, why, and what to harmonise first.

    harmonize check [PATH] [--pair A:B] [--as-of DATE] [--park PROFILE|none] [--params SET]
                    [--format text|json] [--top N]

Defaults: PATH ``policies``; as-of today; park the first profile (alphabetically) under
``PATH/parks`` if any, else no site conditions; pair the park's pair, else the two
``kind: country`` jurisdictions when there are exactly two. Exit 0 on success, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser("check", help="score how compatible two jurisdictions are for a joint park, "
                                            "with gaps and a roadmap")
    p.add_argument("path", nargs="?", default="policies", metavar="PATH", help="policy folder (default: policies/)")
    p.add_argument("--pair", metavar="A:B", help="the two jurisdictions (default: the park's pair)")
    p.add_argument("--as-of", metavar="DATE", help="the date the law is read at, YYYY-MM-DD (default: today)")
    p.add_argument("--park", metavar="PROFILE",
                   help="park profile id (file stem under PATH/parks), a profile file, or 'none' "
                        "(default: the first profile)")
    p.add_argument("--params", metavar="SET", help="economic parameter set for effective tax rates "
                                                   "(default: the scenarios file's default)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--top", type=int, default=10, metavar="N", help="gaps and roadmap items shown in text (default 10)")
    p.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:
    from datetime import date

    from .cli import EXIT_OK, UsageError, load_or_fail
    from .engine.profiles import load_park_file, load_parks
    from .engine.run import load_parameter_set, run_check
    from .loader import resolve

    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError(f"--as-of: not a date (YYYY-MM-DD): {args.as_of!r}") from None
    else:
        as_of = date.today()
    if args.top < 0:
        raise UsageError("--top must be 0 or more")
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    ps = load_or_fail(path)
    root = ps.root

    park, park_id = None, None
    if args.park and args.park.lower() != "none" and Path(args.park).suffix in (".yaml", ".yml"):
        ppath = Path(args.park)
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
    elif not args.park or args.park.lower() != "none":
        parks, diags = load_parks(root, ps)
        if diags:
            raise UsageError("the park profiles have problems:\n" + "\n".join(d.format() for d in diags[:5]))
        if args.park:
            if args.park not in parks:
                known = ", ".join(sorted(parks)) or "none"
                raise UsageError(f"--park: no profile '{args.park}' under {root / 'parks'} (known: {known})")
            park_id = args.park
        elif parks:
            park_id = sorted(parks)[0]
        park = parks.get(park_id) if park_id else None

    if args.pair:
        parts = args.pair.split(":")
        if len(parts) != 2 or not all(parts):
            raise UsageError(f"--pair: expected two jurisdiction codes as A:B, got {args.pair!r}")
        pair = (parts[0], parts[1])
    elif park is not None:
        pair = (park.pair[0], park.pair[1])
    else:
        countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
        if len(countries) != 2:
            raise UsageError(f"--pair is needed: there are {len(countries)} country jurisdictions "
                             f"({', '.join(countries) or 'none'})")
        pair = (countries[0], countries[1])
    for code in pair:
        if code not in ps.jurisdictions:
            raise UsageError(f"--pair: unknown jurisdiction '{code}' (known: {', '.join(sorted(ps.jurisdictions))})")
    if pair[0] == pair[1]:
        raise UsageError("--pair: the two jurisdictions must differ")
    if park is not None and set(pair) != set(park.pair):
        missing = [c for c in pair if c not in park.sites]
        if missing:
            raise UsageError(f"--pair {pair[0]}:{pair[1]} does not match park '{park_id}' "
                             f"({park.pair[0]}:{park.pair[1]}); use --park none or another profile")

    try:
        params = load_parameter_set(root, args.params)
    except ValueError as exc:
        raise UsageError(f"--params: {exc}") from None
    result = run_check(ps, pair, as_of, park, park_id=park_id, params=params)
    if args.format == "json":
        sys.stdout.write(result.to_json())
    else:
        from .engine.report import text_report

        sys.stdout.write(text_report(result, top=args.top))
    return EXIT_OK
