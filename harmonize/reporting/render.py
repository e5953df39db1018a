"""Render a report document: Markdown and HTML through the templates, JSON as the document."""

from __future__ import annotations

from typing import Optional

from ..policy.tree import PolicySet
from .document import ReportDocument
from .i18n import environment
from .labels import note_translator
from .view import build_view

TEMPLATES = {"md": "report.md.j2", "html": "report.html.j2", "summary": "report.summary.md.j2"}
FORMATS = ("md", "html", "json")


def render(doc: ReportDocument, fmt: str, lang: str, ps: PolicySet, park_profiles: Optional[dict] = None,
           scenario_models: Optional[dict] = None, settings=None, summary: bool = False,
           view: Optional[dict] = None) -> str:
    """``settings``: the document apparatus (report.yaml); ``summary``: the pull-request edition (md only);
    ``view``: ``build_view`` of the same arguments, when the caller renders several formats of it."""
    if fmt == "json":
        return doc.to_json()
    if view is None:
        view = build_view(doc, ps, lang, park_profiles, scenario_models, settings, summary)
    tr = note_translator(ps.translations.get(lang, {}), lang)
    out = environment(lang).get_template(TEMPLATES["summary" if summary and fmt == "md" else fmt]).render(r=view, tr=tr)
    # one trailing newline, no trailing spaces: stable diffs
    lines = [line.rstrip() for line in out.splitlines()]
    if fmt == "md":  # template blocks leave runs of blank lines: keep one
        lines = [line for i, line in enumerate(lines) if line or (i > 0 and lines[i - 1])]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
