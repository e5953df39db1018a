"""Nothing in the code or the templates knows a country: a third country (and any pair or park of
three) works without touching them. Country codes may appear only in docstrings and comments, as
examples."""

from __future__ import annotations

import ast
import io
import re
import tokenize

from conftest import REPO

# a code on its own (not a host's top-level domain such as 'gov.vn', which names a website, not a country rule)
CODES = re.compile(r"(?<![A-Za-z0-9_.])(vn|la|kh)(?![A-Za-z0-9_])")


def _docstring_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def _python_hits(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    docs = _docstring_lines(ast.parse(text))
    hits = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT or tok.start[0] in docs:
            continue
        if tok.type in (tokenize.STRING, tokenize.NAME) and CODES.search(tok.string):
            hits.append(f"{path.relative_to(REPO)}:{tok.start[0]}: {tok.string[:60]}")
    return hits


def _template_hits(path) -> list[str]:
    text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # Jinja comments
    return [f"{path.relative_to(REPO)}:{n}: {line.strip()[:60]}"
            for n, line in enumerate(text.splitlines(), 1) if CODES.search(line)]


def test_no_country_code_in_the_code_or_the_templates():
    hits = []
    for path in sorted((REPO / "harmonize").rglob("*.py")):
        hits += _python_hits(path)
    for path in sorted((REPO / "templates").rglob("*.j2")):
        hits += _template_hits(path)
    assert hits == [], "country codes outside docstrings:\n" + "\n".join(hits)


def test_the_grep_would_catch_one(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text('"""Example: pair [vn, la]."""\n# kh here is fine\nPAIR = ("vn", "la")\n', encoding="utf-8")
    REPO_hits = CODES.findall('PAIR = ("vn", "la")')
    assert REPO_hits == ["vn", "la"]
    assert _docstring_lines(ast.parse(sample.read_text(encoding="utf-8"))) == {1}
