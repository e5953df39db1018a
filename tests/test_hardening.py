"""The hostile-input suite of issue 13: one test (or more) per finding.

Each test plays an attacker (a pull request from a stranger, a restored CI cache, a hostile file
name) or an unlucky CI (an unset variable, a full disk, a signal), and checks the same things: no
traceback, no code run, no forged value accepted, no file touched outside the intended place, and
exit 1 or 2 with one clear line. Every test is bounded in time.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

AS_OF = "2026-01-01"


def hz(*args, cwd=None, env=None, timeout=120, input=None):
    """``harmonize ARGS`` as a real process: (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "harmonize", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or REPO, input=input,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


def one_clear_line(status, err, expected=2):
    assert status == expected, err
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("harmonize"), err
    return lines[0]


def overall(tree, *extra):
    status, out, err = hz("check", tree, "--as-of", AS_OF, "--park", "none", "--pair", "vn:la", "--format", "json", *extra)
    assert status == 0, err
    return json.loads(out)["overall"]["score"]


# --- 1. a cache that cannot lie: there is no parse cache any more ---------------------------------


def test_01_forged_cache_entries_change_nothing(tree, tmp_path):
    """A cache folder full of forged entries (under the key scheme the old cache used: format,
    versions and text) is never read, and nothing is written to it or to $XDG_CACHE_HOME."""
    from ruamel.yaml import __version__ as ruamel_version

    from harmonize import __version__

    honest = overall(tree)
    cache = tmp_path / "cache"
    for f in tree.rglob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        h = hashlib.sha256(f"1\0{__version__}\0{ruamel_version}\0".encode())
        h.update(text.encode("utf-8"))
        key = h.hexdigest()
        (cache / key[:2]).mkdir(parents=True, exist_ok=True)
        (cache / key[:2] / key).write_bytes(pickle.dumps({"jurisdiction": "forged"}))
    os.mkfifo(cache / "fifo")
    before = sorted(p.name for p in cache.rglob("*"))
    xdg = tmp_path / "xdg"
    env = {"HARMONIZE_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(xdg), "HOME": str(tmp_path / "home")}
    status, out, err = hz("check", tree, "--as-of", AS_OF, "--park", "none", "--pair", "vn:la", "--format", "json", env=env)
    assert status == 0, err
    assert json.loads(out)["overall"]["score"] == honest
    assert sorted(p.name for p in cache.rglob("*")) == before
    assert not xdg.exists() and not (tmp_path / "home").exists()


# --- 3. an empty argument never switches a gate off -------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["check", "--baseline", ""],
    ["check", "--baseline", "  "],
    ["check", "--as-of", ""],
    ["check", "--park", ""],
    ["check", "--fail-under", ""],
    ["check", "", "--fail-under", "50"],
    ["check", "--out", ""],
    ["diff", ""],
    ["diff", "HEAD", ""],
    ["diff", "HEAD", "--policies", ""],
    ["report", "--baseline", ""],
    ["report", "--out-dir", ""],
    ["validate", ""],
    ["validate", "policies", "-o", ""],
    ["baseline", "show", "--file", ""],
    ["baseline", "update", "--file", ""],
    ["simulate", "--params", ""],
])
def test_03_empty_or_blank_argument_is_a_usage_error(argv, run):
    status, out, err = run(*argv)
    line = one_clear_line(status, err)
    assert "empty value" in line and out == ""


# --- 4. terminal injection -----------------------------------------------------------------------

ESC_TITLE = "\x1b]0;pwned\x07"
FAKE = "x\nPASS gate/overall: all good\x1b[2J\x9b31m\u202e"


def _hostile_titles(tree):
    """A provision title, a note and a park title with escape sequences, a newline and a bidi override."""
    cat = tree / "catalogue.yaml"
    text = cat.read_text(encoding="utf-8")
    i = text.index("title:", text.index("measures:"))
    j = text.index("\n", i)
    cat.write_text(text[:i] + 'title: "Hostile' + json.dumps(ESC_TITLE + FAKE)[1:-1] + '"' + text[j:],
                   encoding="utf-8")
    park = tree / "parks" / "lao-bao-densavanh.yaml"
    ptext = park.read_text(encoding="utf-8")
    park.write_text(ptext.replace("title: {en: \"Lao Bao", "title: {en: \"\\e[31mLao Bao\\nFAKE LINE", 1),
                    encoding="utf-8")


