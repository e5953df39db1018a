"""policy.compact and loader.sharing: equal parts of a loaded tree are one object, and nothing a model
says changes — its values, their types, the fields it was given, its diagnostics."""

from __future__ import annotations

import shutil

from conftest import POLICIES, replace_once
from harmonize.policy.compact import Pool
from harmonize.policy.loader import load_tree, sharing
from harmonize.policy.models import Basis, CatalogueFile, Conflict, PolicyFile
from harmonize.policy.yamlread import load_data, read_text

SECTIONS = ("zones", "sectors", "instruments", "provisions", "local_measures")


def test_a_loaded_tree_says_exactly_what_its_files_say():
    """Every item of every jurisdiction file, validated on its own by pydantic, equals the loaded
    (compacted) item: same data, same types, same fields given."""
    ps = load_tree(POLICIES)
    compared = 0
    for j in ps.jurisdictions.values():
        for source in j.files:
            text, _ = read_text(source.path, source.display)
            data, diags = load_data(text, source.display)
            assert not diags
            plain = PolicyFile.model_validate(data)
            for section in SECTIONS:
                for key, item in getattr(plain, section).items():
                    if (section, key) in j.inherited:
                        continue
                    loaded = getattr(j, section)[key]
                    assert loaded == item
                    assert _exact(loaded) == _exact(item)
                    compared += 1
    assert compared > 800
    text, _ = read_text(ps.catalogue_file.path, "catalogue")
    assert _exact(ps.catalogue) == _exact(CatalogueFile.model_validate(load_data(text, "catalogue")[0]))


def _exact(model) -> tuple[str, str]:
    """Every value with its type (10 and 10.0 compare equal, their reprs do not), and the fields given."""
    return (repr(model.model_dump(warnings=False)), repr(model.model_dump(exclude_unset=True, warnings=False)))


def test_equal_small_models_become_one_object_and_unequal_ones_stay_apart():
    pool = Pool()
    a = pool.model(Basis(instrument="vn-law", article="Art. 1"))
    b = pool.model(Basis(instrument="vn-law", article="Art. 1"))
    assert a is b
    # equal by value, but 'article_verified' was written: model_dump(exclude_unset) tells them apart
    c = pool.model(Basis(instrument="vn-law", article="Art. 1", article_verified=True))
    assert c is not a and c == a and c.model_fields_set != a.model_fields_set
    # 1, 1.0 and True are equal in Python; a value keeps the type its file gave it
    kept = [pool.model(Conflict(value=v, source="s", note="n")) for v in (1, 1.0, True, 1)]
    assert [type(k.value) for k in kept] == [int, float, bool, int]
    assert kept[0] is kept[3] and len({id(k) for k in kept}) == 3


def test_a_copy_of_a_compacted_model_does_not_change_the_shared_fields():
    pool = Pool()
    a, b = (pool.model(Basis(instrument=i, article=None)) for i in ("x", "y"))
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__  # shared per class and fields given
    c = a.model_copy(update={"note": "n"})
    assert c.note == "n" and "note" in c.model_fields_set
    assert a.model_fields_set == b.model_fields_set == {"instrument", "article"}


def _located(ps):
    return [(d.file.split("/", 1)[1], d.line, d.column, d.code, d.message) for d in ps.diagnostics]


def test_a_file_unchanged_between_two_trees_is_validated_once(tmp_path):
    base, head = tmp_path / "base" / "policies", tmp_path / "head" / "policies"
    shutil.copytree(POLICIES, base)
    shutil.copytree(POLICIES, head)
    replace_once(head / "la" / "tax.yaml", "value: 10\n", "value: 12\n")
    with sharing(files=True):
        b, h = load_tree(base), load_tree(head)
    alone = load_tree(head)
    assert _located(h) == _located(alone) and h.diagnostics  # the shipped tree has warnings
    unchanged = next(k for k, o in h.jurisdictions["vn"].origins.items() if k[0] == "provisions")
    assert h.jurisdictions["vn"].provisions[unchanged[1]] is b.jurisdictions["vn"].provisions[unchanged[1]]
    changed = [k for k, p in h.jurisdictions["la"].provisions.items() if p != b.jurisdictions["la"].provisions[k]]
    assert len(changed) == 1
    assert h.jurisdictions["la"].origins[("provisions", changed[0])].source.path.parent.parent == head
    assert {s.display for s in h.files} == {s.display for s in alone.files}


def test_empty_lists_and_mappings_are_one_object_that_refuses_to_change():
    import copy

    import pytest

    ps = load_tree(POLICIES)
    empties = [dv.conflicts for j in ps.jurisdictions.values() for p in j.provisions.values() for dv in p.values
               if not dv.conflicts]
    assert len(empties) > 100 and all(e is empties[0] for e in empties)
    shared = empties[0]
    with pytest.raises(TypeError):
        shared.append("x")
    with pytest.raises(TypeError):
        shared += ["x"]
    assert shared == [] and copy.copy(shared) == [] and type(copy.deepcopy(shared)) is list
    dv = next(dv for j in ps.jurisdictions.values() for p in j.provisions.values() for dv in p.values
              if not dv.accept and not dv.conflicts)
    assert type(dv.model_dump()["conflicts"]) is list and dv.model_dump()["accept"] == {}
    with pytest.raises(TypeError):
        dv.accept["D401"] = "a reason"
