"""Write a synthetic, deterministic policy tree shaped like the shipped rule sets, for benchmarks and fuzzing.

    python bench/generate.py --countries 10 --measures 2000 --seed 1 --out /tmp/corpus

N countries over one catalogue of M measures, with the proportions of policies/vn and policies/la:
each country fills about 60 % of the catalogue (so many measures are one side only), about 1.4
provisions per measure it fills, half of them under conditions of every kind the shipped files use
(zones, zones_all, zones_none, sectors, sectors_none, min_investment, min_export_share, a note),
1–4 dated values per provision (superseded law stays in the file), about a third of the values
unverified and a sixth of them unknown (null), grandfathered values, conflicting sources, text
measures, a local measure for every fourth catalogue measure, and the CIT package
(cit_standard_rate, cit_preferential_rate, cit_holiday with schedules) in every country, partly
without conditions, so effective tax rates are computed for every pair. Catalogue kinds follow
policies/catalogue.yaml. One file per domain, like policies/vn/. The same seed gives byte-identical
files.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

DOMAINS = ["tax", "customs", "land", "investment", "technology_transfer", "ip_branding", "trade_promotion"]
# Kinds in the proportions of policies/catalogue.yaml (boolean 31, rate 20, duration 8, text 6 …).
KINDS = [("boolean", 31), ("rate", 20), ("duration", 8), ("text", 6), ("enum", 5), ("set", 3), ("schedule", 2),
         ("count", 1), ("amount", 1)]
CIT = {"cit_standard_rate": "rate", "cit_preferential_rate": "schedule", "cit_holiday": "schedule"}
LOCATION_CLASSES = ["cls_park", "cls_epz", "cls_ez", "cls_border", "cls_remote"]
SECTOR_CLASSES = ["cls_make", "cls_tech", "cls_farm", "cls_energy", "cls_textile"]
ZONES = [f"zone_{c}" for c in "abcdefgh"]
SECTORS = [f"sec_{c}" for c in "abcdefgh"]
STARTS = ["first_revenue", "first_taxable_profit", "first_profit", "licence_date", "not_verified"]
HEADER = "# yaml-language-server: $schema=../../schema/policy.schema.json\n"


def q(value: object) -> str:
    """A YAML scalar: JSON strings and numbers are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def _kind(rng: random.Random) -> str:
    return rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]


def _measure(key: str, kind: str, domain: str, title: str, weight: object, rng: random.Random) -> list[str]:
    lines = [f"  {key}:", f"    domain: {domain}", f"    kind: {kind}", f"    title: {q(title)}"]
    if kind == "text":
        return lines + ["    weight: 0"]
    lines.append(f"    weight: {weight}")
    why = ["weight"]  # every number the score rests on says why, as in policies/catalogue.yaml (R318)
    if kind in ("rate", "schedule"):
        lines += ["    unit: percent", "    favourable: lower", "    scale: 10"] + (["    tolerance: 0.5"] if kind == "rate" else [])
        why += ["scale"] + (["tolerance"] if kind == "rate" else [])
    elif kind == "duration":
        lines += ["    unit: years", "    favourable: higher", f"    scale: {rng.choice([5, 10, 50])}"]
        why.append("scale")
    elif kind == "count":
        lines += ["    favourable: higher", "    scale: 10"]
        why.append("scale")
    elif kind == "amount":
        lines += ["    unit: currency", "    favourable: lower", "    scale: 1000000"]
        why.append("scale")
    elif kind == "boolean":
        lines += [f"    favourable: {q(rng.choice(['true', 'false']))}"]
    elif kind == "enum":
        lines += ["    options: [low, mid, high]", "    order: options", "    favourable: higher"]
    return lines + ["    why: {" + ", ".join(f"{w}: {q('synthetic ' + w + ' for the benchmark')}" for w in why) + "}"]


def catalogue(rng: random.Random, m: int) -> tuple[str, dict[str, str]]:
    kinds: dict[str, str] = {}
    out = ["# Synthetic catalogue for benchmarks\ncatalogue: 1\ndomains:\n"]
    for d in DOMAINS:
        out.append(f"  {d}:\n    title: {q(d.replace('_', ' ').title())}\n    weight: {rng.randint(1, 3)}\n"
                   f"    why: {q('synthetic domain weight for the benchmark')}\n")
    out.append("location_classes:\n" + "".join(f"  {c}: {{title: {q(c[4:].title())}}}\n" for c in LOCATION_CLASSES))
    out.append("sector_classes:\n" + "".join(f"  {c}: {{title: {q(c[4:].title())}}}\n" for c in SECTOR_CLASSES))
    out.append("measures:\n")
    for i in range(m):
        if i < len(CIT):
            key, kind = list(CIT.items())[i]
            domain = "tax"
        else:
            key, kind, domain = f"m{i:05d}", _kind(rng), DOMAINS[i % len(DOMAINS)]
        kinds[key] = kind
        out.append("\n".join(_measure(key, kind, domain, f"Synthetic measure {i}", rng.choice([0.5, 1, 2, 3]), rng))
                   + "\n")
    return "".join(out), kinds


