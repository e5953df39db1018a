"""Gaps (what differs in law, and why it matters), remedies a drafter would take, and a roadmap.

A measure is a gap when it loses points, when a side's value is unknown or unverified, or when a
side is *known* to lack the rule (declared absent, or its conditions exclude the site). Nothing
encoded on a side is a coverage hole (see the coverage), never a gap and never a "new article".

Severity comes from the measure itself: its points against the whole catalogue weight with the
catalogue's own weights (a fixed denominator), so the same difference has the same severity in
every park, whatever else happens to be known (thresholds in the catalogue ``settings``).

Gap type (``type`` is the first that holds in this order; ``flags`` lists all that hold):
``unverified_data``, ``different_conditions`` (provisions exist, none reaches the site),
``one_side_only`` (a side is known to have no such rule), ``divergent_values``, ``timing``.

Remedies. The target follows the catalogue's ``favourable``: the less favourable side moves to the
more favourable side's value, which is named. With no favourable direction the sides *agree a
common value* (both candidates shown). The instrument follows the measure's ``remedy``: amend the
national instrument the value cites (a new article where the side has none), a declaration to an
international body, an administrative practice; besides, a bilateral protocol (joint-park regime)
and, where a site is excluded by its zones, a check of the park profile.

Roadmap: one line per instrument to change; gaps whose remedies amend the same instrument merge
into one line. Lines are ordered by points recovered per unit of cost, the cost of an instrument
being the catalogue's cost of its kind (law > decree > circular > administrative act), then by
points, then by measure id — deterministic. A joint-park protocol that would close every gap a
bilateral regime can close is given separately (``joint_regime``).
"""

from __future__ import annotations

from typing import Optional

from ..policy.models.catalogue import DEFAULT_INSTRUMENT_COST, Settings
from ..policy.query import value_in_force
from ..policy.tree import Jurisdiction
from .align import Aligned
from .result import (Amend, Gap, GapSide, HarmonisationOption, MeasureRow, RoadmapItem, Target, TargetValue,
                     Thresholds)

TYPE_ORDER = ("unverified_data", "different_conditions", "one_side_only", "divergent_values", "timing")
SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2, "info": 3}
RECOGNITION_KINDS = ("boolean", "enum", "set")
NUMERIC_KINDS = ("rate", "duration", "count", "amount", "schedule")
LACKS = ("declared_absent", "excluded")
TARGET_KINDS = ("align_on_more_favourable", "agree_common_value", "international_declaration",
                "administrative_practice", "widen_conditions")


def thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        critical=settings.severity_critical, major=settings.severity_major, minor=0.0, timing_window_days=365,
        note=f"severity from the points a gap takes off the full 0-100 scale against the whole catalogue weight "
             f"(catalogue weights, scored or not): critical >= {settings.severity_critical:g}, major >= "
             f"{settings.severity_major:g}, minor > 0, info = 0 (unknown data or no points)")


THRESHOLDS = thresholds(Settings())


def severity(points: float, settings: Optional[Settings] = None) -> str:
    s = settings or Settings()
    if points >= s.severity_critical:
        return "critical"
    if points >= s.severity_major:
        return "major"
    if points > 0:
        return "minor"
    return "info"


def gap_flags(al: Aligned, row: MeasureRow) -> list[str]:
    states = {al.a.state, al.b.state}
    flags = []
    if "unverified" in states:
        flags.append("unverified_data")
    for s in (al.a, al.b):
        by_conditions = s.state == "excluded" or (s.state == "implied" and s.row.excluded and s.row.value is None)
        if by_conditions and row.scored and (row.similarity or 0) < 1 and "different_conditions" not in flags:
            flags.append("different_conditions")
        if s.state == "declared_absent" and row.scored and (row.similarity or 0) < 1 and "one_side_only" not in flags:
            flags.append("one_side_only")
    if row.scored and row.similarity is not None and row.similarity < 1 and not (
            {"one_side_only", "different_conditions"} & set(flags)):
        flags.append("divergent_values")
    if al.a.timing or al.b.timing:
        flags.append("timing")
    return [t for t in TYPE_ORDER if t in flags]


def _cost(settings: Settings, kind: Optional[str]) -> float:
    table = settings.instrument_cost.cost
    return float(table.get(kind or "other", DEFAULT_INSTRUMENT_COST.get(kind or "other", 2)))


