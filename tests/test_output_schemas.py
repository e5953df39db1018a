"""The JSON that check and report write validates against the schemas `harmonize schema` exports."""

from __future__ import annotations

import json

import jsonschema

from conftest import REPO


def _validator(kind: str) -> jsonschema.Draft7Validator:
    schema = json.loads((REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_check_result_matches_its_schema(run):
    status, out, _ = run("check", "policies", "--park", "lao-bao-densavanh", "--as-of", "2026-06-30", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["schema_version"] == "2.0"
    errors = list(_validator("result").iter_errors(data))
    assert not errors, errors[0].message


def test_report_document_matches_its_schema(run, tmp_path):
    out = tmp_path / "report.json"
    status, _, _ = run("report", "policies", "--park", "ordinary-ip-zone2", "--as-of", "2026-06-30",
                       "--format", "json", "--out", out)
    assert status == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    errors = list(_validator("report").iter_errors(data))
    assert not errors, errors[0].message
