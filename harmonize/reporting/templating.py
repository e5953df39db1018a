"""The Jinja2 environment for every renderer: templates live in the top-level templates/ folder.

HTML templates autoescape everything; Markdown templates escape table cells and code spans with
the filters below, so text from a policy file can never break out of its cell.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

def _templates() -> Path:
    """The repository's templates/ folder; in a wheel, the same files installed as harmonize/templates."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "templates"
    return checkout if checkout.is_dir() else package / "templates"


TEMPLATES = _templates()


def md_cell(value: object) -> str:
    """Text safe inside a GitHub-flavoured Markdown table cell."""
    text = " ".join(str(value).split())
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("`", "\\`").replace("[", "\\[").replace("]", "\\]"))


def md_code(value: object) -> str:
    """Text safe inside a single-backtick code span in a table (GFM splits cells on | even there)."""
    return " ".join(str(value).split()).replace("`", "'").replace("|", "\\|")


@lru_cache(maxsize=None)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["md_cell"] = md_cell
    env.filters["md_code"] = md_code
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
