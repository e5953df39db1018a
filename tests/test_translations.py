"""Translations of the policy files' English texts (policies/translations/<lang>.yaml): shown in the
reader's language where one exists, marked when it awaits a native reviewer, never shown once its
English has been rewritten, and validated like every other policy file."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import position, problems, replace_once

NOTE = ("Market access conditions for foreign investors are those of domestic investors except for the "
        "Negative List for Market Access, which may cap foreign charter-capital holdings (Art. 8(3)(a)). "
        "Manufacturing outside that list is open to 100 % foreign ownership.")
VI = "Điều kiện tiếp cận thị trường đối với nhà đầu tư nước ngoài (bản dịch thử nghiệm)."


def _write(tree: Path, lang: str, entries: list[tuple[str, str, bool]], name: str | None = None) -> Path:
    folder = tree / "translations"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    lines = [f"language: {lang}", "texts:"]
    for en, text, review in entries:
        lines.append(f'  - en: "{en}"')
        lines.append(f'    text: "{text}"')
        if review:
            lines.append("    review: needed")
    path = folder / f"{name or lang}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _report(run, tree: Path, out: Path, lang: str) -> str:
    code, _, err = run("report", tree, "--park", "ordinary-ip-zone2", "--format", "html", "--lang", lang,
                       "--out", out / f"r.{lang}.html")
    assert code == 0, err
    return (out / f"r.{lang}.html").read_text(encoding="utf-8")


def test_a_translated_note_replaces_its_english_in_that_language_only(run, tree, tmp_path):
    shutil.rmtree(tree / "translations", ignore_errors=True)  # the shipped translations, if any
    assert NOTE in (tree / "vn" / "investment.yaml").read_text(encoding="utf-8").replace("\n        ", " ")
    before = _report(run, tree, tmp_path, "vi")
    assert "Negative List for Market Access, which may cap" in before
    _write(tree, "vi", [(NOTE, VI, False)])
    after = _report(run, tree, tmp_path, "vi")
    assert VI in after
    assert "Negative List for Market Access, which may cap" not in after
    assert "Negative List for Market Access, which may cap" in _report(run, tree, tmp_path, "en")


def test_a_translation_awaiting_review_is_marked(run, tree, tmp_path):
    _write(tree, "vi", [(NOTE, VI, True)])
    html = _report(run, tree, tmp_path, "vi")
    at = html.index(VI)
    assert 'class="tag-rv"' in html[at:at + 400]


def test_a_rewritten_english_text_drops_its_translation_with_a_located_warning(run, tree, tmp_path):
    path = _write(tree, "vi", [(NOTE, VI, False)])
    replace_once(tree / "vn" / "investment.yaml", "Manufacturing outside that list", "Production outside that list")
    code, out, _ = run("validate", tree)
    assert code == 0  # a warning: the report just shows the English
    line, col = position(path, "en:")
    rows = [p for p in problems(out) if p[3] == "R320"]
    assert [(r[1], r[2]) for r in rows] == [(line, col + 4)], out
    assert VI not in _report(run, tree, tmp_path, "vi")


def test_bad_translation_files_get_located_errors(run, tree):
    path = _write(tree, "vi", [(NOTE, VI, False), (NOTE, VI + " 2", False)])
    code, out, _ = run("validate", tree)
    assert code != 0
    assert any(p[3] == "R321" and p[1] == position(path, "en:", 2)[0] for p in problems(out)), out
    path = _write(tree, "lo", [(NOTE, VI, False)], name="vi")
    code, out, _ = run("validate", tree)
    assert code != 0 and any(p[3] == "R321" for p in problems(out)), out
    path.write_text("language: vi\ntexts:\n  - en: x\n    txt: y\n", encoding="utf-8")
    code, out, _ = run("validate", tree)
    assert code != 0 and any(p[1] == 4 for p in problems(out)), out
