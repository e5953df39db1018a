"""Gaps (what differs, and why it matters), harmonisation options and a roadmap.

A measure is a gap when it loses points in the overall score, or when its value is unknown or
unverified on a side, or when only one side has a value.

Severity, from the points the measure takes off the **overall** score (0–100 scale):

- ``critical``: 2.0 points or more
- ``major``:    0.75 points or more
- ``minor``:    more than 0 points
- ``info``:     no points lost (unverified data, or a one-sided value of a measure weighing 0)

Gap type (``type`` is the first that holds in this order; ``flags`` lists all that hold):

- ``unverified_data``: the value on a side is null or has status ``unverified``: not scored;
- ``different_conditions``: a side has provisions of the measure but none applies to this site;
- ``one_side_only``: a side has no provision of the measure in force at all;
- ``divergent_values``: both sides have values and they differ (similarity < 1);
- ``timing``: a side's value started within the 12 months before the as-of date, ends within the
  12 months after it, or applies only through grandfathering.

Options per gap: align on the more favourable value (the less favourable side amends the
instrument its value cites), a common floor (numeric kinds: both sides amend), a joint-park
special regime through a bilateral instrument, and mutual recognition (boolean, enum and set
measures: procedures and memberships rather than rates).

Roadmap: gaps that lose points, ordered by points recoverable per change = points lost divided
by the number of instruments the cheapest national option amends (a missing provision counts as
one new article), then by points lost, then by measure id — deterministic.
"""

from __future__ import annotations

from typing import Optional

from ..policy.tree import Jurisdiction
from ..policy.query import value_in_force
from .align import Aligned
from .result import Amend, Gap, GapSide, HarmonisationOption, MeasureRow, RoadmapItem, Thresholds

CRITICAL, MAJOR, MINOR = 2.0, 0.75, 0.0
THRESHOLDS = Thresholds(
    critical=CRITICAL, major=MAJOR, minor=MINOR, timing_window_days=365,
    note="severity from the points a gap takes off the overall score: critical >= 2.0, major >= 0.75, "
         "minor > 0, info = 0 (unverified or one-sided data with no points lost)")
TYPE_ORDER = ("unverified_data", "different_conditions", "one_side_only", "divergent_values", "timing")
SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2, "info": 3}
RECOGNITION_KINDS = ("boolean", "enum", "set")
NUMERIC_KINDS = ("rate", "duration", "count", "amount", "schedule")


def severity(points: float) -> str:
    if points >= CRITICAL:
        return "critical"
    if points >= MAJOR:
        return "major"
    if points > MINOR:
        return "minor"
    return "info"


def gap_flags(al: Aligned, row: MeasureRow) -> list[str]:
    states = {al.a.state, al.b.state}
    has = lambda s: s.state in ("value", "unverified")  # noqa: E731
    flags = []
    if "unverified" in states:
        flags.append("unverified_data")
    for s, o in ((al.a, al.b), (al.b, al.a)):
        if s.state == "excluded" and has(o) and "different_conditions" not in flags:
            flags.append("different_conditions")
        if s.state == "absent" and has(o) and "one_side_only" not in flags:
            flags.append("one_side_only")
    if row.scored and row.similarity is not None and row.similarity < 1 and al.a.state == al.b.state == "value":
        flags.append("divergent_values")
    if row.scored and row.similarity is not None and row.similarity < 1 and row.kind == "schedule" \
            and "divergent_values" not in flags and not ({"one_side_only", "different_conditions"} & set(flags)):
        flags.append("divergent_values")
    if al.a.timing or al.b.timing:
        flags.append("timing")
    return [t for t in TYPE_ORDER if t in flags]


def _instrument_amend(j: Jurisdiction, instrument_id: str, note: Optional[str] = None) -> Amend:
    inst = j.instruments.get(instrument_id)
    return Amend(jurisdiction=j.code, instrument=instrument_id, number=inst.number if inst else None,
                 title=inst.title.en if inst else None, note=note)


def side_amends(j: Jurisdiction, state, measure_id: str, as_of) -> list[Amend]:
    """The instruments a side would amend to change its value of the measure."""
    row = state.row
    if row.value is not None:
        return [_instrument_amend(j, row.value.basis.instrument)]
    if state.state == "excluded":
        seen: dict[str, Amend] = {}
        for ex in row.excluded:
            prov = j.provisions.get(ex.provision)
            if prov is None:
                continue
            dv, _ = value_in_force(prov, as_of)
            if dv is not None and dv.basis.instrument not in seen:
                seen[dv.basis.instrument] = _instrument_amend(
                    j, dv.basis.instrument, note=f"widen the conditions of {ex.provision} ({ex.reason})")
        if seen:
            return [seen[k] for k in sorted(seen)]
    return [Amend(jurisdiction=j.code, note="no provision in force: a new article in the relevant law")]


