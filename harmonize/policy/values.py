"""Turn a raw YAML value into the typed value its measure's kind calls for, and back into its
canonical plain text (``display``: the value in its unit, language-neutral, as results and
diagnostics carry it; reports localise from the typed value)."""

from __future__ import annotations

from typing import Any, Union

from pydantic import ValidationError

from .models import Amount, Kind, Measure, NumberRange, Schedule

Typed = Union[float, bool, str, frozenset, Amount, NumberRange, Schedule, None]

_NUMERIC = (Kind.rate, Kind.duration, Kind.count)


def _describe(raw: Any) -> str:
    if isinstance(raw, bool):
        return f"{str(raw).lower()} (true/false)"
    if isinstance(raw, (int, float)):
        return f"the number {raw}"
    if isinstance(raw, str):
        return f"the text {raw[:60]!r}"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, dict):
        keys = ", ".join(str(k) for k in list(raw)[:5])
        return f"a mapping with keys {keys}" if keys else "an empty mapping"
    return type(raw).__name__


def expected(measure: Measure) -> str:
    """What a value of this measure looks like, in words for an error message."""
    unit = "" if measure.unit.value == "none" else f" in {measure.unit.value.replace('_', ' ')}"
    if measure.kind in _NUMERIC:
        return f"a number{unit} (or a range {{min, max}})"
    return {
        Kind.amount: "an amount {amount, currency}",
        Kind.boolean: "true or false",
        Kind.enum: "one of: " + ", ".join(measure.options),
        Kind.set: "a list of names",
        Kind.text: "a text",
        Kind.schedule: "a schedule {start, phases: [{years, exempt|reduction|rate}]}",
    }[measure.kind]


def _model_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _structured(model: Any, label: str, raw: dict) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ValueError(f"{label}: {_model_error(exc)}") from None


def coerce(measure: Measure, raw: Any) -> Typed:
    """The typed value, or ValueError with a message that says what was expected."""
    if raw is None:
        return None
    kind = measure.kind
    if kind in _NUMERIC:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            if raw < 0 or (kind is Kind.rate and raw > 100):
                raise ValueError(f"{raw} is outside the range a {kind.value} can take")
            return float(raw)
        if isinstance(raw, dict):
            return _structured(NumberRange, "range", raw)
    elif kind is Kind.boolean:
        if isinstance(raw, bool):
            return raw
    elif kind is Kind.enum:
        if isinstance(raw, str) and raw in measure.options:
            return raw
    elif kind is Kind.set:
        if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            return frozenset(raw)
    elif kind is Kind.text:
        if isinstance(raw, str):
            return raw
    elif kind in (Kind.amount, Kind.schedule):
        if isinstance(raw, dict):
            return _structured(Amount if kind is Kind.amount else Schedule, kind.value, raw)
    raise ValueError(f"expected {expected(measure)}, got {_describe(raw)}")


def _num(x: float) -> str:
    return f"{x:g}"


_UNIT_TEXT = {"percent": " %", "years": " years", "months": " months", "days": " days",
              "working_days": " working days", "hectares": " ha", "items": " items"}


def display(measure: Measure, v: Any) -> str:
    if v is None:
        return "unknown"
    unit = _UNIT_TEXT.get(measure.unit.value, "")
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        return f"{_num(v)}{unit}"
    if isinstance(v, NumberRange):
        return f"{_num(v.min)}–{_num(v.max)}{unit}"
    if isinstance(v, Amount):
        return f"{v.amount:,.0f} {v.currency}"
    if isinstance(v, (set, frozenset)):
        return ", ".join(sorted(v)) or "(none)"
    if isinstance(v, Schedule):
        parts = []
        for ph in v.phases:
            span = "for good" if ph.years is None else f"{ph.years}y"
            if ph.exempt:
                parts.append(f"{span} exempt")
            elif ph.reduction is not None:
                parts.append(f"{span} −{_num(ph.reduction)} %")
            else:
                parts.append(f"{span} at {_num(ph.rate)} %")
        return " + ".join(parts) + f" from {v.start.value.replace('_', ' ')}"
    text = str(v)
    return text if len(text) <= 80 else text[:77] + "..."
