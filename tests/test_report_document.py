"""The report as a document (issue 16): key findings read from the result, the cross-park comparison
that refuses to rank unequal coverage, the document apparatus from report.yaml, the pull-request
edition's size, and byte-identical output across runs."""

from __future__ import annotations

import functools
import json
import math
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmonize.cli import main
from harmonize.reporting.labels import option_label
from harmonize.reporting.values import value_words

from conftest import POLICIES
from test_report import AS_OF

LIMIT = 60_000  # the pull-request edition; GitHub refuses a comment over 65,536 characters


def _run(args: list[str]) -> int:
    return main(["report", *args, "--as-of", AS_OF])


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("reportdoc")
    assert _run([str(POLICIES), "--out-dir", str(d / "full")]) == 0
    assert _run([str(POLICIES), "--out-dir", str(d / "summary"), "--format", "md", "--summary"]) == 0
    return d


def _results(out: Path) -> list[dict]:
    return [s["check"] for s in json.loads((out / "full" / "report.json").read_text(encoding="utf-8"))["parks"]]


def _num(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def _section(md: str, head: str) -> str:
    start = md.index(f"\n## {head}")
    return md[start:md.index("\n## ", start + 1)]


def _pairs(results: list[dict]) -> list[list[tuple[int, dict]]]:
    """The results by pair of countries (either order), numbered as the report numbers parks (1, 2, …)."""
    groups: list[list[tuple[int, dict]]] = []
    for no, r in enumerate(results, 1):
        g = next((g for g in groups if set(g[0][1]["pair"]) == set(r["pair"])), None)
        if g is None:
            groups.append([(no, r)])
        else:
            g.append((no, r))
    return groups


def _gain(r: dict, item: dict) -> float:
    """Points an action recovers: its measures' contributions, read from the result."""
    contrib = {m["measure"]: m["contribution"] for m in r["measures"]}
    return math.fsum(contrib.get(m, 0.0) for m in item["measures"])


def _cell(r: dict, measure: str) -> str:
    """A park's points on a measure in the cross-park tables: its gap's points off the full scale (as its
    gap list counts them), 0 for a measure scored equal, or not scored."""
    gap = next((g for g in r["gaps"] if g["measure"] == measure and g["points_lost"] > 0), None)
    if gap is not None:
        return _num(gap["points_lost"], 2)
    row = next(m for m in r["measures"] if m["measure"] == measure)
    return _num(row["contribution"], 2) if row["scored"] else "_not scored_"


def _shown(measure: str, sv: dict) -> str:
    m = _catalogue().measures.get(measure)
    return (option_label(m, sv["value"], "en") or value_words("en").value(
        m, sv["value"], up_to=sv.get("up_to", False), absent=sv.get("absent", False)))["text"]


def test_overall_score_is_100_minus_the_contributions(out):
    """The property the key findings rest on: closing a measure raises the score by its contribution."""
    for r in _results(out):
        if r["overall"]["score"] is None:
            continue
        total = math.fsum(m["contribution"] for m in r["measures"])
        assert abs(100 - total - r["overall"]["score"]) < 1e-9, r["park"]["id"]


@functools.lru_cache(maxsize=1)
def _catalogue():
    from harmonize.cli.args import load_or_fail

    return load_or_fail(POLICIES).catalogue


@pytest.mark.parametrize("name", ["full/report.en.md", "summary/report.en.summary.md"])
def test_key_findings_numbers_are_the_results_numbers(out, name):
    """The parks side by side: score, bounds, coverage, data confidence and the score after the first
    five actions, each read here from the result; then per pair of countries its three largest gaps,
    with the points in each park and both sides' values and legal basis."""
    md = (out / name).read_text(encoding="utf-8")
    flat = md.replace("\xa0", " ")
    results = _results(out)
    for no, r in enumerate(results, 1):
        o, c = r["overall"], r["coverage"]
        row = next(x for x in flat.splitlines() if x.startswith(f"| {no} | "))
        counts = {k: sum(v.get(k, 0) for v in c["values_by_status"].values())
                  for k in ("verified", "secondary", "unverified", "none")}
        a = r["after_actions"]  # the engine's re-score with the first five actions' gaps closed
        # the shipped actions close different measures, each scored today: their points add up
        assert math.isclose(a["score"], o["score"] + math.fsum(_gain(r, item) for item in r["roadmap"][:5]))
        assert (f"| **{_num(o['score'])}** / 100 | {_num(o['lower'])}–{_num(o['upper'])} | "
                f"{c['scored']} of {c['measures_compared']} ({round(o['coverage'] * 100)} %) | "
                f"{counts['verified']} of {sum(counts.values())} values verified; ◐ {counts['secondary']} · "
                f"⚠ {counts['unverified']} · ∅ {counts['none']} | {_num(a['score'])} ({_num(a['lower'])}–"
                f"{_num(a['upper'])}; +{_num(a['gain'], 2)} points) |") in row, (r["park"]["id"], row)
    findings = _section(flat, "1. Key findings")
    for gi, group in enumerate(_pairs(results), 1):
        start = findings.index(f"### 1.{gi} ")
        block = findings[start:findings.find("\n### ", start + 1) if "\n### " in findings[start + 1:] else None]
        worst: dict[str, float] = {}
        for _, r in group:
            for g in r["gaps"]:
                if g["points_lost"] > 0:
                    worst[g["measure"]] = max(worst.get(g["measure"], 0.0), g["points_lost"])
        top = sorted(worst, key=lambda m: (-worst[m], m))[:3]
        lines = [x for x in block.splitlines() if re.match(r"\d\. \*\*", x)]
        assert len(lines) == len(top)
        for line, measure in zip(lines, top):
            for no, r in group:
                assert f"Park {no} {_cell(r, measure)}" in line, (measure, no)
                gap = next((g for g in r["gaps"] if g["measure"] == measure and g["points_lost"] > 0), None)
                for side in (gap["a"], gap["b"]) if gap else ():
                    if side["value"] is not None:
                        assert f"**{_shown(measure, side['value'])}**".replace("\xa0", " ") in line, (measure, no)
                        basis = side["value"]["basis"]
                        if basis["number"]:
                            assert f"`{basis['number']}`" in line
                        else:  # no number: the instrument's title, never its id
                            assert basis["instrument"] not in line


def test_roadmap_first_actions_and_the_full_roadmap(out):
    """Section 2 shows every action among the first five of a park, with the points it recovers and its
    rank in that park; the count of rows left out is the result's; Annex A has every row of every park."""
    md = (out / "full" / "report.en.md").read_text(encoding="utf-8").replace("\xa0", " ")
    results = _results(out)
    section = _section(md, "2. Roadmap: first things first")
    assert "align on the more favourable value" not in section
    assert section.count(" moves to ") >= 5
    for no, r in enumerate(results, 1):
        for item in r["roadmap"][:5]:
            assert f"Park {no}: +{_num(_gain(r, item), 2)} (#{item['rank']})" in section, (no, item["measure"])
    total = sum(len(r["roadmap"]) for r in results)
    shown = len(re.findall(r"Park \d+: \+", section))
    assert f"in Annex A: {total} rows for {len(results)} parks, {total - shown} of them not shown here" in section
    annex = md[md.index("<summary>A. Full roadmap by park</summary>"):md.index("<summary>B. ")]
    for no, r in enumerate(results, 1):
        start = annex.index(f"#### A.{no} ")
        block = annex[start:annex.find("\n#### ", start + 1)]
        assert f"_{len(r['roadmap'])} actions, ranked by points recovered per instrument changed_" in block
        rows = [x for x in block.splitlines() if re.match(r"\| \d+ \| ", x)]
        assert len(rows) == len(r["roadmap"])
        for line, item in zip(rows, r["roadmap"]):
            assert line.startswith(f"| {item['rank']} | ")
            assert f"| {_num(_gain(r, item), 2)} | {item['changes']} |" in line


def test_cross_park_tables_are_the_results(out):
    """Scores by domain and park, and each pair's gaps by park, in the Markdown and the HTML."""
    md = (out / "full" / "report.en.md").read_text(encoding="utf-8").replace("\xa0", " ")
    html = (out / "full" / "report.en.html").read_text(encoding="utf-8").replace("\xa0", " ")
    body = html[:html.index('<section id="appendix"')]
    matrix = html[body.index('<table class="stack domains">'):body.index("</table>", body.index('<table class="stack domains">'))]
    html_rows = re.findall(r"<tr><th scope=\"row\">Park (\d+)</th>(.*?)</tr>", matrix)
    results = _results(out)
    assert [int(n) for n, _ in html_rows] == list(range(1, len(results) + 1))
    for no, r in enumerate(results, 1):
        row = next(x for x in md.splitlines() if x.startswith(f"| Park {no} | "))
        cells = [x.strip() for x in row.strip("|").split("|")][1:]
        html_cells = re.findall(r"<td [^>]*>(.*?)</td>", html_rows[no - 1][1])
        for d, cell, hcell in zip(r["domains"], cells, html_cells):
            n = d["measures_scored"] + d["measures_unscored"]
            score = "not scored" if d["score"] is None else _num(d["score"])
            assert cell.startswith(f"{score} ({d['measures_scored']}/{n}"), (no, d["domain"], cell)
            shown, _, mark = re.sub(r"<[^>]+>", "", hcell.replace("<br>", "|")).partition("|")
            assert shown == score and mark.startswith(f"{d['measures_scored']}/{n}"), (no, hcell)
        assert cells[-1] == f"**{_num(r['overall']['score'])}** ({r['coverage']['scored']}/{r['coverage']['measures_compared']})"
    for gi, group in enumerate(_pairs(results), 1):
        start = md.index(f"\n### 3.{gi} ")
        block = md[start:md.index("\n### ", start + 1)]
        measures = sorted({g["measure"] for _, r in group for g in r["gaps"] if g["points_lost"] > 0})
        rows = [x for x in block.splitlines() if x.startswith("| ") and not x.startswith(("| Gap", "|---"))]
        assert len(rows) == len(measures)
        for line in rows:
            cells = [x.strip() for x in line.strip("|").split("|")]
            measure = next(m for m in measures
                           if _catalogue().measures[m].title.en == cells[0] or cells[0].startswith(_catalogue().measures[m].title.en))
            for (no, r), cell in zip(group, cells[1:-1]):
                assert cell == _cell(r, measure), (no, measure)


def test_parks_of_unequal_coverage_are_not_ranked(out):
    from harmonize.reporting.settings import ReportSettings

    threshold = ReportSettings().comparison.max_coverage_difference * 100  # what policies/report.yaml sets
    covs = [r["overall"]["coverage"] * 100 for r in _results(out)]
    md = (out / "full" / "report.en.md").read_text(encoding="utf-8")
    if max(covs) - min(covs) > threshold:
        assert "The parks are not ranked against each other" in md
        assert f"{max(covs) - min(covs):.1f} points apart" in md
        assert "Ranked by overall compatibility" not in md
    else:
        assert "Ranked by overall compatibility" in md


def test_compare_parks_ranks_only_comparable_coverage():
    from harmonize.reporting.findings import compare_parks

    def park(pid, score, cov, provisional=False):
        return {"id": pid, "title": {"text": pid}, "score": score, "coverage": cov, "provisional": provisional}

    close = compare_parks([park("a", 60.0, 80.0), park("b", 70.0, 75.0)], 0.10)
    assert close["ranked"] and [p["id"] for p in close["order"]] == ["b", "a"]
    apart = compare_parks([park("a", 60.0, 90.0), park("b", 70.0, 75.0)], 0.10)
    assert not apart["ranked"] and apart["reason"] == "coverage" and apart["spread"] == 15.0
    assert apart["low"]["id"] == "b" and apart["high"]["id"] == "a"
    prov = compare_parks([park("a", 60.0, 80.0), park("b", 70.0, 79.0, provisional=True)], 0.10)
    assert not prov["ranked"] and prov["reason"] == "provisional"
    assert compare_parks([park("a", 60.0, 80.0)], 0.10)["reason"] == "single"


@pytest.mark.parametrize("lang", ["en", "vi", "lo", "km"])
def test_pull_request_edition_fits_a_comment(out, lang):
    md = (out / "summary" / f"report.{lang}.summary.md").read_text(encoding="utf-8")
    assert len(md) < LIMIT, len(md)
    assert "](report.en.html)" in md  # the link to the full report
    assert "## 2. " in md and "## 3. " in md  # roadmap and coverage
    assert "<https://" in md and not re.search(r"\]\(https?://", md)  # sources as a numbered list
    numbers = [int(n) for n in re.findall(r"^(\d+)\. <https?://", md[md.rindex("\n## "):], flags=re.M)]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    cited = {int(n) for n in re.findall(r"· \[(\d+)\]", md)}
    assert cited and cited <= set(numbers)  # every number cited is in the list


def test_summary_needs_markdown():
    assert _run([str(POLICIES), "--format", "html", "--summary"]) == 2


def test_full_report_has_the_structure(out):
    md = (out / "full" / "report.en.md").read_text(encoding="utf-8")
    heads = re.findall(r"^## (.+)$", md, flags=re.M)
    assert heads[:5] == ["1. Key findings", "2. Roadmap: first things first", "3. Scores and gaps across parks",
                         "4. Investor scenarios (illustrative)", "Appendices"]
    annexes = re.findall(r"<summary>([A-Z])\. (.+?)</summary>", md)
    assert annexes == [(chr(ord("A") + i), t) for i, t in enumerate((
        "Full roadmap by park", "Scores and gaps by park", "Measures side by side",
        "Parks of three: agreement per measure", "Investor scenarios year by year", "Sources: instruments cited",
        "Method and its limits", "Weights and their rationale", "Acronyms", "Research notes",
        "Data appendix: identifiers and data version", "Sources cited by the values"))]
    for acronym in ("CIT", "EATR", "METR", "WHT", "SEZ", "EPZ", "DTA", "ACIA", "ATIGA"):
        assert f"- **{acronym}**: " in md
    assert "statutory rules" in md
    html = (out / "full" / "report.en.html").read_text(encoding="utf-8")
    band = html[html.index('<header class="doc">'):html.index("</header>")]
    assert "commit" not in band and "Draft for discussion" in band
    assert 'href="report.vi.html"' in band and 'hreflang="lo"' in band
    # the HTML annexes in the same order, lettered alike, each in the table of contents
    toc = html[html.index('<nav class="toc"'):html.index("</nav>")]
    assert re.findall(r'<a href="#[^"]+">([A-Z])\. ', toc) == [a for a, _ in annexes]
    # the measure-by-measure tables, the full roadmap and the tax by year are annexes, collapsed on screen
    body, appendix = html[:html.index('<section id="appendix"')], html[html.index('<section id="appendix"'):]
    for part in ('<details class="measures">', '-roadmap">A.', "tax by year", "Values to verify before they can be scored"):
        assert part not in body and part in appendix, part
    measures = appendix[appendix.index('<section id="measures"'):appendix.index('<section id="annex-joints"')]
    assert measures.count('<details class="measures">') >= 7
    assert "<code>wht_dividends</code>" not in html[:html.index('<h3 id="data">')]


def test_every_in_page_link_resolves_in_every_language(out):
    for lang in ("en", "vi", "lo", "km"):
        html = (out / "full" / f"report.{lang}.html").read_text(encoding="utf-8")
        ids = re.findall(r' id="([^"]+)"', html)
        assert len(ids) == len(set(ids)), lang
        missing = sorted(set(re.findall(r'href="#([^"]*)"', html)) - set(ids))
        assert missing == [], (lang, missing)


def test_report_settings_are_shown_and_checked(tmp_path):
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    (tree / "report.yaml").write_text(
        "status: consultation\nissuing_body: {en: Joint working group, vi: Tổ công tác chung}\n"
        "issued: 2026-03-02\ninformation_cutoff: 2026-02-15\n", encoding="utf-8")
    md_file = tmp_path / "r.md"
    assert main(["report", str(tree), "--as-of", AS_OF, "--park", "lao-bao-densavanh", "--lang", "vi",
                 "--out", str(md_file)]) == 0
    md = md_file.read_text(encoding="utf-8")
    assert "**Để lấy ý kiến** · Tổ công tác chung" in md
    assert "ban hành ngày 02 tháng 3 năm 2026" in md and "ngày 15 tháng 02 năm 2026" in md  # Decree 30/2020 style
    (tree / "report.yaml").write_text("status: published\nisued: 2026-03-02\n", encoding="utf-8")
    assert main(["report", str(tree), "--as-of", AS_OF, "--park", "lao-bao-densavanh"]) == 2
    (tree / "report.yaml").write_text("editions: {en: 'javascript:alert(1)'}\n", encoding="utf-8")
    assert main(["report", str(tree), "--as-of", AS_OF, "--park", "lao-bao-densavanh"]) == 2


def test_bad_settings_give_a_located_message(tmp_path, capsys):
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    cases = {"status: published\n": "report.yaml:1:9: S204 status:",  # the value, located
             "comparison:\n  max_coverage_difference: 2\n": "report.yaml:2:28: S204 comparison.max_coverage_difference",
             "stauts: draft\n": "report.yaml:1:1: S201 unknown key 'stauts'",
             "issued: 2026-13-01\n": "report.yaml:1:9: S204 '2026-13-01' is not a date",
             "- draft\n": "report.yaml:1:1: S203",
             "status: [draft\n": "report.yaml:2:1: Y110"}
    for text, expected in cases.items():
        (tree / "report.yaml").write_text(text, encoding="utf-8")
        assert main(["report", str(tree), "--as-of", AS_OF, "--park", "lao-bao-densavanh"]) == 2, text
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err, (text, err)


def test_rates_are_never_rounded_to_whole_percent():
    from harmonize.reporting.i18n import environment

    for tpl in ("report/_md.md.j2", "report/_html.html.j2"):
        t = environment("en").from_string('{%- import "' + tpl + '" as m with context -%}'
                                          '{{ m.rate(8.5) }}|{{ m.rate(20) }}|{{ m.rate(12.25) }}|{{ m.rate(none) }}')
        assert t.render(lang="en", r={}) == "8.5\u00a0%|20\u00a0%|12.25\u00a0%|–"


def test_reports_are_byte_identical_across_runs(out, tmp_path):
    again = tmp_path / "again"
    assert _run([str(POLICIES), "--out-dir", str(again / "full"), "--format", "all", "--lang", "all"]) == 0
    assert _run([str(POLICIES), "--out-dir", str(again / "summary"), "--format", "md", "--summary"]) == 0
    for sub in ("full", "summary"):
        names = sorted(p.name for p in (out / sub).iterdir())
        assert names == sorted(p.name for p in (again / sub).iterdir())
        for name in names:
            assert (out / sub / name).read_bytes() == (again / sub / name).read_bytes(), name


@pytest.mark.parametrize("lang", ["en", "vi", "lo", "km"])
def test_every_source_url_has_one_number_in_every_edition(out, lang):
    """One numbered source list in the view: each URL has the same number in the Markdown list, the
    Markdown citations, the HTML (print) list, the HTML links and the pull-request edition."""
    import html as html_lib

    from harmonize.reporting.notes import md_url

    md = (out / "full" / f"report.{lang}.md").read_text(encoding="utf-8")
    html = (out / "full" / f"report.{lang}.html").read_text(encoding="utf-8")
    summary = (out / "summary" / f"report.{lang}.summary.md").read_text(encoding="utf-8")
    md_list = {u: n for n, u in re.findall(r"^(\d+)\. <(https?://[^>]+)>$", md, flags=re.M)}
    html_list = {md_url(html_lib.unescape(u)): n
                 for n, u in re.findall(r'<li id="source-(\d+)" value="\d+"><a href="([^"]+)"', html)}
    assert len(md_list) > 100 and md_list == html_list  # every URL, and the same number for each
    assert sorted(int(n) for n in md_list.values()) == list(range(1, len(md_list) + 1))
    links = re.findall(r'<a class="src" href="([^"]+)"[^>]* data-n="(\d+)"', html)
    assert len(links) > 100 and all(html_list[md_url(html_lib.unescape(u))] == n for u, n in links)
    refs = re.findall(r"\[(\d+)\]\((https?://[^)\s]+)\)", md)  # the instruments' sources, linked
    assert len(refs) > 50 and all(md_list[u] == n for n, u in refs)
    cited = {n for n in re.findall(r" · \[(\d+)\]", md)}  # a value's source, by number
    assert cited and cited <= set(md_list.values())
    english = (out / "full" / "report.en.md").read_text(encoding="utf-8")
    assert md_list == {u: n for n, u in re.findall(r"^(\d+)\. <(https?://[^>]+)>$", english, flags=re.M)}
    short = {u: n for n, u in re.findall(r"^(\d+)\. <(https?://[^>]+)>$", summary, flags=re.M)}
    assert short and all(md_list[u] == n for u, n in short.items())


ENGLISH_VALUE_WORDS = re.compile(r"\b(years?|months?|days?|yes|no|none|exempt|reduced|taxed|thereafter|package|"
                                 r"counted|case by case|no such rule|[0-9]+y)\b", re.I)


def _target_pattern(lang: str) -> re.Pattern:
    """The report's own sentence for a target ("X moves to V (the value of Y)") with V captured."""
    from harmonize.reporting.i18n import translations

    sentence = translations(lang).gettext("%(who)s moves to %(value)s (the value of %(from)s)")
    parts = re.split(r"%\((\w+)\)s", sentence)
    rx = "".join(re.escape(x) if i % 2 == 0 else ("(?P<value>.+?)" if x == "value" else ".+?")
                 for i, x in enumerate(parts))
    return re.compile(rx)


@pytest.mark.parametrize("lang", ["vi", "lo", "km"])
def test_roadmap_targets_read_in_the_reports_language(out, lang):
    """Every target value in the key findings and the roadmap is rendered from the typed value in the
    report's language; the JSON keeps the same target as an English display and as data."""
    md = (out / "full" / f"report.{lang}.md").read_text(encoding="utf-8")
    values = [m.group("value") for m in _target_pattern(lang).finditer(md)]
    assert len(values) > 20
    english = [v for v in values if ENGLISH_VALUE_WORDS.search(v)]
    assert english == []
    # the same targets in the JSON: an English display, and the typed value the reports render
    shown_en = []
    for park in json.loads((out / "full" / "report.json").read_text(encoding="utf-8"))["parks"]:
        r = park["check"]
        for item in r["roadmap"]:
            gap = next(g for g in r["gaps"] if g["measure"] == item["measure"])
            t = next(o for o in gap["options"] if o["kind"] == item["option"])["target"]
            assert t["typed"] is not None or t["typed_candidates"]
            if t["typed"] is not None and t["value"] is not None:
                shown_en.append(t["value"])
                if t["typed"]["eatr"] is not None:
                    assert t["value"].startswith(f"a package with EATR {t['typed']['eatr']:.2f} %")
    assert any(ENGLISH_VALUE_WORDS.search(v) for v in shown_en)  # e.g. "yes", "4y exempt + 9y ..."


def test_the_action_posts_the_pull_request_edition():
    action = (Path(__file__).resolve().parents[1] / "action.yml").read_text(encoding="utf-8")
    assert "--format md --summary" in action and "--full-report" in action
    assert "-lt 60000" in action  # the comment takes it only while the whole body fits


def test_a_source_number_means_the_same_source_in_every_edition(out):
    """The Markdown editions' numbered sources and the HTML (print) source list number alike: [n] in a
    pull-request comment and n in the printed PDF name one URL."""
    md = (out / "full" / "report.en.md").read_text(encoding="utf-8")
    html = (out / "full" / "report.en.html").read_text(encoding="utf-8")
    md_list = dict(re.findall(r"^(\d+)\. <(https?://[^>]+)>$", md, flags=re.M))
    html_list = dict(re.findall(r'<li id="source-(\d+)" value="\d+"><a href="([^"]+)"', html))
    assert len(md_list) > 50
    import html as html_lib

    assert {n: u for n, u in md_list.items()} == {n: html_lib.unescape(u) for n, u in html_list.items() if n in md_list}


# --- report.json's text: document.dumps gives json.dumps's bytes --------------------------------

def _stock(data) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)


def test_dumps_is_json_dumps_on_the_report(out):
    from harmonize.reporting.document import dumps

    data = json.loads((out / "full" / "report.json").read_text(encoding="utf-8"))
    assert dumps(data) == _stock(data)


_leaf = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
         | st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFFF)))
_keys = st.text(max_size=6) | st.integers() | st.booleans() | st.none() | st.floats()


@settings(max_examples=300, deadline=None)
@given(st.recursive(_leaf, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=4)
                    | st.dictionaries(_keys, inner, max_size=3), max_leaves=30))
def test_dumps_is_json_dumps_on_any_data(data):
    from harmonize.reporting.document import dumps

    try:
        expected = _stock(data)
    except (TypeError, ValueError) as exc:  # what json.dumps refuses, dumps refuses the same way
        with pytest.raises(type(exc)):
            dumps(data)
        return
    assert dumps(data) == expected
