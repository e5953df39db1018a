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


def _park_block(md: str, index: int) -> str:
    start = md.index(f"### 1.{index} ")
    nxt = md.find("\n### ", start + 1)
    end = md.index("\n## 2.")
    return md[start:min(nxt, end) if nxt != -1 else end]


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
    md = (out / name).read_text(encoding="utf-8")
    for i, r in enumerate(_results(out), 1):
        block = _park_block(md, i)
        o, c = r["overall"], r["coverage"]
        assert (f"Overall compatibility {_num(o['score'])} out of 100, between {_num(o['lower'])} and "
                f"{_num(o['upper'])} depending on the measures not scored; {c['scored']} of "
                f"{c['measures_compared']} measures scored ({round(o['coverage'] * 100)} % of the catalogue weight)"
                ).replace(" %", "\u00a0%") in block, r["park"]["id"]
        # the three largest real gaps, largest first, with both sides' values and their legal basis
        gaps = sorted((g for g in r["gaps"] if g["points_lost"] > 0), key=lambda g: (-g["points_lost"], g["measure"]))
        lines = [x for x in block.splitlines() if re.match(r"\d\. \*\*", x)]
        for line, g in zip(lines[:3], gaps[:3]):
            assert f"— {_num(g['points_lost'], 2)} points off the full scale" in line, (r["park"]["id"], g["measure"])
            for side in (g["a"], g["b"]):
                if side["value"] is not None:
                    sv = side["value"]  # shown as the report renders it from the typed value (its label, else words)
                    measure = _catalogue().measures.get(g["measure"])
                    shown = (option_label(measure, sv["value"], "en")
                             or value_words("en").value(measure, sv["value"], up_to=sv.get("up_to", False),
                                                        absent=sv.get("absent", False)))
                    assert f"**{shown['text']}**".replace("\xa0", " ") in line.replace("\xa0", " "), (g["measure"], shown)
                    basis = side["value"]["basis"]
                    if basis["number"]:
                        assert f"`{basis['number']}`" in line
                    else:  # no number: the instrument's title, never its id
                        assert basis["instrument"] not in line
        # the first five actions and the points each recovers: its measures' contributions, read here
        contrib = {m["measure"]: m["contribution"] for m in r["measures"]}
        actions = [x for x in block.splitlines() if re.match(r"\d\. \*\*", x)][3:] if gaps else []
        gains = []
        for line, item in zip(actions, r["roadmap"][:5]):
            gain = math.fsum(contrib.get(m, 0.0) for m in item["measures"])
            gains.append(gain)
            assert f"+{_num(gain, 2)} points, instruments to change: {item['changes']}" in line, item["measure"]
        assert len(gains) == min(5, len(r["roadmap"]))
        assert (f"from {_num(o['score'])} to {_num(o['score'] + math.fsum(gains))}") in block
        # one line on data confidence, its counts from the result
        counts = {k: sum(v.get(k, 0) for v in c["values_by_status"].values())
                  for k in ("verified", "secondary", "unverified", "none")}
        assert (f"of {sum(counts.values())} values compared, {counts['verified']} are verified, "
                f"{counts['secondary']} rest on a secondary source, {counts['unverified']} are unverified and "
                f"{counts['none']} have no value") in block


def test_roadmap_states_target_and_instruments(out):
    md = (out / "full" / "report.en.md").read_text(encoding="utf-8")
    section = md[md.index("## 2. Roadmap"):md.index("## 3. ")]
    assert "align on the more favourable value" not in section
    for r in _results(out):
        assert f"_{len(r['roadmap'])} actions, ranked by points recovered per instrument changed_" in section
    assert section.count(" moves to ") >= 5


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
    assert heads[:4] == ["1. Key findings", "2. Roadmap", "3. Scores and gaps by park", "4. Measures side by side"]
    for part in ("A. Sources: instruments cited", "B. Method and its limits", "C. Weights and their rationale",
                 "D. Acronyms", "E. Research notes", "F. Data appendix: identifiers and data version"):
        assert f"<summary>{part}</summary>" in md
    for acronym in ("CIT", "EATR", "METR", "WHT", "SEZ", "EPZ", "DTA", "ACIA", "ATIGA"):
        assert f"- **{acronym}**: " in md
    assert "statutory rules" in md
    html = (out / "full" / "report.en.html").read_text(encoding="utf-8")
    band = html[html.index('<header class="doc">'):html.index("</header>")]
    assert "commit" not in band and "Draft for discussion" in band
    assert 'href="report.vi.html"' in band and 'hreflang="lo"' in band
    # measure-by-measure tables are collapsed on screen; no 0.00 points for a row not scored
    measures = html[html.index('<section id="measures"'):html.index('<section id="scenarios"')]
    assert measures.count('<details class="measures">') >= 7
    assert "<code>wht_dividends</code>" not in html[:html.index('<h3 id="data">')]


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
