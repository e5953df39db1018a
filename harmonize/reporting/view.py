"""The view model of a report: everything a template shows, in the chosen language, as plain data.

Numbers stay numbers (the templates format them for the locale); texts from the policy files are
``Text`` dicts ``{text, lang, fallback}`` so the templates can tag their language and mark an
English fallback. Legal bases are completed from the PolicySet: instrument titles in the chosen
language, dates, status and the source URLs of each value. No HTML is built here.
"""

from __future__ import annotations

from typing import Any, Optional

from ..engine.result import CheckResult, LegalBasis, SideValue
from ..policy.tree import PolicySet
from . import citation
from .labels import anchor, finish, option_label, text
from .charts import domain_bars, stacked_bars, value_bars
from .document import ReportDocument
from .crosspark import annex_letters, cross_park
from .findings import action, name_target, park_findings
from .scenario_view import scenarios_view
from .values import joint_cell, target_value, value_words

class _Lookup:
    """PolicySet look-ups the result does not carry: titles, instruments, sources."""

    def __init__(self, ps: PolicySet, lang: str):
        self.ps, self.lang = ps, lang
        self.cited: dict[tuple[str, str], set[str]] = {}  # (jurisdiction, instrument id) -> measures
        self.words = value_words(lang)

    def shown(self, measure: str, value: Any, up_to: bool = False, absent: bool = False) -> dict:
        """A value in the reader's language (a Text), from its typed JSON form."""
        return self.words.value(self.measure(measure), value, up_to=up_to, absent=absent)

    def jname(self, code: str) -> dict:
        j = self.ps.jurisdictions.get(code)
        return text(j.name if j is not None and j.name else code, self.lang)

    def measure(self, measure: str):
        """The catalogue (or a jurisdiction's local) Measure of this id, or None."""
        cat = self.ps.catalogue
        m = cat.measures.get(measure) if cat else None
        if m is None:
            for j in self.ps.jurisdictions.values():
                if measure in j.local_measures:
                    return j.local_measures[measure]
        return m

    def measure_title(self, measure: str, fallback: str) -> dict:
        m = self.measure(measure)
        return text(m.title if m is not None else fallback, self.lang)

    def domain_title(self, domain: str, fallback: str) -> dict:
        from ..policy.models import Domain

        cat = self.ps.catalogue
        try:
            info = cat.domains.get(Domain(domain)) if cat else None
        except ValueError:
            info = None
        return text(info.title if info is not None else fallback, self.lang)

    def option_label(self, measure: str, value: Any) -> Optional[dict]:
        cat = self.ps.catalogue
        return option_label(cat.measures.get(measure) if cat else None, value, self.lang)

    def places(self, jcode: str, kind: str, codes) -> list[dict]:
        """Zone or sector codes as {code, title}: the jurisdiction's own title (the code when it has none)."""
        j = self.ps.jurisdictions.get(jcode)
        table = getattr(j, kind, {}) if j is not None else {}
        return [{"code": c, "title": text(table[c].title if c in table else c, self.lang)} for c in codes]

    def instrument(self, jcode: str, iid: Optional[str]):
        j = self.ps.jurisdictions.get(jcode)
        return j.instruments.get(iid) if (j is not None and iid) else None

    def value_sources(self, jcode: str, sv: SideValue) -> list[str]:
        j = self.ps.jurisdictions.get(jcode)
        prov = j.provisions.get(sv.provision) if j is not None else None
        urls: list[str] = []
        if prov is not None:
            for dv in prov.values:
                if dv.from_ == sv.value_from:
                    urls = list(dv.sources)
                    break
        if not urls:
            inst = self.instrument(jcode, sv.basis.instrument)
            urls = list(inst.sources) if inst is not None else []
        return urls

    def cite(self, jcode: str, measure: str, basis: LegalBasis) -> None:
        self.cited.setdefault((jcode, basis.instrument), set()).add(measure)

    def basis(self, jcode: str, basis: LegalBasis) -> dict:
        inst = self.instrument(jcode, basis.instrument)
        return {"instrument": basis.instrument, "number": basis.number, "number_verified": basis.number_verified,
                "title": text(inst.title if inst is not None else basis.title, self.lang),
                "cite": citation.instrument(inst, basis.number, basis.instrument, self.lang),
                "article": basis.article, "article_text": citation.article(basis.article, self.lang), "article_verified": basis.article_verified, "kind": basis.kind,
                "from": basis.instrument_from, "until": basis.instrument_until}


