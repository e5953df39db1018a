"""What the commands share: the policy folder, --as-of, --pair, --park and the parameter set."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any, Optional

from ..errors import UsageError
from ..reporting.escape import one_line

DEFAULT_POLICIES = Path("policies")
RAW_FORMATS = ("json", "sarif", "junit")  # escaped by their own syntax; every other format is read by people


def emit(text: str, out: Optional[str], fmt: str) -> None:
    """Write a command's output to ``out`` (atomically; special files as streams) or to stdout. Text for
    people (text, markdown, github, md, html) has its control and bidi characters shown escaped."""
    import sys

    from ..atomic import write_atomic
    from ..reporting.escape import terminal

    if fmt not in RAW_FORMATS:
        text = terminal(text)
    if out:
        write_atomic(Path(out), text)
    else:
        sys.stdout.write(text)


def parse_date(text: str, what: str = "--as-of") -> date:
    """A YYYY-MM-DD date from the command line, or UsageError naming the option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what}: not a date (YYYY-MM-DD): {text!r}") from None


def as_of_or_today(text: Optional[str]) -> date:
    return parse_date(text) if text else date.today()


def load_or_fail(path: Path):
    """A valid policy tree, or UsageError naming the first problems (run validate for all)."""
    from ..policy.loader import find_root, load_tree

    root = find_root(path)
    if root is None:
        raise UsageError(f"no catalogue.yaml at or above {path}; is this a policy folder?")
    ps = load_tree(root)
    if not ps.ok:
        first = "\n".join([d.format() for d in ps.diagnostics if d.severity.value == "error"][:5])
        raise UsageError(f"the policy files have problems; run 'harmonize validate {path}'.\n{first}")
    return ps


def load_parameter_set(root: Optional[Path], name: Optional[str] = None):
    """The engine's parameter set ``name`` (default: the file's default) from
    ``root/scenarios/parameters.yaml``; the built-in set when there is no such file.
    Raises ValueError for an unknown set name or an unreadable file."""
    from ..engine.run import DEFAULT_PARAMETER_SET, builtin_parameter_set, parameter_set
    from ..policy.scenarios import read_parameter_set

    chosen, pset = read_parameter_set(root, name, DEFAULT_PARAMETER_SET)
    return builtin_parameter_set() if pset is None else parameter_set(chosen, pset)


def default_pair(ps) -> tuple[str, str]:
    countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
    if len(countries) != 2:
        raise UsageError(f"--pair is needed: there are {len(countries)} country jurisdictions "
                         f"({one_line(', '.join(countries)) or 'none'})")
    return countries[0], countries[1]


def parse_pair(ps, text: str) -> tuple[str, str]:
    """--pair A:B: two different, declared jurisdiction codes. Raises UsageError."""
    parts = text.split(":")
    if len(parts) != 2 or not all(parts):
        raise UsageError(f"--pair: expected two jurisdiction codes as A:B, got {text!r}")
    for code in parts:
        if code not in ps.jurisdictions:
            raise UsageError(f"--pair: unknown jurisdiction '{code}' (known: {one_line(', '.join(sorted(ps.jurisdictions)))})")
    if parts[0] == parts[1]:
        raise UsageError("--pair: the two jurisdictions must differ")
    return parts[0], parts[1]


def park_profiles(ps):
    """{id: two-site profile}: every profile, a park of three as its three pairs (``<id>.<a>-<b>``)."""
    return _parks(ps)[0]


def trio_parks(ps) -> dict:
    """{id of a park of three: (its profile, [the ids of its three pairs])}."""
    flat, trios = _parks(ps)
    raw = _parks(ps, raw=True)
    return {k: (raw[k], v) for k, v in trios.items()}


def _parks(ps, raw: bool = False):
    from ..policy.parks import expand_parks, load_parks

    parks, diags = load_parks(ps.root, ps)
    diags = [d for d in diags if d.severity.value == "error"]  # warnings (R319) do not stop a check
    if diags:
        raise UsageError("the park profiles have problems:\n" + "\n".join(d.format() for d in diags[:5]))
    return parks if raw else expand_parks(parks)


