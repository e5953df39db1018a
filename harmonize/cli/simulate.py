"""``harmonize simulate``: run hypothetical investors through two jurisdictions' law.

Prints, per archetype and side, the year-by-year taxes, their present values, EATR/METR, the
economic parameter set and every assumption. The investors' numbers are illustrative assumptions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from .args import DEFAULT_POLICIES, as_of_or_today, default_pair, load_or_fail, parse_pair
from . import COMMANDS


def register(subparsers) -> None:
    p = subparsers.add_parser("simulate", help=COMMANDS["simulate"])
    p.add_argument("path", nargs="?", default=str(DEFAULT_POLICIES), metavar="PATH")
    p.add_argument("--pair", metavar="A:B", help="two jurisdiction codes (default: the two countries)")
    p.add_argument("--scenario", default="all", metavar="NAME|all", help="an archetype (file name) or all")
    p.add_argument("--as-of", default=None, metavar="DATE", help="law in force on DATE, YYYY-MM-DD (default: today)")
    p.add_argument("--params", default=None, metavar="SET", help="economic parameter set (default: the file's default)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=run)


def _pair(text, ps) -> tuple[str, str]:
    return parse_pair(ps, text) if text else default_pair(ps)


def run(args: argparse.Namespace) -> int:
    import json

    from ..engine.simulation import simulate
    from ..policy.scenarios import check_scenarios, load_scenario_folder

    as_of = as_of_or_today(args.as_of)
    ps = load_or_fail(Path(args.path))
    pair = _pair(args.pair, ps)
    loaded = load_scenario_folder(ps.root)
    problems = loaded.diagnostics + check_scenarios(loaded.scenarios, ps)
    if problems:
        raise UsageError("the scenario files have problems:\n" + "\n".join(d.format() for d in problems[:10]))
    if not loaded.scenarios:
        raise UsageError(f"no scenario files in {ps.root / 'scenarios'}")
    set_name = args.params or loaded.default_set
    if set_name is None or set_name not in loaded.parameter_sets:
        known = ", ".join(sorted(loaded.parameter_sets)) or "none: add scenarios/parameters.yaml"
        raise UsageError(f"unknown parameter set {set_name!r} (known: {known})")
    if args.scenario == "all":
        names = sorted(loaded.scenarios)
    elif args.scenario in loaded.scenarios:
        names = [args.scenario]
    else:
        raise UsageError(f"unknown scenario {args.scenario!r} (known: {', '.join(sorted(loaded.scenarios))}, all)")
    results = []
    for name in names:
        try:
            results.append(simulate(ps, name, loaded.scenarios[name], pair, as_of, set_name,
                                    loaded.parameter_sets[set_name]))
        except ValueError as exc:
            raise UsageError(f"scenario {name}: {exc}") from None
    if args.format == "json":
        doc = {"illustrative": True, "results": [r.model_dump(mode="json") for r in results]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        from ..reporting.simulation_text import render_text

        from ..reporting.escape import terminal

        sys.stdout.write(terminal(render_text(results)))
    return EXIT_OK
