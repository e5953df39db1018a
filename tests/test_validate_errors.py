"""A broken copy of a shipped file is reported at the right line and column, with a suggestion."""

from __future__ import annotations

import re

import pytest

from conftest import position, problems, replace_once


def codes_at(out: str) -> list[tuple[int, int, str]]:
    return [(line, col, code) for _, line, col, code, _ in problems(out)]


def message(out: str, code: str) -> str:
    return next(m for *_, c, m in problems(out) if c == code)


def test_shipped_policies_are_valid(run):
    status, out, _ = run("validate", "policies")
    assert status == 0, out
    assert any(line.startswith("All ") and line.endswith(" valid.") for line in out.splitlines()), out
    # what remains are warnings only (R317: verified values on low-tier sources), never errors
    assert {code for *_, code, _ in problems(out)} <= {"R317"}, out


def test_wrong_type(tree, run):
    f = tree / "vn" / "tax.yaml"
    replace_once(f, "- value: 20\n", "- value: twenty\n")
    status, out, _ = run("validate", f)
    assert status == 1
    assert (*position(f, "twenty"), "R308") in codes_at(out)
    assert "expected a number in percent" in message(out, "R308")


def test_schema_type_error_names_the_field(tree, run):
    f = tree / "vn" / "tax.yaml"
    replace_once(f, "from: 2016-01-01", "from: someday")
    status, out, _ = run("validate", f)
    assert status == 1
    assert (*position(f, "someday"), "S204") in codes_at(out) or (*position(f, "someday"), "S203") in codes_at(out)


def test_typo_in_key_suggests_the_right_one(tree, run):
    f = tree / "vn" / "tax.yaml"
    replace_once(f, "status: verified", "stauts: verified")
    status, out, _ = run("validate", f)
    assert status == 1
    assert (*position(f, "stauts"), "S201") in codes_at(out)
    assert "did you mean 'status'" in message(out, "S201")


def test_typo_in_enum_suggests_the_right_value(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "status: verified", "status: verifed")
    status, out, _ = run("validate", f)
    assert (*position(f, "verifed"), "S204") in codes_at(out)
    assert "did you mean 'verified'" in message(out, "S204")


def test_unknown_instrument_suggests_the_declared_one(tree, run):
    f = tree / "vn" / "land.yaml"
    replace_once(f, "instrument: vn-land-law-2024", "instrument: vn-land-law-2042")
    status, out, _ = run("validate", f)
    assert status == 1
    assert (*position(f, "vn-land-law-2042"), "R301") in codes_at(out)
    assert "did you mean 'vn-land-law-2024'" in message(out, "R301")


def test_overlapping_dates(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "until: 2024-04-30", "until: 2024-05-31")
    status, out, _ = run("validate", f)
    assert status == 1
    assert (*position(f, "2024-05-01"), "R305") in codes_at(out)
    # both places: the new value's start, and the earlier value's 'until' with the date to set
    until_line = position(f, "until: 2024-05-31")[0]
    assert f"set its 'until' at line {until_line} to 2024-04-30" in message(out, "R305")


def test_a_misspelt_required_key_is_one_problem(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "status: verified", "stauts: verified")
    status, out, _ = run("validate", f)
    assert status == 1
    assert "S202" not in out
    assert "did you mean 'status'? (the required key 'status' is missing)" in message(out, "S201")


@pytest.mark.parametrize("written", ['"2024-08-01x"', "01/08/2024", "2024-02-30"])
def test_every_bad_date_gets_one_code_and_one_wording(tree, run, written):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "from: 2024-05-01", f"from: {written}")
    status, out, _ = run("validate", f)
    assert status == 1
    assert "is not a date" in message(out, "S204") and "write it as YYYY-MM-DD" in message(out, "S204")
    assert "Input should be" not in out and "Y110" not in out


def test_a_number_after_a_comma_in_braces_gets_the_comma_hint(tree, run):
    f = tree / "kh" / "instruments.yaml"  # a title in English only (la's carry their vi and lo titles)
    text = f.read_text(encoding="utf-8")
    m = re.search(r"title: \{en: ([^,}\n]+)\}", text)
    f.write_text(text[:m.start()] + f"title: {{en: {m.group(1)}, 2019}}" + text[m.end():], encoding="utf-8")
    status, out, _ = run("validate", f)
    assert status == 1 and "a comma inside {...} starts a new key" in out


def test_inverted_dates(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "until: 2024-04-30", "until: 2021-04-30")
    status, out, _ = run("validate", f)
    assert (*position(f, "2021-04-30"), "R306") in codes_at(out)


