"""Properties of run_check on synthetic rule sets: identity, bounds, symmetry, exact decomposition,
order independence, and unverified data never scored as a match."""

from __future__ import annotations

import math
import random
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmonize.policy.models.parks import ParkProfile
from harmonize.engine.run import builtin_parameter_set, run_check
from harmonize.engine.scoring import ScoreItem, decompose

from engine_build import catalogue, clone, jurisdiction, policy_set, provision, value

AS_OF = date(2026, 11, 23)
PARAMS = builtin_parameter_set()
PARK = ParkProfile.model_validate({"title": "t", "pair": ["a", "b"],
                                   "sites": {"a": {"zones": ["z1"]}, "b": {"zones": ["z1"]}}})
SCHEDULES = [
    {"start": "first_revenue", "phases": [{"years": 2, "exempt": True}]},
    {"start": "first_taxable_profit", "phases": [{"years": 4, "exempt": True}, {"years": 9, "reduction": 50}]},
    {"start": "first_revenue", "phases": [{"years": 10, "rate": 10}]},
]
GEN = {
    "wht_dividends": st.integers(0, 30).map(float),
    "loss_years": st.one_of(st.integers(0, 10).map(float),
                            st.tuples(st.integers(0, 5), st.integers(5, 10)).map(lambda t: {"min": t[0], "max": t[1]})),
    "duty_exempt": st.booleans(),
    "zone_status": st.sampled_from(["domestic", "vat_only", "non_tariff"]),
    "forms": st.lists(st.sampled_from(["jv", "wfoe", "bcc", "ppp"]), unique=True),
    "access": st.sampled_from(["negative", "positive", "mixed"]),
    "one_stop": st.booleans(),
    "cit_holiday": st.sampled_from(SCHEDULES),
    "lists": st.just("some text"),
}
STATES = ["absent", "value", "value", "value", "unverified_null", "unverified_value", "secondary", "conditional"]


@st.composite
def sides(draw, verified_only: bool = False):
    provs = {"cit_standard_rate": provision(value(float(draw(st.sampled_from([15, 20, 25])))))}
    for mid, gen in GEN.items():
        state = "value" if verified_only else draw(st.sampled_from(STATES))
        v = draw(gen)
        if state == "absent":
            continue
        if state == "value":
            provs[mid] = provision(value(v))
        elif state == "secondary":
            provs[mid] = provision(value(v, status="secondary"))
        elif state == "unverified_null":
            provs[mid] = provision(value(None, status="unverified"))
        elif state == "unverified_value":
            provs[mid] = provision(value(v, status="unverified"))
        elif state == "conditional":
            provs[mid] = provision(value(v), zones=["z2"])
        if not verified_only and draw(st.booleans()) and mid != "lists":  # a second, alternative provision
            provs[f"{mid}.alt"] = provision(value(draw(gen)), measure=mid)
    return provs


def check(ps, pair=("a", "b"), park=PARK):
    return run_check(ps, pair, AS_OF, park, params=PARAMS)


