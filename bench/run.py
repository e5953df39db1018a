"""The benchmark: the commands CI and drafters run, as whole processes, each measured paired with a
reference in the same run. Results are ratios; absolute times on shared machines are noise.

    python bench/run.py                      # everything (about 20 minutes on two cores)
    python bench/run.py --quick              # smaller corpora, 3 pairs per row (a smoke run)
    python bench/run.py --only 'diff|report' # the rows whose name matches
    python bench/run.py --src DIR            # run the harmonize of another checkout (before/after)
    python bench/run.py --out bench/RESULTS.md

Every run is cold, as in CI: harmonize keeps no parse cache (it was dropped as a forgery risk whose
gain did not pay; see the README's Security section).

Each row alternates reference and subject (ref, subject, ref, subject …), so both see the same
load on a shared machine, and reports the median of the per-pair ratios with their min–max.

References:
  * C parse (stock): ruamel.yaml's C-backed safe loader, as shipped, reading the same files;
  * C parse (fastest): the fastest C-backed load of the same files found (PyYAML's CSafeLoader,
    and ruamel's C parser with harmonize's own YAML 1.2 resolver table), shown beside the stock one;
  * yamllint on the same files; ``python -c pass`` for start-up.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
AS_OF = "2026-06-30"
HZ = [PY, "-c", "import sys; from harmonize.cli import main; sys.exit(main())"]  # what the console script does
_FILES = ("import sys, glob\nfiles = [f for d in sys.argv[1:] for f in sorted(glob.glob(d + '/**/*.yaml', "
          "recursive=True))]\n")
FLOORS = {
    "C parse (stock)": _FILES + ("from ruamel.yaml import YAML\ny = YAML(typ='safe')\n"
                                 "for f in files:\n    y.load(open(f, encoding='utf-8').read())\n"),
    "C parse (PyYAML CSafeLoader)": _FILES + ("import yaml\nfor f in files:\n"
                                              "    yaml.load(open(f, encoding='utf-8').read(), Loader=yaml.CSafeLoader)\n"),
    "C parse (own resolver table)": _FILES + ("from harmonize.policy.yamlread import _safe_yaml\n"
                                              "for f in files:\n    _safe_yaml().load(open(f, encoding='utf-8').read())\n"),
}


# The least any `validate` of one file must do: its answer depends on the catalogue and on every file of
# its jurisdiction (cross-file checks), so these are parsed with the fastest C-backed load found, and
# nothing is validated. Shown beside the subject, so a target below the floor reads as one.
VALIDATE_FLOORS = {
    "floor: C parse (own resolver table) of the catalogue and the file's jurisdiction":
        "import sys\nfrom harmonize.policy.yamlread import _safe_yaml\n"
        "for f in sys.argv[1:]:\n    _safe_yaml().load(open(f, encoding='utf-8').read())\n",
    "floor: C parse (own resolver table) of the catalogue alone":
        "import sys\nfrom harmonize.policy.yamlread import _safe_yaml\n"
        "_safe_yaml().load(open(sys.argv[1], encoding='utf-8').read())\n",
    "floor: import pydantic (the models' library), nothing else": "import pydantic.main\n",
}


@dataclass
class Run:
    wall: float
    rss_mb: float
    code: int


@dataclass
class Row:
    section: str
    name: str
    subject: list[str]
    reference: str  # a key of refs
    limit: Optional[float] = None  # a target: ratio at most this
    rss_limit: Optional[float] = None  # a target: peak RSS (MB) at most this
    size: Optional[tuple[int, int]] = None  # (countries, measures) of a cold `check --all-pairs` row
    ratios: list[float] = field(default_factory=list)
    walls: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)


CWD = Path(tempfile.gettempdir())  # not the checkout: `python -c` puts the working directory first on sys.path


def run_once(cmd: list[str], env: dict[str, str]) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=CWD)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if "Traceback" in err or code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {code}:\n{err[-3000:]}")
    return Run(wall, usage.ru_maxrss / 1024, code)


def first_wall(row: Row, env: dict[str, str]) -> float:
    """One unmeasured run: fills the OS file cache; its time picks the number of pairs."""
    return run_once(row.subject, env).wall


def paired(row: Row, ref_cmd: list[str], runs: int, env: dict[str, str]) -> None:
    subject_env = env
    if first_wall(row, subject_env) < 1.0:
        runs *= 3  # short runs are cheap and noisier: more pairs
    for _ in range(runs):
        ref = run_once(ref_cmd, env)
        sub = run_once(row.subject, subject_env)
        row.ratios.append(sub.wall / ref.wall)
        row.walls.append(sub.wall)
        row.rss.append(sub.rss_mb)


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


def rows_for(tmp: Path, quick: bool, src: Path = REPO) -> tuple[list[Row], dict[str, list[str]]]:
    refs: dict[str, list[str]] = {"python -c pass": [PY, "-c", "pass"]}
    rows: list[Row] = []

    def floor(label: str, *trees: Path, kind: str = "C parse (stock)") -> str:
        key = f"{kind} of {label}"
        refs.setdefault(key, [PY, "-c", FLOORS[kind], *map(str, trees)])
        return key

    def lint(label: str, *paths: Path) -> str:
        key = f"yamllint on {label}"
        refs.setdefault(key, [str(BIN / "yamllint"), "-d", "relaxed", "--no-warnings", *map(str, paths)])
        return key

    pol = src / "policies"  # the shipped policies of the checkout measured
    small = pol / "vn" / "ip_branding.yaml"
    reports = tmp / "reports"
    s = "shipped policies"
    rows += [
        Row(s, "`harmonize --help`", HZ + ["--help"], "python -c pass", limit=2.0),
        Row(s, "`validate` one small file", HZ + ["validate", str(small)], lint("the same file", small), limit=1.0),
        *[Row(s, name, [PY, "-c", code, str(pol / "catalogue.yaml"),
                        *(sorted(map(str, small.parent.glob("*.yaml"))) if "jurisdiction" in name else [])],
              lint("the same file", small)) for name, code in VALIDATE_FLOORS.items()],
        Row(s, "`report`, all formats × all languages", HZ + ["report", str(pol), "--out-dir", str(reports),
            "--format", "all", "--lang", "all", "--as-of", AS_OF], lint("policies/", pol), limit=0.6),
        Row(s, "`validate`", HZ + ["validate", str(pol)], lint("policies/", pol)),
        Row(s, "`check`, every park", HZ + ["check", str(pol), "--as-of", AS_OF], lint("policies/", pol)),
        Row(s, "`diff` of the tree with itself", HZ + ["diff", str(pol), str(pol), "--as-of", AS_OF],
            lint("policies/", pol)),
    ]
    big = (10, 500) if quick else (10, 2000)
    name = f"{big[0]} × {big[1]:,}"
    tree = corpus(tmp, *big)
    changed = changed_copy(tree, tmp)
    f = floor(name, tree)
    pair = ["--pair", "c00:c01", "--as-of", AS_OF]
    rows += [Row(name, f"{kind} (floor)", [PY, "-c", FLOORS[kind], str(tree)], f) for kind in FLOORS
             if kind != "C parse (stock)"]
    rows += [
        Row(name, "`check --all-pairs` (45 pairs)", HZ + ["check", str(tree), "--all-pairs", "--as-of", AS_OF,
            "--format", "json"], f, limit=1.5, rss_limit=200, size=big),
        Row(name, "`report`, one pair, all formats × all languages", HZ + ["report", str(tree), "--out-dir",
            str(reports), "--format", "all", "--lang", "all", *pair], f, rss_limit=250),
        Row(name, "`diff`, one changed value, one pair", HZ + ["diff", str(tree), str(changed), "--format", "github",
            *pair], floor(name + " and its changed copy", tree, changed), limit=1.5, rss_limit=250),
        Row(name, "`validate`", HZ + ["validate", str(tree)], f),
    ]
    wide = (20, 100) if quick else (20, 500)
    name = f"{wide[0]} × {wide[1]:,}"
    tree = corpus(tmp, *wide)
    rows.append(Row(name, f"`check --all-pairs` ({wide[0] * (wide[0] - 1) // 2} pairs)",
                    HZ + ["check", str(tree), "--all-pairs", "--as-of", AS_OF, "--format", "json"],
                    floor(name, tree), limit=2.0, rss_limit=200, size=wide))
    growth = ([("measures", 10, 100), ("measures", 10, 250), ("countries", 4, 100)]
              if quick else [("measures", 10, 500), ("measures", 10, 1000), ("countries", 4, 500)])
    for what, n, m in growth:  # 10 × 2,000 and 20 × 500 are measured above; 10 × 500 once
        tree = corpus(tmp, n, m)
        rows.append(Row(f"growth in {what}", f"{n} × {m:,}: `check --all-pairs` ({n * (n - 1) // 2} pairs)",
                        HZ + ["check", str(tree), "--all-pairs", "--as-of", AS_OF, "--format", "json"],
                        floor(f"{n} × {m:,}", tree), size=(n, m)))
    return rows, refs


def _ratio(r: Row) -> str:
    return f"{statistics.median(r.ratios):.2f} ({min(r.ratios):.2f}–{max(r.ratios):.2f})"


def _status(r: Row) -> str:
    ok = []
    if r.limit is not None:
        ok.append(statistics.median(r.ratios) <= r.limit)
    if r.rss_limit is not None:
        ok.append(max(r.rss) <= r.rss_limit)
    return "–" if not ok else ("met" if all(ok) else "**missed**")


def render(rows: list[Row], runs: int, src: Optional[str]) -> str:
    out = ["## Targets (cold)", "",
           "| where | command | reference | ratio, median (min–max) | target | peak RSS | target | |",
           "|---|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if r.limit is None and r.rss_limit is None:
            continue
        out.append(f"| {r.section} | {r.name} | {r.reference} | {_ratio(r)} | "
                   f"{f'≤ {r.limit:g}×' if r.limit else '–'} | {max(r.rss):.0f} MB | "
                   f"{f'≤ {r.rss_limit:g} MB' if r.rss_limit else '–'} | {_status(r)} |")
    out += ["", "## Every row", "", "Every run cold (harmonize keeps no cache). Wall time is the subject's median, for scale only.", "",
            "| where | command | reference | ratio, median (min–max) | wall | peak RSS |", "|---|---|---|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r.section} | {r.name} | {r.reference} | {_ratio(r)} | {statistics.median(r.walls):.2f} s | "
                   f"{max(r.rss):.0f} MB |")
    curve = sorted((r for r in rows if r.size), key=lambda r: (r.size[0], r.size[1]))
    if curve:
        out += ["", "## Growth: `check --all-pairs`, cold", "",
                "Pairs grow as n²: a cost per pair and measure that stays flat is linear in the work; a ratio "
                "to the C parse (which grows with n × measures) that rises with n is the all-pairs cost.", "",
                "| countries | measures | pairs | × C parse (stock), median (min–max) | wall per pair × measure | peak RSS |",
                "|---:|---:|---:|---:|---:|---:|"]
        for r in curve:
            n, m = r.size
            pairs = n * (n - 1) // 2
            out.append(f"| {n} | {m:,} | {pairs} | {_ratio(r)} | {1e6 * statistics.median(r.walls) / (pairs * m):.0f} µs "
                       f"| {max(r.rss):.0f} MB |")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small corpora, 3 pairs per row")
    ap.add_argument("--runs", type=int, default=None, help="pairs per row (default 5; 3 with --quick)")
    ap.add_argument("--only", metavar="REGEX", help="only the rows whose section or command matches")
    ap.add_argument("--src", metavar="DIR", help="import harmonize from this checkout instead (PYTHONPATH)")
    ap.add_argument("--out", type=Path, help="also write the results (Markdown) here")
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    tmp = Path(tempfile.mkdtemp(prefix="harmonize-bench-"))
    # Byte-compiled, as `pip install` leaves a package: with PYTHONDONTWRITEBYTECODE every run would
    # compile harmonize from source while its dependencies load from .pyc.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if args.src:
        env["PYTHONPATH"] = str(Path(args.src).resolve())
    src = Path(args.src).resolve() if args.src else REPO
    subprocess.run([PY, "-m", "compileall", "-q", str(src / "harmonize")], check=True, env=env)
    try:
        rows, refs = rows_for(tmp, args.quick, src)
        if args.only:
            rows = [r for r in rows if re.search(args.only, f"{r.section} {r.name}")]
        for r in rows:
            paired(r, refs[r.reference], runs, env)
            print(f"{r.section}: {r.name} vs {r.reference}: {_ratio(r)}, {max(r.rss):.0f} MB", file=sys.stderr)
        body = render(rows, runs, args.src)
        print(body)
        if args.out:
            header = ("# Benchmark results\n\nReproduce with `make bench` (`python bench/run.py --out bench/RESULTS.md`). "
                      f"Every row is {runs} pairs of whole-process runs ({3 * runs} for rows under a second), reference and "
                      "subject alternately, after one unmeasured run; ratios are subject ÷ reference per pair (median, "
                      "min–max). Run on a shared machine (2 cores, other "
                      "developers running test suites at the same time): read the ratios, not the times. "
                      "Corpora from `bench/generate.py` (seed 1).\n\n")
            args.out.write_text(header + body, encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
