"""GitHub Actions workflow commands: problems appear inline on the pull request's diff."""

from __future__ import annotations

from typing import Iterable

from . import Row

_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(rows: Iterable[Row]) -> str:
    out = []
    for r in rows:
        props = []
        if r.file:
            props.append(f"file={_prop(r.file)}")
            if r.line:
                props.append(f"line={r.line}")
            if r.column:
                props.append(f"col={r.column}")
        props.append(f"title={_prop(f'{r.rule} {r.title}')}")
        out.append(f"::{_LEVEL.get(r.severity, 'error')} {','.join(props)}::{_data(r.message)}\n")
    return "".join(out)
