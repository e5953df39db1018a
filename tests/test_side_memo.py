"""The run-level side memo (engine.memo, issue 14): every pair's result is the one worked out without
it, each side is worked out once per run, and a bilateral cap never leaks from one pair into another."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from harmonize.cli.args import load_parameter_set
from harmonize.engine.memo import SideMemo
from harmonize.engine.run import run_check
from harmonize.policy.loader import load_tree
from harmonize.policy.query import Site

POLICIES = Path(__file__).resolve().parent.parent / "policies"


@pytest.fixture(scope="module")
def shipped():
    ps = load_tree(POLICIES)
    assert ps.ok
    return ps, load_parameter_set(ps.root, None)


def _pairs(ps):
    countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
    return list(itertools.combinations(countries, 2))


@pytest.mark.parametrize("as_of", [date(2024, 6, 30), date(2026, 6, 30)])
def test_every_pair_is_the_same_with_the_memo(shipped, as_of):
    ps, params = shipped
    pairs = _pairs(ps)
    assert len(pairs) >= 3  # each country is in two pairs at least: the memo is reused
    memo = SideMemo(ps)
    # both orders of every pair, so every side is first worked out in one pair and reused in others
    for a, b in pairs + [(b, a) for a, b in pairs]:
        with_memo = run_check(ps, (a, b), as_of, None, params=params, memo=memo)
        without = run_check(ps, (a, b), as_of, None, params=params)
        assert with_memo.model_dump_json() == without.model_dump_json(), (a, b)


def test_a_side_is_worked_out_once_per_run(shipped):
    ps, params = shipped
    memo = SideMemo(ps)
    as_of = date(2026, 6, 30)
    results = {pair: run_check(ps, pair, as_of, None, params=params, memo=memo) for pair in _pairs(ps)}
    countries = {c for pair in results for c in pair}
    assert len(memo.packages) == len(countries)  # one CIT package per country, not one per pair
    (a, b), (c, d) = [p for p in results if "vn" in p][:2]
    rows_1 = {m.measure: (m.a if a == "vn" else m.b) for m in results[(a, b)].measures}
    rows_2 = {m.measure: (m.a if c == "vn" else m.b) for m in results[(c, d)].measures}
    uncapped = [mid for mid, r in rows_1.items() if r.cap is None and rows_2[mid].cap is None]
    assert uncapped and all(rows_1[mid] is rows_2[mid] for mid in uncapped)  # shared, not recomputed


def test_a_cap_stays_in_its_pair(shipped):
    ps, params = shipped
    memo = SideMemo(ps)
    as_of = date(2026, 6, 30)
    capped_somewhere = False
    for pair in _pairs(ps):
        r = run_check(ps, pair, as_of, None, params=params, memo=memo)
        capped_somewhere |= any(s.cap is not None for m in r.measures for s in (m.a, m.b))
    assert capped_somewhere  # the shipped bilateral layers cap withholding taxes
    stored = [st for table in memo._states.values() for st in table.values()]
    assert stored and all(st.row.cap is None for st in stored)  # the memo keeps sides before any cap


def test_a_memo_is_for_one_policy_set(shipped, tmp_path):
    ps, params = shipped
    other = load_tree(POLICIES)
    with pytest.raises(ValueError, match="another policy set"):
        run_check(ps, _pairs(ps)[0], date(2026, 6, 30), None, params=params, memo=SideMemo(other))


def test_sites_with_equal_fields_share_a_key_and_different_ones_do_not():
    from harmonize.engine.memo import site_key
    from harmonize.policy.models import Amount

    one = Site(zones=frozenset({"z"}), investment=Amount(amount=10, currency="USD"))
    same = Site(zones=frozenset({"z"}), investment=Amount(amount=10, currency="USD"))
    more = Site(zones=frozenset({"z"}), investment=Amount(amount=11, currency="USD"))
    assert site_key(one) == site_key(same) != site_key(more)
    assert site_key(None) is None and site_key(Site()) == Site()


def test_a_stored_side_is_read_only_and_its_capped_copy_is_not(shipped):
    from harmonize.engine.memo import capped
    from harmonize.engine.result import CapInfo

    ps, params = shipped
    memo = SideMemo(ps)
    for pair in _pairs(ps):
        run_check(ps, pair, date(2026, 6, 30), None, params=params, memo=memo)
    stored = [st for table in memo._states.values() for st in table.values()]
    valued = next(st for st in stored if st.row.value is not None and not st.row.alternatives)
    with pytest.raises(AttributeError):
        valued.row.state = "excluded"  # a stored row is every pair's: assigning a field raises
    with pytest.raises(AttributeError):
        valued.row.value.display = "changed"
    with pytest.raises(TypeError, match="shared by every pair"):
        valued.row.alternatives.append(valued.row.value)
    copy = capped(valued)
    copy.row.cap = CapInfo(jurisdiction="x", measure="m", value=valued.row.value)  # a copy may change
    copy.notes.append("capped")
    assert valued.row.cap is None and "capped" not in valued.notes
    assert copy.row.model_dump(exclude={"cap"}) == valued.row.model_dump(exclude={"cap"})
    # sides with nothing recorded share one state per jurisdiction (and whether it has provisions)
    bare = [st for st in stored if st.state == "not_encoded" and not st.notes]
    assert len(bare) > len({id(st) for st in bare})
