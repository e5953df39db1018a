"""Property tests: whatever text the loader is fed, it fails only with its own located errors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmonize.policy.loader import PolicyFile, parse_model
from harmonize.policy.tree import SourceFile
from harmonize.policy.locate import Locator
from harmonize.policy.yamlread import load_data

FRAGMENTS = [
    "jurisdiction: vn\n", "provisions:\n", "  x:\n", "    values:\n", "      - value: 20\n",
    "        from: 2025-10-01\n", "        basis: {instrument: a, article: null}\n", "  - ", "- ", "? ",
    ": ", "{", "}", "[", "]", ",", "&a ", "*a ", "!!str ", "!tag ", "<<: ", "'", '"', "|\n", ">-\n",
    "#c\n", "---\n", "...\n", "%YAML 1.2\n", "\t", "  ", "\n", "2025-02-30", "0x1F", ".inf", "~",
    "null", "true", "no", "é", "ລາວ", "\ufeff", "\x85", "\u2028", "\x07",
]
yamlish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map("".join)


def _check(text: str) -> None:
    data, diags = load_data(text, "f.yaml")
    for d in diags:
        assert d.line >= 1 and d.column >= 1 and d.code.startswith(("Y", "S"))
    if not diags and isinstance(data, dict):
        source = SourceFile(path=None, display="f.yaml", text=text, data=data, locator=Locator(text))  # type: ignore[arg-type]
        _, findings = parse_model(source, PolicyFile)
        for f in findings:
            line, col = source.locate(f.path, f.key)
            assert line >= 1 and col >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish)
def test_yamlish_text_never_escapes(text):
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_escapes(text):
    _check(text)
