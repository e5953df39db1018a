"""The report templates compiled at install (harmonize/reporting/compiled.py): used when they match the
template text, Jinja, Python and the environment; a changed template renders as it now reads; nothing is
written at run time; the reports are the same bytes with and without them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from jinja2 import FileSystemLoader

from harmonize.reporting import compiled
from harmonize.reporting.compiled import Shipped, build, report_templates
from harmonize.reporting.i18n import LANGS, environment
from harmonize.reporting.templating import TEMPLATES

from conftest import REPO

EDITIONS = ("report.md.j2", "report.html.j2", "report.summary.md.j2")


@pytest.fixture(scope="module")
def views():
    """A view of one park in English and in Lao, with the notes translator the templates take."""
    from harmonize.cli.report import build_document, select_parks
    from harmonize.policy.loader import load_tree
    from harmonize.reporting.labels import note_translator
    from harmonize.reporting.view import build_view

    ps = load_tree(REPO / "policies")
    doc, profiles, models = build_document(ps, select_parks(ps, "all", None)[:1], date(2026, 6, 30))
    return {lg: (build_view(doc, ps, lg, profiles, models), note_translator(ps.translations.get(lg, {}), lg))
            for lg in ("en", "lo")}


def _env(lang: str, folder, root: Path = TEMPLATES, compile_allowed: bool = True):
    """The report environment of ``lang`` with its own template cache, reading ``root`` and compiled code
    from ``folder``; with ``compile_allowed`` False any compilation fails the test."""
    cache = Shipped(folder)
    env = environment(lang).overlay(loader=FileSystemLoader(str(root)), bytecode_cache=cache, cache_size=50)
    if not compile_allowed:
        def refuse(*args, **kwargs):
            raise AssertionError(f"compiled at run time: {args[1] if len(args) > 1 else kwargs}")
        env.compile = refuse  # type: ignore[method-assign]
    return env, cache


def _render(env, views, lang: str) -> list[str]:
    view, tr = views[lang]
    return [env.get_template(name).render(r=view, tr=tr) for name in EDITIONS]


def _snapshot(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


def test_the_code_is_the_same_in_every_language():
    """Why one compilation (at install, for English) serves every language: no filter is folded into
    the code with a language's formatting; the languages differ only in what the code looks up."""
    for name in report_templates(TEMPLATES):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        codes = {lg: environment(lg).compile(source, name, name, raw=True) for lg in LANGS}
        assert len(set(codes.values())) == 1, name


def test_compiled_code_is_used_and_renders_the_same_bytes(tmp_path, views):
    files = build(environment("en"), tmp_path / "c", TEMPLATES)
    assert len(files) == len(report_templates(TEMPLATES)) >= 11
    for lang in ("en", "lo"):
        shipped, cache = _env(lang, tmp_path / "c", compile_allowed=False)
        plain, none = _env(lang, None)
        assert _render(shipped, views, lang) == _render(plain, views, lang)
        assert sorted(cache.loaded) == sorted(none.made) and "report/_html.html.j2" in cache.loaded
        assert none.loaded == [] and none.folder is None and cache.made == []


def test_a_changed_template_renders_as_it_now_reads(tmp_path, views):
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root, ignore=shutil.ignore_patterns("_compiled"))
    build(environment("en"), tmp_path / "c", root)
    before = _snapshot(tmp_path / "c")
    marker = "<!-- changed after the install -->"
    macros = root / "report" / "_html.html.j2"
    source = macros.read_text(encoding="utf-8")
    assert "{%- macro cite(v) -%}" in source
    macros.write_text(source.replace("{%- macro cite(v) -%}", "{%- macro cite(v) -%}" + marker, 1), encoding="utf-8")
    env, cache = _env("en", tmp_path / "c", root)
    html = _render(env, views, "en")[1]
    assert marker in html  # the stale compiled file was not used ...
    assert "report/_html.html.j2" not in cache.loaded and "report.html.j2" in cache.loaded  # ... the others were
    assert _snapshot(tmp_path / "c") == before  # and nothing was written: the new code lives in memory only


def test_nothing_is_written_at_run_time(tmp_path, views):
    missing = tmp_path / "never-made"
    env, cache = _env("lo", missing)
    _render(env, views, "lo")
    assert not missing.exists() and list(tmp_path.iterdir()) == []
    # what the process compiled is kept in memory for the next language, not written anywhere
    assert cache.made and not cache.loaded


@pytest.mark.parametrize("damage", ["truncated", "other source", "other key", "not code", "garbage"])
def test_a_damaged_or_foreign_file_is_not_used(tmp_path, views, damage):
    folder = tmp_path / "c"
    build(environment("en"), folder, TEMPLATES)
    env0 = environment("en")
    target = folder / f"{compiled.file_key(env0, 'report.md.j2')}.jbc"
    data = target.read_bytes()
    header_end = data.index(b"\n", data.index(b"\n", len(compiled.MAGIC)) + 1) + 1
    if damage == "truncated":
        data = data[:header_end + 40]
    elif damage == "other source":
        data = data.replace(compiled.checksum((TEMPLATES / "report.md.j2").read_text(encoding="utf-8")).encode(),
                            compiled.checksum("something else").encode())
    elif damage == "other key":  # the file of another template under this template's name
        other = (folder / f"{compiled.file_key(env0, 'report.html.j2')}.jbc").read_bytes()
        data = other
    elif damage == "not code":
        import marshal

        data = data[:header_end] + marshal.dumps({"not": "code"})
    else:
        data = b"\x00garbage" * 10
    target.write_bytes(data)
    env, cache = _env("en", folder)
    plain, _ = _env("en", None)
    assert _render(env, views, "en") == _render(plain, views, "en")
    assert "report.md.j2" not in cache.loaded and "report.html.j2" in cache.loaded


def test_another_jinja_or_environment_is_not_served(tmp_path, views, monkeypatch):
    build(environment("en"), tmp_path / "c", TEMPLATES)
    env, cache = _env("en", tmp_path / "c")
    monkeypatch.setattr(compiled, "JINJA_VERSION", "9.9.9")
    _render(env, views, "en")
    assert cache.loaded == []
    monkeypatch.undo()
    env, cache = _env("en", tmp_path / "c")
    from jinja2 import pass_context

    base = compiled.fingerprint(env)
    env.filters = dict(env.filters)  # the overlay's own filters (it shares its parent's dict)
    env.filters["num"] = pass_context(lambda ctx, x, *more: str(x))  # another calling convention: other code, not served
    assert compiled.fingerprint(env) != base
    _render(env, views, "en")
    assert cache.loaded == []


def test_the_wheel_ships_them_and_an_installed_copy_uses_them(tmp_path):
    """``pip install <repo>`` (the GitHub Action): the wheel's build compiles the templates beside them."""
    out = tmp_path / "wheel"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0 and ("No matching distribution" in done.stderr or "Could not find" in done.stderr):
        pytest.skip("no package index for the wheel's build requirements: " + done.stderr.strip()[-300:])
    assert done.returncode == 0, done.stderr
    wheel, = out.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert len([n for n in names if n.startswith("harmonize/templates/_compiled/") and n.endswith(".jbc")]) \
        == len(report_templates(TEMPLATES))
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    probe = ("from harmonize.reporting.i18n import environment, _bytecode\n"
             "for lg in ('en', 'km'):\n    environment(lg).get_template('report.html.j2')\n"
             "print(_bytecode().folder.relative_to(_bytecode().folder.parents[2]), sorted(set(_bytecode().loaded)))")
    seen = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""}, timeout=120)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.strip() == "harmonize/templates/_compiled ['report.html.j2']"