def options_for(al: Aligned, row: MeasureRow, ja: Jurisdiction, jb: Jurisdiction, as_of,
                layer: Optional[Jurisdiction]) -> list[HarmonisationOption]:
    a_amend = side_amends(ja, al.a, al.measure_id, as_of)
    b_amend = side_amends(jb, al.b, al.measure_id, as_of)
    opts: list[HarmonisationOption] = []
    if "unverified" in (al.a.state, al.b.state):
        who = [s.row.jurisdiction for s in (al.a, al.b) if s.state == "unverified"]
        opts.append(HarmonisationOption(
            kind="verify_data", changes=0,
            description=f"read the law of {' and '.join(who)} and record a verified value before deciding"))
    more = row.direction if row.direction in ("a", "b") else None
    if more is None:
        # one-sided: the side with a value sets the reference
        if al.a.state == "value" and al.b.state in ("absent", "excluded"):
            more = "a"
        elif al.b.state == "value" and al.a.state in ("absent", "excluded"):
            more = "b"
    if more is not None and (row.contribution > 0 or row.similarity is None or row.similarity < 1):
        ref, other, amend = (al.a, al.b, b_amend) if more == "a" else (al.b, al.a, a_amend)
        ref_text = ref.row.value.display if ref.row.value else "its value"
        if ref.row.package is not None and row.kind == "schedule":
            ref_text += f" (package EATR {ref.row.package.eatr:.2f} %)"
        verb = ("aligns on the more favourable" if row.direction in ("a", "b")
                else "adopts a provision matching")
        opts.append(HarmonisationOption(
            kind="align_on_more_favourable", amend=amend, changes=_count(amend),
            description=f"{other.row.jurisdiction} {verb} {ref.row.jurisdiction}'s {ref_text}"))
    elif row.scored and row.similarity is not None and row.similarity < 1 and row.direction in ("n/a", "equal"):
        opts.append(HarmonisationOption(
            kind="align_on_more_favourable", amend=b_amend, changes=_count(b_amend),
            description=f"no side is more favourable by the catalogue; {jb.code} aligns on {ja.code}'s value "
                        f"(or the reverse, amending {', '.join(_cites(a_amend))})"))
    if row.kind in NUMERIC_KINDS and al.a.state == "value" and al.b.state == "value" and row.favourable in ("lower", "higher"):
        bound = "ceiling" if row.favourable == "lower" else "floor"
        opts.append(HarmonisationOption(
            kind="common_floor", amend=a_amend + b_amend, changes=_count(a_amend) + _count(b_amend),
            description=f"both sides adopt a common {bound} for joint-park investors"))
    if row.scored:
        where = layer.code if layer is not None else f"{ja.code}–{jb.code}"
        opts.append(HarmonisationOption(
            kind="joint_park_regime", changes=1,
            amend=[Amend(jurisdiction=where, note="a bilateral joint-park agreement (or protocol to an existing "
                                                  "one) giving both sides one regime for this measure")],
            description="a special joint-park regime set by a bilateral instrument, overriding national rules "
                        "inside the park"))
        if row.kind in RECOGNITION_KINDS:
            opts.append(HarmonisationOption(
                kind="mutual_recognition", changes=1,
                amend=[Amend(jurisdiction=where, note="a mutual-recognition arrangement between the competent "
                                                      "authorities")],
                description="each side recognises the other's procedure or status for joint-park investors"))
    return opts


def _count(amend: list[Amend]) -> int:
    keys = {(a.jurisdiction, a.instrument or f"new:{i}") for i, a in enumerate(amend)}
    return max(1, len(keys))


def _cites(amend: list[Amend]) -> list[str]:
    return [a.number or a.instrument or "a new article" for a in amend]


def find_gaps(aligned: list[Aligned], rows: list[MeasureRow], ja: Jurisdiction, jb: Jurisdiction, as_of,
              layer: Optional[Jurisdiction] = None) -> list[Gap]:
    gaps = []
    for al, row in zip(aligned, rows):
        flags = gap_flags(al, row)
        loses = row.scored and row.contribution > 0
        if not loses and not ({"unverified_data", "one_side_only", "different_conditions"} & set(flags)):
            continue
        if not flags:
            flags = ["divergent_values"]
        notes = list(row.notes)
        for s in (al.a, al.b):
            notes += [f"{s.row.jurisdiction}: {t}" for t in s.timing]
        gaps.append(Gap(
            measure=row.measure, title=row.title, domain=row.domain, type=flags[0], flags=flags,
            severity=severity(row.contribution if row.scored else 0.0), points_lost=row.contribution,
            similarity=row.similarity, direction=row.direction, more_favourable=row.more_favourable,
            a=GapSide(jurisdiction=ja.code, value=row.a.value, has_provisions=row.a.has_provisions,
                      excluded=row.a.excluded if row.a.value is None else [], cap=row.a.cap, package=row.a.package),
            b=GapSide(jurisdiction=jb.code, value=row.b.value, has_provisions=row.b.has_provisions,
                      excluded=row.b.excluded if row.b.value is None else [], cap=row.b.cap, package=row.b.package),
            notes=notes, options=options_for(al, row, ja, jb, as_of, layer)))
    gaps.sort(key=lambda g: (-g.points_lost, SEVERITY_ORDER[g.severity], g.measure))
    return gaps


def roadmap_option(gap: Gap) -> Optional[HarmonisationOption]:
    """The cheapest national option the roadmap counts changes with."""
    for kind in ("align_on_more_favourable", "common_floor", "mutual_recognition", "joint_park_regime"):
        for o in gap.options:
            if o.kind == kind:
                return o
    return None


def rank_key(measure: str, points: float, changes: int) -> tuple:
    return (-(points / changes), -points, measure)


def build_roadmap(gaps: list[Gap]) -> list[RoadmapItem]:
    items = []
    for g in gaps:
        if g.points_lost <= 0:
            continue
        opt = roadmap_option(g)
        changes = max(1, opt.changes) if opt else 1
        items.append((rank_key(g.measure, g.points_lost, changes), g, opt, changes))
    items.sort(key=lambda x: x[0])
    return [RoadmapItem(rank=i + 1, measure=g.measure, title=g.title, domain=g.domain, severity=g.severity,
                        points_lost=g.points_lost, changes=changes, points_per_change=g.points_lost / changes,
                        option=opt.kind if opt else "joint_park_regime", amend=opt.amend if opt else [])
            for i, (_, g, opt, changes) in enumerate(items)]