def _schedule(rng: random.Random, key: str) -> str:
    if key == "cit_preferential_rate":
        return f"{{start: first_revenue, phases: [{{years: {rng.choice([10, 15, 30])}, rate: {rng.choice([5, 10, 15, 17])}}}]}}"
    phases = [f"{{years: {rng.randint(2, 10)}, exempt: true}}", f"{{years: {rng.randint(2, 9)}, reduction: 50}}"]
    late = f", latest_start_year: {rng.randint(2, 4)}" if rng.random() < 0.3 else ""
    return f"{{start: {rng.choice(STARTS)}{late}, phases: [{', '.join(phases[: rng.randint(1, 2)])}]}}"


def _value(rng: random.Random, kind: str, key: str) -> str:
    if key == "cit_standard_rate":
        return q(rng.choice([15, 17, 20, 22, 24, 25]))
    if kind == "rate":
        return q(rng.choice([0, 5, 7, 10, 15, 17, 20, 22, 25]))
    if kind == "duration":
        if rng.random() < 0.1:
            low = rng.randint(2, 10)
            return f"{{min: {low}, max: {low + rng.randint(1, 20)}}}"
        return q(rng.choice([2, 4, 5, 10, 15, 30, 50, 70, 99]))
    if kind == "count":
        return q(rng.randint(1, 30))
    if kind == "amount":
        return f"{{amount: {rng.choice([100000, 500000, 2000000])}, currency: XAA}}"
    if kind == "boolean":
        return q(rng.random() < 0.6)
    if kind == "enum":
        return rng.choice(["low", "mid", "high"])
    if kind == "set":
        return "[" + ", ".join(sorted(rng.sample(["a", "b", "c", "d", "e", "f"], rng.randint(1, 4)))) + "]"
    if kind == "text":
        return q(f"In words: the rule as drafted, clause {rng.randint(1, 99)} ({rng.choice(['short', 'longer'])} text).")
    return _schedule(rng, key)


def _conditions(rng: random.Random) -> str:
    """One condition set; its kinds in about the proportions of the shipped files."""
    parts = []
    if rng.random() < 0.55:
        parts.append(f"zones: [{', '.join(rng.sample(ZONES, rng.randint(1, 3)))}]")
    if rng.random() < 0.25:
        parts.append(f"sectors: [{', '.join(rng.sample(SECTORS, rng.randint(1, 3)))}]")
    if rng.random() < 0.1:
        parts.append(f"zones_none: [{', '.join(rng.sample(ZONES, 2))}]")
    if rng.random() < 0.05:
        parts.append(f"zones_all: [{rng.choice(ZONES)}]")
    if rng.random() < 0.05:
        parts.append(f"sectors_none: [{rng.choice(SECTORS)}]")
    if rng.random() < 0.06:
        parts.append(f"min_investment: {{amount: {rng.choice([1000000, 5000000])}, currency: XAA}}")
    if rng.random() < 0.02:
        parts.append(f"min_export_share: {rng.choice([30, 70])}")
    if rng.random() < 0.8 or not parts:
        parts.append(f"note: {q('Eligibility as the law states it, in words.')}")
    return "    conditions: {" + ", ".join(parts) + "}\n"


def _values(rng: random.Random, code: str, key: str, kind: str, switches: list[date]) -> str:
    """1–4 dated values in sequence (each until the next one's start), the last one in force."""
    n = rng.choices([1, 2, 3, 4], weights=[68, 27, 3, 2])[0]
    law = rng.randrange(20)
    switch = switches[law]  # the value in force cites the new law from its first day; earlier ones the old law
    span = (switch - date(2005, 1, 1)).days
    starts = sorted({date(2005, 1, 1) + timedelta(days=rng.randrange(span)) for _ in range(n - 1)}) + [switch]
    out = []
    for k, start in enumerate(starts):
        last = k == len(starts) - 1
        status = rng.choices(["verified", "secondary", "unverified"], weights=[30, 35, 35])[0]
        unknown = status == "unverified" and key != "cit_standard_rate" and rng.random() < 0.45
        value = "null" if unknown else _value(rng, kind, key)
        inst = f"{code}-law-{law}-{'new' if last else 'old'}"
        article = q(f"Art. {rng.randint(1, 99)}") if rng.random() < 0.8 else "null"
        lines = [f"      - value: {value}", f"        from: {start}"]
        if not last:
            lines.append(f"        until: {starts[k + 1] - timedelta(days=1)}")
        lines.append(f"        basis: {{instrument: {inst}, article: {article}, article_verified: {q(rng.random() < 0.5)}}}")
        lines.append(f"        status: {status}")
        if status != "verified":
            lines.append(f"        status_note: {q('One secondary summary; article numbers not read in the gazette.')}")
        if status != "unverified" or rng.random() < 0.3:
            lines.append(f"        sources: [{q(f'https://example.org/{code}/{key}/{k}')}]")
        if rng.random() < 0.35:
            lines.append(f"        note: {q('Applies from the tax period that starts on or after this date.')}")
        if not last and rng.random() < 0.08:
            lines.append(f"        grandfathered: {{licensed_before: {starts[k + 1]}, basis: {{instrument: {inst}, "
                         f"article: {q('Art. 13')}}}, note: {q('Projects licensed earlier keep it.')}}}")
        if value != "null" and rng.random() < 0.06:
            lines.append(f"        conflicts: [{{value: {_value(rng, kind, key)}, source: {q('A provincial website')}, "
                         f"note: {q('Out of date.')}}}]")
        out.append("\n".join(lines) + "\n")
    return "".join(out)


