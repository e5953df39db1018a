"""Where a data path lies in a policy file: 1-based line and column, for error messages. One streaming
pass over the C parser's events, only when a problem has to be located."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from .diagnostics import DataPath
from .yamlread import _mark_pos


class Locator:
    """Maps a data path (keys and list indices) to a 1-based line and column in one file.

    Positions come from one pass over the C parser's event stream (no tree is built, no recursion), and
    only for the paths asked for (``want``, or each ``locate``) and their ancestors: locating the first
    problems of a 5 MB file costs one streaming pass, not a round-trip load. Only used when a problem
    must be reported, so valid files never pay for it.
    """

    def __init__(self, text: str | None = None, path: Path | None = None):
        self._text = text  # or None: read ``path`` again only if a problem has to be located
        self._path = path
        self._keys: dict[tuple, tuple[int, int]] = {}
        self._values: dict[tuple, tuple[int, int]] = {}
        self._done: set[tuple] = set()
        self._pending: set[tuple] = set()

    def want(self, paths) -> None:
        """Paths about to be located: found together in one pass."""
        for path in paths:
            key = _norm(path)
            if key not in self._done:
                self._pending.add(key)

    def _scan(self) -> None:
        wanted = self._pending
        self._done |= wanted
        self._pending = set()
        prefixes = {p[:i] for p in wanted for i in range(len(p) + 1)}
        try:
            text = self._text if self._text is not None else self._path.read_text(encoding="utf-8-sig")
            _scan_events(text, prefixes, self._keys, self._values)
        except Exception:  # noqa: BLE001 - positions are best-effort; the safe load already succeeded
            pass

    def locate(self, path: DataPath, key: bool = False) -> tuple[int, int]:
        """Position of the value at ``path``; with ``key=True``, of the last key itself.

        Falls back to the nearest enclosing node whose position is known."""
        norm = _norm(path)
        if norm not in self._done:
            self._pending.add(norm)
        if self._pending:
            self._scan()
        if key and norm in self._keys:
            return self._keys[norm]
        for i in range(len(norm), -1, -1):
            here = self._values.get(norm[:i])
            if here is not None:
                return here
        return 1, 1


def _norm(path: DataPath) -> tuple:
    return tuple(p if isinstance(p, int) else str(p) for p in path)


def _scan_events(text: str, prefixes: set, keys: dict, values: dict) -> None:
    """Record (line, column) of the keys and values whose paths are in ``prefixes``."""
    # frames: [path, is_mapping, expecting_key, current key or index, skip depth]
    stack: list[list] = []
    skip = 0  # inside a complex (non-scalar) key: ignore until it closes
    for event in YAML(typ="safe").parse(text):
        name = type(event).__name__
        if name in ("StreamStartEvent", "StreamEndEvent", "DocumentStartEvent", "DocumentEndEvent"):
            continue
        opening = name in ("MappingStartEvent", "SequenceStartEvent")
        closing = name in ("MappingEndEvent", "SequenceEndEvent")
        if skip:
            skip += 1 if opening else -1 if closing else 0
            if not skip and stack:
                stack[-1][2], stack[-1][3] = False, None
            continue
        if closing:
            stack.pop()
            if stack:
                _advance(stack[-1])
            continue
        if stack and stack[-1][1] and stack[-1][2]:  # a key
            frame = stack[-1]
            if opening:
                skip = 1
                continue
            frame[3] = str(getattr(event, "value", ""))
            frame[2] = False
            kpath = frame[0] + (frame[3],)
            if kpath in prefixes:
                keys[kpath] = _mark_pos(event.start_mark)
            continue
        if stack:
            frame = stack[-1]
            here = frame[0] + (frame[3],)
        else:
            here = ()
        if here in prefixes:
            values[here] = _mark_pos(event.start_mark)
        if opening:
            stack.append([here, name == "MappingStartEvent", True, 0 if name == "SequenceStartEvent" else None])
        elif stack:
            _advance(stack[-1])


def _advance(frame: list) -> None:
    if frame[1]:
        frame[2], frame[3] = True, None
    else:
        frame[3] += 1
