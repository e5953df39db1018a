"""``harmonize summary``: count values per jurisdiction, domain and verification status: what the
rule sets rest on."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..errors import EXIT_OK
from ..reporting.escape import one_line
from .args import DEFAULT_POLICIES, load_or_fail, parse_date

if TYPE_CHECKING:
    from ..policy.loader import PolicySet

STATUSES = ["verified", "secondary", "unverified"]  # policy.models.Status, in its order


def register(subparsers) -> None:
    p = subparsers.add_parser("summary", help="count values per jurisdiction, domain and verification status")
    p.add_argument("path", nargs="?", default=str(DEFAULT_POLICIES), metavar="PATH")
    p.add_argument("--as-of", default=None, metavar="DATE",
                   help="count only values in force on DATE (default: every dated value)")
    p.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:
    ps = load_or_fail(Path(args.path))
    sys.stdout.write(summary_table(ps, parse_date(args.as_of) if args.as_of else None))
    return EXIT_OK


def count_values(ps: PolicySet, as_of: Optional[date] = None) -> dict[str, dict[str, Counter]]:
    """{jurisdiction: {domain: Counter(status -> n)}}; all dated values, or those in force on ``as_of``."""
    from ..policy.query import value_in_force

    measures = ps.catalogue.measures if ps.catalogue else {}
    out: dict[str, dict[str, Counter]] = {}
    for code in sorted(ps.jurisdictions):
        j = ps.jurisdictions[code]
        per: dict[str, Counter] = {}
        for pid, prov in j.provisions.items():
            if ("provisions", pid) in j.inherited:  # counted once, in its multilateral layer
                continue
            key = prov.measure or pid
            m = measures.get(key) or j.local_measures.get(key)
            domain = m.domain.value if m else "unknown"
            values = prov.values if as_of is None else [v for v in [value_in_force(prov, as_of)[0]] if v]
            for v in values:
                per.setdefault(domain, Counter())[v.status.value] += 1
        out[code] = per
    return out


def summary_table(ps: PolicySet, as_of: Optional[date] = None) -> str:
    counts = count_values(ps, as_of)
    head = f"{'jurisdiction':<14}{'domain':<22}" + "".join(f"{s:>12}" for s in STATUSES) + f"{'total':>8}"
    lines = [f"Values {'in force on ' + str(as_of) if as_of else 'in the files (all dates)'}", head, "-" * len(head)]
    for code, per in counts.items():
        total = Counter()
        for domain in sorted(per):
            c = per[domain]
            total.update(c)
            lines.append(f"{code:<14}{domain:<22}" + "".join(f"{c[s]:>12}" for s in STATUSES) + f"{sum(c.values()):>8}")
        lines.append(f"{code:<14}{'(all)':<22}" + "".join(f"{total[s]:>12}" for s in STATUSES) + f"{sum(total.values()):>8}")
    return "".join(one_line(x) + "\n" for x in lines)
