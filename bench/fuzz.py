"""Fuzz `validate` and `check` with mutated copies of valid policy files.

    python bench/fuzz.py --iterations 2000 --seed 7
    python bench/fuzz.py --iterations 300 --generated 3 200     # mutate a synthetic corpus instead

Each iteration copies the shipped tree, applies one mutation to one file (wrong types, missing
fields, broken references, duplicated lines, random bytes, truncation, hostile YAML), and runs
`harmonize validate` and `harmonize check` in-process through the CLI's `main`. Any exception that
escapes is a failure (the CLI must answer with exit 0, 1 or 2), as is a run slower than the time
limit or peak memory above 200 MB. A bounded version runs in the test suite (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

JUNK = ["\t", "&a ", "*a", "!!python/object:os.system ", "<<: {x: 1}", "? ", "- - - ", "{", "]", "'", '"',
        "%YAML 1.1\n", "---\n", "\x00", "\x07", "\ufeff", "ລາວ", "2025-02-30", "1e999", "-0", "~", "|\n"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def flip_bytes(text: str, rng: random.Random) -> bytes:
    raw = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 8)):
        if raw:
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


def wrong_type(text: str, rng: random.Random) -> str:
    spots = [m for m in re.finditer(r"(?m)^(\s*-?\s*[a-z_]+: )(.+)$", text)]
    if not spots:
        return text
    m = rng.choice(spots)
    new = rng.choice(["[x, y]", "{a: 1}", "yes", "2025-13-01", "-5", "1e400", "''", "null", "150", "[[[]]]", "\"\""])
    return text[: m.start(2)] + new + text[m.end(2):]


def delete_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines)


def break_reference(text: str, rng: random.Random) -> str:
    spots = list(re.finditer(r"(instrument|measure|zones|sectors|supersedes|superseded_by): ?\[?([a-z0-9_.-]+)", text))
    if not spots:
        return text
    m = rng.choice(spots)
    return text[: m.start(2)] + m.group(2)[::-1] + text[m.end(2):]


def swap_dates(text: str, rng: random.Random) -> str:
    return re.sub(r"(from|until): (\d{4})", lambda m: f"{m.group(1)}: {int(m.group(2)) + rng.choice([-30, 30])}",
                  text, count=rng.randint(1, 3))


def insert_junk(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + "".join(rng.choice(JUNK) for _ in range(rng.randint(1, 4))) + text[i:]


def reindent(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines[i] = " " * rng.choice([1, 3, 7]) + lines[i]
    return "\n".join(lines)


MUTATIONS: dict[str, Callable[[str, random.Random], "str | bytes"]] = {
    f.__name__: f for f in (truncate, flip_bytes, wrong_type, delete_line, duplicate_line, break_reference,
                            swap_dates, insert_junk, reindent)
}


def policy_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


def mutate_tree(tree: Path, rng: random.Random) -> tuple[Path, str]:
    target = rng.choice(policy_files(tree))
    name = rng.choice(sorted(MUTATIONS))
    out = MUTATIONS[name](target.read_text(encoding="utf-8"), rng)
    if isinstance(out, bytes):
        target.write_bytes(out)
    else:
        target.write_text(out, encoding="utf-8")
    return target, name


def run_cli(args: list[str]) -> int:
    from harmonize.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(args)


def one(base: Path, work: Path, rng: random.Random, as_of: str = "2026-06-30",
        check_args: tuple[str, ...] = ()) -> tuple[str, str, int, int]:
    """Mutate a fresh copy of ``base`` and run validate and check; returns what was done and the codes."""
    tree = work / "policies"
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(base, tree)
    target, name = mutate_tree(tree, rng)
    v = run_cli(["validate", str(tree)])
    c = run_cli(["check", str(tree), "--as-of", as_of, "--format", "json", *check_args])
    assert v in (0, 1), f"validate exited {v}"
    assert c in (0, 1, 2), f"check exited {c}"
    return str(target.relative_to(tree)), name, v, c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=30.0, help="seconds per iteration")
    ap.add_argument("--generated", nargs=2, type=int, metavar=("COUNTRIES", "MEASURES"),
                    help="mutate a corpus from bench/generate.py instead of the shipped policies")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="harmonize-fuzz-"))
    base = REPO / "policies"
    if args.generated:
        from generate import generate

        base = work / "base"
        generate(base, args.generated[0], args.generated[1], seed=args.seed)
    counts: dict[tuple[str, int, int], int] = {}
    try:
        for i in range(args.iterations):
            start = time.perf_counter()
            try:
                path, name, v, c = one(base, work, rng, check_args=("--all-pairs",) if args.generated else ())
            except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
                raise SystemExit(f"iteration {i}: {type(exc).__name__}: {exc}") from exc
            took = time.perf_counter() - start
            if took > args.time_limit:
                raise SystemExit(f"iteration {i}: {name} on {path} took {took:.1f} s")
            counts[(name, v, c)] = counts.get((name, v, c), 0) + 1
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{args.iterations} iterations, no traceback, no hang; peak RSS {peak:.0f} MB")
        for (name, v, c), n in sorted(counts.items()):
            print(f"  {name:<16} validate exit {v}  check exit {c}: {n}")
        if peak > 200:
            raise SystemExit(f"peak RSS {peak:.0f} MB is above 200 MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
