"""`harmonize init`: a policy repository and jurisdiction folders that validate, nothing overwritten."""

from __future__ import annotations

import pytest


def test_a_new_repository_and_jurisdictions_validate(run, tmp_path):
    root = tmp_path / "law"
    code, out, err = run("init", root)
    assert code == 0, err
    for rel in ("policies/catalogue.yaml", "schema/policy.schema.json", ".github/workflows/harmonize.yml",
                ".pre-commit-config.yaml", "README.md"):
        assert (root / rel).is_file(), rel
    assert "OWNER/harmonize@REF" in out  # no action known: the placeholder is named, not hidden
    assert run("init", root, "--jurisdiction", "xx", "--name", 'X "land": a test', "--currency", "XXD")[0] == 0
    assert run("init", root, "--jurisdiction", "xx-yy", "--kind", "bilateral", "--parties", "xx,yy")[0] == 0
    assert run("init", root, "--jurisdiction", "bloc", "--kind", "multilateral", "--parties", "xx,yy")[0] == 0
    assert (root / "policies" / "multilateral" / "bloc" / "layer.yaml").is_file()
    code, out, err = run("validate", root / "policies")
    assert code == 0, out + err
    assert "# yaml-language-server: $schema=../../schema/policy.schema.json" in \
        (root / "policies" / "xx" / "country.yaml").read_text(encoding="utf-8")
    assert "$schema=../../../schema/policy.schema.json" in \
        (root / "policies" / "bilateral" / "xx-yy" / "instruments.yaml").read_text(encoding="utf-8")


def test_nothing_is_overwritten(run, tmp_path):
    root = tmp_path / "law"
    (root / "policies").mkdir(parents=True)
    (root / "README.md").write_text("mine\n", encoding="utf-8")
    code, out, _ = run("init", root, "--action", "someone/harmonize@v1")
    assert code == 0 and "kept  README.md (exists)" in out
    assert (root / "README.md").read_text(encoding="utf-8") == "mine\n"
    assert "uses: someone/harmonize@v1" in (root / ".github/workflows/harmonize.yml").read_text(encoding="utf-8")
    code, _, err = run("init", root)
    assert code == 2 and "--jurisdiction" in err


@pytest.mark.parametrize("args, word", [
    (["--jurisdiction", "X Y"], "not a jurisdiction code"),
    (["--jurisdiction", "xx", "--currency", "dollars"], "ISO 4217"),
    (["--jurisdiction", "xx-yy", "--kind", "bilateral"], "--parties"),
    (["--action", "not an action"], "OWNER/REPO@REF"),
])
def test_bad_arguments_are_usage_errors(run, tmp_path, args, word):
    code, _, err = run("init", tmp_path / "law", *args)
    assert code == 2 and word in err