def _instrument_amend(j: Jurisdiction, instrument_id: str, note: Optional[str] = None) -> Amend:
    inst = j.instruments.get(instrument_id)
    return Amend(jurisdiction=j.code, instrument=instrument_id, number=inst.number if inst else None,
                 title=inst.title.en if inst else None, note=note)


def _kind_of(j: Jurisdiction, a: Amend) -> str:
    if a.instrument is None:
        return "new"
    inst = j.instruments.get(a.instrument)
    return inst.kind.value if inst else "other"


def side_amends(j: Jurisdiction, state, as_of) -> tuple[list[Amend], str]:
    """The instruments a side would amend to change its value, and the option kind."""
    row = state.row
    if row.value is not None and not row.value.absent:
        return [_instrument_amend(j, row.value.basis.instrument)], "amend"
    if row.excluded and row.value is None:
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
            return [seen[k] for k in sorted(seen)], "widen"
    if row.value is not None and row.value.absent:
        return [_instrument_amend(j, row.value.basis.instrument,
                                  note="the law has no such rule: a new article in this instrument")], "new"
    return [Amend(jurisdiction=j.code, note="the law is silent: a new article in the relevant law")], "new"


def _shown(state) -> str:
    if state.row.value is not None:
        return state.row.value.display
    if state.row.implied is not None:
        return state.row.implied.display
    return "no such rule"


def _typed(state) -> TargetValue:
    """The value ``_shown`` displays, as data (a report renders it in its own language)."""
    v = state.row.value
    if v is not None:
        return TargetValue(source="value", value=v.value, up_to=v.up_to, absent=v.absent)
    if state.row.implied is not None:
        return TargetValue(source="implied", value=state.row.implied.value)
    return TargetValue(source="none")


def _option(kind: str, measure, j: Jurisdiction, amend: list[Amend], how: str, settings: Settings,
            description: str, target: Target) -> HarmonisationOption:
    remedy = {"international_declaration": "international_declaration",
              "administrative_practice": "administrative_practice"}.get(measure.remedy, "amend_national")
    if measure.remedy == "international_declaration":
        kind = "international_declaration"
        amend = [Amend(jurisdiction=j.code, note="a declaration to the international body (e.g. to WIPO under "
                                                  "the Madrid Protocol) or accession")]
        cost = _cost(settings, "declaration")
    elif measure.remedy == "administrative_practice":
        kind = "administrative_practice"
        amend = [Amend(jurisdiction=j.code, note="an administrative practice of the competent agency")]
        cost = _cost(settings, "practice")
    else:
        if how == "widen":
            kind = "widen_conditions" if kind == "align_on_more_favourable" else kind
        cost = sum(_cost(settings, _kind_of(j, a)) for a in {(a.instrument or a.note): a for a in amend}.values())
    return HarmonisationOption(kind=kind, remedy=remedy, amend=amend, changes=max(1, len(amend)), cost=cost,
                               description=description, target=target)


