"""``run_check``: the whole compatibility check of a jurisdiction pair, as one pure function.

Align → compare → score → gaps → roadmap → sensitivity → the score after the first roadmap actions
(engine.after) → a ``CheckResult``. No printing, no clock (the as-of date is an argument), no
dependence on file or key order.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional, Union

from ..policy.models.parks import ParkProfile, WeightOverrides
from ..policy.query import Site, site_of
from ..policy.tree import Jurisdiction, PolicySet
from .after import after_actions
from .align import Aligned, shown_items
from .memo import SideMemo
from .gaps import GapCount, build_roadmap, find_gaps, joint_regime, roadmap_option, thresholds
from .pairing import align_pair
from .result import (CheckResult, Coverage, DomainScore, Gap, MeasureRow, OptionEtr, OverallScore, PackageEtr, ParkInfo,
                     RoadmapItem, SiteInfo, WeightsUsed)
from .scoring import compare, row_fields, score
from .sensitivity import sensitivity

DEFAULT_PARAMETER_SET = "eu-zew"


# --- economic parameters and the CIT package --------------------------------------------------


@dataclass(frozen=True)
class ParameterSet:
    """A named set of EtrParams, one per asset; the package EATR is their equal-weighted mean."""

    name: str
    assets: tuple  # ((asset name, EtrParams), ...)
    note: Optional[str] = None
    status: str = "unverified"  # the parameter file's status of the set: verified / secondary / unverified


def builtin_parameter_set() -> ParameterSet:
    from .etr import EtrParams

    return ParameterSet(DEFAULT_PARAMETER_SET, (("machinery", EtrParams(0.05, 0.02, 0.20, 0.175, 0.25)),),
                        note="built-in eu-zew machinery asset (no scenarios/parameters.yaml found)")


def parameter_set(name: str, pset) -> ParameterSet:
    """The engine's form of a parameter set read from a parameters file (``policy.scenarios``)."""
    from .etr import params_for

    return ParameterSet(name, tuple((asset, params_for(pset, asset)) for asset in sorted(pset.assets)),
                        status=pset.status.value, note=None if pset.status.value != "unverified" else
                        f"parameter set {name} is unverified: {pset.status_note or 'numbers recalled, not checked'}")


PackageFn = Callable[..., tuple[PackageEtr, list[str]]]  # (j, as_of, site, skip=frozenset())


def taxpath_package_fn(params: ParameterSet) -> PackageFn:
    """Each side's CIT package through engine.taxpath: every combination of the applicable
    preferential rates and holidays is valued with each asset of the set, and the one with the lowest
    equal-weighted mean EATR is kept (the EU/ZEW convention of equal asset weights)."""
    from .etr import etr
    from .taxpath import choose_package, package_candidates

    def fn(j: Jurisdiction, as_of: date, site: Optional[Site], skip: frozenset = frozenset()
           ) -> tuple[PackageEtr, list[str]]:
        # site None: no site conditions (every provision counts; the lowest-EATR package is kept)
        candidates, notes = package_candidates(j, as_of, site, skip=skip)  # type: ignore[arg-type]
        per = [[etr(c.path.fractions(), p, c.special_depreciation) for _, p in params.assets] for c in candidates]
        scores = [math.fsum(r.eatr for r in rs) / len(rs) for rs in per]
        k, path = choose_package(candidates, notes, scores)
        metrs = [r.metr for r in per[k]]
        metr = math.fsum(metrs) / len(metrs) if all(m is not None for m in metrs) else None
        ids = list(candidates[k].provision_ids)
        options = []
        for opt in sorted({c.option for c in candidates if c.option is not None}):
            best = min((i for i, c in enumerate(candidates) if c.option == opt),
                       key=lambda i: (round(scores[i], 12), candidates[i].provision_ids))
            options.append(OptionEtr(option=opt, eatr=scores[best] * 100, provisions=list(candidates[best].provision_ids),
                                     path=describe_path(candidates[best].path.rates, candidates[best].special_depreciation),
                                     chosen=best == k))
        return PackageEtr(eatr=scores[k] * 100, metr=None if metr is None else metr * 100, provisions=ids,
                          path=describe_path(path.rates, candidates[k].special_depreciation),
                          assumptions=list(path.assumptions),
                          parameter_set=params.name, parameter_set_status=params.status, source="taxpath",
                          options=options), ids

    return fn


