"""Similarity by kind, favourability, and monotonicity (moving a value closer never hurts)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmonize.engine.similarity import (NotComparable, direction, enum_similarity, jaccard, numeric_similarity,
                                         similarity)
from harmonize.policy.models import Amount, Measure, NumberRange

from engine_build import catalogue

CAT = catalogue()
M = CAT.measures


def test_numeric_tolerance_and_scale():
    m = M["cit_standard_rate"]  # scale 10, tolerance 0.5
    assert similarity(m, 20.0, 20.4)[0] == 1.0
    assert similarity(m, 20.0, 25.5)[0] == pytest.approx(0.5)
    assert similarity(m, 0.0, 30.0)[0] == 0.0


def test_range_compared_by_midpoint_and_said_so():
    s, notes = similarity(M["loss_years"], NumberRange(min=4, max=6), 5.0)
    assert s == 1.0 and any("midpoint" in n for n in notes)


def test_boolean_enum_set():
    assert similarity(M["duty_exempt"], True, False)[0] == 0.0
    assert similarity(M["duty_exempt"], True, True)[0] == 1.0
    assert similarity(M["zone_status"], "domestic", "non_tariff")[0] == 0.0
    assert similarity(M["zone_status"], "domestic", "vat_only")[0] == pytest.approx(0.5)
    assert similarity(M["access"], "negative", "mixed")[0] == 1.0  # equivalence group
    assert similarity(M["access"], "negative", "positive")[0] == 0.0
    assert similarity(M["forms"], frozenset("ab"), frozenset("bc"))[0] == pytest.approx(1 / 3)
    assert jaccard(frozenset(), frozenset()) == 1.0


def test_amounts_only_in_same_currency():
    m = Measure.model_validate({"domain": "investment", "kind": "amount", "title": "Capital", "scale": 1000})
    assert similarity(m, Amount(amount=500, currency="USD"), Amount(amount=1000, currency="USD"))[0] == 0.5
    with pytest.raises(NotComparable):
        similarity(m, Amount(amount=500, currency="USD"), Amount(amount=500, currency="LAK"))


def test_direction():
    assert direction(M["cit_standard_rate"], 15.0, 20.0) == "a"
    assert direction(M["loss_years"], 3.0, 5.0) == "b"
    assert direction(M["duty_exempt"], False, True) == "b"
    assert direction(M["zone_status"], "non_tariff", "domestic") == "a"
    assert direction(M["forms"], frozenset("a"), frozenset("b")) == "n/a"
    assert direction(M["cit_standard_rate"], 20.0, 20.0, 1.0) == "equal"


nums = st.floats(min_value=0, max_value=100, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(a=nums, b=nums, t=st.floats(min_value=0, max_value=1), scale=st.floats(min_value=0.1, max_value=50),
       tol=st.floats(min_value=0, max_value=5))
def test_numeric_moving_closer_never_lowers_similarity(a, b, t, scale, tol):
    closer = b + t * (a - b)
    s0 = numeric_similarity(a, b, scale, tol)
    s1 = numeric_similarity(a, closer, scale, tol)
    assert 0 <= s0 <= 1 and 0 <= s1 <= 1
    assert s1 >= s0 - 1e-12
    assert numeric_similarity(a, b, scale, tol) == numeric_similarity(b, a, scale, tol)


opts = ["domestic", "vat_only", "non_tariff"]


@settings(max_examples=100, deadline=None)
@given(a=st.sampled_from(opts), b=st.sampled_from(opts))
def test_ordered_enum_moving_closer(a, b):
    m = M["zone_status"]
    ia, ib = opts.index(a), opts.index(b)
    if ia == ib:
        return
    step = ib + (1 if ia > ib else -1)
    assert enum_similarity(m, a, opts[step]) >= enum_similarity(m, a, b)


@settings(max_examples=200, deadline=None)
@given(a=st.frozensets(st.sampled_from("abcdef")), b=st.frozensets(st.sampled_from("abcdef")), data=st.data())
def test_set_moving_closer(a, b, data):
    moves = sorted((a - b) | (b - a))
    if not moves:
        assert jaccard(a, b) == 1.0
        return
    x = data.draw(st.sampled_from(moves))
    closer = b | {x} if x in a else b - {x}
    assert jaccard(a, closer) >= jaccard(a, b)
