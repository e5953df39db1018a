"""atomic.staged_set: a set of files written one at a time (a report's editions as they are rendered)
still appears all at once, or not at all."""

from __future__ import annotations

import pytest

from harmonize.atomic import staged_set
from harmonize.errors import UsageError


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_files_appear_together_when_the_block_ends(tmp_path):
    out = tmp_path / "reports"
    with staged_set(out) as put:
        put("a.md", "A")
        assert not [p for p in out.iterdir() if not p.name.endswith(".tmp")]  # staged, not yet shown
        put("b.json", b"{}")
        assert not (out / "a.md").exists()
    assert _names(out) == ["a.md", "b.json"]
    assert (out / "a.md").read_text(encoding="utf-8") == "A" and (out / "b.json").read_bytes() == b"{}"


def test_an_error_midway_leaves_the_old_set_and_no_staging_folder(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "a.md").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with staged_set(out) as put:
            put("a.md", "new")
            raise RuntimeError("rendering the next edition failed")
    assert _names(out) == ["a.md"] and (out / "a.md").read_text(encoding="utf-8") == "old"


def test_a_name_that_is_a_folder_is_a_usage_error_and_nothing_moves(tmp_path):
    out = tmp_path / "reports"
    (out / "b.md").mkdir(parents=True)
    with pytest.raises(UsageError, match=r"cannot write .*b\.md: it is a folder"):
        with staged_set(out) as put:
            put("a.md", "A")
            put("b.md", "B")
    assert _names(out) == ["b.md"]


def test_nothing_is_created_before_the_first_file(tmp_path):
    out = tmp_path / "reports"
    with pytest.raises(RuntimeError):
        with staged_set(out):
            raise RuntimeError("no edition rendered")
    assert not out.exists()
