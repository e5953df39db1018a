"""JSON Schemas of the policy files, from the pydantic models, for editors and CI.

Written as draft-07 (``definitions``, no 2020-12-only keywords) because yaml-language-server,
which most editors use, supports draft-07 fully and later drafts only in part.
"""

from __future__ import annotations

import json
from typing import Any

from .models import CatalogueFile, LocalTextModel, PolicyFile

KINDS = {"policy": PolicyFile, "catalogue": CatalogueFile}
TITLES = {
    "policy": "harmonize jurisdiction policy file",
    "catalogue": "harmonize measure catalogue",
}


def _resolve_placeholders(node: Any) -> Any:
    if isinstance(node, dict):
        if "x-harmonize-ref" in node:
            return {"$ref": f"#/definitions/{node['x-harmonize-ref']}"}
        return {k: _resolve_placeholders(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve_placeholders(v) for v in node]
    return node


def json_schema(kind: str) -> dict[str, Any]:
    model = KINDS[kind]
    schema = model.model_json_schema(ref_template="#/definitions/{model}", mode="validation")
    defs = schema.pop("$defs", {})
    out: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": TITLES[kind],
        **{k: v for k, v in schema.items() if k != "title"},
    }
    text = LocalTextModel.model_json_schema(ref_template="#/definitions/{model}")
    text["title"] = "LocalText"
    defs["LocalText"] = text
    out["definitions"] = dict(sorted(defs.items()))
    return _resolve_placeholders(out)


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
