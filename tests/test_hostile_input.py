"""Bad input never produces a traceback: each hostile file gets a clear, located error."""

from __future__ import annotations

import pytest

from conftest import problems, run_measured

CASES = {
    # name: (text, code, line, column)
    "malformed": ("a: [1, 2\nb: 3\n", "Y110", 2, 2),
    "duplicate-key": ("jurisdiction: vn\nzones: {}\njurisdiction: la\n", "Y111", 3, 1),
    "python-tag": ("jurisdiction: !!python/object/apply:os.system [echo hi]\n", "Y112", 1, 15),
    "local-tag": ("jurisdiction: !thing vn\n", "Y112", 1, 15),
    "binary-tag": ("jurisdiction: !!binary aGk=\n", "Y112", 1, 15),
    "alias": ("x: &a [1, 2]\ny: *a\n", "Y113", 1, 4),
    "billion-laughs": (
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
        "Y113", 1, 4,
    ),
    "merge-key": ("base: {a: 1}\nx:\n  <<: {a: 2}\n", "Y113", 3, 3),
    "two-documents": ("jurisdiction: vn\n---\njurisdiction: la\n", "Y114", 2, 1),
    "empty": ("", "Y102", 1, 1),
    "only-comments": ("# nothing here\n", "Y102", 1, 1),
    "control-character": ("jurisdiction: \"v\x07n\"\n", "Y115", 1, 17),
    "nul-byte": ("jurisdiction: vn\x00\n", "Y115", 1, 17),
    "impossible-date": ("jurisdiction: vn\nadopted: 2025-02-30\n", "S204", 2, 10),
    "deep-flow": ("x: " + "[" * 100_000 + "]" * 100_000 + "\n", "Y104", 1, 67),  # the mapping is level 1
    "deep-compact": ("- " * 200_000 + "x\n", "Y104", 1, 129),
    "deep-block": ("".join(" " * i + "- \n" for i in range(2000)), "Y104", 65, 65),
    "top-level-list": ("- jurisdiction: vn\n", "S203", 1, 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_gets_located_error(name, tmp_path, run):
    text, code, line, col = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    status, out, err = run("validate", path)
    assert status == 1
    assert "Traceback" not in out + err
    found = [(p[1], p[2], p[3]) for p in problems(out)]
    assert (line, col, code) in found, out


def test_non_utf8_names_the_byte(tmp_path, run):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"jurisdiction: vn\nname: Vi\xea t Nam\n")  # Latin-1, not UTF-8
    status, out, _ = run("validate", path)
    assert status == 1
    (row,) = problems(out)
    assert row[1:4] == (2, 9, "Y101") and "0xea" in row[4]


def test_huge_file_is_refused_without_reading_it(tmp_path, run):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: costs no disk, would cost 300 MB to read
    status, out, _ = run("validate", path)
    assert status == 1
    (row,) = problems(out)
    assert row[1:4] == (1, 1, "Y103")


def test_missing_path_is_a_usage_error(tmp_path, run):
    status, out, err = run("validate", tmp_path / "nope.yaml")
    assert status == 2
    assert "no such file" in err


def test_hostile_files_in_one_process_stay_small_and_never_trace(tmp_path):
    """All hostile inputs in one real process: exit 1, no traceback, peak memory under 200 MB."""
    for name, (text, *_rest) in CASES.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    with open(tmp_path / "huge.yaml", "wb") as fh:
        fh.truncate(300 * 1024 * 1024)
    status, out, err, peak_kib, _ = run_measured(["validate", tmp_path])
    assert status == 1, err
    assert "Traceback" not in out + err
    assert len(problems(out)) >= len(CASES)
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"
