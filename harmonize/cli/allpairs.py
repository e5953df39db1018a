"""``check --all-pairs``: every unordered pair of country jurisdictions, one result at a time, the
matrix of scores, and each country's side worked out once for the run (engine.memo)."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from ..reporting.text import fmt_score, score_matrix
from .args import as_of_or_today, load_parameter_set


def pair_summary(r, top: int = 5) -> dict:
    """One row of the all-pairs matrix from a pair's ``engine.run.PairCore``; the full result is
    `check --pair A:B --format json`."""
    severities: dict[str, int] = {}
    for g in r.gaps:
        severities[g.severity] = severities.get(g.severity, 0) + 1
    scored, compared = r.counted()
    return {
        "pair": list(r.pair),
        "overall": r.overall.score,
        "domains": {d.domain: d.score for d in r.domains},
        "coverage": {"scored": scored, "unscored": compared - scored, "by_weight": r.overall.coverage},
        "bounds": [r.overall.lower, r.overall.upper],
        "provisional": r.overall.provisional,
        "gaps_by_severity": severities,
        "roadmap_top": [{"measure": i.measure, "points_lost": i.points_lost, "changes": i.changes}
                        for i in r.roadmap[:top]],
    }


MATRIX_MAX = 12  # countries up to which --all-pairs text also prints the square matrix


@contextlib.contextmanager
def _gc_off():
    """No cyclic collection during one pair's check (the results are trees that reference counting
    frees); then one young collection for the few cycles left, and what survives it (the side memo)
    is frozen with the loaded tree, so later collections never scan it again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(1)
        gc.freeze()
        if was:
            gc.enable()


def all_pairs(args: argparse.Namespace, ps) -> int:
    """Every unordered pair of country jurisdictions, one result at a time: memory stays flat."""
    import io
    import json

    from ..engine.memo import SideMemo
    from ..engine.run import check_pair
    from ..reporting.escape import one_line

    if args.park or args.pair or args.baseline or args.fail_under:
        raise UsageError("--all-pairs compares every pair without park sites; it takes no --park, --pair, "
                         "--baseline or --fail-under")
    if args.format not in ("text", "json"):
        raise UsageError("--all-pairs writes text or json")
    as_of = as_of_or_today(args.as_of)
    try:
        params = load_parameter_set(ps.root, args.params)
    except ValueError as exc:
        raise UsageError(f"--params: {exc}") from None
    countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
    pairs = [(a, b) for i, a in enumerate(countries) for b in countries[i + 1:]]
    if not pairs:
        raise UsageError("--all-pairs needs at least two country jurisdictions")

    def write(out) -> None:
        if args.format == "json":
            out.write(f'{{"schema": "harmonize-all-pairs/1", "as_of": "{as_of}", "results": [\n')
        else:
            out.write(f"{'pair':<12}{'overall':>9}  [bounds] coverage  domains (score)\n")
        cells: dict[tuple[str, str], tuple] = {}  # small: score, coverage and bounds per pair
        memo = SideMemo(ps, summary=True)  # each country's side worked out once, kept as the summary reads it
        for k, (a, b) in enumerate(pairs):
            with _gc_off():
                r = check_pair(ps, (a, b), as_of, None, params=params, memo=memo, summary=True)
                if args.format == "json":
                    out.write(("" if k == 0 else ",\n") + json.dumps(pair_summary(r), sort_keys=True))
                else:
                    doms = " ".join(f"{d.domain}={fmt_score(d.score)}" for d in r.domains)
                    o = r.overall
                    bounds = "n/a" if o.lower is None else f"{o.lower:.1f}–{o.upper:.1f}"
                    cov = f"{o.coverage:.0%}" + (" provisional" if o.provisional else "")
                    out.write(one_line(f"{a + ':' + b:<12}{fmt_score(o.score):>9}  [{bounds}] coverage {cov}  {doms}") + "\n")
                    if len(countries) <= MATRIX_MAX:
                        cells[(a, b)] = cells[(b, a)] = (o.score, cov, bounds)
                del r
        if args.format == "json":
            out.write("\n]}\n")
        elif cells:
            out.write(score_matrix(countries, cells))  # codes and numbers only

    if args.out:
        from ..atomic import open_atomic

        with open_atomic(Path(args.out)) as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
            write(text)
            text.flush()
            text.detach()
    else:
        write(sys.stdout)
    return EXIT_OK
