"""Read one YAML file as plain data, safely, and find positions for error messages.

YAML is data here, never code: only the core tags are constructed, aliases and merge keys are
refused (so no alias expansion can blow up), and nesting is bounded before the C parser sees the
text (ruamel's C composer recurses on the C stack and crashes the process past ~20,000 levels).

The fast path is ruamel.yaml's C-backed safe loader. The slower round-trip loader, which keeps
line and column for every node, runs only when a problem has to be located (``Locator``).
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.tag import Tag

from .diagnostics import Diagnostic, Severity

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_INT = 2**53
MAX_ENTRIES = 10_000  # keys of one mapping, items of one list (a 2,000-measure catalogue holds 2,000)
MAX_TEXT = 20_000  # characters of one text (the longest shipped note has about 600)
SHAPE_CHECK_CHARS = 1 << 20  # larger texts are checked for breadth before the node tree is built
_CORE_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Refused(MarkedYAMLError):
    """Raised from inside construction; carries the code to report."""

    def __init__(self, code: str, message: str, mark: Any):
        super().__init__(problem=message, problem_mark=mark)
        self.code = code
        self.message = message


_DATES: dict[date, date] = {}


class _DataConstructor(SafeConstructor):
    """SafeConstructor restricted to the core schema, refusing aliases and merge keys."""

    yaml_constructors = {
        tag: fn for tag, fn in SafeConstructor.yaml_constructors.items() if tag in _CORE_TAGS
    }

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Refused(
                "Y113",
                "this anchored value is reused through an alias (*name); anchors and aliases are "
                "not allowed in policy files, write the value out in full",
                node.start_mark,
            )
        return super().construct_object(node, deep)

    def construct_undefined(self, node: Any) -> Any:
        # Reached for every tag outside the core schema (the constructor table holds only those).
        raise _Refused(
            "Y112",
            f"the tag {_short_tag(node.tag)} is not allowed: policy files hold plain data only",
            node.start_mark,
        )

    def construct_yaml_float(self, node: Any) -> Any:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise _Refused("Y116", f"{node.value!r} is not a finite number (.nan, .inf and numbers beyond "
                                   f"±1.8e308 are not allowed in policy files)", node.start_mark)
        return value

    def construct_yaml_str(self, node: Any) -> Any:
        value = super().construct_yaml_str(node)
        if len(value) > MAX_TEXT:
            raise _Refused("Y117", f"a text of {len(value):,} characters; texts are limited to {MAX_TEXT:,} "
                                   f"(cite the source instead of copying it)", node.start_mark)
        # One object per distinct text, process-wide: keys, codes, notes and sources repeat across values,
        # files and the two trees of a diff (interned strings are freed with their last user)
        return sys.intern(value) if type(value) is str else value

    def construct_yaml_int(self, node: Any) -> Any:
        value = super().construct_yaml_int(node)
        if abs(value) > MAX_INT:
            raise _Refused("Y116", f"{node.value[:40]!r} is too large a number: whole numbers are limited to "
                                   f"±{MAX_INT:,} (2^53, exact as a decimal)", node.start_mark)
        return value

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            value = super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError) as exc:
            # the schema's code and wording for a date that is not one (loader.not_a_date)
            raise _Refused("S204", f"{node.value!r} is not a date ({exc}); write it as YYYY-MM-DD, e.g. 2024-08-01",
                           node.start_mark) from None
        if type(value) is not date:
            return value
        if len(_DATES) > 100_000:  # a bound, not a cache policy: a tree names a few thousand dates
            _DATES.clear()
        return _DATES.setdefault(value, value)  # one object per day named, like the texts

    def flatten_mapping(self, node: Any) -> Any:
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                raise _Refused(
                    "Y113",
                    "merge keys (<<) are not allowed in policy files; write the keys out in full",
                    key_node.start_mark,
                )
        return super().flatten_mapping(node)


_DataConstructor.yaml_constructors["tag:yaml.org,2002:timestamp"] = (
    _DataConstructor.construct_yaml_timestamp
)
_DataConstructor.yaml_constructors["tag:yaml.org,2002:float"] = _DataConstructor.construct_yaml_float
_DataConstructor.yaml_constructors["tag:yaml.org,2002:str"] = _DataConstructor.construct_yaml_str
_DataConstructor.yaml_constructors["tag:yaml.org,2002:int"] = _DataConstructor.construct_yaml_int
_DataConstructor.yaml_constructors[None] = _DataConstructor.construct_undefined


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 resolution from a table built once. ruamel's resolver re-derives the YAML version
    for every scalar through exception paths under the C parser (~40 % of load time)."""

    _table: dict = {}

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    @property
    def versioned_resolver(self) -> Any:
        if not _Yaml12Resolver._table:
            table: dict = {}
            for versions, tag, regexp, first in implicit_resolvers:
                if (1, 2) in versions:
                    for ch in first or [None]:
                        table.setdefault(ch, []).append((tag, regexp))
            _Yaml12Resolver._table = table
        return _Yaml12Resolver._table

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            table = self.versioned_resolver
            for tag, regexp in table.get(value[:1], ()) if value else table.get("", ()):
                if regexp.match(value):
                    return _tag(tag)
            for tag, regexp in table.get(None, ()):
                if regexp.match(value):
                    return _tag(tag)
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


