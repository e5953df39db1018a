"""Value-level differences between two policy trees (a base and a head), and where they are.

Pure: a loaded ``PolicySet`` becomes a *snapshot* (plain, JSON-able, deterministic data: every
instrument, every provision and each of its dated values with the legal basis and status); two
snapshots give a ``PolicyDiff``. The accepted baseline file stores the snapshot of the approved
tree, so the legal-basis gate works against a saved file as well as against a git ref.

Values of a provision are matched by their start date (``from``); values left over on both sides
are paired in order (a changed start date), the rest are added or removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

SNAPSHOT_VERSION = "1"
_STATUS_RANK = {"unverified": 0, "secondary": 1, "verified": 2}
VALUE_FIELDS = ("value", "from", "until", "instrument", "article", "status")


def _iso(d: Optional[date]) -> Optional[str]:
    return d.isoformat() if d else None


def _plain(v: Any) -> Any:
    """Raw YAML data (or models) as JSON-able data."""
    if hasattr(v, "model_dump"):
        return v.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted(_plain(x) for x in v)
    if isinstance(v, date):
        return v.isoformat()
    return v


def _display(measure, raw: Any) -> str:
    if measure is None:
        text = json.dumps(_plain(raw), ensure_ascii=False, sort_keys=True) if not isinstance(raw, str) else raw
        return text if len(text) <= 80 else text[:77] + "..."
    from ..policy.values import coerce, display

    try:
        return display(measure, coerce(measure, raw))
    except (ValueError, TypeError):
        return str(raw)


def _rel(source, root: Optional[Path], seen: Optional[dict] = None) -> str:
    """A source file's path relative to the tree's root (its display name outside the root); with
    ``seen``, each file is resolved once (a file holds many provisions)."""
    if seen is not None and id(source) in seen:
        return seen[id(source)][1]
    rel = source.display
    if root is not None:
        try:
            rel = source.path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    if seen is not None:
        seen[id(source)] = (source, rel)  # the source is kept: its id cannot be reused meanwhile
    return rel


def snapshot(ps) -> dict:
    """Every instrument and dated value of every jurisdiction, and the catalogue's measures."""
    cat = ps.catalogue
    measures = {}
    if cat is not None:
        for mid, m in sorted(cat.measures.items()):
            measures[mid] = {"domain": m.domain.value if hasattr(m.domain, "value") else m.domain,
                             "kind": m.kind.value, "unit": m.unit.value, "weight": m.weight,
                             "title": m.title.en if hasattr(m.title, "en") else str(m.title)}
    juris = {}
    files: dict = {}  # id(source) -> (source, path relative to the root)
    for code, j in sorted(ps.jurisdictions.items()):
        instruments = {}
        for iid, inst in sorted(j.instruments.items()):
            instruments[iid] = {"kind": inst.kind.value, "number": inst.number, "from": _iso(inst.from_),
                                "until": _iso(inst.until), "status": inst.status.value,
                                "title": inst.title.en}
        provisions = {}
        for pid, prov in sorted(j.provisions.items()):
            mid = prov.measure or pid
            measure = (cat.measures.get(mid) if cat is not None else None) or j.local_measures.get(mid)
            origin = j.origins.get(("provisions", pid))
            values = []
            for dv in prov.values:
                inst = j.instruments.get(dv.basis.instrument)
                values.append({"value": _plain(dv.value), "display": _display(measure, dv.value),
                               "from": _iso(dv.from_), "until": _iso(dv.until),
                               "instrument": dv.basis.instrument, "number": inst.number if inst else None,
                               "article": dv.basis.article, "status": dv.status.value})
            provisions[pid] = {"measure": mid, "file": _rel(origin.source, ps.root, files) if origin else None,
                               "values": values}
        local = {mid: {"kind": m.kind.value, "unit": m.unit.value} for mid, m in sorted(j.local_measures.items())}
        juris[code] = {"instruments": instruments, "provisions": provisions, "local_measures": local}
    return {"version": SNAPSHOT_VERSION, "measures": measures, "jurisdictions": juris}