def _no_raw_controls(text):
    for ch in text:
        assert ch in "\n\t" or not (ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f), repr(ch)
        assert ch not in "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d", repr(ch)


@pytest.mark.parametrize("argv", [
    ["check", "--as-of", AS_OF, "--top", "100"],
    ["check", "--as-of", AS_OF, "--format", "github"],
    ["check", "--as-of", AS_OF, "--format", "markdown"],
    ["check", "--as-of", AS_OF, "--all-pairs"],
    ["report", "--as-of", AS_OF, "--park", "lao-bao-densavanh"],
    ["summary"],
    ["simulate", "--as-of", AS_OF, "--pair", "vn:la"],
])
def test_04_policy_text_cannot_drive_the_terminal(argv, tree, run):
    _hostile_titles(tree)
    status, out, err = run(argv[0], tree, *argv[1:])
    assert status == 0, err
    _no_raw_controls(out + err)
    assert not any(line.startswith(("PASS", "FAKE")) for line in out.splitlines()), out


def test_04_validate_and_diff_escape_file_names_and_messages(tree, tmp_path, run):
    import shutil

    base = tmp_path / "base"
    shutil.copytree(tree, base)
    _hostile_titles(tree)
    bad = tree / "vn" / "x\x1b[2Jy.yaml"
    bad.write_text("jurisdiction: vn\nbogus\x1b: 1\n", encoding="utf-8")
    status, out, err = run("validate", tree)
    assert status == 1
    _no_raw_controls(out + err)
    bad.unlink()
    status, out, err = run("diff", base, tree, "--as-of", AS_OF)
    assert status == 0, err
    _no_raw_controls(out + err)
    assert not any(line.startswith("PASS") for line in out.splitlines())


# --- 5. Markdown injection ---------------------------------------------------------------------


def test_05_markdown_neutralises_html_entities_mentions_and_bidi(tree, tmp_path, run):
    from harmonize.reporting.templating import md_cell, md_code

    cell = md_cell("@octocat <img src=x onerror=alert(1)> &#x202E; \u202eevil <h1>")
    assert "<" not in cell and "&#x202E;" not in cell and "@octocat" not in cell and "\u202e" not in cell
    assert "\\u202e" in cell
    assert "\u2066" not in md_code("a\u2066b")
    (tree / "parks" / "lao-bao-densavanh.yaml").rename(tree / "parks" / 'x"><img src=y><h1>@team.yaml')
    text = (tree / "catalogue.yaml").read_text(encoding="utf-8")
    i = text.index("title:", text.index("measures:"))
    j = text.index("\n", i)
    (tree / "catalogue.yaml").write_text(
        text[:i] + 'title: "@maintainers &#x202E; <img src=x> \\u202Egnp.exe"' + text[j:], encoding="utf-8")
    for argv in (["report", tree, "--as-of", AS_OF], ["check", tree, "--as-of", AS_OF, "--format", "markdown",
                                                       "--fail-under", "1"]):
        status, out, err = run(*argv)
        assert status == 0, err
        assert "<img" not in out and "<h1>" not in out and "\u202e" not in out
        assert "@maintainers" not in out and "@team" not in out and "&#x202E;" not in out
    out_dir = tmp_path / "html"
    status, _, err = run("report", tree, "--as-of", AS_OF, "--format", "html", "--lang", "en", "--out-dir", out_dir)
    assert status == 0, err
    html = (out_dir / "report.en.html").read_text(encoding="utf-8")
    assert "\u202e" not in html and "\\u202e" in html and "<img" not in html


# --- 8. output paths ----------------------------------------------------------------------------


def test_08_special_files_are_written_as_streams_not_replaced(tmp_path):
    import threading

    status, out, err = hz("validate", "policies", "--format", "json", "-o", "/dev/null")
    assert status == 0 and out == "" and err == "", err
    assert Path("/dev/null").is_char_device()
    status, out, err = hz("validate", "policies", "-o", "/dev/stdout")
    assert status == 0 and "valid" in out, err
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    status, _, err = hz("validate", "policies", "-o", fifo, timeout=60)
    reader.join(60)
    assert status == 0, err
    assert "valid" in got[0] and fifo.is_fifo()


