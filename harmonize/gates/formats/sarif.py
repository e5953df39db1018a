"""SARIF 2.1.0 for code-scanning dashboards, with physical locations in the policy files."""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from urllib.parse import quote
from typing import Iterable

from . import Row

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def _location(path: str) -> dict:
    """Relative paths resolve against the checkout (%SRCROOT%); absolute ones are file URIs."""
    p = PurePath(path)
    if p.is_absolute():
        return {"uri": Path(p).as_uri()}
    return {"uri": quote(p.as_posix()), "uriBaseId": "%SRCROOT%"}


def render(rows: Iterable[Row], tool_version: str) -> str:
    rows = list(rows)
    rules: dict[str, dict] = {}
    for r in rows:
        rules.setdefault(r.rule, {
            "id": r.rule,
            "name": r.title,
            "shortDescription": {"text": r.title.replace("-", " ")},
            "fullDescription": {"text": r.help or r.title},
            "defaultConfiguration": {"level": _LEVEL.get(r.severity, "error")},
        })
    index = {rule: i for i, rule in enumerate(sorted(rules))}
    results = []
    for r in rows:
        result: dict = {
            "ruleId": r.rule,
            "ruleIndex": index[r.rule],
            "level": _LEVEL.get(r.severity, "error"),
            "message": {"text": r.message},
        }
        if r.file:
            region = {"startLine": r.line or 1, "startColumn": r.column or 1}
            result["locations"] = [{
                "physicalLocation": {
                    "artifactLocation": _location(r.file),
                    "region": region,
                }
            }]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "harmonize",
                "version": tool_version,
                "rules": [rules[k] for k in sorted(rules)],
            }},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
