"""The command line: one module per command, each a thin wrapper over the library.

Each command module exposes ``register(subparsers)`` and keeps its heavy imports inside the
command function, so building the parser stays cheap. Exit codes are in ``harmonize.errors``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Optional, Sequence

from ..errors import EXIT_OK, EXIT_USAGE, UsageError

# In the order ``harmonize --help`` lists them.
COMMANDS = ("init", "validate", "summary", "check", "simulate", "report", "diff", "baseline", "schema")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="harmonize",
        description="Check how compatible two jurisdictions' investment-incentive law is.",
    )
    parser.add_argument("--version", action="version", version=f"harmonize {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
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
