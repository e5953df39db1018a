"""The parse cache: warm runs skip the parser, a stale or hostile entry never gives a wrong answer."""

from __future__ import annotations

import pickle

import pytest

from harmonize.policy import cache
from harmonize.policy.loader import load_tree


@pytest.fixture
def cache_at(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("HARMONIZE_CACHE_DIR", str(folder))
    monkeypatch.delenv("HARMONIZE_NO_CACHE", raising=False)
    return folder


def _entries(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_warm_run_reads_the_cache_and_gives_the_same_answer(tree, cache_at, monkeypatch):
    cold = load_tree(tree)
    assert cold.ok and _entries(cache_at)

    def no_parse(*args, **kwargs):
        raise AssertionError("the parser ran on a warm cache")

    monkeypatch.setattr("harmonize.policy.loader.load_data", no_parse)
    warm = load_tree(tree)
    assert warm.ok
    assert warm.jurisdictions["la"].provisions == cold.jurisdictions["la"].provisions


def test_an_edited_file_is_never_answered_from_the_cache(tree, cache_at):
    load_tree(tree)
    f = tree / "la" / "tax.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("  wht_dividends:")
    f.write_text(text[:start] + text[start:].replace("value: 10", "value: 12", 1), encoding="utf-8")
    ps = load_tree(tree)
    assert ps.jurisdictions["la"].provisions["wht_dividends"].values[0].value == 12


def test_an_edit_that_breaks_the_file_is_reported_not_cached_over(tree, cache_at):
    load_tree(tree)
    f = tree / "la" / "tax.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "  : [\n", encoding="utf-8")
    ps = load_tree(tree)
    assert any(d.code == "Y110" and d.file.endswith("la/tax.yaml") for d in ps.diagnostics)


def test_a_corrupt_or_hostile_entry_is_ignored(tree, cache_at):
    load_tree(tree)
    entries = _entries(cache_at)
    entries[0].write_bytes(b"not a pickle")

    class Evil:
        def __reduce__(self):
            import os
            return (os.system, ("echo pwned > /tmp/harmonize-pwned",))

    for e in entries[1:]:
        e.write_bytes(pickle.dumps(Evil()))
    ps = load_tree(tree)
    assert ps.ok
    assert not __import__("os").path.exists("/tmp/harmonize-pwned")


def test_no_cache_switch(tree, cache_at, monkeypatch):
    monkeypatch.setenv("HARMONIZE_NO_CACHE", "1")
    assert load_tree(tree).ok
    assert _entries(cache_at) == []
    assert cache.get("x: 1\n") == (False, None)