@lru_cache(maxsize=None)
def _tag_text(suffix: str) -> Tag:
    return Tag(suffix=suffix)


def _tag(suffix: str) -> Tag:
    return _tag_text(suffix)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _safe_yaml() -> YAML:
    yaml = YAML(typ="safe")
    yaml.Constructor = _DataConstructor
    yaml.Resolver = _Yaml12Resolver
    return yaml


_PREFIX = re.compile(r"^[ \t?:-]*", re.M)
_BRACKET = re.compile(r"[\[\]{}]")


def _depth_bound(text: str) -> int:
    """A cheap upper bound on nesting depth: block levels need indentation or indicators, flow
    levels need brackets. It over-estimates (brackets inside strings count) but never under."""
    prefix = max((m.end() - m.start() for m in _PREFIX.finditer(text)), default=0)
    depth = deepest = 0
    for m in _BRACKET.finditer(text):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return 2 * (prefix + 1) + 1 + deepest


def _shape_problem(text: str) -> tuple[str, Any, str] | None:
    """(code, mark, message) for the first node nested deeper than MAX_DEPTH or the first entry past
    MAX_ENTRIES in one mapping or list, from the C parser's event stream (an iterative state machine,
    safe at any depth, stopping at the first problem: no node tree is built); None when within bounds."""
    counts: list[int] = []  # child nodes seen in each open collection (a mapping's are keys and values)
    limits: list[int] = []
    for event in YAML(typ="safe").parse(text):
        name = type(event).__name__
        if name in ("MappingEndEvent", "SequenceEndEvent"):
            counts.pop()
            limits.pop()
            continue
        if name not in ("MappingStartEvent", "SequenceStartEvent", "ScalarEvent", "AliasEvent"):
            continue
        if counts:
            counts[-1] += 1
            if counts[-1] > limits[-1]:
                what = "mapping" if limits[-1] == 2 * MAX_ENTRIES else "list"
                return ("Y107", event.start_mark,
                        f"more than {MAX_ENTRIES:,} entries in one {what}; a policy file is limited to that")
        if name in ("MappingStartEvent", "SequenceStartEvent"):
            if len(counts) >= MAX_DEPTH:
                return "Y104", event.start_mark, f"nesting deeper than {MAX_DEPTH} levels"
            counts.append(0)
            limits.append(2 * MAX_ENTRIES if name == "MappingStartEvent" else MAX_ENTRIES)
    return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index)
    return line + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _mark_pos(mark: Any) -> tuple[int, int]:
    if mark is None:
        return 1, 1
    return int(mark.line) + 1, int(mark.column) + 1


BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_NAMES = {0x061C: "ARABIC LETTER MARK", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
               0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
               0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
               0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE",
               0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE"}
# the character itself, a YAML escape (\u202E, \U0000202E) or an HTML character reference (&#x202E;, &#8238;)
_BIDI_RE = re.compile(
    "[" + BIDI + "]"
    r"|\\(?:u|U0000)(061[cC]|200[eEfF]|202[a-eA-E]|206[6-9])"
    r"|&#(?:[xX]0*(61[cC]|200[eEfF]|202[a-eA-E]|206[6-9])|0*(1564|820[67]|823[4-8]|828[6-9]));")
MAX_BIDI_WARNINGS = 20


def bidi_warnings(text: str, display: str) -> list[Diagnostic]:
    """Warnings (Y120) for bidirectional controls in a file: they can make text display in another
    order than it is read (Trojan Source). Outputs show them escaped; validate flags them."""
    out: list[Diagnostic] = []
    for m in _BIDI_RE.finditer(text):
        if len(out) == MAX_BIDI_WARNINGS:
            break
        if m.group(1) or m.group(2):
            code = int(m.group(1) or m.group(2), 16)
        else:
            code = int(m.group(3)) if m.group(3) else ord(m.group())
        line, col = _line_col(text, m.start())
        name = _BIDI_NAMES.get(code, "bidi control")
        out.append(Diagnostic(display, line, col, "Y120",
                              f"bidirectional control U+{code:04X} ({name}) can make text display in another "
                              f"order than it is read; reports show it escaped", Severity.WARNING))
    return out


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or the reason it cannot be used (size, encoding, I/O)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block for ever, /dev/zero never end
            return None, [Diagnostic(display, 1, 1, "Y100", "not a regular file (a device, FIFO or socket); not read")]
        size = st.st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Diagnostic(display, 1, 1, "Y103",
                           f"file is {size / 1048576:.0f} MiB; policy files are limited to "
                           f"{MAX_FILE_BYTES // 1048576} MiB")
            ]
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # a file that grows while read stops at the limit too
        if len(raw) > MAX_FILE_BYTES:
            return None, [Diagnostic(display, 1, 1, "Y103",
                                     f"file is larger than {MAX_FILE_BYTES // 1048576} MiB; not read")]
    except OSError as exc:
        return None, [Diagnostic(display, 1, 1, "Y100", f"cannot read file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(good, len(good))
        return None, [
            Diagnostic(display, line, col, "Y101",
                       f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
        ]
    return text, []


def load_data(text: str, display: str) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text into plain Python data (dict, list, str, int, float, bool, date, None)."""
    if "\x00" in text:
        line, col = _line_col(text, text.index("\x00"))
        return None, [Diagnostic(display, line, col, "Y115", "NUL byte in file; is this a binary file?")]
    try:
        if len(text) > SHAPE_CHECK_CHARS or _depth_bound(text) > MAX_DEPTH:
            problem = _shape_problem(text)
            if problem is not None:
                code, mark, message = problem
                line, col = _mark_pos(mark)
                return None, [Diagnostic(display, line, col, code, message)]
        data = _safe_yaml().load(text)
    except _Refused as exc:
        line, col = _mark_pos(exc.problem_mark)
        return None, [Diagnostic(display, line, col, exc.code, exc.message)]
    except DuplicateKeyError as exc:
        line, col = _mark_pos(exc.problem_mark)
        key = _duplicate_key(exc)
        first = _mark_pos(exc.context_mark)[0] if exc.context_mark is not None else None
        where = f" (first defined in the mapping starting on line {first})" if first else ""
        return None, [Diagnostic(display, line, col, "Y111", f"duplicate key {key}{where}")]
    except ReaderError as exc:
        line, col = _line_col(text, min(int(getattr(exc, "position", 0) or 0), len(text)))
        return None, [Diagnostic(display, line, col, "Y115",
                                 f"control character U+{_codepoint(exc.character):04X} is not allowed in YAML")]
    except ConstructorError as exc:
        line, col = _mark_pos(exc.problem_mark)
        return None, [Diagnostic(display, line, col, "Y112", _clean(exc.problem))]
    except MarkedYAMLError as exc:
        line, col = _mark_pos(exc.problem_mark or exc.context_mark)
        problem = _clean(exc.problem) or _clean(exc.context) or "invalid YAML"
        if "single document" in f"{exc.context} {exc.problem}":
            return None, [Diagnostic(display, line, col, "Y114",
                                     "more than one YAML document; a policy file holds exactly one")]
        indent = _indentation(problem, text, line)
        if indent:
            return None, [Diagnostic(display, line, col, "Y110", indent)]
        return None, [Diagnostic(display, line, col, "Y110", problem + _hint(problem, text, line))]
    except (YAMLError, ValueError, TypeError, OverflowError) as exc:
        # ruamel raises plain errors for a few malformed scalars (e.g. impossible dates).
        return None, [Diagnostic(display, 1, 1, "Y110", _clean(str(exc)) or type(exc).__name__)]
    except RecursionError:
        return None, [Diagnostic(display, 1, 1, "Y104", "nesting too deep to read")]
    if data is None:
        return None, [Diagnostic(display, 1, 1, "Y102", "file is empty: it holds no YAML document")]
    return data, []


_INDENT_PROBLEMS = ("did not find expected key", "did not find expected '-' indicator",
                    "mapping values are not allowed", "expected <block end>")


def _indentation(problem: str, text: str, line: int) -> str:
    """A plain message when the parser's complaint comes from a line indented unlike the one above it."""
    if not problem.startswith(_INDENT_PROBLEMS):
        return ""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""

    def col(s: str) -> int:
        return len(s) - len(s.lstrip(" ")) + 1

    here = lines[line - 1]
    above = next((k for k in range(line - 1, 0, -1) if lines[k - 1].strip() and not lines[k - 1].lstrip().startswith("#")),
                 None)
    if above is None or not here.strip():
        return ""
    prev = lines[above - 1]
    opens = prev.rstrip().endswith(":") and not prev.lstrip().startswith("- ")
    if col(here) == col(prev) or (opens and col(here) > col(prev)):
        return ""
    return (f"indentation: line {line} starts at column {col(here)} but line {above} above it at column "
            f"{col(prev)}; the keys of one mapping, and the items of one list, start in the same column "
            f"(indent with spaces)")


def _hint(problem: str, text: str, line: int) -> str:
    """What a drafter most likely did, for the commonest syntax errors."""
    here = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "unexpected ':'" in problem and ("[" in here or "{" in here):
        return "; inside [...] or {...} a text containing ':' (such as a URL) must be in quotes"
    if "mapping values are not allowed" in problem:
        return "; a text containing ': ' must be in quotes"
    if "found character '\\t'" in problem or "\t" in here[: len(here) - len(here.lstrip())]:
        return "; indent with spaces, not tabs"
    return ""


def _codepoint(character: Any) -> int:
    return character if isinstance(character, int) else ord(str(character)[:1] or "\0")


def _duplicate_key(exc: DuplicateKeyError) -> str:
    match = re.search(r'found duplicate key "(.*?)"', str(exc.problem or ""))
    return f'"{match.group(1)}"' if match else ""


def _clean(message: Any) -> str:
    if not message:
        return ""
    text = str(message).strip().splitlines()[0]
    return text[:300]
