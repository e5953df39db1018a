"""`check --all-pairs` stops each pair at ``engine.run.check_pair(summary=True)`` with a summary side
memo (issue 14): no weight sensitivity, no shown values, gaps that lose no points only counted, sides
kept without what no summary reads. Its summary of every pair must be the one read from the full
result of ``run_check`` (worked out without the side memo)."""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from harmonize.cli.allpairs import pair_summary
from harmonize.cli.args import load_parameter_set
from harmonize.engine.gaps import GapCount
from harmonize.engine.memo import SideMemo
from harmonize.engine.result import Gap
from harmonize.engine.run import check_pair, run_check
from harmonize.policy.loader import load_tree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402


def _summary_of(r) -> dict:
    """What the all-pairs summary printed when it was read from the full result."""
    return {
        "pair": list(r.pair),
        "overall": r.overall.score,
        "domains": {d.domain: d.score for d in r.domains},
        "coverage": {"scored": r.coverage.scored, "unscored": r.coverage.unscored, "by_weight": r.overall.coverage},
        "bounds": [r.overall.lower, r.overall.upper],
        "provisional": r.overall.provisional,
        "gaps_by_severity": dict(Counter(g.severity for g in r.gaps)),
        "roadmap_top": [{"measure": i.measure, "points_lost": i.points_lost, "changes": i.changes}
                        for i in r.roadmap[:5]],
    }


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    gen = tmp_path_factory.mktemp("gen") / "tree"
    generate(gen, 4, 150, seed=3)
    out = {}
    for name, root in (("shipped", ROOT / "policies"), ("generated", gen)):
        ps = load_tree(root)
        assert ps.ok
        out[name] = (ps, load_parameter_set(ps.root, None))
    return out


@pytest.mark.parametrize("tree", ["shipped", "generated"])
@pytest.mark.parametrize("as_of", [date(2024, 6, 30), date(2026, 6, 30)])
def test_the_summary_of_every_pair_is_the_full_results(trees, tree, as_of):
    ps, params = trees[tree]
    countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
    memo = SideMemo(ps, summary=True)  # as check --all-pairs keeps sides
    counted = 0
    for pair in itertools.combinations(countries, 2):
        core = check_pair(ps, pair, as_of, None, params=params, memo=memo, summary=True)
        full = run_check(ps, pair, as_of, None, params=params)
        assert pair_summary(core) == _summary_of(full), pair
        assert [(g.measure, g.severity, g.points_lost) for g in core.gaps] == \
            [(g.measure, g.severity, g.points_lost) for g in full.gaps]
        assert [i.model_dump() for i in core.roadmap] == [i.model_dump() for i in full.roadmap]
        assert all(isinstance(g, Gap) for g in core.gaps if g.points_lost > 0)  # what the roadmap ranks is whole
        counted += sum(isinstance(g, GapCount) for g in core.gaps)
    if tree == "generated":
        assert counted  # the generated corpus has unverified values: some gaps are only counted


def test_a_summary_memo_gives_no_full_result(trees):
    ps, params = trees["shipped"]
    countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
    memo = SideMemo(ps, summary=True)
    with pytest.raises(ValueError, match="summaries only"):
        run_check(ps, (countries[0], countries[1]), date(2026, 6, 30), None, params=params, memo=memo)