def test_value_outside_its_instrument(tree, run):
    f = tree / "vn" / "tax.yaml"
    replace_once(f, "from: 2016-01-01", "from: 2008-01-01")
    status, out, _ = run("validate", f)
    assert (*position(f, "2008-01-01"), "R307") in codes_at(out)


def test_unknown_measure(tree, run):
    f = tree / "vn" / "tax.yaml"
    replace_once(f, "measure: cit_holiday\n", "measure: cit_holliday\n")
    status, out, _ = run("validate", f)
    assert (*position(f, "cit_holliday"), "R302") in codes_at(out)
    assert "did you mean 'cit_holiday'" in message(out, "R302")


def test_undeclared_zone(tree, run):
    f = tree / "vn" / "tax.yaml"
    replace_once(f, "zones: [industrial_park]", "zones: [industrial_prak]")
    status, out, _ = run("validate", f)
    assert (*position(f, "industrial_prak"), "R303") in codes_at(out)
    assert "did you mean 'industrial_park'" in message(out, "R303")


def test_missing_value_needs_unverified_status(tree, run):
    f = tree / "vn" / "tax.yaml"
    replace_once(f, "- value: 20\n", "- value: null\n")
    status, out, _ = run("validate", f)
    assert (*position(f, "value: null"), "R310") in codes_at(out)


def test_duplicate_id_across_files_names_the_first(tree, run):
    (tree / "vn" / "zz_extra.yaml").write_text(
        "jurisdiction: vn\ninstruments:\n  vn-land-law-2024:\n    kind: law\n    number: null\n"
        "    title: duplicate\n    status: unverified\n", encoding="utf-8")
    status, out, _ = run("validate", tree / "vn" / "zz_extra.yaml")
    assert (3, 3, "R309") in codes_at(out)
    assert "instruments.yaml" in message(out, "R309")


def test_jurisdiction_must_match_folder(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "jurisdiction: la", "jurisdiction: lao")
    status, out, _ = run("validate", f)
    assert (*position(f, "lao"), "R311") in codes_at(out)


def test_flow_mapping_comma_gets_a_hint(tree, run):
    f = tree / "vn" / "country.yaml"
    replace_once(f, "title: {en: Industrial park,", "title: {en: Industrial park, inland,")
    status, out, _ = run("validate", f)
    assert (*position(f, "inland"), "S201") in codes_at(out)
    assert "in quotes" in message(out, "S201")


def test_value_kind_is_checked_even_in_a_file_with_schema_errors(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "status: verified", "status: Verified")
    replace_once(f, "- value: 7\n", "- value: 7%\n")
    status, out, _ = run("validate", f)
    found = codes_at(out)
    assert (*position(f, "Verified"), "S204") in found
    assert (*position(f, "7%"), "R308") in found


def test_all_problems_in_one_run(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "status: verified", "stauts: verified")
    replace_once(f, "until: 2024-04-30", "until: 2024-05-31")
    g = tree / "vn" / "land.yaml"
    replace_once(g, "instrument: vn-land-law-2024", "instrument: nope")
    status, out, _ = run("validate", tree)
    found = {code for *_, code, _ in problems(out)}
    assert {"S201", "R301"} <= found
    assert out.strip().splitlines()[-1].startswith("Found ")


def test_json_format(tree, run):
    import json

    f = tree / "vn" / "tax.yaml"
    replace_once(f, "- value: 20\n", "- value: twenty\n")
    status, out, _ = run("validate", f, "--format", "json")
    data = json.loads(out)
    assert status == 1 and data["errors"] >= 1
    row = next(p for p in data["problems"] if p["code"] == "R308")
    assert (row["line"], row["column"]) == position(f, "twenty")
    assert row["name"] == "value-kind"


@pytest.mark.parametrize("shift", [-2, 1, 3])
def test_an_indentation_slip_is_named_as_such(tree, run, shift):
    f = tree / "la" / "tax.yaml"
    lines = f.read_text(encoding="utf-8").split("\n")
    k = next(i for i, x in enumerate(lines) if x.strip() == "status: verified")
    lines[k] = (" " * shift + lines[k]) if shift > 0 else lines[k][-shift:]
    f.write_text("\n".join(lines), encoding="utf-8")
    status, out, _ = run("validate", f)
    assert status == 1
    msg = message(out, "Y110")
    assert msg.startswith("indentation: line ") and "quotes" not in msg and "expected" not in msg
    assert f"line {k + 1} " in msg or f"line {k} " in msg or f"line {k + 2} " in msg


def test_a_colon_in_a_text_still_gets_the_quotes_hint(tree, run):
    f = tree / "la" / "tax.yaml"
    replace_once(f, "status: verified", "status: verified: really")
    status, out, _ = run("validate", f)
    assert status == 1 and "must be in quotes" in message(out, "Y110")
