"""Cross-reference and consistency checks, one module per rule family.

Each module exposes ``check(ps) -> Iterable[Finding]``; findings carry a data path, and the
loader turns them into located diagnostics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import catalogue, dates, drafting, references, sources, values, vocabulary

if TYPE_CHECKING:
    from ..tree import Finding, PolicySet

RULES = (catalogue, references, vocabulary, dates, values, sources, drafting)


def run_checks(ps: "PolicySet") -> list["Finding"]:
    findings: list["Finding"] = []
    for rule in RULES:
        findings.extend(rule.check(ps))
    return drafting.accepted(ps, findings)
