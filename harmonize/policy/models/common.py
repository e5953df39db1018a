"""Building blocks shared by the catalogue and the jurisdiction files."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema, model_validator

Code = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80),
    Field(description="A lower-case identifier: letters, digits, '_', '-', '.'"),
]
Url = Annotated[str, StringConstraints(pattern=r"^(https?://|urn:|doi:)\S+$", max_length=2000)]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _text_shorthand(value: Any) -> Any:
    return {"en": value} if isinstance(value, str) else value


TEXT_LANGS = ("vi", "lo", "km")  # the languages a policy text may carry besides English
Review = dict[Literal["vi", "lo", "km"], Literal["needed"]]


def _review_has_text(model: Any) -> Any:
    missing = [lang for lang in (model.review or {}) if not getattr(model, lang)]
    if missing:
        raise ValueError(f"'review' marks {', '.join(missing)}, which has no text to review")
    return model


class _Translated(Strict):
    """The other languages of a text, and which of them await a native reviewer."""

    vi: Optional[str] = None
    lo: Optional[str] = None
    km: Optional[str] = None
    review: Optional[Review] = Field(
        None, description="Translations that need a native reviewer, e.g. {lo: needed, km: needed}")

    _check_review = model_validator(mode="after")(_review_has_text)

    def needs_review(self, lang: str) -> bool:
        """True when the text shown in ``lang`` is a translation marked for a native reviewer."""
        return bool(self.review and lang in self.review and getattr(self, lang, None))


class LocalTextModel(_Translated):
    """A text in English, with Vietnamese, Lao and Khmer where known.

    ``review: {lo: needed}`` marks a translation a native reviewer has not yet confirmed: it is
    shown (better than English), and the report lists it in its translation note."""

    en: Annotated[str, StringConstraints(min_length=1, max_length=4000)]

    def get(self, lang: str) -> tuple[str, bool]:
        """The text in ``lang`` and whether it is really in that language (False = English fallback)."""
        text = getattr(self, lang, None) if lang in TEXT_LANGS else None
        return (text, True) if text else (self.en, lang == "en")


class LocalForms(_Translated):
    """How something is written in the other languages, where English has its own field (an
    instrument's citation form: English is its ``number``)."""

    def get(self, lang: str) -> Optional[str]:
        return getattr(self, lang, None) if lang in TEXT_LANGS else None


# In the JSON Schema a text is a string or {en, vi, lo}; schema.py turns the placeholder into a $ref.
LocalText = Annotated[
    LocalTextModel,
    BeforeValidator(_text_shorthand),
    WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, {"x-harmonize-ref": "LocalText"}],
                    "description": "Text: a plain string (English) or {en, vi, lo, km, review}"}),
]


class Status(str, Enum):
    """How solid a value is, carried from the fact sheets' confidence."""

    verified = "verified"  # the law text, or several independent reputable sources agree
    secondary = "secondary"  # one reputable secondary source
    unverified = "unverified"  # looked for, not confirmed: the value is unknown or provisional


class Domain(str, Enum):
    """The seven areas of the MoU's legal-framework criterion."""

    tax = "tax"
    customs = "customs"
    land = "land"
    investment = "investment"
    technology_transfer = "technology_transfer"
    ip_branding = "ip_branding"
    trade_promotion = "trade_promotion"


class Amount(Strict):
    amount: float = Field(ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class Basis(Strict):
    """The legal basis of a value: which instrument, which article."""

    instrument: Code = Field(description="Id of an instrument declared in this jurisdiction")
    article: Optional[str] = Field(
        description="Article / clause, e.g. 'Art. 10(2)'; null when the article is not verified"
    )
    article_verified: bool = Field(
        True, description="false when the article number is reported by a secondary source, not read"
    )
    note: Optional[str] = None


