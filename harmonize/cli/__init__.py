"""The command line: one module per command, each a thin wrapper over the library.

Each command module exposes ``register(subparsers)`` and keeps its heavy imports inside the
command function. ``harmonize --help`` needs only the one-line help of each command (the table
below), so a run imports and registers only the command it runs. Exit codes are in
``harmonize.errors``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Optional, Sequence

from ..errors import EXIT_OK, EXIT_USAGE, UsageError

# In the order ``harmonize --help`` lists them, with their one-line help.
COMMANDS = {
    "init": "scaffold a policy repository (catalogue, schemas, CI workflow, pre-commit) or a new jurisdiction "
            "folder",
    "validate": "check policy files: syntax, schema and cross-references",
    "summary": "count values per jurisdiction, domain and verification status",
    "check": "score how compatible two jurisdictions are for a joint park, with gaps and a roadmap; gate CI on "
             "the score",
    "simulate": "taxes, PVs and EATR/METR of hypothetical investors on both sides",
    "report": "write the gap-analysis report (Markdown, HTML, JSON; en, vi, lo)",
    "diff": "list every changed value (with both legal bases) between two policy trees and the score and gap "
            "movements per park",
    "baseline": "write or show the accepted compatibility baseline (baseline/compatibility.json)",
    "schema": "write the JSON Schema of an input file (policy, catalogue, park, scenario, parameters, sources) "
              "or of a JSON output (result, report)",
}


def _argparse_translations_once() -> None:
    """argparse translates each of its strings with gettext.gettext, which looks the catalogue up on
    disk again for every string (about a third of building this parser). Look it up once."""
    import gettext

    if getattr(argparse, "_harmonize_once", False):
        return
    try:
        t = gettext.translation(gettext.textdomain())
    except OSError:
        t = gettext.NullTranslations()
    argparse._ = t.gettext  # type: ignore[attr-defined]
    argparse.ngettext = t.ngettext  # type: ignore[attr-defined]
    argparse._harmonize_once = True  # type: ignore[attr-defined]


def build_parser(only: Optional[str] = "*") -> argparse.ArgumentParser:
    """The full parser; with ``only``, the named command is complete and the others are listed by name
    and help (enough for ``harmonize --help`` and for argparse's choice of command)."""
    from .. import __version__

    _argparse_translations_once()
    parser = argparse.ArgumentParser(
        prog="harmonize",
        description="Check how compatible two jurisdictions' investment-incentive law is.",
    )
    parser.add_argument("--version", action="version", version=f"harmonize {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in COMMANDS.items():
        if only in ("*", name):
            importlib.import_module(f"{__name__}.{name}").register(sub)
        else:
            sub.add_parser(name, help=text)
    return parser


def _command_of(argv: Sequence[str]) -> Optional[str]:
    """The command an argument list runs (the top level has no option taking a value)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else "*"
    return None


def _labels(parser: argparse.ArgumentParser, into: dict[str, str]) -> dict[str, str]:
    """dest -> how the user spells it (``--baseline``, ``PATH``), across every subcommand."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _labels(sub, into)
        elif action.dest not in into:
            into[action.dest] = action.option_strings[-1] if action.option_strings else (
                action.metavar if isinstance(action.metavar, str) else action.dest.upper())
    return into


def _refuse_blank(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """An empty or blank value is what an unset CI variable gives (``--baseline "$BASE"``): never let it
    mean "the default" (no baseline, every park, today, the current folder). Defaults are never blank."""
    labels: dict[str, str] | None = None
    for dest, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            labels = labels or _labels(parser, {})
            raise UsageError(f"{labels.get(dest, dest)}: empty value (is a CI variable unset?)")


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so that every ``finally`` cleans up (temporary files)."""


def _on_sigterm(signum, frame):  # noqa: ARG001
    raise Terminated()


def main(argv: Optional[Sequence[str]] = None) -> int:
    import signal

    handlers = {}
    try:  # SIGTERM and SIGINT unwind like KeyboardInterrupt: every ``finally`` removes its temporary files
        handlers[signal.SIGTERM] = signal.signal(signal.SIGTERM, _on_sigterm)
        handlers[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:  # not the main thread (embedded use): keep the defaults
        pass
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 143
    finally:
        for signum, previous in handlers.items():
            signal.signal(signum, previous)


def _main(argv: Optional[Sequence[str]]) -> int:
    from ..reporting.escape import terminal

    parser = build_parser(_command_of(sys.argv[1:] if argv is None else argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own usage message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        _refuse_blank(parser, args)
        return int(args.func(args))
    except UsageError as exc:
        print(terminal(f"harmonize: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except MemoryError:
        print("harmonize: out of memory reading the input", file=sys.stderr)
        return EXIT_USAGE
    except RecursionError:
        print("harmonize: the input nests too deeply to read", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a full disk, a read-only folder, a vanished file: one line, never a traceback
        where = f": {exc.filename}" if exc.filename else ""
        print(terminal(f"harmonize: {exc.strerror or exc}{where}"), file=sys.stderr)
        return EXIT_USAGE