def _up_to(j: Jurisdiction, provision_id: str, as_of: date) -> bool:
    from ..policy.query import value_in_force

    prov = j.provisions.get(provision_id)
    if prov is None:
        return False
    dv, _ = value_in_force(prov, as_of)
    return bool(dv is not None and dv.up_to)


def describe_path(rates, special_depreciation: float = 0.0) -> str:
    """The rate path in words, with any special depreciation (which changes allowances, not rates)."""
    shown = ", ".join(f"{r:g}" for r in rates[:16]) + (" ..." if len(rates) > 16 else "")
    text = f"CIT % by tax year from the investment year: {shown}; then {rates[-1]:g}"
    if special_depreciation:
        text += f"; special depreciation of {special_depreciation * 100:g} % of the cost in year 0"
    return text


# --- the check --------------------------------------------------------------------------------


def _weights(ps: PolicySet, park: Optional[ParkProfile], extra: Optional[WeightOverrides]):
    from ..policy.models import Domain

    dom = {d.value: ps.catalogue.domains[d].weight for d in Domain if d in ps.catalogue.domains}
    dom_over: dict[str, float] = {}
    mea_over: dict[str, float] = {}
    for src in (park.weights if park else None, extra):
        if src is None:
            continue
        dom_over.update({d.value: w for d, w in src.domains.items()})
        mea_over.update(src.measures)
    dom.update(dom_over)
    return dom, dom_over, mea_over


def _site_info(code: str, park: Optional[ParkProfile]) -> Optional[SiteInfo]:
    if park is None or code not in park.sites:
        return None
    s = park.sites[code]
    return SiteInfo(jurisdiction=code, zones=sorted(s.zones), sectors=sorted(s.sectors), licensed_on=s.licensed_on,
                    investment=s.investment.model_dump(mode="json") if s.investment else None)


def find_layer(ps: PolicySet, a: str, b: str, park: Optional[ParkProfile]) -> Optional[Jurisdiction]:
    if park is not None and park.bilateral:
        return ps.jurisdictions.get(park.bilateral)
    layers = [j for _, j in sorted(ps.jurisdictions.items()) if j.kind == "bilateral" and {a, b} <= set(j.parties)]
    return layers[0] if len(layers) == 1 else None


_NO_FLOOR = object()  # no 'up to' part in the package: no floor is worked out


def _package(package_fn: PackageFn, j: Jurisdiction, as_of: date, site: Optional[Site]) -> tuple:
    """A side's CIT package, the note when it has none, and its floor (granted no 'up to' part)."""
    try:
        package = package_fn(j, as_of, site)
    except ValueError as exc:
        return None, f"no CIT package EATR ({exc})", _NO_FLOOR
    ceilings = frozenset(p for p in package[1] if _up_to(j, p, as_of))
    if not ceilings:
        return package, None, _NO_FLOOR
    try:
        return package, None, package_fn(j, as_of, site, skip=ceilings)[0]
    except ValueError:
        return package, None, None


@dataclass
class PairCore:
    """What every output of a pair's check needs: the compared rows, the scores, the gaps and the
    roadmap. ``run_check`` completes it into a ``CheckResult``; ``check --all-pairs``, which prints
    only a summary per pair, stops here (no weight sensitivity, no shown text and local values) and
    only counts the gaps that lose no points (``check_pair(summary=True)``)."""

    pair: tuple[str, str]
    ja: Jurisdiction
    jb: Jurisdiction
    site_a: Optional[Site]
    site_b: Optional[Site]
    layer: Optional[Jurisdiction]
    notes: list[str]
    weights: tuple[dict[str, float], dict[str, float], dict[str, float]]  # domains, domain and measure overrides
    rows: list[MeasureRow]
    domains: list[DomainScore]
    overall: OverallScore
    gaps: list[Union[Gap, GapCount]]  # GapCount: only with summary=True
    roadmap: list[RoadmapItem]
    aligned: list[Aligned]  # the measures as aligned, in the order of ``rows`` (engine.after scores them again)

    def counted(self) -> tuple[int, int]:
        """(scored, compared) over the measures counted on their own (a package's parts are not)."""
        counted = [r for r in self.rows if r.counted_in is None]
        return sum(1 for r in counted if r.scored), len(counted)


