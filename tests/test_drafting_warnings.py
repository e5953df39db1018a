"""Drafting slips that pass the schema get warnings (exit 0 unless --strict), each with its position,
and a value that means it accepts the warning in the file, with a reason."""

from __future__ import annotations

import re

from conftest import position, problems, replace_once


def _codes(out: str) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for _, line, col, code, _ in problems(out):
        found.setdefault(code, []).append((line, col))
    return found


def test_the_shipped_tree_has_no_drafting_slip(run):
    code, out, _ = run("validate", "policies")
    assert code == 0 and not [c for c in _codes(out) if c.startswith("D")]


def test_a_rate_written_as_a_fraction(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "value: 10\n        from: 2024-05-01", "value: 0.1\n        from: 2024-05-01")
    code, out, _ = run("validate", f)
    assert code == 0, out  # a warning
    line, col = position(f, "value: 0.1\n")
    assert (line, col + len("value: ")) in _codes(out)["D401"]


def test_strict_fails_on_a_warning_alone(tree, run):
    f = tree / "vn" / "tax.yaml"
    assert run("validate", f, "--strict")[0] == 0  # no warning in this file as shipped
    replace_once(f, "until: 2025-09-30", "until: 2025-09-20")
    code, out, _ = run("validate", f)
    assert code == 0 and "D403" in out
    assert run("validate", f, "--strict")[0] == 1


def test_a_fraction_of_whole_years(tree, run):
    f = tree / "vn" / "land.yaml"
    text = f.read_text(encoding="utf-8")
    m = re.search(r"value: (\d+)\n", text)
    f.write_text(text[:m.start()] + f"value: {m.group(1)}.5\n" + text[m.end():], encoding="utf-8")
    code, out, _ = run("validate", f)
    assert code == 0 and "D402" in _codes(out)


def test_a_hole_between_two_values_names_both_lines_and_can_be_accepted(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "until: 2024-04-30", "until: 2024-04-15")
    code, out, _ = run("validate", f)
    assert code == 0
    line, col = position(f, "until: 2024-04-15")
    assert (line, col + len("until: ")) in _codes(out)["D403"]
    msg = next(m for *_, c, m in problems(out) if c == "D403")
    assert "15 days" in msg and "set 'until: 2024-04-30'" in msg
    assert f"(line {position(f, 'from: 2024-05-01')[0]})" in msg
    replace_once(f, "until: 2024-04-15", "until: 2024-04-15\n        accept: {D403: the rate lapsed until the notification}")
    code, out, _ = run("validate", f)
    assert code == 0 and "D403" not in out, out


def test_a_verified_value_with_only_its_instruments_source(tree, run):
    f = tree / "la" / "tax.yaml"
    text = f.read_text(encoding="utf-8")
    m = re.search(r"(status: verified\n)(        sources:\n(?:          - .*\n)+|        sources: \[[^\]]*\]\n)", text)
    assert m, "a verified value with a sources list"
    f.write_text(text[:m.start(2)] + text[m.end(2):], encoding="utf-8")
    code, out, _ = run("validate", f)
    if "R312" in out:  # its instrument has no source either: that is an error, not this warning
        return
    assert "D404" in _codes(out)


def test_an_error_cannot_be_accepted(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "until: 2024-04-30", "until: 2024-05-31\n        accept: {R305: we know}")
    code, out, _ = run("validate", f)
    assert code == 1 and "R305" in out
