"""The score after the first roadmap actions (engine.after, ``CheckResult.after_actions``).

It is the pair scored again with the gaps of the first n actions closed at their targets, never today's
score plus the actions' points: these tests build that pair (the side that moves given the target
side's provisions) and check the engine's number against its full check, and check the bounds."""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine_build import catalogue, jurisdiction, policy_set, provision, value
from test_engine_scoring import AS_OF, PARAMS, PARK, check, sides

from harmonize.engine import run as engine_run
from harmonize.engine.after import AFTER_ACTIONS, after_actions, closed_measures
from harmonize.engine.run import check_pair

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPS = 1e-9
CAT = catalogue()


@st.composite
def sides_up_to(draw):
    """A side as ``sides`` draws it; half the time its loss carry-forward is a number of years, granted
    outright or as an 'up to' ceiling case by case (an interval in the bounds)."""
    provs = draw(sides())
    if draw(st.booleans()):
        years = float(draw(st.integers(0, 10)))
        provs = {k: p for k, p in provs.items() if k.split(".")[0] != "loss_years"}
        provs["loss_years"] = provision(dict(value(years), up_to=draw(st.booleans())))
    return provs


def _core(pa: dict, pb: dict):
    """The pair's core as the engine checks it (aligned measures, rows, weights, roadmap)."""
    return check_pair(policy_set(jurisdiction("a", pa), jurisdiction("b", pb)), ("a", "b"), AS_OF, PARK,
                      params=PARAMS)


def _after(core, n: int, roadmap=None):
    """The score after the first ``n`` actions of ``roadmap`` (the core's own by default)."""
    return after_actions(core.aligned, core.rows, core.weights[0], core.roadmap if roadmap is None else roadmap,
                         n, today=core.overall.score)


def _row(r, mid):
    return next(m for m in r.measures if m.measure == mid)


def _parts(mid: str) -> set[str]:
    return {mid} | {k for k, m in CAT.measures.items() if m.part_of == mid}


def _closed_by_hand(pa: dict, pb: dict, rows, closed: list[str]) -> tuple[dict, dict]:
    """The two sides' provisions once every gap in ``closed`` is closed at its
    target: the side that moves drops its own provisions of the measure (and of its parts) and takes
    the provisions the target side's value rests on. With no favourable direction, the side that has
    a rule is the target (the other adopts it)."""
    provs = {"a": dict(pa), "b": dict(pb)}
    for mid in closed:
        row = next(m for m in rows if m.measure == mid)
        if row.more_favourable is not None:
            ref = "a" if row.more_favourable == "a" else "b"
        else:
            ref = "a" if row.a.state in ("value", "implied") else "b"
        mover = "b" if ref == "a" else "a"
        side = row.a if ref == "a" else row.b
        if row.kind == "schedule":
            ids = list(side.package.provisions)
        else:
            ids = [side.value.provision] if side.value is not None else []
        kept = {k: p for k, p in provs[mover].items() if k.split(".")[0] not in _parts(mid)}
        for pid in ids:
            kept[pid] = provs[ref][pid]
        provs[mover] = kept
    return provs["a"], provs["b"]


@PROPS
@given(pa=sides_up_to(), pb=sides_up_to(), n=st.integers(0, 7))
def test_the_score_after_is_a_full_check_of_the_pair_with_those_gaps_closed(pa, pb, n):
    core = _core(pa, pb)
    after = _after(core, n)
    assert after.n == min(n, len(core.roadmap))
    assert after.measures_closed == closed_measures(core.roadmap, n)  # every gap of the roadmap is scored
    ca, cb = _closed_by_hand(pa, pb, core.rows, after.measures_closed)
    again = check(policy_set(jurisdiction("a", ca), jurisdiction("b", cb)))
    o = again.overall
    if o.score is None:
        assert after.score is None
    else:
        assert math.isclose(after.score, o.score, rel_tol=1e-12, abs_tol=1e-9), (after, o)
    for f in ("lower", "upper", "coverage"):
        assert math.isclose(getattr(after, f), getattr(o, f), rel_tol=1e-12, abs_tol=1e-9), (f, after, o)
    for mid in after.measures_closed:  # every measure closed matches in the pair checked again
        assert _row(again, mid).similarity == 1.0


@PROPS
@given(pa=sides_up_to(), pb=sides_up_to())
def test_the_result_holds_the_score_after_the_first_actions(pa, pb):
    r = check(policy_set(jurisdiction("a", pa), jurisdiction("b", pb)))
    core = _core(pa, pb)
    expected = _after(core, AFTER_ACTIONS)
    assert r.after_actions == expected


