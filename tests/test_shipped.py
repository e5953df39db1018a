"""Invariants of what we ship: editor modelines, schemas in step with the models, one rule per file."""

from __future__ import annotations

import datetime
import json

import jsonschema

from conftest import POLICIES, REPO
from harmonize.cli.schema import schema_text
from harmonize.policy.yamlread import load_data

YAML_FILES = sorted(p for p in POLICIES.rglob("*.yaml"))


def test_every_policy_file_starts_with_a_schema_modeline():
    for path in YAML_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), (path, target)


def test_shipped_schemas_match_the_models():
    from harmonize.cli.schema import models

    for kind in models():
        shipped = (REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert shipped == schema_text(kind), f"run 'make schema' ({kind})"


def _plain(x):
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, datetime.date):
        return x.isoformat()
    return x


def test_json_schema_is_draft7_and_accepts_every_shipped_file():
    for path in YAML_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = json.loads((path.parent / first.split("$schema=", 1)[1]).read_text(encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(schema)
        data, diags = load_data(path.read_text(encoding="utf-8"), str(path))
        assert not diags
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(_plain(data)))
        assert not errors, (path, errors[0].message)


def test_json_schema_rejects_what_the_models_reject():
    schema = json.loads((REPO / "schema" / "policy.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    assert list(validator.iter_errors({"jurisdiction": "vn", "zonez": {}}))
    assert list(validator.iter_errors({"jurisdiction": "Not A Code"}))
    assert not list(validator.iter_errors({"jurisdiction": "vn", "name": "Plain text is fine"}))


def test_schema_command_writes_atomically(tmp_path, run):
    out = tmp_path / "sub" / "policy.schema.json"
    status, _, _ = run("schema", "--kind", "policy", "--out", out)
    assert status == 0
    assert out.read_text(encoding="utf-8") == schema_text("policy")
    assert [p.name for p in out.parent.iterdir()] == ["policy.schema.json"]
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)
