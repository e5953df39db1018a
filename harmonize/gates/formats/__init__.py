"""Machine formats for CI systems: GitHub annotations, SARIF 2.1.0, JUnit XML, Markdown summaries.

Each renders a list of ``Finding``-like rows (file, line, column, code, title, message, severity),
so validation problems and, later, failed gates share one way out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Row:
    """One thing to report: a problem in a file, or a failed check with an optional location."""

    rule: str  # stable id, e.g. "R301" or "gate/overall"
    title: str  # short name of the rule, e.g. "unknown-instrument"
    message: str
    severity: str = "error"  # error | warning | note
    file: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    help: str = ""  # what the rule means, for SARIF rule descriptions


def rows_from_diagnostics(diagnostics) -> list[Row]:
    from ...policy.diagnostics import CODES

    return [
        Row(d.code, CODES[d.code][0], d.message, d.severity.value, d.file, d.line, d.column, CODES[d.code][1])
        for d in diagnostics
    ]
