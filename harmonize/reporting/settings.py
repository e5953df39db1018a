"""The report's document apparatus, from ``report.yaml`` next to the catalogue (optional).

A ministry circulates a document with a status, an issuing body, an issue date and an information
cut-off date; none of them can be read from the law, so they are set here, by hand, and validated.
Whatever is not set is shown as not stated — never guessed. Example::

    status: draft                 # draft (default) | consultation | final
    issuing_body: {en: ..., vi: ..., lo: ...}
    issued: 2026-03-01            # issue date of this edition
    information_cutoff: 2026-02-15   # last day sources were consulted (not the 'law as of' date)
    editions: {en: report.en.html, vi: report.vi.html, lo: report.lo.html}
    comparison:
      max_coverage_difference: 0.10   # parks whose coverage differs more are not ranked
      why: ...
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from typing_extensions import Annotated

from ..policy.models.common import LocalText

SETTINGS_NAME = "report.yaml"
# a link a report may carry: https, or a relative path inside the published folder (no '..', no scheme)
Link = Annotated[str, StringConstraints(max_length=500,
                                        pattern=r"^(https://[^\s\"'<>]+|[A-Za-z0-9_]+([./-][A-Za-z0-9_]+)*(#[A-Za-z0-9_-]+)?)$")]
EDITION_LANGS = ("en", "vi", "lo", "km")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Comparison(_Strict):
    max_coverage_difference: float = Field(
        0.10, ge=0, le=1,
        description="Parks whose coverage (share of the catalogue weight scored) differs by more than this are not ranked")
    why: Optional[str] = Field(None, max_length=2000)


class ReportSettings(_Strict):
    """``report.yaml``: what the law cannot say about the document itself."""

    status: Literal["draft", "consultation", "final"] = Field(
        "draft", description="draft: draft for discussion; consultation: for consultation; final: final")
    issuing_body: Optional[LocalText] = None
    issued: Optional[date] = Field(None, description="Issue date of this edition")
    information_cutoff: Optional[date] = Field(
        None, description="Last day the sources were consulted; separate from the date the law is read at")
    editions: dict[Literal["en", "vi", "lo", "km"], Link] = Field(
        default_factory=lambda: {lg: f"report.{lg}.html" for lg in EDITION_LANGS},
        description="Relative link to each language edition")
    full_report: Link = Field("report.en.html",
                             description="Where the pull-request summary points for the full report")
    comparison: Comparison = Field(default_factory=Comparison)


def settings_from_data(data: object, where: str) -> ReportSettings:
    """Validated settings, or ValueError with a located, one-line-per-problem message."""
    from pydantic import ValidationError

    if data is None:
        return ReportSettings()
    try:
        return ReportSettings.model_validate(data)
    except ValidationError as exc:
        lines = []
        for e in exc.errors():
            loc = ".".join(str(x) for x in e["loc"]) or "(top)"
            lines.append(f"{where}: {loc}: {e['msg']}")
        raise ValueError("\n".join(lines)) from None
