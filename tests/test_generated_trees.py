"""Commands on a tree with three countries and no park profiles (like bench/generate.py writes)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from conftest import REPO

_spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("gen") / "policies"
    gen.generate(root, countries=3, measures=40, seed=5)
    return root


def test_generated_corpus_is_valid_and_deterministic(corpus, tmp_path, run):
    assert run("validate", corpus)[0] == 0
    again = tmp_path / "again"
    gen.generate(again, countries=3, measures=40, seed=5)
    for f in sorted(corpus.rglob("*.yaml")):
        assert f.read_bytes() == (again / f.relative_to(corpus)).read_bytes()


def test_check_needs_a_pair_and_says_so(corpus, run):
    status, _, err = run("check", corpus, "--as-of", "2026-06-30")
    assert status == 2 and "--pair" in err


def test_all_pairs_lists_every_pair(corpus, run):
    status, out, _ = run("check", corpus, "--all-pairs", "--as-of", "2026-06-30", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert [r["pair"] for r in data["results"]] == [["c00", "c01"], ["c00", "c02"], ["c01", "c02"]]
    assert all(0 <= r["overall"] <= 100 for r in data["results"])


def test_report_and_diff_take_a_pair_without_parks(corpus, tmp_path, run):
    status, _, _ = run("report", corpus, "--pair", "c00:c01", "--as-of", "2026-06-30", "--format", "all",
                       "--lang", "en", "--out-dir", tmp_path / "r")
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["report.en.html", "report.en.md", "report.json"]
    status, out, _ = run("diff", corpus, corpus, "--pair", "c00:c01", "--as-of", "2026-06-30")
    assert status == 0 and "c00:c01" in out
