"""The benchmark: the phases a user runs, as whole processes, against two references measured in
the same run. Results are ratios; absolute times on shared machines are noise.

    python bench/run.py                 # full: shipped policies, 10 x 2,000, and the growth curves
    python bench/run.py --quick         # smaller sizes, fewer runs (a smoke run)
    python bench/run.py --out bench/RESULTS.md

References: (a) ruamel.yaml's C-backed safe loader reading the same files, alone (the floor for
reading the input); (b) yamllint on the same files (a tool drafters already run).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
FLOOR = ("import sys, glob\nfrom ruamel.yaml import YAML\ny = YAML(typ='safe')\n"
         "for f in sorted(glob.glob(sys.argv[1] + '/**/*.yaml', recursive=True)):\n"
         "    y.load(open(f, encoding='utf-8').read())\n")


@dataclass
class Timing:
    wall: float
    cpu: float
    rss_mb: float
    code: int


def run_once(cmd: list[str], env: dict[str, str]) -> Timing:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if "Traceback" in err:
        raise SystemExit(f"traceback from {' '.join(cmd)}:\n{err}")
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code)


def measure(cmd: list[str], runs: int, env: dict[str, str], warmup: bool = False) -> Timing:
    if warmup:
        run_once(cmd, env)
    ts = [run_once(cmd, env) for _ in range(runs)]
    return Timing(statistics.median(t.wall for t in ts), statistics.median(t.cpu for t in ts),
                  max(t.rss_mb for t in ts), ts[-1].code)


def corpus(tmp: Path, countries: int, measures: int) -> Path:
    out = tmp / f"c{countries}x{measures}"
    if not out.exists():
        generate(out, countries, measures, seed=1)
    return out


def changed_copy(src: Path, tmp: Path) -> Path:
    """The same tree with one value changed: the input for `diff`."""
    dst = tmp / (src.name + "-changed")
    if not dst.exists():
        shutil.copytree(src, dst)
        f = next(p for p in sorted(dst.glob("*/tax.yaml")))
        text = f.read_text(encoding="utf-8")
        m = re.search(r"- value: (\d+)\n", text)
        n = int(m.group(1))
        f.write_text(text[:m.start(1)] + str(n + 1 if n < 100 else n - 1) + text[m.end(1):], encoding="utf-8")
    return dst


def phases(tree: Path, tmp: Path, pair: str, as_of: str) -> list[tuple[str, list[str], bool]]:
    """(name, command, warm-up run first)."""
    hz = [str(BIN / "harmonize")]
    reports = tmp / "reports"
    return [
        ("validate (cold)", hz + ["validate", str(tree)], False),
        ("check, all pairs", hz + ["check", str(tree), "--all-pairs", "--as-of", as_of, "--format", "json"], True),
        ("report, one pair, all formats", hz + ["report", str(tree), "--pair", pair, "--as-of", as_of, "--format", "all",
                                                "--lang", "en", "--out-dir", str(reports)], True),
        ("diff, one changed value", hz + ["diff", str(tree), str(changed_copy(tree, tmp)), "--pair", pair,
                                          "--as-of", as_of], True),
    ]


def bench_tree(name: str, tree: Path, tmp: Path, runs: int, pair: str, as_of: str, lint: bool) -> list[dict]:
    cold_env = dict(os.environ)
    floor = measure([PY, "-c", FLOOR, str(tree)], runs, cold_env)
    refs = {"floor": floor}
    if lint:
        refs["yamllint"] = measure([str(BIN / "yamllint"), "-d", "relaxed", "--no-warnings", str(tree)], runs, cold_env)
    rows = [{"tree": name, "phase": "C-backed parse alone (floor)", **floor.__dict__, "x_floor": 1.0,
             "x_yamllint": floor.wall / refs["yamllint"].wall if lint else None}]
    if lint:
        y = refs["yamllint"]
        rows.append({"tree": name, "phase": "yamllint", **y.__dict__, "x_floor": y.wall / floor.wall, "x_yamllint": 1.0})
    for phase, cmd, warmup in phases(tree, tmp, pair, as_of):
        t = measure(cmd, runs, cold_env, warmup=warmup)
        if t.code not in (0, 1):
            raise SystemExit(f"{phase} exited {t.code}: {' '.join(cmd)}")
        rows.append({"tree": name, "phase": phase, **t.__dict__, "x_floor": t.wall / floor.wall,
                     "x_yamllint": t.wall / refs["yamllint"].wall if lint else None})
    return rows


def table(rows: list[dict]) -> str:
    out = ["| tree | phase | wall (median) | CPU | peak RSS | × C parse | × yamllint |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        xy = f"{r['x_yamllint']:.2f}" if r["x_yamllint"] is not None else "–"
        out.append(f"| {r['tree']} | {r['phase']} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['rss_mb']:.0f} MB "
                   f"| {r['x_floor']:.2f} | {xy} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, 3 runs")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--out", type=Path, help="also write the results (Markdown) here")
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    as_of = "2026-06-30"
    tmp = Path(tempfile.mkdtemp(prefix="harmonize-bench-"))
    try:
        rows = bench_tree("shipped policies", REPO / "policies", tmp, runs, "vn:la", as_of, lint=True)
        big = (10, 500) if args.quick else (10, 2000)
        rows += bench_tree(f"{big[0]} × {big[1]:,}", corpus(tmp, *big), tmp, max(3, runs - 2), "c00:c01", as_of,
                           lint=True)
        curve = []
        sizes = [(10, 250), (10, 500)] if args.quick else [(10, 500), (10, 1000), (10, 2000), (4, 1000), (7, 1000)]
        for n, m in sizes:
            tree = corpus(tmp, n, m)
            t = measure([str(BIN / "harmonize"), "check", str(tree), "--all-pairs", "--as-of", as_of,
                         "--format", "json"], 3, dict(os.environ))
            curve.append((n, m, n * (n - 1) // 2, t))
        text = ["## Phases", "", table(rows), "", "## Growth: `check --all-pairs`", "",
                "| countries | measures | pairs | wall | per pair × measure (µs) | peak RSS |", "|---:|---:|---:|---:|---:|---:|"]
        for n, m, p, t in curve:
            text.append(f"| {n} | {m:,} | {p} | {t.wall:.2f} s | {1e6 * t.wall / (p * m):.1f} | {t.rss_mb:.0f} MB |")
        body = "\n".join(text) + "\n"
        print(body)
        if args.out:
            header = ("# Benchmark results\n\nReproduce with `make bench` (`python bench/run.py --out bench/RESULTS.md`). "
                      f"Median of {runs} runs per phase ({max(3, runs - 2)} for the large corpus; 3 for the growth "
                      "curve); ratios are against references measured in the same run.\n\n")
            args.out.write_text(header + body, encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
