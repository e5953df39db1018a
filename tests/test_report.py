"""``harmonize report``: the documents reviewers read, checked for what a reader would look for."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.engine.result import CheckResult

from conftest import POLICIES, replace_once

AS_OF = "2026-01-01"
PARK = "lao-bao-densavanh"


def _report(out_dir: Path, *args: str) -> None:
    code = main(["report", str(POLICIES), "--as-of", AS_OF, "--out-dir", str(out_dir), *args])
    assert code == 0


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """Every format and language for the shipped policies, every park."""
    out = tmp_path_factory.mktemp("reports")
    _report(out)
    return out


@pytest.fixture(scope="module")
def expected() -> dict:
    """The check results the report must show, computed independently of the report code."""
    from harmonize.cli.args import all_parks
    from harmonize.cli.args import load_or_fail, load_parameter_set
    from harmonize.engine.run import run_check

    ps = load_or_fail(POLICIES)
    return {pid: run_check(ps, pair, date.fromisoformat(AS_OF), park, park_id=pid,
                           params=load_parameter_set(ps.root))
            for park, pid, pair in all_parks(ps)}


def read(reports: Path, name: str) -> str:
    return (reports / name).read_text(encoding="utf-8")


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    p = Tags()
    p.feed(html)
    return p.tags


# --- files ------------------------------------------------------------------------------------


def test_out_dir_writes_every_file_atomically(reports):
    names = sorted(p.name for p in reports.iterdir())
    assert names == ["report.en.html", "report.en.md", "report.json", "report.km.html", "report.km.md",
                     "report.lo.html", "report.lo.md", "report.vi.html", "report.vi.md"]  # no temporary files left


def test_same_inputs_give_byte_identical_files(reports, tmp_path):
    _report(tmp_path)
    for p in reports.iterdir():
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name


def test_summary_printed_to_the_terminal(run, tmp_path, expected):
    code, out, _ = run("report", POLICIES, "--as-of", AS_OF, "--out-dir", tmp_path, "--lang", "en")
    assert code == 0
    r = expected[PARK]
    assert f"{PARK}: overall {r.overall.score:.1f} / 100" in out
    top = sorted((g for g in r.gaps if g.points_lost > 0), key=lambda g: -g.points_lost)[0]
    assert f"1. {top.title} ({top.measure})" in out
    assert "report.en.html" in out and "report.json" in out


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_shows_scores_gaps_and_citations(reports, expected):
    md = read(reports, "report.en.md")
    for pid, r in expected.items():
        assert f"**{r.overall.score:.1f}** / 100" in md, pid
    assert md.startswith("# Legal-framework compatibility report\n")
    assert "Law as of 1 January 2026" in md
    # the known gap: Viet Nam 0 % vs Lao PDR 10 % on dividends, with both legal bases; measure ids
    # only in the data appendix, sources as numbers into the numbered list
    measures = md[md.index("<summary>C. Measures side by side</summary>"):]
    row = next(line for line in measures.splitlines() if line.startswith("| Withholding tax on dividends paid abroad |"))
    assert "`wht_dividends`" not in row
    assert "**0 %**" in row and "**10 %**" in row
    assert "`103/2014/TT-BTC`" in row and "`67/NA`" in row
    assert "article not verified" in row
    listed = re.findall(r"^(\d+)\. <(https?://[^>]+)>$", md, flags=re.M)
    number = dict((url, n) for n, url in listed)["https://taxsummaries.pwc.com/lao-pdr/corporate/withholding-taxes"]
    assert f"· [{number}]" in row
    assert "| Withholding tax on dividends paid abroad | `wht_dividends` |" in md  # the data appendix
    assert row.rstrip(" |").endswith("Viet Nam")  # the more favourable side
    # unverified values are visibly marked; scenario table and disclaimer are there
    assert "⚠ **unverified**" in md
    assert "| Scenario | Side | Site (zones; sectors) | EATR | METR |" in md
    assert "**Illustrative assumptions**" in md
    assert "<details><summary>Taxation" in md
    # the top three gaps of each pair of countries, and the roadmap names instruments to amend
    assert md.count("The largest gaps:") == len({frozenset(r.pair) for r in expected.values()})
    assert "`67/NA` Law on Income Tax" in md


def test_markdown_methodology_comes_from_the_result(reports, expected):
    md = read(reports, "report.en.md")
    r = expected[PARK]
    assert f"critical ≥ {r.thresholds.critical:.1f}" in md
    assert f"±{r.sensitivity.variation * 100:.0f}" in md
    # the weights table: one weight per park, every cell a weight (the domain tables have scores and ranges)
    weights = next(line for line in md.splitlines()
                   if re.fullmatch(r"\| Taxation(?: \| \d+\.\d)+ \|", line) and line.count("|") == len(expected) + 2)
    assert f"{r.weights.domains['tax']:.1f}" in weights


def test_markdown_cells_never_break_the_table(reports):
    md = read(reports, "report.en.md")
    in_table = False
    for line in md.splitlines():
        if line.startswith("|---") or line.startswith("|---:"):
            in_table = True
            width = None
            continue
        if in_table and line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)
            width = width or len(cells)
            assert len(cells) == width, line
        else:
            in_table = False


# --- HTML -------------------------------------------------------------------------------------


def test_html_is_one_self_contained_accessible_file(reports, expected):
    html = read(reports, "report.en.html")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    found = tags(html)
    names = [t for t, _ in found]
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    assert not any(k.startswith("on") for _, a in found for k in a)
    assert not any("src" in a for _, a in found)
    assert "@import" not in html and "url(" not in html
    assert "@media print" in html and "Noto Sans Lao" in html and "Phetsarath OT" in html
    svgs = [a for t, a in found if t == "svg"]
    assert len(svgs) >= 1 + 4  # domain chart per park + one per scenario
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert html.count("<title id=") == len(svgs)
    ths = [a for t, a in found if t == "th"]
    assert ths and all("scope" in a for a in ths)
    assert html.count("<caption>") >= 10
    assert [t for t in names if t == "h1"] == ["h1"]
    for r in expected.values():
        assert f"<strong>{r.overall.score:.1f}</strong> / 100" in html
    assert 'class="badge b-unverified">⚠ unverified' in html
    assert "103/2014/TT-BTC" in html and "67/NA" in html
    assert 'href="https://taxsummaries.pwc.com/lao-pdr/corporate/withholding-taxes"' in html
    ids = [a["id"] for _, a in found if "id" in a]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for t, a in found:
        if t == "a" and "href" in a:
            # links out, in-page anchors, or the other language editions (report.yaml)
            assert a["href"].startswith(("#", "https://", "http://")) or re.fullmatch(
                r"report\.(en|vi|lo|km)\.html", a["href"]), a["href"]
            assert not a["href"].startswith("#") or a["href"][1:] in ids, a["href"]


def test_json_is_the_check_results_and_scenarios(reports, expected):
    doc = json.loads(read(reports, "report.json"))
    assert doc["report_version"] == "1.0" and doc["as_of"] == AS_OF
    got = {s["check"]["park"]["id"]: CheckResult.model_validate(s["check"]) for s in doc["parks"]}
    assert got.keys() == expected.keys()
    for pid, r in expected.items():
        assert got[pid].to_json() == r.to_json()
    sets = doc["scenarios"]
    assert sets[0]["pair"] == ["vn", "la"] and all(s["illustrative"] is True for s in sets)
    assert [s["pair"] for s in sets] == [["vn", "la"], ["vn", "kh"], ["kh", "la"]]  # one set per pair
    assert {s["scenario"] for s in sets[0]["results"]} >= {"electronics-assembly"}
    assert doc["provenance"]["policies"] == "policies"
    assert re.fullmatch(r"[0-9a-f]{40}", doc["provenance"]["commit"] or "")


def test_report_document_has_a_json_schema():
    from harmonize.reporting.document import ReportDocument

    schema = ReportDocument.model_json_schema()
    assert {"parks", "scenarios", "provenance", "as_of"} <= set(schema["properties"])


# --- languages --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, heading, date_text", [
    ("vi", "## 1. Những phát hiện chính", "ngày 01 tháng 01 năm 2026"),  # official style (Decree 30/2020/NĐ-CP)
    ("lo", "## 1. ຜົນການຄົ້ນພົບຫຼັກ", "1 ມັງກອນ 2026"),
])
def test_translated_reports(reports, expected, lang, heading, date_text):
    md = read(reports, f"report.{lang}.md")
    html = read(reports, f"report.{lang}.html")
    assert heading in md
    assert date_text in md and date_text in html
    score = f"{expected[PARK].overall.score:.1f}".replace(".", ",")
    assert f"**{score}** / 100" in md  # decimal comma in both locales
    assert f'<html lang="{lang}">' in html
    assert "Legal-framework compatibility report" not in md
    # text the policy files carry only in English is marked as such
    assert '<abbr class="tag-en" lang="en"' in html
    assert ' (EN)' in md


def test_vietnamese_titles_from_the_policy_files(reports):
    md = read(reports, "report.vi.md")
    assert "Thuế khấu trừ tại nguồn đối với cổ tức" in md  # catalogue title of wht_dividends, vi
    assert "Khu Lao Bảo" in md  # the park's Vietnamese title
    html = read(reports, "report.en.html")
    assert "Thuế khấu trừ" not in html


def test_every_message_is_translated():
    from babel.messages.pofile import read_po

    from harmonize.reporting.i18n import LOCALE_DIR, extract_messages, po_path

    wanted = {m for m, _ in extract_messages()}
    with (LOCALE_DIR / "harmonize.pot").open("rb") as fh:
        pot = {m.id for m in read_po(fh) if m.id}
    assert pot == wanted, "the .pot is stale: python -m harmonize.reporting.i18n"
    for lang in ("vi", "lo", "km"):
        with po_path(lang).open("rb") as fh:
            cat = read_po(fh, locale=lang)
        missing = sorted(m for m in wanted if not (cat.get(m) and cat.get(m).string and not cat.get(m).fuzzy))
        assert not missing, f"{lang}: untranslated {missing[:10]}"
        for m in wanted:
            want = set(re.findall(r"%\(\w+\)s", m))
            assert set(re.findall(r"%\(\w+\)s", cat.get(m).string)) == want, (lang, m)


def test_locale_formatting():
    from harmonize.reporting.formatting import Formatter

    assert Formatter("en").num(1234.56) == "1,234.6"
    assert Formatter("vi").num(1234.56) == "1.234,6"
    assert Formatter("lo").pct(12.5) == "12,5\u00a0%"
    assert Formatter("vi").date(date(2026, 1, 1)) == "ngày 01 tháng 01 năm 2026"
    assert Formatter("en").date(date(2026, 1, 1)) == "1 January 2026"


# --- options ----------------------------------------------------------------------------------


def test_single_file_to_stdout_and_out(run, tmp_path):
    code, out, _ = run("report", POLICIES, "--as-of", AS_OF, "--park", PARK, "--format", "md")
    assert code == 0 and out.startswith("# Legal-framework compatibility report")
    assert "Ordinary industrial park" not in out
    target = tmp_path / "one.html"
    code, _, err = run("report", POLICIES, "--as-of", AS_OF, "--park", PARK, "--format", "html", "--lang", "vi",
                       "--out", target)
    assert code == 0 and target.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="vi">')
    assert [p.name for p in tmp_path.iterdir()] == ["one.html"]


@pytest.mark.parametrize("args, message", [
    (["--format", "all"], "--out-dir"),
    (["--lang", "all", "--format", "html"], "--out-dir"),
    (["--as-of", "2026-13-01"], "not a date"),
    (["--park", "nowhere"], "no profile 'nowhere'"),
    (["--pair", "vn"], "--pair"),
    (["--baseline", "/nonexistent/result.json"], "--baseline"),
    (["--params", "nope"], "--params"),
    (["--out", "x.md", "--out-dir", "d"], ""),
])
def test_usage_errors_exit_2(run, args, message):
    code, out, err = run("report", POLICIES, *args)
    assert code == 2
    assert message in err


def test_baseline_adds_what_changed(run, tree, tmp_path):
    code, base, _ = run("check", tree, "--park", PARK, "--as-of", AS_OF, "--format", "json")
    assert code == 0
    baseline = tmp_path / "base.json"
    baseline.write_text(base, encoding="utf-8")
    # Laos lowers its dividend withholding tax to Viet Nam's 0 %
    text = (tree / "la" / "tax.yaml").read_text(encoding="utf-8")
    start = text.index("  wht_dividends:")
    (tree / "la" / "tax.yaml").write_text(text[:start] + text[start:].replace("- value: 10", "- value: 0", 1),
                                          encoding="utf-8")
    code, md, err = run("report", tree, "--park", PARK, "--as-of", AS_OF, "--baseline", baseline)
    assert code == 0, err
    assert "## 5. What changed since the baseline" in md
    section = md[md.index("## 5. What changed"):md.index("## Appendices")]
    assert "| Withholding tax on dividends paid abroad | resolved |" in section
    before = CheckResult.model_validate_json(base).overall.score
    assert f"| Overall | {before:.1f} |" in section
    # the same through report.json
    out = tmp_path / "out"
    assert run("report", tree, "--park", PARK, "--as-of", AS_OF, "--out-dir", out, "--lang", "en")[0] == 0
    code, md2, _ = run("report", tree, "--park", PARK, "--as-of", AS_OF, "--baseline", out / "report.json")
    assert code == 0 and "No gap changed." in md2


def test_provenance_outside_git(run, tmp_path):
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    code, md, _ = run("report", tree, "--park", PARK, "--as-of", AS_OF)
    assert code == 0
    assert "not in a git checkout" in md


def test_provenance_flags_uncommitted_policy_changes(tmp_path):
    import subprocess

    from harmonize.reporting.document import provenance

    repo = tmp_path / "repo"
    shutil.copytree(POLICIES, repo / "policies")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "policies"]):
        subprocess.run(["git", *cmd], cwd=repo, env=env, check=True)
    p = provenance(repo / "policies")
    assert p is not None and p.policies == "policies" and len(p.commit) == 40 and p.uncommitted_changes is False
    replace_once(repo / "policies" / "la" / "tax.yaml", "- value: 10", "- value: 11")
    assert provenance(repo / "policies").uncommitted_changes is True


# --- hostile text -----------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> [click](javascript:alert(1))'


def hostile_tree(tree: Path) -> Path:
    """Policy titles and notes carrying script, an attribute break-out and a javascript: link."""
    replace_once(tree / "catalogue.yaml", "title: {en: Withholding tax on dividends paid abroad,",
                 f"title: {{en: {json.dumps('Dividends ' + HOSTILE)},")
    replace_once(tree / "la" / "instruments.yaml", "title: {en: Law on Income Tax,",
                 f"title: {{en: {json.dumps('Income tax ' + HOSTILE)},")
    tax = tree / "la" / "tax.yaml"
    text = tax.read_text(encoding="utf-8")
    text = re.sub(r"note: Includes partnership income distributions;.*",
                  "note: " + json.dumps("Note " + HOSTILE + " and [a real link](https://example.org/x)."), text, count=1)
    tax.write_text(text, encoding="utf-8")
    replace_once(tree / "parks" / "lao-bao-densavanh.yaml", 'title: {en: "Lao Bao',
                 'title: {en: "<script>alert(1)</script> Lao Bao')
    return tree


def test_hostile_text_is_escaped(run, tree, tmp_path):
    hostile_tree(tree)
    out = tmp_path / "out"
    code, _, err = run("report", tree, "--park", PARK, "--as-of", AS_OF, "--out-dir", out, "--lang", "en")
    assert code == 0, err
    html = (out / "report.en.html").read_text(encoding="utf-8")
    assert "<script" not in html
    found = tags(html)
    assert not any(t in ("script", "img", "iframe", "object") for t, _ in found)
    assert not any(k.lower().startswith("on") for _, a in found for k in a)
    assert not any(a.get("href", "").lower().startswith("javascript") for _, a in found)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a rel="noopener noreferrer" href="https://example.org/x">a real link</a>' in html
    assert "[click](javascript:alert(1))" in html  # left as text, not a link
    md = (out / "report.en.md").read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md
    assert "](javascript:" not in md.replace("\\](javascript:", "")


def test_notes_allow_only_http_links():
    from harmonize.reporting.notes import note_html

    for bad in ("[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](data:text/html,<b>)",
                "[x](vbscript:msgbox)", "[x](file:///etc/passwd)", "![i](https://example.org/i.png)"):
        out = str(note_html(bad))
        assert "href=\"javascript" not in out.lower() and "<img" not in out
        assert "data:" not in out or "href" not in out
    assert 'href="https://example.org/"' in str(note_html("[ok](https://example.org/)"))