@PROPS
@given(pa=sides_up_to(), pb=sides_up_to(), n=st.integers(0, 8))
def test_bounds_order_range_and_gain(pa, pb, n):
    core = _core(pa, pb)
    after = _after(core, n)
    assert 0.0 <= after.lower <= after.upper <= 100.0
    assert after.coverage == core.overall.coverage  # closing a gap verifies nothing
    if core.overall.score is None:
        assert after.score is None and after.gain is None
        return
    assert after.lower - EPS <= after.score <= after.upper + EPS
    assert 0.0 <= after.score <= 100.0
    assert after.score >= core.overall.score - EPS  # every action only closes gaps
    assert math.isclose(after.gain, after.score - core.overall.score, abs_tol=1e-12)
    assert after.upper >= core.overall.upper - EPS
    # more actions never lower the score
    more = _after(core, n + 1)
    assert more.score >= after.score - EPS


@PROPS
@given(pa=sides_up_to(), pb=sides_up_to())
def test_no_action_gives_todays_score_and_bounds_exactly(pa, pb):
    core = _core(pa, pb)
    after = _after(core, 0)
    o = core.overall
    assert (after.n, after.measures_closed) == (0, [])
    assert (after.score, after.lower, after.upper, after.coverage) == (o.score, o.lower, o.upper, o.coverage)
    assert after.gain in (None, 0.0)


@PROPS
@given(pa=sides_up_to(), pb=sides_up_to())
def test_swapping_the_countries_mirrors_the_score_after(pa, pb):
    ps = policy_set(jurisdiction("a", pa), jurisdiction("b", pb))
    x, y = check(ps, ("a", "b")).after_actions, check(ps, ("b", "a")).after_actions
    assert x.n == y.n and x.measures_closed == y.measures_closed
    for f in ("score", "lower", "upper", "coverage"):
        u, v = getattr(x, f), getattr(y, f)
        assert (u is None) == (v is None)
        if u is not None:
            assert math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-9), f


def _downgrade(provs: dict, key: str) -> dict:
    out = dict(provs)
    p = out[key]
    out[key] = p.model_copy(update={"values": [v.model_copy(update={"status": type(v.status)("unverified")})
                                               for v in p.values]})
    return out


@PROPS
@given(pa=sides_up_to(), pb=sides_up_to(), data=st.data())
def test_downgrading_a_value_to_unverified_never_improves_the_lower_bound_after(pa, pb, data):
    """The same actions taken on worse data: the lower bound after them never rises, the upper never
    falls (a measure that becomes unverified is not closed by them: it stays unscored)."""
    key = data.draw(st.sampled_from(sorted(pb)))
    before = _core(pa, pb)
    worse = _core(pa, _downgrade(pb, key))
    n = len(before.roadmap)
    x = _after(before, n)
    y = _after(worse, n, before.roadmap)
    assert y.lower <= x.lower + EPS and y.upper >= x.upper - EPS and y.coverage <= x.coverage + EPS
    unscored = {m.measure for m in worse.rows if not m.scored}
    assert not unscored & set(y.measures_closed)


def test_an_up_to_target_is_adopted_as_a_ceiling_and_keeps_the_bounds_wide():
    """b grants up to 10 years case by case, a 4 years outright: a moves to b's rule. The score after
    counts the measure equal; its lower bound counts one side granting the ceiling in full and the
    other nothing, so it does not rise with the score."""
    base = {"cit_standard_rate": provision(value(20.0))}
    pa = {**base, "loss_years": provision(value(4.0))}
    pb = {**base, "loss_years": provision(dict(value(10.0), up_to=True))}
    r = check(policy_set(jurisdiction("a", pa), jurisdiction("b", pb)))
    after = r.after_actions
    assert after.measures_closed == ["loss_years"] and _row(r, "loss_years").more_favourable == "b"
    again = check(policy_set(jurisdiction("a", {**base, "loss_years": pb["loss_years"]}), jurisdiction("b", pb)))
    assert math.isclose(after.score, again.overall.score) and after.score > r.overall.score
    assert math.isclose(after.lower, again.overall.lower) and math.isclose(after.upper, again.overall.upper)
    assert after.lower <= r.overall.lower + EPS  # adopting a ceiling granted case by case proves nothing more
    # the same pair with an entitlement of 10 years: closing it raises the lower bound too
    pb2 = {**base, "loss_years": provision(value(10.0))}
    r2 = check(policy_set(jurisdiction("a", pa), jurisdiction("b", pb2)))
    assert r2.after_actions.lower > r2.overall.lower