def assert_bounds_and_decomposition(r):
    for d in r.domains:
        assert d.score is None or 0 <= d.score <= 100
        if d.score is not None:
            rows = [m for m in r.measures if m.domain == d.domain and m.scored]
            assert math.isclose(math.fsum(m.points_lost_domain for m in rows), 100 - d.score,
                                rel_tol=1e-12, abs_tol=1e-9)
    if r.overall.score is None:
        assert all(m.contribution == 0 for m in r.measures)
        return
    assert 0 <= r.overall.score <= 100
    contribs = math.fsum(m.contribution for m in r.measures)
    assert math.isclose(contribs, r.overall.points_lost, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(contribs, 100 - r.overall.score, rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(math.fsum(d.contribution for d in r.domains), contribs, rel_tol=1e-12, abs_tol=1e-12)
    for m in r.measures:
        assert m.scored or m.contribution == 0
        assert m.similarity is None or 0 <= m.similarity <= 1


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(provs=sides())
def test_self_comparison_scores_100_and_only_unverified_gaps(provs):
    ja = jurisdiction("a", provs)
    r = check(policy_set(ja, clone(ja, "b")))
    assert r.overall.score is None or math.isclose(r.overall.score, 100.0)
    assert all(d.score is None or math.isclose(d.score, 100.0) for d in r.domains)
    assert not r.roadmap
    assert all(g.type == "unverified_data" and g.points_lost == 0 for g in r.gaps)
    assert_bounds_and_decomposition(r)


@FAST
@given(provs=sides(verified_only=True))
def test_verified_self_comparison_has_no_gaps(provs):
    ja = jurisdiction("a", provs)
    r = check(policy_set(ja, clone(ja, "b")))
    assert r.overall.score == 100.0
    assert r.gaps == []


@FAST
@given(pa=sides(), pb=sides())
def test_bounds_symmetry_and_decomposition(pa, pb):
    ps = policy_set(jurisdiction("a", pa), jurisdiction("b", pb))
    r1, r2 = check(ps, ("a", "b")), check(ps, ("b", "a"))
    assert_bounds_and_decomposition(r1)
    assert_bounds_and_decomposition(r2)
    if r1.overall.score is None:
        assert r2.overall.score is None
    else:
        assert math.isclose(r1.overall.score, r2.overall.score, rel_tol=1e-12, abs_tol=1e-9)
    for d1, d2 in zip(r1.domains, r2.domains):
        assert (d1.score is None) == (d2.score is None)
        assert d1.score is None or math.isclose(d1.score, d2.score, rel_tol=1e-12, abs_tol=1e-9)
    mirror = {"a": "b", "b": "a", "equal": "equal", "n/a": "n/a"}
    for m1, m2 in zip(r1.measures, r2.measures):
        assert m1.measure == m2.measure and m1.scored == m2.scored
        assert m1.similarity == m2.similarity
        assert m2.direction == mirror[m1.direction]
        assert m1.more_favourable == m2.more_favourable
    assert sorted(g.measure for g in r1.gaps) == sorted(g.measure for g in r2.gaps)


@FAST
@given(pa=sides(), pb=sides(), seed=st.integers(0, 2**16))
def test_result_does_not_depend_on_key_order(pa, pb, seed):
    rnd = random.Random(seed)
    ps1 = policy_set(jurisdiction("a", pa), jurisdiction("b", pb))

    def shuffled(d):
        items = list(d.items())
        rnd.shuffle(items)
        return dict(items)

    cat = ps1.catalogue.model_copy(update={"measures": shuffled(ps1.catalogue.measures),
                                           "domains": shuffled(ps1.catalogue.domains)})
    ps2 = policy_set(jurisdiction("b", shuffled(pb)), jurisdiction("a", shuffled(pa)), cat=cat)
    assert check(ps1).to_json() == check(ps2).to_json()


@FAST
@given(v=st.integers(0, 30).map(float), other=st.integers(0, 30).map(float), t=st.floats(0, 1))
def test_moving_a_value_closer_never_lowers_its_similarity(v, other, t):
    closer = other + t * (v - other)
    base = {"cit_standard_rate": provision(value(20.0))}
    ja = jurisdiction("a", {**base, "wht_dividends": provision(value(v))})
    r0 = check(policy_set(ja, jurisdiction("b", {**base, "wht_dividends": provision(value(other))})))
    r1 = check(policy_set(ja, jurisdiction("b", {**base, "wht_dividends": provision(value(closer))})))
    s0 = next(m for m in r0.measures if m.measure == "wht_dividends").similarity
    s1 = next(m for m in r1.measures if m.measure == "wht_dividends").similarity
    assert s1 >= s0 - 1e-12


def test_unverified_values_are_never_scored_as_matches():
    base = {"cit_standard_rate": provision(value(20.0)), "wht_dividends": provision(value(5.0))}
    same_unverified = {"duty_exempt": provision(value(True, status="unverified")),
                       "one_stop": provision(value(None, status="unverified"))}
    ps = policy_set(jurisdiction("a", {**base, **same_unverified}),
                    jurisdiction("b", {**base, "wht_dividends": provision(value(10.0)), **same_unverified}))
    r = check(ps)
    rows = {m.measure: m for m in r.measures}
    for mid in ("duty_exempt", "one_stop"):
        assert not rows[mid].scored and rows[mid].unscored_reason == "unverified_value"
        assert rows[mid].similarity is None and rows[mid].contribution == 0
    gaps = {g.measure: g for g in r.gaps}
    assert gaps["duty_exempt"].type == "unverified_data" and gaps["one_stop"].type == "unverified_data"
    # customs has only the unverified measure (plus nothing else): not scored, said so
    customs = next(d for d in r.domains if d.domain == "customs")
    assert customs.score is None and "not scored" in customs.note
    assert "customs" in r.overall.domains_not_scored
    assert r.coverage.unscored_by_reason["unverified_value"] >= 2
    # the score equals the score of the same sets without the unverified measures
    ps2 = policy_set(jurisdiction("a", base),
                     jurisdiction("b", {**base, "wht_dividends": provision(value(10.0))}))
    assert math.isclose(check(ps2).overall.score, r.overall.score, rel_tol=1e-12)
    assert r.overall.score < 100


def test_silence_is_a_coverage_hole_unless_the_law_is_known_to_lack_the_rule():
    # issue 11: "not yet encoded" is never a gap; an explicit absence is a one-side-only gap
    base = {"cit_standard_rate": provision(value(20.0))}
    silent = policy_set(jurisdiction("a", {**base, "duty_exempt": provision(value(True))}), jurisdiction("b", base))
    r = check(silent)
    row = next(m for m in r.measures if m.measure == "duty_exempt")
    assert not row.scored and row.unscored_reason == "not_encoded" and row.b.state == "not_encoded"
    assert "duty_exempt" not in {g.measure for g in r.gaps}
    assert (row.similarity_low, row.similarity_high) == (0.0, 1.0)
    none = dict(value(None), absent=True)
    known = policy_set(jurisdiction("a", {**base, "duty_exempt": provision(value(True))}),
                       jurisdiction("b", {**base, "duty_exempt": provision(none)}))
    gap = next(g for g in check(known).gaps if g.measure == "duty_exempt")
    assert gap.type == "one_side_only" and gap.similarity == 0 and gap.points_lost > 0
    agree = next(o for o in gap.options if o.kind == "agree_common_value")
    assert agree.target.candidates == {"a": "yes", "b": "none (the law has no such rule)"}


def test_silence_takes_the_catalogues_absent_means():
    # a duty exemption exists only where the law grants it: silence is "no", and both silent match
    cat = catalogue({"duty_exempt": {"domain": "customs", "kind": "boolean", "title": "Duty exemption",
                                     "favourable": "true", "weight": 2, "absent_means": False}})
    base = {"cit_standard_rate": provision(value(20.0))}
    r = check(policy_set(jurisdiction("a", {**base, "duty_exempt": provision(value(False))}),
                         jurisdiction("b", base), cat=cat))
    row = next(m for m in r.measures if m.measure == "duty_exempt")
    assert row.scored and row.similarity == 1.0 and row.b.state == "implied" and row.b.implied.display == "no"
    r = check(policy_set(jurisdiction("a", {**base, "duty_exempt": provision(value(True))}),
                         jurisdiction("b", base), cat=cat))
    gap = next(g for g in r.gaps if g.measure == "duty_exempt")
    align = next(o for o in gap.options if o.kind == "align_on_more_favourable")
    assert align.target.value == "yes" and align.target.changes == ["b"]
    assert "new article" in align.amend[0].note


def test_different_conditions_name_the_instrument_to_widen():
    base = {"cit_standard_rate": provision(value(20.0))}
    ps = policy_set(jurisdiction("a", {**base, "one_stop": provision(value(True))}),
                    jurisdiction("b", {**base, "one_stop": provision(value(True), zones=["z2"])}))
    r = check(ps)
    gaps = {g.measure: g for g in r.gaps}
    assert gaps["one_stop"].type == "different_conditions"
    assert gaps["one_stop"].points_lost > 0
    opt = {o.kind: o for o in gaps["one_stop"].options}
    # no absent_means: what b's law means for this site is unknown, so no side is "more favourable"
    b_amend = [a for a in opt["agree_common_value"].amend if a.jurisdiction == "b"]
    assert b_amend[0].number == "1/TEST" and "widen the conditions" in b_amend[0].note
    assert opt["agree_common_value"].target.candidates == {"a": "yes", "b": "no such rule"}
    assert r.roadmap and r.roadmap[0].rank == 1 and r.roadmap[0].targets


def test_most_favourable_provision_kept_and_others_are_alternatives():
    base = {"cit_standard_rate": provision(value(20.0))}
    ps = policy_set(
        jurisdiction("a", {**base, "wht_dividends": provision(value(10.0)),
                           "wht_dividends.zone": provision(value(0.0), measure="wht_dividends", zones=["z1"])}),
        jurisdiction("b", {**base, "wht_dividends": provision(value(0.0))}))
    row = next(m for m in check(ps).measures if m.measure == "wht_dividends")
    assert row.a.value.provision == "wht_dividends.zone" and row.similarity == 1.0
    assert [alt.provision for alt in row.a.alternatives] == ["wht_dividends"]


def test_bilateral_cap_applies_to_flows_between_the_pair():
    base = {"cit_standard_rate": provision(value(20.0))}
    layer = jurisdiction("ab", {"dta_cap_dividends": provision(value(10.0))}, kind="bilateral", parties=["a", "b"])
    ps = policy_set(jurisdiction("a", {**base, "wht_dividends": provision(value(15.0))}),
                    jurisdiction("b", {**base, "wht_dividends": provision(value(10.0))}), layer)
    r = check(ps)
    row = next(m for m in r.measures if m.measure == "wht_dividends")
    assert r.bilateral == "ab"
    assert row.a.cap.applied and row.a.cap.effective == 10.0 and row.a.cap.domestic == 15.0
    assert not row.b.cap.applied
    assert row.similarity == 1.0


def test_schedules_compared_once_through_the_package_eatr():
    base = {"cit_standard_rate": provision(value(20.0))}
    ps = policy_set(jurisdiction("a", {**base, "cit_holiday": provision(value(SCHEDULES[1]))}),
                    jurisdiction("b", base))
    r = check(ps)
    row = next(m for m in r.measures if m.measure == "cit_package")
    parts = [m for m in r.measures if m.counted_in == "cit_package"]
    assert {p.measure for p in parts} == {"cit_standard_rate", "cit_holiday"}
    assert all(not p.scored and p.points_full == 0 for p in parts)  # one economic fact, one count
    assert row.scored and row.a.package and row.b.package
    assert row.a.package.eatr < row.b.package.eatr
    assert row.direction == "a"
    expected = 1 - min(1, abs(row.a.package.eatr - row.b.package.eatr) / 10)
    assert math.isclose(row.similarity, expected, rel_tol=1e-12)
    gap = next(g for g in r.gaps if g.measure == "cit_package")
    assert gap.type == "divergent_values"
    assert next(o for o in gap.options if o.kind == "align_on_more_favourable").target.changes == ["b"]


def test_an_unverified_part_leaves_the_package_unscored_and_names_it():
    base = {"cit_standard_rate": provision(value(20.0))}
    ps = policy_set(jurisdiction("a", {**base, "cit_holiday": provision(value(SCHEDULES[1], status="unverified"))}),
                    jurisdiction("b", base))
    row = next(m for m in check(ps).measures if m.measure == "cit_package")
    assert not row.scored and row.unscored_reason == "unverified_value"
    assert row.a.unknown_parts == ["cit_holiday: cit_holiday (unverified)"]


def test_timing_flag_for_grandfathered_and_recent_values():
    base = {"cit_standard_rate": provision(value(20.0))}
    old = value(5.0, until="2025-09-30")
    old["grandfathered"] = {"licensed_before": "2025-10-01", "basis": {"instrument": "law", "article": None}}
    park = ParkProfile.model_validate({"title": "t", "pair": ["a", "b"],
                                       "sites": {"a": {"zones": ["z1"], "licensed_on": "2024-01-01"},
                                                 "b": {"zones": ["z1"]}}})
    ps = policy_set(jurisdiction("a", {**base, "wht_dividends": provision(old, value(10.0, frm="2025-10-01"))}),
                    jurisdiction("b", {**base, "wht_dividends": provision(value(10.0, frm="2026-06-01"))}))
    r = check(ps, park=park)
    g = next(g for g in r.gaps if g.measure == "wht_dividends")
    assert "timing" in g.flags and g.type == "divergent_values"
    assert any("grandfathering" in n for n in g.notes) and any("since 2026-06-01" in n for n in g.notes)


def test_decompose_weights_and_unscored_domains():
    items = [ScoreItem("m1", "tax", 1, 0.5), ScoreItem("m2", "tax", 3, 1.0), ScoreItem("m3", "land", 0, 0.0)]
    dec = decompose(items, {"tax": 3, "land": 2, "customs": 1})
    assert dec.domain_score["tax"] == 100 - 100 * 1 * 0.5 / 4
    assert dec.domain_score["land"] is None and dec.domain_score["customs"] is None
    assert dec.domain_share["tax"] == 1.0
    assert math.isclose(dec.overall, 87.5)


def test_sensitivity_reports_range_and_stability():
    base = {"cit_standard_rate": provision(value(20.0))}
    ps = policy_set(jurisdiction("a", {**base, "wht_dividends": provision(value(0.0)),
                                       "duty_exempt": provision(value(True)), "one_stop": provision(value(True))}),
                    jurisdiction("b", {**base, "wht_dividends": provision(value(10.0)),
                                       "duty_exempt": provision(value(False)), "one_stop": provision(value(False))}))
    s = check(ps).sensitivity
    assert s.min_score <= s.base_score <= s.max_score
    assert len(s.variants) == 2 * 3 and s.variation == 0.25
    assert len(s.top3) == 3


def test_park_weight_overrides_change_the_weights_used():
    base = {"cit_standard_rate": provision(value(20.0))}
    ps = policy_set(jurisdiction("a", {**base, "wht_dividends": provision(value(0.0)), "one_stop": provision(value(True))}),
                    jurisdiction("b", {**base, "wht_dividends": provision(value(10.0)), "one_stop": provision(value(True))}))
    park = ParkProfile.model_validate({"title": "t", "pair": ["a", "b"], "weights": {
        "domains": {"investment": 0}, "measures": {"wht_dividends": 9}}})
    r = run_check(ps, ("a", "b"), AS_OF, park, params=PARAMS)
    assert r.weights.domains["investment"] == 0 and r.weights.measure_overrides == {"wht_dividends": 9}
    row = next(m for m in r.measures if m.measure == "wht_dividends")
    assert row.weight == 9 and math.isclose(row.weight_share, 9 / 12)
    assert r.overall.domains_scored == ["tax"]
    assert math.isclose(r.overall.score, 100 - 100 * 9 / 12)
