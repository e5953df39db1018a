"""Result rows the engine builds without validating again (engine.result.build, issue 14) are the rows
validation would have built: the same JSON for every park and pair, shipped and generated, and the
same after a round trip through the JSON schema's own validation."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel

from harmonize.cli.args import load_parameter_set, park_profiles
from harmonize.engine import result
from harmonize.engine.result import CheckResult, LegalBasis, MeasureRow, SideRow, SideValue, build, fill
from harmonize.engine.run import run_check
from harmonize.policy.loader import load_tree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402


def _validated(cls, **fields):
    return cls(**fields)


def _assigned(model, **fields):
    for k, v in fields.items():
        setattr(model, k, v)


@pytest.fixture
def validating(monkeypatch):
    """Every engine module builds its rows through pydantic validation instead."""
    for name, mod in list(sys.modules.items()):
        if name.startswith("harmonize.engine") and mod is not None:
            if getattr(mod, "build", None) is build:
                monkeypatch.setattr(mod, "build", _validated)
            if getattr(mod, "fill", None) is fill:
                monkeypatch.setattr(mod, "fill", _assigned)


def _same(x, y, where="result") -> None:
    """x and y hold equal values of the same types, model by model (a template or an f-string reads the
    attributes, not the JSON: an int where validation gives a float would print differently)."""
    assert type(x) is type(y), f"{where}: {type(x).__name__} != {type(y).__name__}"
    if isinstance(x, BaseModel):
        assert list(x.__dict__) == list(y.__dict__), where
        for k in x.__dict__:
            _same(x.__dict__[k], y.__dict__[k], f"{where}.{k}")
    elif isinstance(x, (list, tuple)):
        assert len(x) == len(y), where
        for i, (u, v) in enumerate(zip(x, y)):
            _same(u, v, f"{where}[{i}]")
    elif isinstance(x, dict):
        assert list(x) == list(y), where
        for k in x:
            _same(x[k], y[k], f"{where}[{k!r}]")
    else:
        assert x == y or (x != x and y != y), f"{where}: {x!r} != {y!r}"


def _checks(ps):
    params = load_parameter_set(ps.root, None)
    out = []
    parks = park_profiles(ps)
    for pid in sorted(parks):
        out.append(lambda park=parks[pid], pid=pid: run_check(ps, tuple(park.pair[:2]), date(2026, 6, 30), park,
                                                              park_id=pid, params=params))
    countries = sorted(c for c, j in ps.jurisdictions.items() if j.kind == "country")
    for a, b in zip(countries, countries[1:]):
        for as_of in (date(2024, 6, 30), date(2026, 6, 30)):
            out.append(lambda pair=(a, b), as_of=as_of: run_check(ps, pair, as_of, None, params=params))
    return out


@pytest.fixture(scope="module")
def shipped():
    ps = load_tree(ROOT / "policies")
    assert ps.ok
    return ps


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("gen") / "tree"
    generate(root, 3, 120, seed=5)
    ps = load_tree(root)
    assert ps.ok
    return ps


@pytest.mark.parametrize("tree", ["shipped", "generated"])
def test_built_results_are_the_validated_ones(tree, request, monkeypatch):
    ps = request.getfixturevalue(tree)
    checks = _checks(ps)
    assert len(checks) >= 3
    built = [c() for c in checks]
    request.getfixturevalue("validating")
    validated = [c() for c in checks]
    for b, v in zip(built, validated):
        _same(b, v)
        assert b.to_json() == v.to_json()
    built = [b.to_json() for b in built]
    # and the built result is what the schema's own validation reads back (no int where a float is due)
    for text in built:
        assert CheckResult.model_validate_json(text).to_json() == text


def test_build_is_the_constructor_without_validation():
    basis = LegalBasis(instrument="x-law", number="1/2020", article="Art. 3")
    fields = dict(provision="p", value=10, display="10 %", value_from=date(2020, 1, 1), status="verified",
                  basis=basis)
    made, validated = build(SideValue, **fields), SideValue(**fields)
    assert made == validated and list(made.__dict__) == list(validated.__dict__)
    assert made.model_dump_json() == validated.model_dump_json()
    row = build(SideRow, jurisdiction="aa")
    assert row.alternatives == [] and row.alternatives is not build(SideRow, jurisdiction="aa").alternatives
    fill(row, state="value")
    assert row.state == "value" and "state" in row.model_fields_set
    with pytest.raises(TypeError, match="missing field 'jurisdiction'"):
        build(SideRow)
    with pytest.raises(TypeError, match="unknown field"):
        build(SideRow, jurisdiction="aa", jurisdictio="aa")
    assert result.build is build and MeasureRow.model_fields  # the engine's rows are still pydantic models
