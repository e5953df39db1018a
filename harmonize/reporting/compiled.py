"""The report templates compiled when harmonize is installed, as Python compiles its own modules.

Jinja turns each template into Python code before it renders; for the report (eleven templates) that
took about a tenth of ``report --format all --lang all``. The code depends only on the template's text,
Jinja, Python and the environment's settings, so it is made once, when harmonize is installed:
``python -m harmonize.reporting.precompile DIR`` writes one file per report template, and the install
runs it (``make``: into the checkout's ``templates/_compiled/``; ``pip install``: the wheel's build,
``build_templates.py``, into ``harmonize/templates/_compiled/``).

Nothing is written at run time: ``Shipped.dump_bytecode`` keeps a compilation in memory (the language
environments of one process share it). A compiled file is used only when it was made from the same
template text (its SHA-1 against the text read now), by the same Jinja and Python, for an environment
with the same settings, filters and tests (``fingerprint``); anything else, a missing, stale or damaged
file, and the template is compiled in memory as before, so a changed template always renders as it
now reads. The files sit beside the code that is installed with them and are trusted as that code is.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from typing import Optional

from jinja2 import __version__ as JINJA_VERSION
from jinja2.bccache import Bucket, BytecodeCache

from .templating import report_templates

MAGIC = b"harmonize-jinja-1\n"
FOLDER = "_compiled"


def fingerprint(env) -> str:
    """What the compiled code of a template depends on besides its text: Jinja, Python (marshal and
    bytecode), the syntax and whitespace settings, the extensions, and the filters and tests by name
    and calling convention (a filter's ``pass_context`` changes the call the compiler writes)."""
    def convention(f) -> str:
        return str(getattr(f, "jinja_pass_arg", None))

    parts = [JINJA_VERSION, sys.implementation.cache_tag, repr(sys.version_info[:2]),
             repr((env.block_start_string, env.block_end_string, env.variable_start_string,
                   env.variable_end_string, env.comment_start_string, env.comment_end_string,
                   env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                   env.newline_sequence, env.keep_trailing_newline, env.optimized, env.is_async,
                   env.finalize is not None, getattr(env, "newstyle_gettext", None))),
             ",".join(sorted(f"{type(e).__module__}.{type(e).__qualname__}" for e in env.extensions.values())),
             ",".join(f"{k}:{convention(v)}" for k, v in sorted(env.filters.items())),
             ",".join(f"{k}:{convention(v)}" for k, v in sorted(env.tests.items()))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _autoescape(env, name: str) -> bool:
    return bool(env.autoescape(name) if callable(env.autoescape) else env.autoescape)


def file_key(env, name: str, env_print: Optional[str] = None) -> str:
    """The compiled file's name for template ``name`` in environment ``env`` (``env_print``: its
    ``fingerprint`` when known)."""
    env_print = env_print or fingerprint(env)
    return hashlib.sha256(f"{env_print}\n{name}\n{_autoescape(env, name)}".encode()).hexdigest()[:40]


def checksum(source: str) -> str:
    """Jinja's checksum of a template's text (``BytecodeCache.get_source_checksum``)."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()


class Shipped(BytecodeCache):
    """Jinja's bytecode cache, read only: compiled templates from ``folder`` (made at install), else
    compiled once per process and kept in memory for every language's environment."""

    def __init__(self, folder: Optional[Path]) -> None:
        self.folder = folder if folder is not None and folder.is_dir() else None
        self._code: dict[str, tuple[str, object]] = {}
        self._prints: dict[int, tuple[object, str]] = {}
        self.loaded: list[str] = []  # template names whose code came from a compiled file (the tests read them)
        self.made: list[str] = []  # and those compiled in this process

    def _print(self, env) -> str:
        found = self._prints.get(id(env))
        if found is None or found[0] is not env:  # an id can be reused once an environment is gone
            found = self._prints[id(env)] = (env, fingerprint(env))
        return found[1]

    def get_bucket(self, environment, name, filename, source):
        # keyed by the template's name, not its file's path: an installed copy is found wherever it lives
        bucket = Bucket(environment, file_key(environment, name, self._print(environment)),
                        self.get_source_checksum(source))
        bucket.name = name  # type: ignore[attr-defined]
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]
            return
        if self.folder is None:
            return
        code = read(self.folder / f"{bucket.key}.jbc", bucket.key, bucket.checksum)
        if code is not None:
            bucket.code = code
            self._code[bucket.key] = (bucket.checksum, code)
            self.loaded.append(getattr(bucket, "name", bucket.key))

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)  # memory only: nothing is written at run time
        self.made.append(getattr(bucket, "name", bucket.key))


def _header(key: str, source_checksum: str) -> bytes:
    """A compiled file's header: the format, the file's key and the checksum of the template text."""
    return MAGIC + key.encode() + b"\n" + source_checksum.encode() + b"\n"


def read(path: Path, key: str, source_checksum: str):
    """The code object of a compiled file when its header names ``key`` and ``source_checksum``, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = _header(key, source_checksum)
    if not data.startswith(header):
        return None
    try:
        code = marshal.loads(data[len(header):])
    except (ValueError, EOFError, TypeError):
        return None
    return code if type(code).__name__ == "code" else None


def build(env, out: Path, root: Path) -> list[Path]:
    """Compile every report template under ``root`` into ``out`` for ``env`` (at install only, by
    ``precompile``): one file per template, named by ``file_key``, holding the template text's
    checksum and the code."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in report_templates(root):
        source = (root / name).read_text(encoding="utf-8")
        code = env.compile(source, name, f"templates/{name}")
        key = file_key(env, name)
        path = out / f"{key}.jbc"
        path.write_bytes(_header(key, checksum(source)) + marshal.dumps(code))
        written.append(path)
    keep = {p.name for p in written}
    for old in out.glob("*.jbc"):  # templates renamed or removed since the last install
        if old.name not in keep:
            old.unlink()
    return written