def country(rng: random.Random, code: str, kinds: dict[str, str]) -> dict[str, str]:
    files: dict[str, str] = {}
    zones = "".join(f"  {z}: {{title: {q('Zone ' + z[-1].upper())}, classes: [{rng.choice(LOCATION_CLASSES)}]}}\n"
                    for z in ZONES)
    sectors = "".join(f"  {s}: {{title: {q('Sector ' + s[-1].upper())}, classes: [{rng.choice(SECTOR_CLASSES)}]}}\n"
                      for s in SECTORS)
    files["country.yaml"] = (f"{HEADER}jurisdiction: {code}\nkind: country\nname: {q('Country ' + code.upper())}\n"
                             f"currency: XAA\nzones:\n{zones}sectors:\n{sectors}")
    # Instruments: pairs of an old law replaced by a new one on a switch date.
    instruments, switches = [], []
    for k in range(20):
        switch = date(2015, 1, 1) + timedelta(days=rng.randint(0, 3650))
        switches.append(switch)
        src = f"https://example.org/{code}/law-{k}"
        instruments.append(
            f"  {code}-law-{k}-old:\n    kind: law\n    number: {q(f'{k}/OLD')}\n    title: {q(f'Old law {k}')}\n"
            f"    from: 2000-01-01\n    until: {switch - timedelta(days=1)}\n    superseded_by: [{code}-law-{k}-new]\n"
            f"    sources: [{q(src + '-old')}]\n    status: verified\n"
            f"  {code}-law-{k}-new:\n    kind: law\n    number: {q(f'{k}/NEW')}\n    title: {q(f'New law {k}')}\n"
            f"    from: {switch}\n    supersedes: [{code}-law-{k}-old]\n    sources: [{q(src + '-new')}]\n    status: verified\n")
    files["instruments.yaml"] = f"{HEADER}jurisdiction: {code}\ninstruments:\n" + "".join(instruments)
    per_domain: dict[str, list[str]] = {d: [] for d in DOMAINS}
    for i, (key, kind) in enumerate(kinds.items()):
        if key not in CIT and rng.random() >= 0.6:
            continue  # partial coverage: the other side may fill it alone
        n = 1 if key == "cit_standard_rate" else rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
        for p in range(n):
            # the first provision of a measure is unconditional half the time (always for the CIT package)
            cond = "" if p == 0 and (key in CIT or rng.random() < 0.5) else _conditions(rng)
            pkey = key if p == 0 else f"{key}.v{p}"
            measure_line = f"    measure: {key}\n" if p else ""
            per_domain["tax" if key in CIT else DOMAINS[i % len(DOMAINS)]].append(
                f"  {pkey}:\n{measure_line}{cond}    values:\n{_values(rng, code, key, kind, switches)}")
    for d, provisions in per_domain.items():
        files[f"{d}.yaml"] = f"{HEADER}jurisdiction: {code}\nprovisions:\n" + "".join(provisions)
    # Local measures (no counterpart in the catalogue): shown, never scored.
    local, provisions = [], []
    for k in range(max(1, len(kinds) // 4)):
        key, kind = f"{code}_local_{k:04d}", rng.choice(["text", "text", "boolean", "rate"])
        local.append("\n".join(_measure(key, kind, DOMAINS[k % len(DOMAINS)], f"Local measure {k}", 1, rng)) + "\n")
        provisions.append(f"  {key}:\n    values:\n{_values(rng, code, key, kind, switches)}")
    files["local.yaml"] = (f"{HEADER}jurisdiction: {code}\nlocal_measures:\n" + "".join(local)
                           + "provisions:\n" + "".join(provisions))
    return files


def generate(out: Path, countries: int, measures: int, seed: int) -> list[str]:
    """Write the tree; returns the country codes."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    text, kinds = catalogue(rng, max(measures, len(CIT)))
    (out / "catalogue.yaml").write_text(text, encoding="utf-8")
    codes = [f"c{n:02d}" for n in range(countries)]
    for code in codes:
        folder = out / code
        folder.mkdir()
        for name, body in country(random.Random(f"{seed}-{code}"), code, kinds).items():
            (folder / name).write_text(body, encoding="utf-8")
    return codes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--countries", type=int, default=10)
    ap.add_argument("--measures", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    codes = generate(args.out, args.countries, args.measures, args.seed)
    print(f"wrote {len(codes)} countries x {args.measures} measures to {args.out}")


if __name__ == "__main__":
    main()
