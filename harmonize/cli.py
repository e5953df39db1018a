"""The command line: thin wrappers over the library. Each command imports only what it needs.

Exit codes: 0 success; 1 problems found (or a gate failed); 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DEFAULT_POLICIES = Path("policies")


class UsageError(Exception):
    pass


def _validate(args: argparse.Namespace) -> int:
    from .validate import run_validate

    paths = [Path(p) for p in args.paths] or [DEFAULT_POLICIES]
    return run_validate(paths, fmt=args.format, out=sys.stdout, dest=Path(args.out) if args.out else None)


def _schema(args: argparse.Namespace) -> int:
    from .schema import schema_text

    text = schema_text(args.kind)
    if args.out:
        from .atomic import write_atomic

        write_atomic(Path(args.out), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def parse_date(text: str, what: str = "--as-of"):
    """A YYYY-MM-DD date from the command line, or UsageError naming the option."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what}: not a date (YYYY-MM-DD): {text!r}") from None


def as_of_or_today(text: Optional[str]):
    from datetime import date

    return parse_date(text) if text else date.today()


def load_or_fail(path: Path):
    """A valid policy tree, or UsageError naming the first problems (run validate for all)."""
    from .loader import find_root, load_tree

    root = find_root(path)
    if root is None:
        raise UsageError(f"no catalogue.yaml at or above {path}; is this a policy folder?")
    ps = load_tree(root)
    if not ps.ok:
        first = "\n".join(d.format() for d in ps.diagnostics[:5])
        raise UsageError(f"the policy files have problems; run 'harmonize validate {path}'.\n{first}")
    return ps


def _summary(args: argparse.Namespace) -> int:
    from .summary import summary_table

    ps = load_or_fail(Path(args.path))
    sys.stdout.write(summary_table(ps, parse_date(args.as_of) if args.as_of else None))
    return EXIT_OK


# Commands defined in their own modules; each module exposes register(subparsers) and keeps its
# heavy imports inside the command function, so building the parser stays cheap.
PLUGGED_COMMANDS = ("check", "simulate", "report", "diff", "baseline")


def _register(name: str, sub) -> None:
    import importlib

    try:
        module = importlib.import_module(f"harmonize.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"harmonize.{name}":
            return  # not built yet
        raise
    module.register(sub)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="harmonize",
        description="Check how compatible two jurisdictions' investment-incentive law is.",
    )
    parser.add_argument("--version", action="version", version=f"harmonize {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check policy files: syntax, schema and cross-references")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: policies/)")
    p.add_argument("--format", choices=["text", "json", "markdown", "github", "sarif", "junit"], default="text",
                   help="text for people; json; markdown for job summaries; github annotations; sarif; junit")
    p.add_argument("-o", "--out", metavar="PATH", help="write the report to PATH (atomically) instead of stdout")
    p.set_defaults(func=_validate)

    p = sub.add_parser("summary", help="count values per jurisdiction, domain and verification status")
    p.add_argument("path", nargs="?", default=str(DEFAULT_POLICIES), metavar="PATH")
    p.add_argument("--as-of", default=None, metavar="DATE",
                   help="count only values in force on DATE (default: every dated value)")
    p.set_defaults(func=_summary)

    for name in PLUGGED_COMMANDS:
        _register(name, sub)

    p = sub.add_parser("schema", help="write the JSON Schema of an input file (policy, catalogue, park, scenario, parameters) "
                                           "or of a JSON output (result, report)")
    p.add_argument("--kind", choices=["policy", "catalogue", "park", "scenario", "parameters", "result", "report"], default="policy")
    p.add_argument("-o", "--out", metavar="PATH", help="write to PATH (atomically) instead of stdout")
    p.set_defaults(func=_schema)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own usage message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"harmonize: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except MemoryError:
        print("harmonize: out of memory reading the input", file=sys.stderr)
        return EXIT_USAGE
