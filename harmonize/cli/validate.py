"""``harmonize validate``: report every problem in the given policy files, located."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import sys
from typing import IO, TYPE_CHECKING, Sequence

from ..errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from .args import DEFAULT_POLICIES
from . import COMMANDS

if TYPE_CHECKING:
    from ..policy.diagnostics import Diagnostic

FORMATS = ("text", "json", "markdown", "github", "sarif", "junit")


def register(subparsers) -> None:
    p = subparsers.add_parser("validate", help=COMMANDS["validate"])
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: policies/)")
    p.add_argument("--format", choices=list(FORMATS), default="text",
                   help="text for people; json; markdown for job summaries; github annotations; sarif; junit")
    p.add_argument("-o", "--out", metavar="PATH", help="write the report to PATH (atomically) instead of stdout")
    p.add_argument("--strict", action="store_true",
                   help="fail (exit 1) on warnings too, e.g. a verified value resting only on low-tier sources (R317)")
    p.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [DEFAULT_POLICIES]
    return run_validate(paths, fmt=args.format, out=sys.stdout, dest=Path(args.out) if args.out else None,
                        strict=args.strict)


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _load_root(root: Path, only: set[str] | None = None) -> tuple[dict[Path, str], list[Diagnostic]]:
    """Every file of a policy tree (jurisdictions, catalogue, parks, scenarios) and its problems;
    with ``only``, just the catalogue and those jurisdictions (when only their files are asked for)."""
    from ..policy.loader import YAML_SUFFIXES, display_path, load_tree

    ps = load_tree(root, only)
    files = {f.path.resolve(): f.display for f in ps.files}
    diagnostics = list(ps.diagnostics)
    if only is not None:
        return files, diagnostics
    from ..policy.parks import load_parks, park_files
    from ..policy.scenarios import check_scenarios, load_scenario_folder, scenario_folder

    _, park_problems = load_parks(root, ps if ps.catalogue else None)
    scenarios = load_scenario_folder(root)
    diagnostics += park_problems + scenarios.diagnostics
    if ps.catalogue:
        diagnostics += check_scenarios(scenarios.scenarios, ps)
    folder = scenario_folder(root)
    extra = park_files(root) + (sorted(x for x in folder.iterdir() if x.suffix in YAML_SUFFIXES and x.is_file())
                                if folder.is_dir() else [])
    files.update({x.resolve(): display_path(x) for x in extra})
    from ..policy.loader import outside_tree
    from ..policy.yamlread import bidi_warnings, read_text

    for x in extra:  # park and scenario files: their loaders report errors only
        text = None if outside_tree(x) else read_text(x, display_path(x))[0]
        if text is not None:
            diagnostics += bidi_warnings(text, display_path(x))
    return files, diagnostics


def collect(paths: Sequence[Path]) -> tuple[list[Diagnostic], list[str]]:
    """All diagnostics for the given files and folders, and the files checked (display paths)."""
    from ..policy.diagnostics import Diagnostic
    from ..policy.loader import YAML_SUFFIXES, display_path, find_root, jurisdiction_of, load_file, yaml_files_under
    for p in paths:
        if not p.exists():
            raise UsageError(f"no such file or folder: {p}")
    diagnostics: list[Diagnostic] = []
    checked: dict[Path, str] = {}
    trees: dict[Path, tuple[dict[Path, str], list[Diagnostic]]] = {}
    # A tree whose only paths asked for are jurisdiction files loads just those jurisdictions.
    wanted_codes: dict[Path, set[str] | None] = {}
    for p in paths:
        root = find_root(p)
        if root is not None and (p.is_dir() or p.suffix in YAML_SUFFIXES):
            code = None if p.is_dir() else jurisdiction_of(p, root)
            codes = wanted_codes.get(root, set())
            wanted_codes[root] = None if code is None or codes is None else codes | {code}
    for p in paths:
        root = find_root(p)
        if root is not None and (p.is_dir() or p.suffix in YAML_SUFFIXES):
            if root not in trees:
                trees[root] = _load_root(root, wanted_codes[root])
            files, tree_diagnostics = trees[root]
            whole = p.is_dir() and _within(root, p)
            mine = {k: v for k, v in files.items()
                    if whole or (_within(k, p) if p.is_dir() else k == p.resolve())}
            wanted = set(mine.values())
            diagnostics += [d for d in tree_diagnostics if whole or d.file in wanted]
            checked.update(mine)
            continue
        if p.is_dir():
            files, deep = yaml_files_under(p)
            if deep is not None:
                diagnostics.append(Diagnostic(display_path(deep), 1, 1, "Y106",
                                              "folders nest too deeply here; the deeper ones are not read"))
        else:
            files = [p]
        for f in files:
            if f.resolve() in checked:
                continue
            checked[f.resolve()] = display_path(f)
            diagnostics += load_file(f)[2]
    unique = sorted(set(diagnostics), key=lambda d: (d.file, d.line, d.column, d.code, d.message))
    return unique, sorted(checked.values())


def render(diagnostics: list[Diagnostic], nfiles: int, checked: list[str], fmt: str) -> str:
    """The report of a validation run in one of FORMATS."""
    from ..policy.diagnostics import Severity

    import io

    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if fmt in ("markdown", "github", "sarif", "junit"):
        from ..gates.formats import rows_from_diagnostics

        rows = rows_from_diagnostics(diagnostics)
        if fmt == "github":
            from ..gates.formats.github import render as github, write_overflow

            write_overflow(rows)
            return github(rows)
        if fmt == "sarif":
            from .. import __version__
            from ..gates.formats.sarif import render as sarif

            return sarif(rows, __version__)
        if fmt == "junit":
            from ..gates.formats.junit import render as junit

            bad = {d.file for d in diagnostics}
            return junit("harmonize validate", [f for f in checked if f not in bad], rows)
        from ..reporting.templating import render as template

        return template("validate.md.j2", rows=rows, errors=errors, warnings=warnings,
                        files_checked=nfiles, files_with_problems=len({d.file for d in diagnostics}))
    out = io.StringIO()
    if fmt == "json":
        json.dump({
            "files_checked": nfiles,
            "errors": errors,
            "warnings": warnings,
            "problems": [
                {"file": d.file, "line": d.line, "column": d.column, "code": d.code, "name": d.name,
                 "severity": d.severity.value, "message": d.message}
                for d in diagnostics
            ],
        }, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return out.getvalue()
    for d in diagnostics:
        out.write(d.format() + "\n")
    if diagnostics and not errors:
        files = len({d.file for d in diagnostics})
        out.write(f"All {nfiles} file{'s' * (nfiles != 1)} valid.\n"
                  f"{warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)} "
                  f"(not errors; --strict fails on them).\n")
    elif diagnostics:
        files = len({d.file for d in diagnostics})
        out.write(f"Found {errors} error{'s' * (errors != 1)}"
                  f"{f' and {warnings} warning' + 's' * (warnings != 1) if warnings else ''}"
                  f" in {files} of {nfiles} file{'s' * (nfiles != 1)}.\n")
    else:
        out.write(f"All {nfiles} file{'s' * (nfiles != 1)} valid.\n")
    return out.getvalue()


def run_validate(paths: Sequence[Path], fmt: str, out: IO[str], dest: Path | None = None,
                 strict: bool = False) -> int:
    """Write the report; exit 1 on errors, and with ``strict`` on warnings too."""
    if not paths or (len(paths) == 1 and not paths[0].exists() and str(paths[0]) == "policies"):
        raise UsageError("no policies/ folder here; pass the files or folders to check")
    from ..policy.diagnostics import Severity

    from .args import RAW_FORMATS
    from ..reporting.escape import terminal

    diagnostics, checked = collect(paths)
    text = render(diagnostics, len(checked), sorted(checked), fmt)
    if fmt not in RAW_FORMATS:
        text = terminal(text)
    if dest is not None:
        from ..atomic import write_atomic

        write_atomic(dest, text)
    else:
        out.write(text)
    failing = diagnostics if strict else [d for d in diagnostics if d.severity is Severity.ERROR]
    return EXIT_PROBLEMS if failing else EXIT_OK