def digest(snap: dict) -> str:
    """A content hash of a snapshot: the same law gives the same digest, wherever it lies."""
    text = json.dumps(snap, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_from_result(result) -> dict:
    """A partial snapshot: only the values a CheckResult shows (chosen values and alternatives)."""
    juris: dict[str, dict] = {}

    def add(code: str, sv) -> None:
        if sv is None:
            return
        j = juris.setdefault(code, {"instruments": {}, "provisions": {}, "local_measures": {}, "partial": True})
        prov = j["provisions"].setdefault(sv.provision, {"measure": None, "file": None, "values": []})
        entry = {"value": sv.value, "display": sv.display, "from": _iso(sv.value_from), "until": _iso(sv.value_until),
                 "instrument": sv.basis.instrument, "number": sv.basis.number, "article": sv.basis.article,
                 "status": sv.status}
        if all(v["from"] != entry["from"] for v in prov["values"]):
            prov["values"].append(entry)
        j["instruments"].setdefault(sv.basis.instrument, {"number": sv.basis.number})

    for row in result.measures:
        for side in (row.a, row.b):
            add(side.jurisdiction, side.value)
            for alt in side.alternatives:
                add(side.jurisdiction, alt)
            if row.measure and side.value is not None:
                juris[side.jurisdiction]["provisions"][side.value.provision]["measure"] = row.measure
    for code in juris:
        for prov in juris[code]["provisions"].values():
            prov["values"].sort(key=lambda v: v["from"])
    return {"version": SNAPSHOT_VERSION, "measures": {}, "jurisdictions": juris, "partial": True}


# --- the diff ---------------------------------------------------------------------------------


@dataclass
class ValueChange:
    jurisdiction: str
    provision: str
    measure: str
    change: str  # changed | added | removed
    before: Optional[dict] = None
    after: Optional[dict] = None
    index_before: Optional[int] = None
    index_after: Optional[int] = None
    fields: list[str] = field(default_factory=list)
    basis_lost: list[str] = field(default_factory=list)
    file: Optional[str] = None  # relative to the policy root (head's file when it still exists)

    def what(self) -> str:
        """What changed, in words: 'value 10 % → 25 %', or only the fields that moved
        ('until 2024-04-30 → 2024-05-31') when the value itself did not."""
        if self.change != "changed" or self.before is None or self.after is None:
            old = self.before["display"] if self.before else "(none)"
            new = self.after["display"] if self.after else "(none)"
            return f"value {self.change}: {old} → {new}"
        others = [f"{f} {self.before.get(f) or '–'} → {self.after.get(f) or '–'}" for f in self.fields if f != "value"]
        if "value" in self.fields:
            return "; ".join([f"value changed: {self.before['display']} → {self.after['display']}", *others])
        return "changed: " + ("; ".join(others) if others else "legal basis details") + \
            f" (value {self.after['display']} unchanged)"


@dataclass
class ItemChange:
    kind: str  # jurisdiction | provision | instrument | measure | local_measure
    jurisdiction: Optional[str]
    id: str
    change: str  # added | removed | changed
    detail: str = ""
    file: Optional[str] = None


@dataclass
class PolicyDiff:
    values: list[ValueChange] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)
    partial_base: bool = False

    @property
    def empty(self) -> bool:
        return not self.values and not self.items

    def basis_losses(self) -> list[ValueChange]:
        return [v for v in self.values if v.basis_lost]

    def to_dict(self) -> dict:
        return {"values": [asdict(v) for v in self.values], "items": [asdict(i) for i in self.items],
                "partial_base": self.partial_base}


def basis(v: Optional[dict]) -> str:
    """The legal basis of a snapshot value in words: instrument number (or id), article, dates, status."""
    if v is None:
        return "-"
    name = v.get("number") or v.get("instrument")
    art = v.get("article") or "article not verified"
    until = v.get("until") or "…"
    return f"{name}, {art}; {v.get('from')} to {until}; {v.get('status')}"


def _losses(before: dict, after: Optional[dict], head_instruments: dict) -> list[str]:
    out = []
    if after is None:
        return [f"value from {before['from']} removed (it cited {before.get('number') or before['instrument']})"]
    if isinstance(before.get("article"), str) and before["article"] and not after.get("article"):
        out.append(f"article '{before['article']}' no longer cited (now null)")
    if before["instrument"] not in head_instruments:
        out.append(f"instrument '{before['instrument']}' no longer declared")
    if _STATUS_RANK.get(before["status"], 0) > 0 and after.get("status") == "unverified":
        out.append(f"status dropped from {before['status']} to unverified")
    return out


def _pair(bvals: list[dict], hvals: list[dict]) -> list[tuple[Optional[int], Optional[int]]]:
    hby = {v["from"]: i for i, v in enumerate(hvals)}
    pairs, used_h, left_b = [], set(), []
    for i, v in enumerate(bvals):
        k = hby.get(v["from"])
        if k is not None and k not in used_h:
            pairs.append((i, k))
            used_h.add(k)
        else:
            left_b.append(i)
    left_h = [k for k in range(len(hvals)) if k not in used_h]
    for i, k in zip(left_b, left_h):
        pairs.append((i, k))
    pairs += [(i, None) for i in left_b[len(left_h):]]
    pairs += [(None, k) for k in left_h[len(left_b):]]
    return sorted(pairs, key=lambda p: (p[1] if p[1] is not None else p[0], p[0] is None))