def check_pair(ps: PolicySet, pair: tuple[str, str], as_of: date, park: Optional[ParkProfile] = None,
               weights: Optional[WeightOverrides] = None, *, params: ParameterSet,
               package_fn: Optional[PackageFn] = None, memo: Optional[SideMemo] = None,
               summary: bool = False) -> PairCore:
    """Align, compare, score, find the gaps and rank the roadmap of ``pair`` (see ``run_check``).
    ``summary``: a gap that loses no points is only counted (``engine.gaps.GapCount``: its measure and
    severity), for a summary of the pair; the roadmap is the same."""
    if memo is not None and memo.ps is not ps:
        raise ValueError("the side memo belongs to another policy set")
    if memo is not None and memo.summary and not summary:
        raise ValueError("a summary side memo gives summaries only (check_pair with summary=True)")
    if ps.catalogue is None:
        raise ValueError("the policy set has no catalogue")
    a, b = pair
    for code in (a, b):
        if code not in ps.jurisdictions:
            raise ValueError(f"unknown jurisdiction '{code}'")
    if a == b:
        raise ValueError("a pair needs two different jurisdictions")
    ja, jb = ps.jurisdictions[a], ps.jurisdictions[b]
    notes: list[str] = []
    site_a = site_of(park.sites.get(a)) if park else None
    site_b = site_of(park.sites.get(b)) if park else None
    if park is None:
        notes.append("no park profile: no site conditions; where several provisions apply, the most favourable is kept")
    else:
        for code, s in ((a, site_a), (b, site_b)):
            if s is None:
                notes.append(f"the park profile has no site for {code}: no site conditions on that side")
    layer = find_layer(ps, a, b, park)
    if params.note:
        notes.append(params.note)
    package_key = ("fn", package_fn) if package_fn is not None else ("taxpath", params)
    if package_fn is None:
        package_fn = taxpath_package_fn(params)
    packages: dict = {}
    floors: dict = {}
    keys = []
    for j, site in ((ja, site_a), (jb, site_b)):
        key = SideMemo.key(j.code, as_of, site, package_key)
        keys.append(key)
        found = memo.packages.get(key) if memo is not None else None
        if found is None:
            found = _package(package_fn, j, as_of, site)
            if memo is not None:
                memo.packages[key] = found
        packages[j.code], note, floor = found
        if note is not None:
            notes.append(note)
        if floor is not _NO_FLOOR:
            floors[j.code] = floor

    dom_w, dom_over, mea_over = _weights(ps, park, weights)
    aligned = align_pair(ps, ja, jb, as_of, site_a, site_b, layer, packages, floors,
                         memo=(memo, keys[0], keys[1]) if memo is not None else None)
    fixed = memo.row_fields if memo is not None else {}  # each measure's catalogue fields, once per run
    rows = []
    for al in aligned:
        f = fixed.get(al.measure_id)
        if f is None:
            f = fixed[al.measure_id] = row_fields(al.measure_id, al.measure)
        rows.append(compare(al, mea_over.get(al.measure_id, al.measure.weight), f))
    titles = {d.value: info.title.en for d, info in ps.catalogue.domains.items()}
    settings = ps.catalogue.settings
    cat_dom = {d.value: info.weight for d, info in ps.catalogue.domains.items()}
    cat_mea = {mid: m.weight for mid, m in ps.catalogue.measures.items()}
    domains, overall = score(rows, dom_w, titles, (cat_dom, cat_mea), settings.coverage_threshold)
    gaps = find_gaps(aligned, rows, ja, jb, as_of, layer, settings, detail=not summary)
    roadmap = build_roadmap(gaps, settings)
    return PairCore((a, b), ja, jb, site_a, site_b, layer, notes, (dom_w, dom_over, mea_over), rows, domains,
                    overall, gaps, roadmap, aligned)