def _side_value(lk: _Lookup, jcode: str, measure: str, sv: SideValue) -> dict:
    lk.cite(jcode, measure, sv.basis)
    label = lk.option_label(measure, sv.value)
    shown = label or lk.shown(measure, sv.value, up_to=sv.up_to, absent=sv.absent)
    return {"display": shown["text"], "shown": shown, "label": label, "no_value": sv.value is None,
            "status": sv.status, "marked": sv.status != "verified",
            "grandfathered": sv.grandfathered, "conditions": sv.conditions, "note": sv.note,
            "from": sv.value_from, "until": sv.value_until, "provision": sv.provision,
            "basis": lk.basis(jcode, sv.basis), "sources": lk.value_sources(jcode, sv)}


def _side(lk: _Lookup, measure: str, side) -> dict:
    """A SideRow or GapSide as a table cell."""
    out: dict[str, Any] = {"jurisdiction": side.jurisdiction, "value": None, "empty": None, "empty_reason": None,
                           "cap": None, "package": None}
    implied = getattr(side, "implied", None)
    out["implied"] = None
    if implied is not None:
        out["implied"] = lk.shown(measure, implied.value)["text"] if implied.value is not None else lk.words.none()
    out["implied_label"] = lk.option_label(measure, implied.value) if implied is not None else None
    out["state"] = getattr(side, "state", None)
    if side.value is not None:
        out["value"] = _side_value(lk, side.jurisdiction, measure, side.value)
    elif side.state == "not_encoded":
        out["empty"] = "not_encoded"
    elif side.has_provisions:
        why = [e for e in side.excluded if not e.reason.startswith("no value in force")]
        out["empty"] = "not_applicable"
        out["empty_reason"] = f"{why[0].provision}: {why[0].reason}" if why else None
    else:
        out["empty"] = "no_provision"
    if side.cap is not None:
        cap = side.cap
        out["cap"] = {"applied": cap.applied, "effective": cap.effective, "domestic": cap.domestic,
                      "jurisdiction": cap.jurisdiction,
                      "value": _side_value(lk, cap.jurisdiction, cap.measure, cap.value)}
    if side.package is not None:
        out["package"] = {"eatr": side.package.eatr, "metr": side.package.metr, "path": side.package.path,
                          "options": [{"option": o.option, "eatr": o.eatr, "chosen": o.chosen}
                                      for o in side.package.options]}
    return out


def _amend(lk: _Lookup, items) -> list[dict]:
    out = []
    for x in items:
        inst = lk.instrument(x.jurisdiction, x.instrument)
        if inst is not None:
            lk.cited.setdefault((x.jurisdiction, x.instrument), set())
        out.append({"jurisdiction": x.jurisdiction, "name": lk.jname(x.jurisdiction), "number": x.number,
                    "instrument": x.instrument,
                    "cite": citation.instrument(inst, x.number, x.instrument or "", lk.lang) if x.instrument else None,
                    "title": text(inst.title if inst is not None else x.title, lk.lang) if (inst or x.title) else None,
                    "note": x.note, "new": x.instrument is None})
    return out


