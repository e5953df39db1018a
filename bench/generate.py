"""Write a synthetic, deterministic policy tree shaped like the shipped one, for benchmarks and fuzzing.

    python bench/generate.py --countries 10 --measures 2000 --seed 1 --out /tmp/corpus

N countries × M catalogue measures: every country fills every measure (some twice, under
conditions), with dated and superseded values, citations, statuses, schedules and sets, spread
over one file per domain, like policies/vn/. The same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

DOMAINS = ["tax", "customs", "land", "investment", "technology_transfer", "ip_branding", "trade_promotion"]
KINDS = [("rate", 40), ("duration", 15), ("boolean", 25), ("enum", 5), ("set", 5), ("schedule", 10)]
ZONES = ["zone_a", "zone_b", "zone_c", "zone_d", "zone_e"]
SECTORS = ["sec_a", "sec_b", "sec_c", "sec_d", "sec_e"]
HEADER = "# yaml-language-server: $schema=../../schema/policy.schema.json\n"


def q(value: object) -> str:
    """A YAML scalar: JSON strings and numbers are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def _kind(rng: random.Random) -> str:
    return rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]


def catalogue(rng: random.Random, m: int) -> tuple[str, dict[str, str]]:
    kinds: dict[str, str] = {}
    out = ["# Synthetic catalogue for benchmarks\ncatalogue: 1\ndomains:\n"]
    for d in DOMAINS:
        out.append(f"  {d}:\n    title: {q(d.replace('_', ' ').title())}\n    weight: {rng.randint(1, 3)}\n")
    out.append("location_classes:\n  cls_urban: {title: Urban}\n  cls_remote: {title: Remote}\n")
    out.append("sector_classes:\n  cls_make: {title: Manufacturing}\n  cls_farm: {title: Farming}\n")
    out.append("measures:\n")
    for i in range(m):
        key, kind = f"m{i:05d}", _kind(rng)
        kinds[key] = kind
        lines = [f"  {key}:", f"    domain: {DOMAINS[i % len(DOMAINS)]}", f"    kind: {kind}",
                 f"    title: {q(f'Synthetic measure {i}')}", f"    weight: {rng.choice([0.5, 1, 2, 3])}"]
        if kind in ("rate", "schedule"):
            lines += ["    unit: percent", "    favourable: lower", "    scale: 10", "    tolerance: 0.5"]
        elif kind == "duration":
            lines += ["    unit: years", "    favourable: higher", f"    scale: {rng.choice([5, 10, 50])}"]
        elif kind == "boolean":
            lines += [f"    favourable: {q(rng.choice(['true', 'false']))}"]
        elif kind == "enum":
            lines += ["    options: [low, mid, high]", "    order: options", "    favourable: higher"]
        out.append("\n".join(lines) + "\n")
    return "".join(out), kinds


def _value(rng: random.Random, kind: str) -> str:
    if kind == "rate":
        return q(rng.choice([0, 5, 7, 10, 15, 17, 20, 22, 25]))
    if kind == "duration":
        return q(rng.choice([2, 4, 5, 10, 15, 30, 50, 70, 99]))
    if kind == "boolean":
        return q(rng.random() < 0.6)
    if kind == "enum":
        return rng.choice(["low", "mid", "high"])
    if kind == "set":
        return "[" + ", ".join(sorted(rng.sample(["a", "b", "c", "d", "e", "f"], rng.randint(1, 4)))) + "]"
    phases = [f"{{years: {rng.randint(2, 10)}, exempt: true}}", f"{{years: {rng.randint(2, 9)}, reduction: 50}}"]
    start = rng.choice(["first_revenue", "first_taxable_profit", "not_verified"])
    return f"{{start: {start}, phases: [{', '.join(phases[: rng.randint(1, 2)])}]}}"


def country(rng: random.Random, code: str, kinds: dict[str, str]) -> dict[str, str]:
    files: dict[str, str] = {}
    zones = "".join(f"  {z}: {{title: {q('Zone ' + z[-1].upper())}, classes: [{rng.choice(['cls_urban', 'cls_remote'])}]}}\n" for z in ZONES)
    sectors = "".join(f"  {s}: {{title: {q('Sector ' + s[-1].upper())}, classes: [cls_make]}}\n" for s in SECTORS)
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
        law = rng.randrange(20)
        switch = switches[law]
        variants = [("", "")] + ([(".cond", f"    conditions: {{zones: [{rng.choice(ZONES)}], sectors: [{rng.choice(SECTORS)}]}}\n")]
                                 if rng.random() < 0.15 else [])
        for suffix, cond in variants:
            status = rng.choices(["verified", "secondary", "unverified"], weights=[5, 3, 2])[0]
            old = (f"      - value: {_value(rng, kind)}\n        from: 2010-01-01\n        until: {switch - timedelta(days=1)}\n"
                   f"        basis: {{instrument: {code}-law-{law}-old, article: {q(f'Art. {rng.randint(1, 99)}')}}}\n"
                   f"        status: verified\n        sources: [{q(f'https://example.org/{code}/{key}/old')}]\n")
            new_value = "null" if status == "unverified" and rng.random() < 0.5 else _value(rng, kind)
            new = (f"      - value: {new_value}\n        from: {switch}\n"
                   f"        basis: {{instrument: {code}-law-{law}-new, article: {q(f'Art. {rng.randint(1, 99)}') if rng.random() < 0.8 else 'null'}}}\n"
                   f"        status: {status}\n"
                   + (f"        sources: [{q(f'https://example.org/{code}/{key}/new')}]\n" if status != "unverified" else
                      "        status_note: synthetic gap\n"))
            measure_line = f"    measure: {key}\n" if suffix else ""
            per_domain[DOMAINS[i % len(DOMAINS)]].append(f"  {key}{suffix}:\n{measure_line}{cond}    values:\n{old}{new}")
    for d, provisions in per_domain.items():
        files[f"{d}.yaml"] = f"{HEADER}jurisdiction: {code}\nprovisions:\n" + "".join(provisions)
    return files


def generate(out: Path, countries: int, measures: int, seed: int) -> list[str]:
    """Write the tree; returns the country codes."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    text, kinds = catalogue(rng, measures)
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
