"""GitHub Actions workflow commands: problems appear inline on the pull request's diff."""

from __future__ import annotations

from typing import Iterable

from . import Row

_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# GitHub shows at most this many annotations of each level per step; the rest are dropped silently.
LIMIT = 10


def _park_prefix(message: str) -> tuple[str, str]:
    """("park", rest) for a message that starts with "[park] "; ("", message) otherwise."""
    if message.startswith("[") and "] " in message:
        head, rest = message[1:].split("] ", 1)
        return head, rest
    return "", message


def group(rows: Iterable[Row]) -> list[Row]:
    """One row per rule and place: the same finding in several parks becomes one annotation naming them."""
    groups: dict[tuple, list[Row]] = {}
    for r in rows:
        groups.setdefault((r.rule, r.severity, r.file, r.line, r.column), []).append(r)
    out = []
    for members in groups.values():
        first = members[0]
        if len(members) == 1:
            out.append(first)
            continue
        parts = [_park_prefix(r.message) for r in members]
        rests = list(dict.fromkeys(rest for _, rest in parts))
        parks = ", ".join(dict.fromkeys(p for p, _ in parts if p))
        if len(rests) == 1:
            message = (f"[{parks}] " if parks else "") + rests[0]
        else:
            message = " | ".join(dict.fromkeys(r.message for r in members))
        out.append(Row(first.rule, first.title, message, first.severity, first.file, first.line, first.column,
                       first.help))
    return out


def overflow(rows: list[Row]) -> str:
    """Markdown for the job summary listing every annotation when a level has more than GitHub shows;
    empty when none is cut."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.severity] = counts.get(r.severity, 0) + 1
    cut = {lvl: n for lvl, n in counts.items() if n > LIMIT}
    if not cut:
        return ""
    lines = ["### harmonize: every annotation", "",
             "GitHub shows " + str(LIMIT) + " annotations of each level per step; this step made "
             + ", ".join(f"{n} at level {_LEVEL.get(lvl, lvl)}" for lvl, n in sorted(cut.items())) + ":", ""]
    for r in rows:
        where = f"`{r.file}:{r.line or 1}` " if r.file else ""
        lines.append(f"- **{_LEVEL.get(r.severity, r.severity)}** {where}{r.rule}: "
                     + r.message.replace("\n", " ").replace("|", "\\|"))
    return "\n".join(lines) + "\n"


def write_overflow(rows: list[Row]) -> None:
    """Append ``overflow(rows)`` to the job summary when running in GitHub Actions."""
    import os

    text = overflow(rows)
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if text and path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)


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