@pytest.mark.parametrize("argv", [
    ["validate", "policies", "-o", "{tmp}"],
    ["check", "--as-of", AS_OF, "-o", "{tmp}"],
    ["check", "--as-of", AS_OF, "--all-pairs", "-o", "{tmp}"],
    ["diff", "policies", "policies", "-o", "{tmp}/ro/x.txt"],
    ["report", "--as-of", AS_OF, "--out", "{tmp}/ro/r.md"],
    ["report", "--as-of", AS_OF, "--out-dir", "{tmp}/ro"],
    ["validate", "policies", "-o", "/dev/full"],
    ["check", "--as-of", AS_OF, "--all-pairs", "-o", "/dev/full"],
    ["validate", "policies", "-o", "{tmp}/afile/x.txt"],  # unwritable even for root: a file where a folder must be
    ["report", "--as-of", AS_OF, "--out-dir", "{tmp}/afile/sub"],
    ["check", "--as-of", AS_OF, "--all-pairs", "-o", "{tmp}/afile/x.txt"],
])
def test_08_folders_read_only_places_and_full_disks_are_one_line(argv, tmp_path):
    (tmp_path / "afile").write_text("", encoding="utf-8")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        status, out, err = hz(*[a.replace("{tmp}", str(tmp_path)) for a in argv])
    finally:
        ro.chmod(0o700)
    if os.geteuid() == 0 and "/ro" in " ".join(argv):
        assert status in (0, 2), err  # root writes anywhere: at least no traceback
        assert "Traceback" not in err
        return
    line = one_clear_line(status, err)
    assert "cannot write" in line
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


# --- 9. interrupted writes ----------------------------------------------------------------------


def test_09_signals_leave_no_temporary_file_and_no_mixed_report_set(tmp_path):
    import signal
    import time

    out_dir = tmp_path / "reports"
    status, _, err = hz("report", "--as-of", AS_OF, "--format", "md", "--lang", "all", "--out-dir", out_dir)
    assert status == 0, err
    (out_dir / "validation.json").write_text("{}\n", encoding="utf-8")  # not ours: always kept
    old = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    cases = [(signal.SIGTERM, "staging"), (signal.SIGINT, "staging"), (signal.SIGTERM, 2.0), (signal.SIGINT, 2.0),
             (signal.SIGTERM, "out")]
    for k, (sig, when) in enumerate(cases):
        as_of = f"2026-06-0{k + 1}"
        argv = ["report", "--as-of", as_of, "--format", "md", "--lang", "all", "--out-dir", str(out_dir)]
        if when == "out":
            argv = ["report", "--as-of", as_of, "--out", str(out_dir / "report.en.md")]
        proc = subprocess.Popen([sys.executable, "-m", "harmonize", *argv], cwd=REPO,
                                env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        if isinstance(when, float):
            time.sleep(when)
        else:
            while proc.poll() is None and time.monotonic() < deadline and not [
                    p for p in out_dir.iterdir() if p.name.endswith(".tmp")]:
                time.sleep(0.002)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, err
        # 130/143: handled; -2/-15: the signal came while Python itself was still starting
        assert proc.returncode in (0, 130, 143, -2, -15), err
        assert sorted(p.name for p in out_dir.iterdir()) == sorted(old), list(out_dir.iterdir())
        now = {p.name: p.read_bytes() for p in out_dir.iterdir()}
        if when != "out":
            fresh = {name for name, data in now.items() if data != old[name]}  # every file shows the date
            assert fresh in (set(), set(old) - {"validation.json"}), f"a mix of old and new files: {fresh}"
        old = now


# --- 11. JUnit XML stays well-formed --------------------------------------------------------------


def test_11_junit_is_well_formed_with_control_characters(tmp_path, run):
    from xml.etree import ElementTree as ET

    from harmonize.gates.formats import Row
    from harmonize.gates.formats.junit import render

    xml = render("s", ["ok\x01"], [Row("R1", "t\x0b", "bad \x00\x1b[31m \ud800 \ufffe \u202e", "error",
                                       "f\x02.yaml", 1, 1)])
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "testsuites"
    bad = tmp_path / "vn"
    bad.mkdir()
    (bad / "a\x01b.yaml").write_text("jurisdiction: vn\nx\x7f: \"\\x01 \\e[2J\"\n", encoding="utf-8")
    status, out, err = run("validate", bad, "--format", "junit")
    assert status == 1, err
    ET.fromstring(out.encode("utf-8"))


# --- 13. permissions of outputs, temporary paths, diff "" -------------------------------------------


def test_13_all_pairs_out_follows_the_umask(tmp_path):
    dest = tmp_path / "pairs.json"
    status, _, err = hz("check", "--as-of", AS_OF, "--all-pairs", "--format", "json", "-o", dest)
    assert status == 0, err
    mask = os.umask(0)
    os.umask(mask)
    assert dest.stat().st_mode & 0o777 == 0o666 & ~mask
    json.loads(dest.read_text(encoding="utf-8"))


# --- 2. non-finite numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("number", [".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1e400", "-1.0e+999",
                                    "123456789012345678901234567890"])
