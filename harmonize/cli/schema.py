"""JSON Schemas of every file kind under policies/, from the pydantic models, for editors and CI.

Written as draft-07 (``definitions``, no 2020-12-only keywords) because yaml-language-server,
which most editors use, supports draft-07 fully and later drafts only in part.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EXIT_OK
from . import COMMANDS

if TYPE_CHECKING:
    from pydantic import BaseModel

TITLES = {
    "policy": "harmonize jurisdiction policy file",
    "catalogue": "harmonize measure catalogue",
    "park": "harmonize park profile",
    "scenario": "harmonize scenario file",
    "parameters": "harmonize parameters file",
    "sources": "harmonize source tiers file (policies/sources.yaml)",
    "result": "harmonize check result (harmonize check --format json)",
    "report": "harmonize report document (report.json)",
    "report-settings": "harmonize report settings (policies/report.yaml)",
    "translations": "harmonize translations of policy texts (policies/translations/<lang>.yaml)",
}
_PLACEHOLDER = "x-harmonize-ref"


def register(subparsers) -> None:
    p = subparsers.add_parser("schema", help=COMMANDS["schema"])
    p.add_argument("--kind", choices=list(TITLES), default="policy")
    p.add_argument("-o", "--out", metavar="PATH", help="write to PATH (atomically) instead of stdout")
    p.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:
    text = schema_text(args.kind)
    if args.out:
        from ..atomic import write_atomic

        write_atomic(Path(args.out), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def models() -> dict[str, type[BaseModel]]:
    """Each file kind's model (imported here so that `harmonize schema` alone pulls in the engine)."""
    from ..engine.result import CheckResult
    from ..policy.models import CatalogueFile, PolicyFile
    from ..policy.models.parks import ParkProfile
    from ..policy.models.scenarios import ParametersFile, Scenario
    from ..policy.sources import SourceTiersFile
    from ..reporting.document import ReportDocument
    from ..policy.translations import TranslationsFile
    from ..reporting.settings import ReportSettings

    return {"policy": PolicyFile, "catalogue": CatalogueFile, "park": ParkProfile,
            "scenario": Scenario, "parameters": ParametersFile, "sources": SourceTiersFile, "result": CheckResult, "report": ReportDocument,
            "report-settings": ReportSettings, "translations": TranslationsFile}


def _resolve_placeholders(node: Any) -> Any:
    if isinstance(node, dict):
        if _PLACEHOLDER in node:
            return {"$ref": f"#/definitions/{node[_PLACEHOLDER]}"}
        return {k: _resolve_placeholders(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve_placeholders(v) for v in node]
    return node


def json_schema(kind: str) -> dict[str, Any]:
    # Input files are described as they are read; results as they are written.
    mode = "serialization" if kind in ("result", "report") else "validation"
    schema = models()[kind].model_json_schema(ref_template="#/definitions/{model}", mode=mode)
    defs = schema.pop("$defs", {})
    if _PLACEHOLDER in json.dumps(schema) + json.dumps(defs):
        from ..policy.models import LocalTextModel

        # texts are "a string or {en, vi, lo}": the models mark them with a placeholder
        text = LocalTextModel.model_json_schema(ref_template="#/definitions/{model}")
        text["title"] = "LocalText"
        defs["LocalText"] = text
    out: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": TITLES[kind],
        **{k: v for k, v in schema.items() if k != "title"},
        "definitions": dict(sorted(defs.items())),
    }
    return _resolve_placeholders(out)


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
