"""Keep a loaded policy tree small: one object for what repeats.

A 10-country × 2,000-measure tree made 130 MB of models, a third of it bookkeeping that repeats: every
pydantic model carries its own set of the fields it was given (728 bytes for a dated value), and the
same legal basis, conditions, rationale or text is a new model wherever it is written. The models are
frozen and nothing changes them after loading (a changed model is a copy: ``model_copy``), so equal ones
can be one object:

* each model's set of given fields is shared by every model of its class given the same fields (it is
  only read; a copy of a model copies it);
* models of the small, repeating classes (``SHARED``) that are equal, field for field and type for
  type, become one object;
* every empty list and mapping of a model is one object, which refuses to change.

A ``Pool`` holds the canonical objects of one load, or of the two loads of a ``diff`` (a file whose text
is the same in both trees is then validated once: ``file``/``keep``). Texts are shared as they are
read (``yamlread``: ``sys.intern``).
"""

from __future__ import annotations

import hashlib
from typing import Any, Optional

from pydantic import BaseModel

from .models import (Amount, Basis, Conditions, Conflict, Direction, Grandfathering, LocalForms, LocalTextModel,
                     NumberRange, Phase, Schedule)
from .models.catalogue import Rationale

# Classes whose instances repeat (a basis, conditions, a text) and are never told apart by identity.
SHARED = frozenset({Amount, Basis, Conditions, Conflict, Direction, Grandfathering, LocalForms, LocalTextModel,
                    NumberRange, Phase, Rationale, Schedule})

_LIST, _DICT, _MODEL = object(), object(), object()  # markers in keys: never equal to data


def _key(v: Any) -> Any:
    """A hashable key equal only for equal values of the same types (1, 1.0 and True differ)."""
    t = type(v)
    if t is str or v is None:
        return v
    if isinstance(v, list):
        return (_LIST, *map(_key, v))
    if isinstance(v, dict):
        return (_DICT, *((_key(k), _key(x)) for k, x in v.items()))
    if isinstance(v, BaseModel):
        return (_MODEL, id(v))  # already canonical, and kept alive by the pool's table
    return (t, v)


def _refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
    raise TypeError("an empty list or mapping of a loaded policy model is shared and cannot change; copy it first")


class _EmptyList(list):
    """The empty list of every loaded model's empty list field (``sources: []``, no conflicts): one object,
    so it refuses to change (nothing changes a loaded model's lists; a copy of it is a plain list)."""

    __slots__ = ()
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    def __copy__(self) -> list:
        return []

    def __deepcopy__(self, memo: Any) -> list:
        return []

    def __reduce__(self) -> Any:
        return list, ()


class _EmptyDict(dict):
    """The same for an empty mapping (``accept: {}``, no labels)."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = update = setdefault = pop = popitem = clear = _refuse

    def __copy__(self) -> dict:
        return {}

    def __deepcopy__(self, memo: Any) -> dict:
        return {}

    def __reduce__(self) -> Any:
        return dict, ()


EMPTY_LIST: list = _EmptyList()
EMPTY_DICT: dict = _EmptyDict()


_LIST_KIND, _DICT_KIND, _MODEL_KIND = 1, 2, 3
_KINDS: dict[type, int] = {list: _LIST_KIND, dict: _DICT_KIND}  # type -> what the walk does with it (0: nothing)


def _kind(t: type) -> int:
    """0 for a type the walk leaves alone (texts, numbers, dates, enums, shared empties, models that
    are not frozen), else what it is; remembered per type."""
    _KINDS[t] = _MODEL_KIND if issubclass(t, BaseModel) and t.model_config.get("frozen") else 0
    return _KINDS[t]


class Pool:
    """The canonical objects of one load (or of both trees of a diff)."""

    def __init__(self, shares_files: bool = False) -> None:
        self.shares_files = shares_files
        self._fields: dict[tuple, set] = {}
        self._models: dict[tuple, BaseModel] = {}
        self._files: dict[bytes, dict[type, Any]] = {}  # digest of a file's text -> model class -> its model

    def model(self, m: BaseModel) -> BaseModel:
        """``m`` with its parts shared; an equal model already in the pool if its class is SHARED."""
        cls = type(m)
        if _KINDS.get(cls) != _MODEL_KIND and _kind(cls) != _MODEL_KIND:
            return m  # not frozen: its parts may change, so they are not shared
        d = m.__dict__
        for name, v in d.items():
            c = self._part(v)
            if c is not v:
                d[name] = c  # an existing key: the mapping does not change size while read
        fs = m.__pydantic_fields_set__
        shared = self._fields.setdefault((cls, frozenset(fs)), fs)
        if shared is not fs:
            object.__setattr__(m, "__pydantic_fields_set__", shared)
        if cls in SHARED:
            return self._models.setdefault((cls, id(shared), *map(_key, d.values())), m)
        return m

    def _value(self, v: Any, kind: int) -> Any:
        if kind == _MODEL_KIND:
            return self.model(v)
        if not v:
            return EMPTY_LIST if kind == _LIST_KIND else EMPTY_DICT
        items = enumerate(v) if kind == _LIST_KIND else v.items()
        for i, x in items:
            c = self._part(x)
            if c is not x:
                v[i] = c
        return v

    def _part(self, x: Any) -> Any:
        """``x`` shared, when its type is one the pool compacts (a model, a list, a mapping); else ``x``."""
        k = _KINDS.get(type(x))
        if k is None:
            k = _kind(type(x))
        return self._value(x, k) if k else x

    # --- files whose text is the same in both trees of a diff ----------------------------------

    @staticmethod
    def digest(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def known(self, digest: bytes) -> bool:
        return digest in self._files

    def file(self, model: type, digest: bytes) -> Any:
        """The model a file of this exact text already validated to as ``model``, or None."""
        return self._files.get(digest, {}).get(model)

    def keep(self, model: type, digest: Optional[bytes], parsed: Any) -> None:
        if self.shares_files and digest is not None:
            self._files.setdefault(digest, {})[model] = parsed