def test_02_non_finite_numbers_are_located_errors(number, tree, run):
    from conftest import position, problems

    f = tree / "la" / "tax.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("  wht_dividends:")
    f.write_text(text[:start] + text[start:].replace("value: 10", f"value: {number}", 1), encoding="utf-8")
    status, out, err = run("validate", tree)
    assert status == 1, out
    line, col = position(f, f"value: {number}")
    assert (line, col + 7, "Y116") in [p[1:4] for p in problems(out)], out
    status, out, err = run("check", tree, "--as-of", AS_OF, "--fail-under", "99")
    assert status == 2 and "Traceback" not in err and out == ""


@pytest.mark.parametrize("forged", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_02_a_baseline_file_with_a_non_finite_score_is_refused(forged, tmp_path, run):
    text = (REPO / "baseline" / "compatibility.full.json").read_text(encoding="utf-8")  # the full results
    data = json.loads(text)
    park = next(iter(data["results"]))
    data["results"][park]["overall"]["score"] = 1.5
    forged_text = json.dumps(data).replace('"score": 1.5', f'"score": {forged}', 1)
    bad = tmp_path / "compatibility.json"
    bad.write_text(forged_text, encoding="utf-8")
    for argv in (["check", "--baseline", bad], ["baseline", "show", "--file", bad],
                 ["report", "--baseline", bad, "--as-of", AS_OF]):
        status, out, err = run(*argv)
        line = one_clear_line(status, err)
        assert "finite" in line or "not a number" in line, line


@pytest.mark.parametrize("argv", [["--max-drop", "inf"], ["--fail-under", "inf"], ["--fail-under", "nan"]])
def test_02_non_finite_thresholds_are_usage_errors(argv, run):
    status, out, err = run("check", "--as-of", AS_OF, "--baseline", "baseline/compatibility.json", *argv)
    one_clear_line(status, err)


# --- 6, 12, 13. trees read at a git ref ---------------------------------------------------------------


@pytest.fixture
def repo(tmp_path):
    from gitrepo import init_repo

    return init_repo(tmp_path / "repo")


def _commit(repo, message):
    from gitrepo import git

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../etc/hostname", "../../outside.yaml"])
def test_06_a_link_leaving_the_tree_at_a_ref_is_refused_in_one_line(target, repo):
    (repo / "outside.yaml").write_text("jurisdiction: vn\n", encoding="utf-8")
    os.symlink(target, repo / "policies" / "vn" / "zz-link.yaml")
    _commit(repo, "a link out")
    os.unlink(repo / "policies" / "vn" / "zz-link.yaml")
    _commit(repo, "link removed")
    for argv in (["check", "--as-of", AS_OF, "--baseline", "HEAD~1"], ["diff", "HEAD~1", "--as-of", AS_OF]):
        status, out, err = hz(*argv, cwd=repo)
        line = one_clear_line(status, err)
        assert "symbolic link" in line and "vn/zz-link.yaml" in line and "harmonize-base-" not in line
        assert "root:" not in err + out


def test_06_a_link_inside_the_tree_at_a_ref_reads_its_target(repo):
    os.symlink("tax.yaml", repo / "policies" / "la" / "tax-copy.yml.txt")
    _commit(repo, "a harmless link")
    status, out, err = hz("diff", "HEAD", "--as-of", AS_OF, "--no-scores", cwd=repo)
    assert status == 0, err


def test_12_gitattributes_cannot_hide_or_rewrite_files_at_a_ref(repo):
    """export-ignore would drop a file from `git archive`, export-subst would rewrite it: a ref's tree
    must be the commit's objects, whatever .gitattributes says."""
    f = repo / "policies" / "la" / "tax.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "# $Format:%H$\n", encoding="utf-8")
    (repo / ".gitattributes").write_text("policies/la/tax.yaml export-subst\npolicies/vn/*.yaml export-ignore\n",
                                         encoding="utf-8")
    _commit(repo, "attributes")
    status, out, err = hz("diff", "HEAD", "--as-of", AS_OF, "--no-scores", "--exit-code", cwd=repo)
    assert status == 0, out + err  # the same tree on both sides: no file missing or rewritten
    assert "No value" in out


def test_12_no_repository_configured_program_runs(repo, tmp_path):
    from gitrepo import git

    marker = tmp_path / "ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\nexit 0\n", encoding="utf-8")
    hook.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    git(repo, "config", "core.hooksPath", str(tmp_path))
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "gpg.program", str(hook))
    git(repo, "config", "filter.evil.clean", str(hook))
    (repo / ".gitattributes").write_text("*.yaml filter=evil\n", encoding="utf-8")
    _commit(repo, "config")
    (repo / "policies" / "la" / "tax.yaml").touch()
    marker.unlink(missing_ok=True)  # git add ran the filter while setting up
    for argv in (["report", "--as-of", AS_OF, "--format", "json", "--park", "none", "--pair", "vn:la"],
                 ["check", "--as-of", AS_OF, "--baseline", "HEAD", "--park", "none", "--pair", "vn:la"],
                 ["baseline", "update", "--as-of", AS_OF, "--file", tmp_path / "b.json"],
                 ["diff", "HEAD", "--as-of", AS_OF, "--no-scores"]):
        status, out, err = hz(*argv, cwd=repo)
        assert status == 0, err
        assert not marker.exists(), f"{argv[0]} ran a program the repository configures"