def options_for(al: Aligned, row: MeasureRow, ja: Jurisdiction, jb: Jurisdiction, as_of,
                layer: Optional[Jurisdiction], settings: Settings) -> list[HarmonisationOption]:
    m = al.measure
    opts: list[HarmonisationOption] = []
    if "unverified" in (al.a.state, al.b.state):
        who = [s.row.jurisdiction for s in (al.a, al.b) if s.state == "unverified"]
        parts = [p for s in (al.a, al.b) for p in s.row.unknown_parts]
        opts.append(HarmonisationOption(
            kind="verify_data", remedy="research", changes=0,
            description=f"read the law of {' and '.join(who)} and record a verified value before deciding"
                        + (f" (unknown: {'; '.join(parts)})" if parts else "")))
    if not row.scored or row.similarity is None or row.similarity >= 1:
        return opts
    sides = {ja.code: (ja, al.a), jb.code: (jb, al.b)}
    if row.more_favourable is not None:
        ref_j, ref = sides[row.more_favourable]
        oth_j, oth = sides[jb.code if row.more_favourable == ja.code else ja.code]
        amend, how = side_amends(oth_j, oth, as_of)
        target_text, typed = _shown(ref), _typed(ref)
        if row.kind == "schedule" and ref.row.package is not None:
            target_text = f"a package with EATR {ref.row.package.eatr:.2f} % ({target_text})"
            typed.eatr = ref.row.package.eatr
        target = Target(value=target_text, from_side=ref_j.code, changes=[oth_j.code], typed=typed)
        opts.append(_option("align_on_more_favourable", m, oth_j, amend, how, settings,
                            f"{oth_j.code} moves to {target_text}, the value of {ref_j.code}, which favours the "
                            f"investor (catalogue: {m.favourable.value} is favourable)", target))
    else:
        cands = {ja.code: _shown(al.a), jb.code: _shown(al.b)}
        a_amend, _ = side_amends(ja, al.a, as_of)
        b_amend, _ = side_amends(jb, al.b, as_of)
        why = ("one side has no such rule" if {al.a.state, al.b.state} & set(LACKS)
               else "the catalogue gives this measure no favourable direction")
        target = Target(value=None, from_side="agree", changes=[ja.code, jb.code], candidates=cands,
                        typed_candidates={ja.code: _typed(al.a), jb.code: _typed(al.b)})
        opt = _option("agree_common_value", m, ja, a_amend + b_amend, "amend", settings,
                      f"{why}: the two sides agree a common value — {ja.code}: {cands[ja.code]}, or "
                      f"{jb.code}: {cands[jb.code]} — and the side that moves amends its rule", target)
        opt.cost = min(sum(_cost(settings, _kind_of(ja, x)) for x in a_amend),
                       sum(_cost(settings, _kind_of(jb, x)) for x in b_amend))
        opts.append(opt)
    if row.kind in NUMERIC_KINDS and al.a.state == al.b.state == "value" and row.favourable in ("lower", "higher"):
        a_amend, _ = side_amends(ja, al.a, as_of)
        b_amend, _ = side_amends(jb, al.b, as_of)
        bound = "ceiling" if row.favourable == "lower" else "floor"
        opts.append(HarmonisationOption(
            kind="common_floor", amend=a_amend + b_amend, changes=len(a_amend) + len(b_amend),
            cost=sum(_cost(settings, _kind_of(ja, x)) for x in a_amend)
            + sum(_cost(settings, _kind_of(jb, x)) for x in b_amend),
            description=f"both sides adopt a common {bound} for joint-park investors"))
    for s, j in ((al.a, ja), (al.b, jb)):
        zone_reasons = [e.reason for e in s.row.excluded if "zone" in e.reason]
        if s.row.value is None and zone_reasons:
            opts.append(HarmonisationOption(
                kind="correct_profile", remedy="correct_profile", changes=1, cost=_cost(settings, "profile"),
                amend=[Amend(jurisdiction=j.code, note=f"check the park profile's {j.code} site: {zone_reasons[0]}")],
                description=f"if the {j.code} site lies in the zone the rule names, correct the park profile "
                            f"(a data fix, not a change in law)"))
    where = layer.code if layer is not None else f"{ja.code}–{jb.code}"
    opts.append(HarmonisationOption(
        kind="joint_park_regime", remedy="bilateral_protocol", changes=1, cost=_cost(settings, "protocol"),
        amend=[Amend(jurisdiction=where, note="a bilateral joint-park agreement (or a protocol to an existing "
                                              "one) giving both sides one regime for this measure")],
        description="a special joint-park regime set by a bilateral instrument, overriding national rules inside "
                    "the park (one protocol can close several gaps)"))
    if row.kind in RECOGNITION_KINDS and m.remedy == "amend":
        opts.append(HarmonisationOption(
            kind="mutual_recognition", remedy="bilateral_protocol", changes=1, cost=_cost(settings, "mou"),
            amend=[Amend(jurisdiction=where, note="a mutual-recognition arrangement between the competent "
                                                  "authorities")],
            description="each side recognises the other's procedure or status for joint-park investors"))
    return opts


def find_gaps(aligned: list[Aligned], rows: list[MeasureRow], ja: Jurisdiction, jb: Jurisdiction, as_of,
              layer: Optional[Jurisdiction] = None, settings: Optional[Settings] = None) -> list[Gap]:
    settings = settings or Settings()
    gaps = []
    for al, row in zip(aligned, rows):
        if row.counted_in is not None:
            continue
        flags = gap_flags(al, row)
        loses = row.scored and (row.similarity or 0) < 1 and row.full_share > 0
        if not loses and "unverified_data" not in flags:
            continue
        if not flags:
            flags = ["divergent_values"]
        notes = list(row.notes)
        for s in (al.a, al.b):
            notes += [f"{s.row.jurisdiction}: {t}" for t in s.timing]
            notes += [f"{s.row.jurisdiction}: assumed (condition not evaluated): {t}" for t in s.row.assumed]
        gaps.append(Gap(
            measure=row.measure, title=row.title, domain=row.domain, type=flags[0], flags=flags,
            severity=severity(row.severity_points if row.scored else 0.0, settings),
            points_lost=row.points_full, severity_points=row.severity_points,
            similarity=row.similarity, direction=row.direction, more_favourable=row.more_favourable,
            a=GapSide(jurisdiction=ja.code, value=row.a.value, has_provisions=row.a.has_provisions,
                      excluded=row.a.excluded if row.a.value is None else [], cap=row.a.cap, package=row.a.package,
                      implied=row.a.implied, state=row.a.state),
            b=GapSide(jurisdiction=jb.code, value=row.b.value, has_provisions=row.b.has_provisions,
                      excluded=row.b.excluded if row.b.value is None else [], cap=row.b.cap, package=row.b.package,
                      implied=row.b.implied, state=row.b.state),
            notes=list(dict.fromkeys(notes)), options=options_for(al, row, ja, jb, as_of, layer, settings)))
    gaps.sort(key=lambda g: (-g.points_lost, SEVERITY_ORDER[g.severity], g.measure))
    return gaps


