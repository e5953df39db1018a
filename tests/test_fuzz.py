"""A bounded fuzz run: mutated copies of the shipped files never make validate or check escape."""

from __future__ import annotations

import importlib.util
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import POLICIES, REPO

_spec = importlib.util.spec_from_file_location("bench_fuzz", REPO / "bench" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32 - 1))
def test_mutated_trees_get_exit_codes_not_exceptions(tmp_path, seed):
    path, mutation, v, c = fuzz.one(POLICIES, tmp_path, random.Random(seed))
    assert v in (0, 1) and c in (0, 1, 2), (path, mutation, v, c)


def test_every_mutation_changes_something():
    text = (POLICIES / "la" / "tax.yaml").read_text(encoding="utf-8")
    for name, mutate in fuzz.MUTATIONS.items():
        changed = any(mutate(text, random.Random(s)) not in (text, text.encode()) for s in range(5))
        assert changed, name