def test_13_messages_about_a_ref_show_the_ref_not_a_temporary_folder(repo):
    f = repo / "policies" / "la" / "tax.yaml"
    good = f.read_text(encoding="utf-8")
    f.write_text(good + "bogus_key: 1\n", encoding="utf-8")
    _commit(repo, "broken")
    f.write_text(good, encoding="utf-8")
    _commit(repo, "fixed")
    for argv in (["check", "--as-of", AS_OF, "--baseline", "HEAD~1"], ["diff", "HEAD~1", "--as-of", AS_OF]):
        status, out, err = hz(*argv, cwd=repo)
        assert status == 2 and "Traceback" not in err
        assert "harmonize-base-" not in err and "/tmp" not in err, err
        assert "HEAD~1:policies/la/tax.yaml:" in err, err


def test_13_diff_of_an_empty_base_is_a_usage_error_not_the_current_folder(repo):
    status, out, err = hz("diff", "", cwd=repo)
    assert "empty value" in one_clear_line(status, err) and out == ""


# --- 6. files outside the tree (working tree) ---------------------------------------------------------


@pytest.mark.parametrize("where", ["vn/zz.yaml", "catalogue.yaml", "parks/zz.yaml", "scenarios/zz.yaml"])
def test_06_a_link_out_of_the_policy_folder_is_refused_and_never_read(where, tree, tmp_path, run):
    from conftest import problems

    secret = tmp_path / "secret.yaml"
    secret.write_text("jurisdiction: vn\nTOP-SECRET-TOKEN: 1\n", encoding="utf-8")
    link = tree / where
    if link.exists():
        link.unlink()
    os.symlink(secret, link)
    status, out, err = run("validate", tree)
    assert status == 1, out + err
    assert "TOP-SECRET" not in out + err
    assert any(p[3] == "Y105" and p[0].endswith(where) for p in problems(out)), out
    status, out, err = run("check", tree, "--as-of", AS_OF)
    assert status in (0, 2) and "TOP-SECRET" not in out + err and "Traceback" not in err


