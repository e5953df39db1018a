"""``harmonize validate``: report every problem in the given policy files, located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Sequence

from .cli import EXIT_OK, EXIT_PROBLEMS, UsageError
from .diagnostics import CODES, Diagnostic, Severity
from .loader import YAML_SUFFIXES, display_path, find_root, load_file, load_tree


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def collect(paths: Sequence[Path]) -> tuple[list[Diagnostic], int]:
    """All diagnostics for the given files and folders, and how many files were checked."""
    for p in paths:
        if not p.exists():
            raise UsageError(f"no such file or folder: {p}")
    diagnostics: list[Diagnostic] = []
    checked: set[Path] = set()
    trees: dict[Path, object] = {}
    for p in paths:
        root = find_root(p)
        if root is not None and (p.is_dir() or p.suffix in YAML_SUFFIXES):
            if root not in trees:
                trees[root] = load_tree(root)
            ps = trees[root]
            files = [f for f in ps.files if (_within(f.path, p) if p.is_dir() else f.path.resolve() == p.resolve())]
            if p.is_dir() and _within(root, p):
                files = ps.files
            wanted = {f.display for f in files}
            if p.is_dir() and _within(root, p):
                wanted |= {d.file for d in ps.diagnostics}
            diagnostics += [d for d in ps.diagnostics if d.file in wanted]
            checked |= {f.path.resolve() for f in files}
            continue
        files = sorted(x for x in p.rglob("*") if x.suffix in YAML_SUFFIXES and x.is_file()) if p.is_dir() else [p]
        for f in files:
            if f.resolve() in checked:
                continue
            checked.add(f.resolve())
            diagnostics += load_file(f)[2]
    unique = sorted(set(diagnostics), key=lambda d: (d.file, d.line, d.column, d.code, d.message))
    return unique, len(checked)


def run_validate(paths: Sequence[Path], fmt: str, out: IO[str]) -> int:
    if not paths or (len(paths) == 1 and not paths[0].exists() and str(paths[0]) == "policies"):
        raise UsageError("no policies/ folder here; pass the files or folders to check")
    diagnostics, nfiles = collect(paths)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if fmt == "json":
        json.dump({
            "files_checked": nfiles,
            "errors": errors,
            "warnings": warnings,
            "problems": [
                {"file": d.file, "line": d.line, "column": d.column, "code": d.code, "name": CODES[d.code][0],
                 "severity": d.severity.value, "message": d.message}
                for d in diagnostics
            ],
        }, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for d in diagnostics:
            out.write(d.format() + "\n")
        if diagnostics:
            files = len({d.file for d in diagnostics})
            out.write(f"Found {errors} error{'s' * (errors != 1)}"
                      f"{f' and {warnings} warning' + 's' * (warnings != 1) if warnings else ''}"
                      f" in {files} of {nfiles} file{'s' * (nfiles != 1)}.\n")
        else:
            out.write(f"All {nfiles} file{'s' * (nfiles != 1)} valid.\n")
    return EXIT_PROBLEMS if errors else EXIT_OK
