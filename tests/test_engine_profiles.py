"""Park profiles: the shipped ones load cleanly; mistakes are reported with file:line:column."""

from __future__ import annotations

import shutil
from pathlib import Path

from harmonize.policy.parks import load_parks
from harmonize.policy.loader import load_tree

POLICIES = Path(__file__).resolve().parent.parent / "policies"


def test_shipped_profiles_load_and_cross_check():
    ps = load_tree(POLICIES)
    parks, diags = load_parks(POLICIES, ps)
    assert diags == [], [d.format() for d in diags]
    assert len(parks) >= 3
    for pid, p in parks.items():
        assert len(p.pair) in (2, 3) and set(p.sites) <= set(p.pair)


def _tree(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "policies"
    shutil.copytree(POLICIES, root, ignore=shutil.ignore_patterns("parks"))
    (root / "parks").mkdir()
    (root / "parks" / "bad.yaml").write_text(text, encoding="utf-8")
    return root


def test_unknown_key_and_codes_are_located(tmp_path):
    root = _tree(tmp_path, "title: t\npair: [vn, la]\nsites:\n  vn:\n    zones: [industrial_prak]\n"
                           "  la:\n    sectors: [nope]\n")
    ps = load_tree(root)
    parks, diags = load_parks(root, ps)
    codes = {(d.code, d.line) for d in diags}
    assert ("R303", 5) in codes and ("R304", 7) in codes
    assert any("did you mean 'industrial_park'" in d.message for d in diags)
    root2 = _tree(tmp_path / "x", "title: t\npair: [vn, la]\nsitez: {}\n")
    parks, diags = load_parks(root2)
    assert "bad" not in parks
    assert [(d.code, d.line) for d in diags] == [("S201", 3)]
    assert "did you mean 'sites'" in diags[0].message


def test_pair_must_name_two_jurisdictions(tmp_path):
    root = _tree(tmp_path, "title: t\npair: [vn, vn]\n")
    parks, diags = load_parks(root)
    assert not parks and diags and diags[0].code == "S204"


def test_shipped_park_schema_matches_the_model():
    from harmonize.cli.schema import schema_text

    shipped = (POLICIES.parent / "schema" / "park.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text("park"), "regenerate schema/park.schema.json with 'harmonize schema --kind park'"