def _park(lk: _Lookup, r: CheckResult, park_profile, delta) -> dict:
    a, b = r.pair
    lang = lk.lang
    domains = []
    for d in r.domains:
        rows = []
        for m in (m for m in r.measures if m.domain == d.domain):
            fav = m.more_favourable
            rows.append({"measure": m.measure, "title": lk.measure_title(m.measure, m.title), "kind": m.kind,
                         "unit": m.unit, "a": _side(lk, m.measure, m.a), "b": _side(lk, m.measure, m.b),
                         "scored": m.scored, "unscored_reason": m.unscored_reason, "similarity": m.similarity,
                         "weight": m.weight, "points_domain": m.points_lost_domain, "points": m.contribution,
                         "direction": m.direction, "more_favourable": lk.jname(fav) if fav else None,
                         "notes": list(m.notes)})
        rows.sort(key=lambda x: (not x["scored"], -x["points"], x["measure"]))
        domains.append({"domain": d.domain, "title": lk.domain_title(d.domain, d.title), "weight": d.weight,
                        "weight_share": d.weight_share, "score": d.score, "points_lost": d.points_lost,
                        "contribution": d.contribution, "scored": d.measures_scored,
                        "unscored": d.measures_unscored, "note": d.note, "rows": rows,
                        "coverage": d.coverage, "lower": d.lower, "upper": d.upper})
    counted = lk.words._("%(x)s of %(n)s measures scored")  # the domain chart's count after each title
    chart = domain_bars([(d, d["score"]) for d in domains], extra=[
        [(" (" + counted % {"x": d["scored"], "n": d["scored"] + d["unscored"]}
          + (" ⚠" if d["scored"] and d["scored"] * 2 < d["scored"] + d["unscored"] else "") + ")", False)]
        for d in domains])

    gaps = sorted(r.gaps, key=lambda g: (-g.points_lost, g.measure))
    roadmap_by_measure = {i.measure: i for i in r.roadmap}
    gap_rows = []
    for g in gaps:
        item = roadmap_by_measure.get(g.measure)
        gap_rows.append({"measure": g.measure, "title": lk.measure_title(g.measure, g.title),
                         "domain": lk.domain_title(g.domain, g.domain), "type": g.type, "severity": g.severity,
                         "points": g.points_lost, "similarity": g.similarity,
                         "more_favourable": lk.jname(g.more_favourable) if g.more_favourable else None,
                         "a": _side(lk, g.measure, g.a), "b": _side(lk, g.measure, g.b), "notes": list(g.notes),
                         "options": [{"kind": o.kind, "description": o.description, "changes": o.changes,
                                      "amend": _amend(lk, o.amend)} for o in g.options],
                         "rank": item.rank if item else None})
    scoring_gaps = [g for g in gap_rows if g["points"] > 0]
    roadmap = []
    for i in r.roadmap:
        amend = _amend(lk, i.amend)
        act = action(r, i)
        roadmap.append({"target": name_target(act["target"], lk.jname,
                                              lambda tv, m=i.measure: target_value(lk, m, tv)),
                        "recovered": act["points"],
                        "instruments": i.changes, "measures": len(i.measures), "rank": i.rank, "measure": i.measure,
                        "title": lk.measure_title(i.measure, i.title),
                        "domain": lk.domain_title(i.domain, i.domain), "severity": i.severity,
                        "points": i.points_lost, "changes": i.changes, "per_change": i.points_per_change,
                        "option": i.option,
                        "amend_a": [x for x in amend if x["jurisdiction"] == a],
                        "amend_b": [x for x in amend if x["jurisdiction"] == b],
                        "amend_joint": [x for x in amend if x["jurisdiction"] not in (a, b)]})

    status_rows = []
    totals = {"verified": 0, "secondary": 0, "unverified": 0, "none": 0}
    for code in r.pair:
        counts = r.coverage.values_by_status.get(code, {})
        status_rows.append({"jurisdiction": code, "name": lk.jname(code),
                            **{k: counts.get(k, 0) for k in totals}})
        for k in totals:
            totals[k] += counts.get(k, 0)

    shown = []
    for s in r.shown:
        row = {"measure": s.measure, "title": lk.measure_title(s.measure, s.title), "source": s.source,
               "domain": lk.domain_title(s.domain, s.domain), "a": None, "b": None, "value": None,
               "jurisdiction": s.jurisdiction, "name": lk.jname(s.jurisdiction) if s.jurisdiction else None}
        if s.a is not None:
            row["a"] = _side_value(lk, a, s.measure, s.a)
        if s.b is not None:
            row["b"] = _side_value(lk, b, s.measure, s.b)
        if s.value is not None and s.jurisdiction:
            row["value"] = _side_value(lk, s.jurisdiction, s.measure, s.value)
        shown.append(row)

    sites = []
    for code in r.pair:
        s = r.sites.get(code)
        spec = park_profile.sites.get(code) if park_profile is not None else None
        sites.append({"jurisdiction": code, "name": lk.jname(code),
                      "zones": lk.places(code, "zones", s.zones) if s else [],
                      "sectors": lk.places(code, "sectors", s.sectors) if s else [],
                      "licensed_on": s.licensed_on if s else None,
                      "note": getattr(spec, "note", None)})
    sens = r.sensitivity
    findings = park_findings(r)
    findings["actions"] = roadmap[:len(findings["actions"])]
    charts = {"gaps": value_bars([(g["title"], g["points"]) for g in scoring_gaps[:10]]),
              "gain": value_bars([(x["title"], x["recovered"]) for x in findings["actions"]]),
              "status": stacked_bars([(s["name"], [s[k] for k in totals]) for s in status_rows])}
    title = text(park_profile.title, lang) if park_profile is not None else (
        text(r.park.title, lang) if r.park else None)
    if title and title["text"].endswith(f" ({a}–{b})"):  # a pair of a park of three: names, not codes
        title = {**title, "text": title["text"][:-len(f" ({a}–{b})")] + f" ({lk.jname(a)['text']} – {lk.jname(b)['text']})"}
    return {
        "id": r.park.id if r.park else None, "title": title, "anchor": anchor("park", r.park.id if r.park else "pair"),
        "a": a, "b": b, "name_a": lk.jname(a), "name_b": lk.jname(b), "as_of": r.as_of,
        "bilateral": r.bilateral, "bilateral_name": lk.jname(r.bilateral) if r.bilateral else None,
        "sites": sites, "overall": r.overall, "domains": domains, "chart": chart, "charts": charts,
        "findings": findings,
        "coverage": r.coverage, "status_rows": status_rows, "status_totals": totals,
        "top3": scoring_gaps[:3], "gaps": scoring_gaps, "unverified_gaps": [g for g in gap_rows if g["points"] <= 0],
        "roadmap": roadmap, "sensitivity": sens, "shown": shown, "notes": list(r.notes),
        "weights": r.weights, "thresholds": r.thresholds, "parameter_set": r.parameter_set,
        "delta": _delta(lk, delta) if delta is not None else None,
    }


