"""The folders of a policy tree: where its root is, which folders are jurisdictions, which files are read.

A folder is a jurisdiction when it directly holds ``.yaml`` files; its code is the folder name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

CATALOGUE_NAME = "catalogue.yaml"
RESERVED_FOLDERS = {"parks", "scenarios", "translations"}  # other file kinds, not jurisdictions
YAML_SUFFIXES = (".yaml", ".yml")


def find_root(start: Path) -> Optional[Path]:
    """The nearest folder at or above ``start`` that holds a catalogue."""
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        if (folder / CATALOGUE_NAME).is_file():
            return folder
    return None


MAX_FOLDER_DEPTH = 16  # folders below a policy root; deeper ones are reported (Y106), not read


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())


def _subfolders(here: Path) -> tuple[list[str], list[str]]:
    """(sub-folder names, other entry names) of ``here``, sorted; links to folders are not followed,
    hidden folders are skipped."""
    try:
        with os.scandir(here) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return [], []
    dirs, other = [], []
    for e in entries:
        try:
            is_dir = e.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            if not e.name.startswith("."):
                dirs.append(e.name)
        else:
            other.append(e.name)
    return dirs, other


def jurisdiction_folders(root: Path, too_deep: Optional[list[Path]] = None) -> list[Path]:
    """Every folder below ``root`` that holds YAML files, in sorted pre-order, without recursion (a
    thousand nested folders cannot exhaust the stack); folders below MAX_FOLDER_DEPTH go to ``too_deep``."""
    found = []
    stack = [(root, 0)]
    while stack:
        here, depth = stack.pop()
        dirs, names = _subfolders(here)
        if here == root:
            dirs = [d for d in dirs if d not in RESERVED_FOLDERS]
        elif any(name.endswith(YAML_SUFFIXES) for name in names):
            found.append(here)
        if dirs and depth >= MAX_FOLDER_DEPTH:
            if too_deep is not None:
                too_deep.append(here)
            continue
        stack.extend((here / d, depth + 1) for d in reversed(dirs))
    return found


def yaml_files_under(folder: Path) -> tuple[list[Path], Optional[Path]]:
    """Every YAML file below ``folder`` (any depth up to MAX_FOLDER_DEPTH, no recursion, links to folders
    not followed), sorted; and the first folder too deep to read, if any."""
    files: list[Path] = []
    deep: Optional[Path] = None
    stack = [(folder, 0)]
    while stack:
        here, depth = stack.pop()
        dirs, names = _subfolders(here)
        files += [here / n for n in names if n.endswith(YAML_SUFFIXES) and (here / n).is_file()]
        if dirs and depth >= MAX_FOLDER_DEPTH:
            deep = deep or here
            continue
        stack.extend((here / d, depth + 1) for d in reversed(dirs))
    return sorted(files), deep


def outside_tree(path: Path) -> bool:
    """True when ``path`` lies in a policy tree (a folder with a catalogue above it) but is, or passes
    through, a symbolic link to somewhere outside that tree."""
    root = find_root(path.parent)
    if root is None:
        return False
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep)


def jurisdiction_of(path: Path, root: Path) -> Optional[str]:
    """The code of the jurisdiction a policy file belongs to (its folder), or None for the
    catalogue, source-tier, park and scenario files and anything else."""
    folder = path.resolve().parent
    root = root.resolve()
    if folder == root or root not in folder.parents or not path.name.endswith(YAML_SUFFIXES):
        return None
    if folder.relative_to(root).parts[0] in RESERVED_FOLDERS:
        return None
    return folder.name