def roadmap_option(gap: Gap) -> Optional[HarmonisationOption]:
    """The national (or declaration, or practice) option that names a target: what the roadmap counts."""
    for o in gap.options:
        if o.kind in TARGET_KINDS:
            return o
    return None


def rank_key(measure: str, points: float, changes: float) -> tuple:
    return (-(points / changes), -points, measure)


def _target_text(g: Gap, opt: HarmonisationOption) -> str:
    t = opt.target
    if t is None:
        return f"{g.measure}: no target"
    if t.value is None:
        cands = "; ".join(f"{k}: {v}" for k, v in t.candidates.items())
        return f"{g.measure}: agree a common value ({cands})"
    return f"{g.measure}: {', '.join(t.changes)} moves to {t.value} ({t.from_side}'s value)"


def build_roadmap(gaps: list[Gap], settings: Optional[Settings] = None) -> list[RoadmapItem]:
    groups: dict[tuple, list] = {}
    for g in gaps:
        if g.points_lost <= 0:
            continue
        opt = roadmap_option(g)
        if opt is None:
            continue
        key = tuple(sorted((a.jurisdiction, a.instrument or f"{g.measure}:{a.note}") for a in opt.amend))
        groups.setdefault(key, []).append((g, opt))
    items = []
    for key, members in groups.items():
        members.sort(key=lambda x: (-x[0].points_lost, x[0].measure))
        g0, opt0 = members[0]
        points = sum(g.points_lost for g, _ in members)
        cost = max(opt0.cost, 0.25)
        sev = min((g.severity for g, _ in members), key=lambda s: SEVERITY_ORDER[s])
        items.append((rank_key(g0.measure, points, cost), RoadmapItem(
            rank=0, measure=g0.measure, measures=[g.measure for g, _ in members],
            title=g0.title if len(members) == 1 else f"{g0.title} (+{len(members) - 1} more in the same instrument)",
            domain=g0.domain, severity=sev, points_lost=points, changes=opt0.changes, cost=cost,
            points_per_change=points / max(1, opt0.changes), points_per_cost=points / cost, option=opt0.kind,
            remedy=opt0.remedy, targets=[_target_text(g, o) for g, o in members], amend=opt0.amend)))
    items.sort(key=lambda x: x[0])
    out = []
    for i, (_, item) in enumerate(items):
        item.rank = i + 1
        out.append(item)
    return out


def joint_regime(gaps: list[Gap], settings: Optional[Settings] = None) -> Optional[RoadmapItem]:
    """One bilateral joint-park protocol closing every gap a bilateral regime can close."""
    settings = settings or Settings()
    closable = [g for g in gaps if g.points_lost > 0 and any(o.kind == "joint_park_regime" for o in g.options)]
    if not closable:
        return None
    opt = next(o for o in closable[0].options if o.kind == "joint_park_regime")
    points = sum(g.points_lost for g in closable)
    cost = _cost(settings, "protocol")
    sev = min((g.severity for g in closable), key=lambda s: SEVERITY_ORDER[s])
    return RoadmapItem(rank=0, measure=closable[0].measure, measures=[g.measure for g in closable],
                       title=f"A joint-park protocol giving one regime for {len(closable)} measures", domain="all",
                       severity=sev, points_lost=points, changes=1, cost=cost, points_per_change=points,
                       points_per_cost=points / cost, option="joint_park_regime", remedy="bilateral_protocol",
                       targets=[_target_text(g, o) for g in closable for o in [roadmap_option(g)] if o is not None],
                       amend=opt.amend)