def _delta(lk: _Lookup, d) -> dict:
    return {"same_pair": d.same_pair, "same_as_of": d.same_as_of,
            "scores": [{"key": s.key, "title": (lk.domain_title(s.key, s.title) if s.key != "overall" else None),
                        "before": s.before, "after": s.after, "change": s.change} for s in d.scores],
            "measures": [{"measure": m.measure, "title": lk.measure_title(m.measure, m.title),
                          "before": m.points_before, "after": m.points_after, "change": m.change,
                          "sides": [{"name": lk.jname(s.jurisdiction), "before": s.before, "after": s.after}
                                    for s in m.sides]} for m in d.measures],
            "gaps": [{"measure": g.measure, "title": lk.measure_title(g.measure, g.title), "status": g.status,
                      "severity_before": g.severity_before, "severity_after": g.severity_after,
                      "before": g.points_before, "after": g.points_after} for g in d.gaps]}


def _instruments(lk: _Lookup) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for (jcode, iid), measures in lk.cited.items():
        inst = lk.instrument(jcode, iid)
        if inst is None:
            continue
        groups.setdefault(jcode, []).append({
            "id": iid, "number": inst.number, "number_verified": inst.number_verified,
            "cite": citation.instrument(inst, inst.number, iid, lk.lang),
            "title": text(inst.title, lk.lang), "kind": inst.kind.value, "issuer": inst.issuer,
            "adopted": inst.adopted, "from": inst.from_, "until": inst.until, "dates_verified": inst.dates_verified,
            "signed_not_in_force": inst.signed_not_in_force,
            "status": inst.status.value, "sources": list(inst.sources), "note": inst.note,
            "measures": sorted(measures)})
    out = []
    for jcode in sorted(groups):
        rows = sorted(groups[jcode], key=lambda x: ((x["number"] or x["id"]).lower(), x["id"]))
        out.append({"jurisdiction": jcode, "name": lk.jname(jcode), "rows": rows})
    return out


