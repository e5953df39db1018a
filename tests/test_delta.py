"""What changed between a baseline result and now."""

from __future__ import annotations

from datetime import date

from conftest import POLICIES
from harmonize.engine.delta import compare_results
from harmonize.policy.parks import load_parks
from harmonize.cli.args import load_parameter_set
from harmonize.engine.run import run_check
from harmonize.policy.loader import load_tree

AS_OF = date(2026, 6, 30)


def _result(root):
    ps = load_tree(root)
    assert ps.ok
    parks, _ = load_parks(root, ps)
    park = parks["ordinary-ip-zone2"]
    return run_check(ps, tuple(park.pair), AS_OF, park, park_id="ordinary-ip-zone2",
                     params=load_parameter_set(ps.root))


def test_a_result_compared_with_itself_has_no_changes():
    r = _result(POLICIES)
    delta = compare_results(r, r)
    assert delta.overall.change == 0
    assert delta.measures == [] and delta.gaps == []


def test_moving_a_value_towards_the_other_side_shows_up(tree):
    base = _result(POLICIES)
    text = (tree / "la" / "tax.yaml").read_text(encoding="utf-8")
    start = text.index("  wht_dividends:")
    head_text = text[:start] + text[start:].replace("value: 10", "value: 5", 1)
    (tree / "la" / "tax.yaml").write_text(head_text, encoding="utf-8")
    head = _result(tree)
    delta = compare_results(base, head)
    assert delta.overall.change > 0  # closer values: compatibility rose
    change = next(m for m in delta.measures if m.measure == "wht_dividends")
    assert change.change < 0 and change.similarity_after > change.similarity_before
    assert [s.jurisdiction for s in change.sides] == ["la"]
    assert any(s.before == "10 %" and s.after == "5 %" for s in change.sides)
    assert all(g.status in ("better", "resolved") for g in delta.gaps if g.measure == "wht_dividends")
    # swapping the roles mirrors every number
    back = compare_results(head, base)
    assert abs(back.overall.change + delta.overall.change) < 1e-9