def test_06_a_folder_linked_from_outside_is_not_walked(tree, tmp_path, run):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text("jurisdiction: zz\nSECRET: 1\n", encoding="utf-8")
    os.symlink(outside, tree / "zz")
    status, out, err = run("validate", tree)
    assert status == 0 and "SECRET" not in out, out


# --- 10. recursion: deep folders, deep JSON -------------------------------------------------------------


def _nest(top, n):
    here = str(top)
    for _ in range(n):
        here += "/d"
        os.mkdir(here)
    return Path(here)


def _unnest(top, n):
    """Remove what _nest made, deepest first (shutil.rmtree, and pytest's clean-up, recurse)."""
    here = str(top) + "/d" * n
    for _ in range(n):
        for name in os.listdir(here):
            os.unlink(os.path.join(here, name))
        os.rmdir(here)
        here = here[:-2]


def test_10_a_thousand_nested_folders_give_a_located_message(run):
    """In a private folder, removed here: shutil.rmtree (and pytest's clean-up of old runs) would recurse."""
    import shutil
    import tempfile

    from conftest import POLICIES

    top = Path(tempfile.mkdtemp(prefix="harmonize-deep-"))
    tree, loose = top / "policies", top / "loose"
    shutil.copytree(POLICIES, tree)
    loose.mkdir()
    try:
        (_nest(tree / "vn", 1000) / "x.yaml").write_text("jurisdiction: vn\n", encoding="utf-8")
        _nest(loose, 1000)
        status, out, err = run("validate", tree)
        assert status == 1 and "Traceback" not in err
        assert "Y106" in out
        status, out, err = run("validate", loose)
        assert status == 1 and "Y106" in out and "Traceback" not in err
    finally:
        for folder in (tree / "vn", loose):
            if (folder / "d").exists():
                _unnest(folder, 1000)
        shutil.rmtree(top)


@pytest.mark.parametrize("argv", [["check", "--as-of", AS_OF, "--baseline", "{f}"], ["baseline", "show", "--file", "{f}"],
                                  ["report", "--as-of", AS_OF, "--baseline", "{f}"]])
def test_10_deeply_nested_json_is_one_line(argv, tmp_path):
    f = tmp_path / "deep.json"
    f.write_text('{"format": "harmonize-baseline/1", "results": ' + "[" * 100_000 + "]" * 100_000 + "}",
                 encoding="utf-8")
    status, out, err = hz(*[a.replace("{f}", str(f)) for a in argv])
    assert "too deeply" in one_clear_line(status, err)


def test_05_validate_warns_of_bidi_controls_without_failing(tree, run):
    from conftest import problems

    f = tree / "la" / "tax.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("note:", text.index("  wht_dividends:"))
    f.write_text(text[:start] + 'note: "admin\\u202E \\u2066# TODO&#x202E;"\n        x' + text[start + 5:],
                 encoding="utf-8")
    f.write_text(f.read_text(encoding="utf-8").replace('\n        x ', '\n        research_note: ', 1), encoding="utf-8")
    park = tree / "parks" / "ordinary-ip-zone2.yaml"
    park.write_text(park.read_text(encoding="utf-8").replace('title: {en: "', 'title: {en: "\u202e', 1),
                    encoding="utf-8")
    status, out, err = run("validate", tree)
    assert status == 0, out  # warnings print with their code, the exit code stays 0
    found = [p for p in problems(out) if p[3] == "Y120"]
    assert len(found) == 4 and all(p[4].startswith("warning:") for p in found), out
    assert "warnings in" in out and "not errors" in out
    status, out, _ = run("validate", tree, "--format", "json")
    assert status == 0 and json.loads(out)["warnings"] >= 4 and out.count('"Y120"') == 4
    status, _, err = run("check", tree, "--as-of", AS_OF)
    assert status == 0, err