def _weights_table(parks: list[dict]) -> list[dict]:
    domains: dict[str, dict] = {}
    for p in parks:
        for d in p["domains"]:
            domains.setdefault(d["domain"], {"domain": d["domain"], "title": d["title"], "weights": []})
    for row in domains.values():
        for p in parks:
            row["weights"].append(p["weights"].domains.get(row["domain"]))
    return list(domains.values())


def _rationale(lk: _Lookup, ps: PolicySet) -> list[dict]:
    """Every catalogue weight, scale and tolerance with its why and source (the report's appendix)."""
    cat = ps.catalogue
    if cat is None:
        return []
    rows = []
    for d, info in cat.domains.items():
        rows.append({"what": "domain", "id": d.value, "title": lk.domain_title(d.value, d.value),
                     "numbers": f"weight {info.weight:g}", "why": [info.why] if info.why else [], "source": None})
    s = cat.settings
    for label, why in ((f"coverage threshold {s.coverage_threshold:.0%}", s.coverage_why),
                       (f"severity critical {s.severity_critical:g}, major {s.severity_major:g}", s.severity_why),
                       (f"existence cap {s.existence_cap:.0%}", s.existence_why),
                       ("instrument cost " + ", ".join(f"{k} {v:g}" for k, v in s.instrument_cost.cost.items()),
                        s.instrument_cost.why)):
        rows.append({"what": "setting", "id": "settings", "title": None, "numbers": label,
                     "why": [why] if why else [], "source": None})
    for mid in sorted(cat.measures, key=lambda k: (cat.measures[k].domain.value, k)):
        m = cat.measures[mid]
        if m.layer != "national" or m.kind.value == "text":
            continue
        nums = [f"weight {m.weight:g}"] + ([f"scale {m.scale:g}"] if m.scale is not None else []) \
            + ([f"tolerance {m.tolerance:g}"] if m.tolerance else []) \
            + ([f"absent means {m.absent_means}"] if m.absent_means not in (None, "unknown") else []) \
            + ([f"combine {m.combine}"] if m.combine != "elective" else []) \
            + ([f"part of {m.part_of}"] if m.part_of else [])
        why = [f"{k}: {v}" for k, v in m.why.model_dump(exclude_none=True).items() if k != "source"]
        rows.append({"what": "measure", "id": mid, "title": lk.measure_title(mid, m.title.en),
                     "numbers": ", ".join(nums), "why": why, "source": m.why.source})
    return rows