def run_check(ps: PolicySet, pair: tuple[str, str], as_of: date, park: Optional[ParkProfile] = None,
              weights: Optional[WeightOverrides] = None, *, park_id: Optional[str] = None,
              params: ParameterSet, package_fn: Optional[PackageFn] = None,
              memo: Optional[SideMemo] = None) -> CheckResult:
    """Compare ``pair`` = (a, b) as of ``as_of`` for the park's sites (None: no site conditions).

    ``package_fn`` values a side's CIT package (default: engine.taxpath with ``params``, which the
    commands read from the tree's parameters file). ``memo``: a SideMemo of ``ps`` shared by the
    pairs of one run, so each side's package and measures are worked out once (the result is the
    same with or without it). Raises ValueError for an unknown jurisdiction."""
    core = check_pair(ps, pair, as_of, park, weights, params=params, package_fn=package_fn, memo=memo)
    a, b = core.pair
    ja, jb, layer, rows, gaps, overall = core.ja, core.jb, core.layer, core.rows, core.gaps, core.overall
    dom_w, dom_over, mea_over = core.weights
    settings = ps.catalogue.settings  # type: ignore[union-attr]
    costs: dict[str, float] = {}  # per measure, the cost the roadmap ranks it by (instrument rank)
    for g in gaps:
        if g.points_lost > 0:
            opt = roadmap_option(g)
            if opt is not None:
                costs[g.measure] = max(opt.cost, 0.25)
    sens = sensitivity(rows, dom_w, costs)  # type: ignore[arg-type]

    by_status: dict[str, dict[str, int]] = {}
    for code, side in ((a, "a"), (b, "b")):
        c = Counter(getattr(r, side).value.status for r in rows if getattr(r, side).value is not None)
        c["none"] = sum(1 for r in rows if getattr(r, side).value is None)
        by_status[code] = {k: c.get(k, 0) for k in ("verified", "secondary", "unverified", "none")}
    n_scored, n_counted = core.counted()
    reasons = Counter(r.unscored_reason for r in rows if r.counted_in is None and not r.scored)
    coverage = Coverage(
        measures_compared=n_counted, scored=n_scored, unscored=n_counted - n_scored,
        by_weight=overall.coverage, threshold=overall.coverage_threshold, provisional=overall.provisional,
        unscored_by_reason=dict(sorted(reasons.items())), values_by_status=by_status,
        note=f"{n_scored} of {n_counted} comparable measures scored, {overall.coverage:.0%} of the weight; "
             f"bounds count every unscored measure as fully different (lower) and fully equal (upper)"
             + ("; below the coverage threshold the score is provisional and parks are not ranked"
                if overall.provisional else ""))
    return CheckResult(
        pair=[a, b], jurisdictions={c: (ps.jurisdictions[c].name.en if ps.jurisdictions[c].name else c) for c in (a, b)},
        as_of=as_of, park=ParkInfo(id=park_id or "profile", title=park.title.en) if park else None,
        sites={a: _site_info(a, park), b: _site_info(b, park)}, bilateral=layer.code if layer else None,
        parameter_set=params.name,
        weights=WeightsUsed(domains=dom_w, measure_overrides=dict(sorted(mea_over.items())),
                            domain_overrides=dict(sorted(dom_over.items()))),
        thresholds=thresholds(settings), overall=overall, domains=core.domains, measures=rows, gaps=gaps,
        roadmap=core.roadmap,
        joint_regime=joint_regime(gaps, settings),
        after_actions=after_actions(core.aligned, rows, dom_w, core.roadmap, today=overall.score),
        sensitivity=sens, coverage=coverage,
        shown=shown_items(ps, ja, jb, as_of, core.site_a, core.site_b, layer, memo), notes=core.notes)