# --- 7. caps on diagnostics and on what one value can make harmonize do --------------------------------


def test_07_two_hundred_thousand_unknown_keys_stay_fast_and_small(tmp_path):
    from conftest import run_measured

    f = tmp_path / "keys.yaml"
    f.write_text("jurisdiction: vn\n" + "".join(f"k{i}: 1\n" for i in range(200_000)), encoding="utf-8")
    status, out, err, peak_kib, cpu = run_measured(["validate", f])
    assert status == 1 and "Traceback" not in err
    assert len(out.splitlines()) <= 3, out
    assert "Y107" in out
    assert cpu < 3, f"{cpu:.1f} s of CPU"
    assert peak_kib < 150 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"


def test_07_a_measured_run_counts_its_own_memory_not_the_test_runs():
    """The memory limits above hold for harmonize's process alone: a test worker that has grown (here by
    200 MiB, touched) must not lend its high-water mark to the child it starts (Linux's ru_maxrss does)."""
    from conftest import run_measured

    ballast = bytearray(200 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    status, out, err, peak_kib, _ = run_measured(["--help"])
    del ballast
    assert status == 0 and "Traceback" not in err
    assert 5 * 1024 < peak_kib < 100 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"


def test_07_diagnostics_are_capped_per_file_with_and_n_more(tmp_path, run):
    from conftest import problems

    f = tmp_path / "keys.yaml"
    f.write_text("jurisdiction: vn\n" + "".join(f"k{i}: 1\n" for i in range(5000)), encoding="utf-8")
    status, out, err = run("validate", f)
    rows = problems(out)
    assert status == 1 and len(rows) == 51
    assert [r for r in rows if r[3] == "Y190" and "4,950 more" in r[4]], out
    status, out, err = run("validate", f, "--format", "junit")
    assert status == 1 and out.count("<testcase") == 51


@pytest.mark.parametrize("what,code", [("values", "Y107"), ("phases", "R308"), ("note", "Y117"),
                                       ("values500", "S204")])
def test_07_one_value_cannot_blow_up_the_engine_or_the_reports(what, code, tree):
    """In a child process: the test run's own memory stays small (a forked child's peak RSS counts its
    parent's pages, which the memory tests measure)."""
    f = tree / "la" / "tax.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("  wht_dividends:\n    values:\n")
    head = "  wht_dividends:\n    values:\n"
    one = "      - value: 10\n        from: {d}\n        basis: {{instrument: la-income-tax-law-2019, article: null}}\n        status: unverified\n"
    if what.startswith("values"):
        n = 10_001 if what == "values" else 501
        import datetime

        body = "".join(one.format(d=datetime.date(1900, 1, 1) + datetime.timedelta(days=i)) for i in range(n))
        text = text[:start] + head + body + text[start + len(head):]
    elif what == "phases":
        text = text.replace("  wht_dividends:", "  extra_sched:\n    measure: cit_holiday\n    values:\n"
                            "      - value: {start: first_profit, phases: [" + ", ".join(["{years: 1, exempt: true}"] * 51)
                            + "]}\n        from: 2020-01-01\n        basis: {instrument: la-income-tax-law-2019}\n"
                            "        status: unverified\n  wht_dividends:", 1)
    else:
        text = text.replace("note: Includes partnership", "note: " + "x" * 12_000_000 + " Includes partnership", 1)
    f.write_text(text, encoding="utf-8")
    status, out, err = hz("validate", tree)
    assert status == 1 and "Traceback" not in err
    assert code in [p[3] for p in __import__("conftest").problems(out)], out[:2000]


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/null"])
def test_01_special_files_named_as_policy_files_are_not_read(special, tmp_path):
    """What a FIFO or /dev/zero did to the old cache they must not do to validate either: no hang, no
    endless read."""
    if special == "fifo":
        path = tmp_path / "p.yaml"
        os.mkfifo(path)
    else:
        path = tmp_path / "p.yaml"
        os.symlink(special, path)
    status, out, err = hz("validate", path, timeout=30)
    assert status == 1 and "Y100" in out and "Traceback" not in err, out + err
