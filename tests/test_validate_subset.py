"""`validate` of jurisdiction files loads only the catalogue and those jurisdictions (issue 14): a
file gets exactly the diagnostics the whole tree's load gives it. Hidden warnings (Y190) stay warnings."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pytest

from harmonize.cli.validate import collect
from harmonize.policy import loader

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import fuzz  # noqa: E402

POLICIES = REPO / "policies"


def _for_file(diags, display):
    return sorted((d.file, d.line, d.column, d.code, d.message, d.severity.value) for d in diags if d.file == display)


@pytest.mark.parametrize("seed", range(16))
def test_a_jurisdiction_file_gets_what_the_whole_load_gives_it(tmp_path, seed, monkeypatch):
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    rng = random.Random(seed)
    target, _ = fuzz.mutate_tree(tree, rng)
    code = loader.jurisdiction_of(target, tree)
    subsets = []
    real = loader.load_tree
    monkeypatch.setattr(loader, "load_tree", lambda root, only=None: subsets.append(only) or real(root, only))
    alone, checked = collect([target])
    assert subsets == [None if code is None else {code}]  # a jurisdiction file: only its own folder is loaded
    whole, _ = collect([tree])
    assert len(checked) == 1
    assert _for_file(alone, checked[0]) == _for_file(whole, checked[0])


def test_jurisdiction_of_names_folders_not_other_files():
    assert loader.jurisdiction_of(POLICIES / "la" / "tax.yaml", POLICIES) == "la"
    assert loader.jurisdiction_of(POLICIES / "catalogue.yaml", POLICIES) is None
    parks = sorted((POLICIES / "parks").glob("*.yaml"))
    assert parks and loader.jurisdiction_of(parks[0], POLICIES) is None
    bilateral = sorted(POLICIES.glob("bilateral/*/*.yaml"))
    assert bilateral and loader.jurisdiction_of(bilateral[0], POLICIES) == bilateral[0].parent.name


def test_warnings_beyond_the_cap_do_not_fail_a_file(tmp_path):
    """A catalogue with more than 50 rationale warnings (R318) is valid: the 'and N more' line is a
    warning when everything it hides is one, and an error when it hides an error."""
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    root = tmp_path / "gen"
    generate(root, 2, 120, seed=3)
    cat = root / "catalogue.yaml"
    text = cat.read_text(encoding="utf-8")
    cat.write_text("\n".join(line for line in text.split("\n") if not line.lstrip().startswith("why:")),
                   encoding="utf-8")
    ps = loader.load_tree(root)
    more = [d for d in ps.diagnostics if d.code == "Y190"]
    assert len(more) == 1 and more[0].severity.value == "warning", [d.format() for d in more]
    assert ps.ok
    text = cat.read_text(encoding="utf-8")
    cat.write_text(text.rstrip("\n") + "\n" + "".join(f"  zz{i}: {{}}\n" for i in range(60)), encoding="utf-8")
    ps = loader.load_tree(root)
    more = [d for d in ps.diagnostics if d.code == "Y190"]
    assert len(more) == 1 and more[0].severity.value == "error", [d.format() for d in more]