def test_unverified_data_stays_unscored_after_the_actions():
    base = {"cit_standard_rate": provision(value(20.0))}
    pa = {**base, "wht_dividends": provision(value(0.0)), "duty_exempt": provision(value(None, status="unverified"))}
    pb = {**base, "wht_dividends": provision(value(10.0)), "duty_exempt": provision(value(True))}
    r = check(policy_set(jurisdiction("a", pa), jurisdiction("b", pb)))
    assert "duty_exempt" not in r.after_actions.measures_closed
    assert r.after_actions.coverage == r.overall.coverage < 1.0
    assert r.after_actions.upper - r.after_actions.lower >= 100.0 * (1.0 - r.overall.coverage) - EPS
    assert r.after_actions.score == 100.0  # the one scored gap closed


def test_all_pairs_does_not_work_out_the_score_after(run, monkeypatch):
    """``check --all-pairs`` prints a summary per pair: it stops at check_pair and never re-scores."""
    def refuse(*a, **k):
        raise AssertionError("after_actions called on the all-pairs path")

    monkeypatch.setattr(engine_run, "after_actions", refuse)
    from conftest import POLICIES

    code, out, err = run("check", str(POLICIES), "--all-pairs", "--as-of", "2026-11-23")
    assert code == 0, err
    assert "vn:la" in out or "la:vn" in out


def test_shipped_parks_report_the_engines_score_after_with_its_bounds(shipped_reports):
    """The report's 'after the first actions' is the result's, with its bounds, in every language."""
    from harmonize.engine.result import CheckResult
    from harmonize.reporting.findings import park_findings

    data = json.loads((shipped_reports / "report.json").read_text(encoding="utf-8"))
    results = [CheckResult.model_validate(p["check"]) for p in data["parks"]]
    assert len(results) >= 3
    md = {lang: (shipped_reports / f"report.{lang}.md").read_text(encoding="utf-8") for lang in ("en", "vi", "lo", "km")}
    html = (shipped_reports / "report.en.html").read_text(encoding="utf-8")
    for r in results:
        a = r.after_actions
        assert a is not None and a.n == min(AFTER_ACTIONS, len(r.roadmap)) and a.n > 0
        assert r.overall.score < a.score <= 100.0 and a.lower <= a.score <= a.upper <= 100.0
        assert a.coverage == r.overall.coverage
        f = park_findings(r)
        assert (f["after"], f["after_lower"], f["after_upper"], f["gain"]) == (a.score, a.lower, a.upper, a.gain)
        assert f"{a.score:.1f} ({a.lower:.1f}–{a.upper:.1f}; +{a.gain:.2f} points)" in md["en"]
        assert (f"{a.score:.1f}<br><span class=\"muted\">{a.lower:.1f}–{a.upper:.1f}</span>") in html
    for lang, text in md.items():  # the explaining sentences, in the reader's language
        assert "Two kinds of points" in text if lang == "en" else "Two kinds of points" not in text
        assert ("bounds of its own" in text) == (lang == "en")
    # the example of the two kinds of points: the largest gap, in the park where it is largest
    gap = max((g for r in results for g in r.gaps), key=lambda g: g.points_lost)
    r = next(r for r in results if gap in r.gaps)
    row = next(m for m in r.measures if m.measure == gap.measure)
    assert f"{gap.points_lost:.2f} points off the full scale, +{row.contribution:.2f} to its score" in md["en"]


def test_two_actions_closing_the_same_measure_close_it_once():
    """The gains of actions are not added up: an action that closes a measure another has closed adds
    nothing (today's report added the points of each action)."""
    base = {"cit_standard_rate": provision(value(20.0))}
    pa = {**base, "wht_dividends": provision(value(0.0)), "loss_years": provision(value(2.0))}
    pb = {**base, "wht_dividends": provision(value(10.0)), "loss_years": provision(value(5.0))}
    core = _core(pa, pb)
    first = core.roadmap[0]
    twice = [first, first.model_copy(update={"rank": 2})]
    one = _after(core, 1, twice)
    two = _after(core, 2, twice)
    assert two.measures_closed == one.measures_closed == first.measures
    assert (two.score, two.lower, two.upper) == (one.score, one.lower, one.upper)
    assert one.score < 100.0  # the other gap is still open
