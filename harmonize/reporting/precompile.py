"""``python -m harmonize.reporting.precompile DIR``: the report templates compiled into DIR, at install
only (the Makefile into ``templates/_compiled/``, the wheel's build through ``build_templates.py``); see
``compiled``. harmonize itself never runs it."""

from __future__ import annotations

import sys
from pathlib import Path

from .compiled import build
from .i18n import environment
from .templating import TEMPLATES


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m harmonize.reporting.precompile DIR", file=sys.stderr)
        return 2
    # compiled for English: the code is the same in every language (tests/test_compiled_templates.py)
    files = build(environment("en"), Path(argv[0]), TEMPLATES)
    print(f"compiled {len(files)} report templates into {argv[0]}")
    return 0


if __name__ == "__main__":  # pragma: no cover - run by the install
    sys.exit(main(sys.argv[1:]))
