"""Source tiers (policies/sources.yaml): how a URL gets its tier, the R317 warning on a verified value
that rests only on low-tier sources, and the best tier carried in check results."""

from __future__ import annotations

import json

import pytest

from conftest import POLICIES, problems, replace_once
from harmonize.policy.loader import load_tree
from harmonize.policy.models import Status
from harmonize.policy.sources import LOW_TIERS, SourceTiersFile, Tier, host_of, value_sources


@pytest.fixture(scope="module")
def ps():
    loaded = load_tree(POLICIES)
    assert loaded.ok and loaded.source_tiers is not None
    return loaded


def test_prefix_beats_host_and_the_longest_prefix_wins():
    t = SourceTiersFile(default=Tier.other,
                        hosts={"github.com": Tier.other, "gov.vn": Tier.official, "pwc.com": Tier.law_firm},
                        prefixes={"https://github.com/a/law-texts/": Tier.unofficial_copy,
                                  "https://github.com/a/law-texts/summaries/": Tier.other})
    assert t.tier_of("https://github.com/a/law-texts/decree.pdf") is Tier.unofficial_copy
    assert t.tier_of("https://github.com/a/law-texts/summaries/x.md") is Tier.other
    assert t.tier_of("https://github.com/b/notes") is Tier.other
    assert t.tier_of("https://en.hungyen.gov.vn/portal/x") is Tier.official  # subdomain of a listed host
    assert t.tier_of("https://www.taxsummaries.pwc.com:443/lao-pdr") is Tier.law_firm
    assert t.tier_of("https://notgov.vn/x") is Tier.other  # a suffix match is by whole labels only
    assert t.best(["https://github.com/b/notes", "https://taxsummaries.pwc.com/x"]) is Tier.law_firm
    assert t.best([]) is None


def test_host_of_strips_scheme_port_and_www():
    assert host_of("HTTPS://WWW.Example.com:8080/a?b") == "example.com"


def test_tiers_are_ordered_strongest_first():
    ranks = [t.rank for t in (Tier.official, Tier.international, Tier.unofficial_copy, Tier.law_firm, Tier.press,
                              Tier.other)]
    assert ranks == sorted(ranks) and len(set(ranks)) == 6
    assert LOW_TIERS == {Tier.press, Tier.other}


def test_every_source_host_of_the_shipped_policies_is_classified(ps):
    """A new site must be given a tier on purpose, not fall to the default."""
    unlisted = set()
    for j in ps.jurisdictions.values():
        urls = [u for inst in j.instruments.values() for u in inst.sources]
        urls += [u for prov in j.provisions.values() for v in prov.values for u in v.sources]
        unlisted |= {host_of(u) for u in urls if ps.source_tiers.match(u)[1] is None}
    assert not unlisted, f"add these hosts to policies/sources.yaml: {sorted(unlisted)}"


def test_no_shipped_verified_value_rests_on_a_single_low_tier_source(ps):
    for j in ps.jurisdictions.values():
        for pid, prov in j.provisions.items():
            for v in prov.values:
                urls = value_sources(j.instruments, v)
                if v.status is Status.verified and len(urls) == 1:
                    assert ps.source_tiers.tier_of(urls[0]) not in LOW_TIERS, (j.code, pid, urls)


def test_the_weak_sources_named_in_issue_12_show_a_low_tier(ps):
    for url in ("https://github.com/tnt305/tai_lieu_noi_bo/blob/main/src/etl/dataset/x.md",
                "https://docs.rs/legalis-vn", "https://kipdf.com/x", "http://ipkomododragon.blogspot.com/x",
                "https://sitetest.rouse.com/insights/x"):
        assert ps.source_tiers.tier_of(url) is Tier.other, url


def _only_source(tree, path, provision_head, url):
    """Give the first value after ``provision_head`` in ``path`` a single source ``url``."""
    text = path.read_text(encoding="utf-8")
    start = text.index(provision_head)
    block = text.index("        sources:\n", start)
    end = text.index("\n", text.index("          - ", block))
    path.write_text(text[:block] + f"        sources:\n          - {url}" + text[end:], encoding="utf-8")


def test_a_verified_value_on_press_only_is_a_warning_not_an_error(tree, run):
    f = tree / "la" / "tax.yaml"
    # the Lao 10 % dividend WHT is verified on two PwC pages; leave it one press page
    text = f.read_text(encoding="utf-8")
    start = text.index("  wht_dividends:")
    old = text[text.index("        sources:\n", start):text.index("        note:", start)]
    replace_once(f, old, "        sources:\n          - https://www.vir.com.vn/some-news.html\n")
    status, out, _ = run("validate", tree)
    warned = [p for p in problems(out) if p[3] == "R317"]
    assert any("wht_dividends" in p[4] and "single low-tier source" in p[4] for p in warned), out
    assert status == 0 and "warning" in out  # printed and counted, exit code unchanged
    strict, _, _ = run("validate", "--strict", tree)
    assert strict == 1
    # the same value marked secondary is not a warning
    text = f.read_text(encoding="utf-8")
    i = text.index("  wht_dividends:")
    j = text.index("status: verified", i)
    f.write_text(text[:j] + "status: secondary" + text[j + len("status: verified"):], encoding="utf-8")
    status, out, _ = run("validate", tree)
    assert not any("wht_dividends" in p[4] for p in problems(out) if p[3] == "R317"), out


def test_validate_json_counts_warnings_apart(tree, run):
    status, out, _ = run("validate", "--format", "json", tree)
    data = json.loads(out)
    assert status == 0 and data["errors"] == 0
    assert data["warnings"] == sum(p["severity"] == "warning" for p in data["problems"])
    assert {p["code"] for p in data["problems"] if p["severity"] == "warning"} <= {"R317"}


def test_an_unknown_tier_in_sources_yaml_is_a_schema_error(tree, run):
    replace_once(tree / "sources.yaml", "  pwc.com: law_firm\n", "  pwc.com: big_four\n")
    status, out, _ = run("validate", tree)
    assert status == 1 and any(p[0].endswith("sources.yaml") and p[3] == "S204" for p in problems(out)), out


def test_check_results_carry_each_values_best_source_tier(run):
    status, out, _ = run("check", "--park", "ordinary-ip-zone2", "--format", "json")
    assert status in (0, 1), out
    data = json.loads(out)
    tiers = [alt.get("source_tier") for m in data["measures"] for side in ("a", "b")
             for alt in m[side]["alternatives"]]
    assert tiers and all(t in {x.value for x in Tier} for t in tiers if t is not None)
    assert sum(t is not None for t in tiers) >= len(tiers) * 0.9