def all_parks(ps) -> list[tuple[Any, Optional[str], tuple[str, str]]]:
    """(park, park id, pair) for every park profile of the tree; the no-park pair when there is none."""
    parks = park_profiles(ps)
    if not parks:
        return [(None, None, default_pair(ps))]
    return [(parks[k], k, (parks[k].pair[0], parks[k].pair[1])) for k in sorted(parks)]


def resolve_park(ps, park_arg: Optional[str], pair_arg: Optional[str]):
    """(park, park id, pair) as --park and --pair ask. Raises UsageError."""
    from ..policy.loader import resolve
    from ..policy.parks import check_park, load_park_file

    root = ps.root
    park, park_id = None, None
    if park_arg and park_arg.lower() != "none" and Path(park_arg).suffix in (".yaml", ".yml"):
        ppath = Path(park_arg)
        if not ppath.is_file():
            raise UsageError(f"--park: no such file: {ppath}")
        park, source, problems = load_park_file(ppath)
        findings = [p for p in problems if not hasattr(p, "format")]
        if park is not None:
            findings += check_park(park, source, ps)
        diags = [d for d in [p for p in problems if hasattr(p, "format")] + resolve(findings)
                 if d.severity.value == "error"]
        if diags:
            raise UsageError("the park profile has problems:\n" + "\n".join(d.format() for d in diags[:5]))
        park_id = ppath.stem
    elif not park_arg or park_arg.lower() != "none":
        parks = park_profiles(ps)
        trios = trio_parks(ps) if park_arg else {}
        if park_arg in trios and pair_arg:
            want = set(parse_pair(ps, pair_arg))
            found = [k for k in trios[park_arg][1] if set(parks[k].pair) == want]
            if not found:
                raise UsageError(f"--pair {pair_arg} is not a pair of the park of three '{park_arg}' "
                                 f"({':'.join(trios[park_arg][0].pair)})")
            park_arg = found[0]
        elif park_arg in trios:
            raise UsageError(f"--park {park_arg} is a park of three: give --pair, or use 'check --park {park_arg}' "
                             f"or 'report' for its three pairs and the joint view")
        if park_arg:
            if park_arg not in parks:
                known = one_line(", ".join(sorted(parks))) or "none"
                raise UsageError(f"--park: no profile '{park_arg}' under {root / 'parks'} (known: {known})")
            park_id = park_arg
        elif parks:
            park_id = sorted(parks)[0]
        park = parks.get(park_id) if park_id else None

    if pair_arg:
        pair = parse_pair(ps, pair_arg)
    elif park is not None:
        pair = (park.pair[0], park.pair[1])
    else:
        pair = default_pair(ps)
    if park is not None and set(pair) != set(park.pair):
        missing = [c for c in pair if c not in park.sites]
        if missing:
            raise UsageError(f"--pair {pair[0]}:{pair[1]} does not match park '{one_line(park_id)}' "
                             f"({park.pair[0]}:{park.pair[1]}); use --park none or another profile")
    return park, park_id, pair


def parse_fail_under(values: list[str], domains: set[str]) -> tuple[Optional[float], dict[str, float]]:
    overall, per = None, {}
    for v in values:
        key, sep, num = v.rpartition("=")
        try:
            score = float(num)
        except ValueError:
            raise UsageError(f"--fail-under: expected SCORE or DOMAIN=SCORE, got {v!r}") from None
        if not (0 <= score <= 100) or not math.isfinite(score):
            raise UsageError(f"--fail-under: a score is between 0 and 100, got {num}")
        if sep:
            if key not in domains:
                raise UsageError(f"--fail-under: unknown domain '{key}' (known: {one_line(', '.join(sorted(domains)))})")
            per[key] = score
        else:
            overall = score
    return overall, per