def diff_snapshots(base: dict, head: dict) -> PolicyDiff:
    out = PolicyDiff(partial_base=bool(base.get("partial")))
    partial = out.partial_base
    bm, hm = base.get("measures", {}), head.get("measures", {})
    if not partial:
        for mid in sorted(set(bm) | set(hm)):
            b, h = bm.get(mid), hm.get(mid)
            if b is None:
                out.items.append(ItemChange("measure", None, mid, "added", h.get("title", "")))
            elif h is None:
                out.items.append(ItemChange("measure", None, mid, "removed", b.get("title", "")))
            elif b != h:
                keys = [k for k in sorted(set(b) | set(h)) if b.get(k) != h.get(k)]
                out.items.append(ItemChange("measure", None, mid, "changed",
                                            "; ".join(f"{k}: {b.get(k)} → {h.get(k)}" for k in keys)))
    bj, hj = base.get("jurisdictions", {}), head.get("jurisdictions", {})
    for code in sorted(set(bj) | set(hj)):
        b = bj.get(code) or {"instruments": {}, "provisions": {}, "local_measures": {}}
        h = hj.get(code)
        if h is None:
            out.items.append(ItemChange("jurisdiction", code, code, "removed"))
            h = {"instruments": {}, "provisions": {}, "local_measures": {}}
        elif code not in bj and not partial:
            out.items.append(ItemChange("jurisdiction", code, code, "added"))
        if not partial:
            for iid in sorted(set(b["instruments"]) | set(h["instruments"])):
                bi, hi = b["instruments"].get(iid), h["instruments"].get(iid)
                if bi is None:
                    out.items.append(ItemChange("instrument", code, iid, "added",
                                                f"{hi.get('number') or iid}: {hi.get('title', '')}"))
                elif hi is None:
                    out.items.append(ItemChange("instrument", code, iid, "removed",
                                                f"{bi.get('number') or iid}: {bi.get('title', '')}"))
                elif bi != hi:
                    keys = [k for k in sorted(set(bi) | set(hi)) if bi.get(k) != hi.get(k)]
                    out.items.append(ItemChange("instrument", code, iid, "changed",
                                                "; ".join(f"{k}: {bi.get(k)} → {hi.get(k)}" for k in keys)))
            for mid in sorted(set(b.get("local_measures", {})) | set(h.get("local_measures", {}))):
                if mid not in b.get("local_measures", {}):
                    out.items.append(ItemChange("local_measure", code, mid, "added"))
                elif mid not in h.get("local_measures", {}):
                    out.items.append(ItemChange("local_measure", code, mid, "removed"))
        pids = set(b["provisions"]) | (set() if partial else set(h["provisions"]))
        for pid in sorted(pids):
            bp, hp = b["provisions"].get(pid), h["provisions"].get(pid)
            if bp is None:
                out.items.append(ItemChange("provision", code, pid, "added", f"measure {hp['measure']}", hp.get("file")))
                bvals: list[dict] = []
            else:
                bvals = bp["values"]
            if hp is None:
                out.items.append(ItemChange("provision", code, pid, "removed", f"measure {bp['measure']}",
                                            bp.get("file")))
            hvals = hp["values"] if hp else []
            measure = (hp or bp)["measure"] or (bp or hp)["measure"] or pid
            file = (hp or bp).get("file")
            pairs = _pair(bvals, hvals)
            for i, k in pairs:
                bv = bvals[i] if i is not None else None
                hv = hvals[k] if k is not None else None
                if partial and bv is None:
                    continue
                if bv is not None and hv is not None:
                    keys = [f for f in VALUE_FIELDS if bv.get(f) != hv.get(f)]
                    if not keys:
                        continue
                    kind = "changed"
                else:
                    keys, kind = [], ("added" if bv is None else "removed")
                lost = _losses(bv, hv, h["instruments"]) if bv is not None else []
                out.values.append(ValueChange(code, pid, measure, kind, bv, hv, i, k, keys, lost, file))
    return out


def locate(ps, jurisdiction: str, provision: str, index: Optional[int]) -> Optional[tuple[str, int, int]]:
    """(display file, line, column) of a provision's value (or the provision when index is None)."""
    j = ps.jurisdictions.get(jurisdiction)
    if j is None:
        return None
    origin = j.origins.get(("provisions", provision))
    if origin is None:
        return None
    path = origin.path
    prov = j.provisions.get(provision)
    key = True
    if index is not None and prov is not None and 0 <= index < len(prov.values):
        path = path + ("values", index)
        key = False
    line, col = origin.source.locate(path, key)
    return origin.source.display, line, col