def _joints(lk: _Lookup, doc: ReportDocument, parks: list[dict], profiles: dict) -> list[dict]:
    out = []
    anchors = {p["id"]: p["anchor"] for p in parks}
    checks = {s.check.park.id: s.check for s in doc.parks if s.check.park is not None}
    for jv in doc.joints:
        prof = profiles.get(jv.park)
        out.append({
            "park": jv.park, "anchor": f"joint-{jv.park}",
            "title": text(prof.title, lk.lang) if prof is not None else text(jv.title or jv.park or "", lk.lang),
            "countries": [{"code": c, "name": lk.jname(c)} for c in jv.countries],
            "pairs": [{"names": [lk.jname(c) for c in p.pair], "score": p.score, "gaps": p.gaps,
                       "bilateral": lk.jname(p.bilateral) if p.bilateral else None, "anchor": anchors.get(p.park)}
                      for p in jv.pairs],
            "counts": jv.counts, "outliers": [{"name": lk.jname(c), "n": n} for c, n in jv.outliers.items()],
            "measures": [{"measure": m.measure, "title": lk.measure_title(m.measure, m.title),
                          "cells": [joint_cell(lk.shown, checks, jv, m.measure, v, lk.lang) for v in m.values],
                          "statuses": [v.status for v in m.values],
                          "agreement": m.agreement, "outlier": lk.jname(m.outlier) if m.outlier else None}
                         for m in jv.measures],
            "roadmap": [{"rank": c.rank, "title": lk.measure_title(c.measure, c.title), "who": lk.jname(c.jurisdiction),
                         "align": [lk.jname(x) for x in c.align_with], "gaps_closed": c.gaps_closed,
                         "pairs_closed": [[lk.jname(x) for x in p] for p in c.pairs_closed], "points": c.points}
                        for c in jv.roadmap],
        })
    return out


def _untranslated(lang: str) -> int:
    from .i18n import untranslated

    return untranslated(lang)


def build_view(doc: ReportDocument, ps: PolicySet, lang: str, park_profiles: Optional[dict] = None,
               scenario_models: Optional[dict] = None, settings=None, summary: bool = False) -> dict:
    """The whole report for ``lang`` as plain data (``summary``: the pull-request edition)."""
    from .findings import document_view
    from .settings import ReportSettings
    from .source_list import number_sources, reading_order

    lk = _Lookup(ps, lang)
    profiles = park_profiles or {}
    parks = [_park(lk, s.check, profiles.get(s.check.park.id) if s.check.park else None, s.baseline)
             for s in doc.parks]
    for no, p in enumerate(parks, 1):
        p["no"] = no
    cross = cross_park(parks)
    scenarios = scenarios_view(lk, doc.scenarios, scenario_models or {})
    pairs = []
    for p in parks:
        if {p["a"], p["b"]} not in [{x["a"], x["b"]} for x in pairs]:
            pairs.append({"a": p["a"], "b": p["b"], "name_a": p["name_a"], "name_b": p["name_b"]})
    first = doc.parks[0].check if doc.parks else None
    instruments = _instruments(lk)
    first_sources, n_summary = reading_order(parks, instruments, first=[(v["a"], v["b"]) for g in cross["groups"]
                                                                       for gap in g["top"] for v in gap["variants"]])
    view = {
        "lang": lang, "as_of": doc.as_of, "parks": parks, "pairs": pairs, "scenarios": scenarios,
        "instruments": instruments, "weights_table": _weights_table(parks), "rationale": _rationale(lk, ps),
        "thresholds": first.thresholds if first else None,
        "sensitivity_variation": first.sensitivity.variation if first else None,
        "provenance": doc.provenance, "has_delta": any(p["delta"] for p in parks),
        "joints": _joints(lk, doc, parks, profiles), "cross": cross,
        "ui_untranslated": _untranslated(lang),
        "any_scenarios": any(s["results"] for s in scenarios),
        "notes": list(dict.fromkeys(n for p in parks for n in p["notes"])),
        "doc": document_view(parks, settings or ReportSettings(), lang, text), "summary": summary,
        "measure_ids": sorted({row["measure"]: {"id": row["measure"], "title": row["title"]} for p in parks
                               for d in p["domains"] for row in d["rows"]}.values(), key=lambda x: x["id"]),
        "sources_summary": n_summary,
    }
    view["annex"] = annex_letters(view)
    # localised, its source URLs and its texts awaiting review in one walk (labels.finish)
    view, urls, review = finish(view, lang, ps.translations.get(lang, {}), lang != "en")
    # ONE numbered source list for every edition (md, pull-request md, html, print): [n] is one URL
    view["sources"] = number_sources(urls, first_sources)
    view["source_no"] = {s["url"]: s["n"] for s in view["sources"]}
    view["translation_review"] = review
    return view
