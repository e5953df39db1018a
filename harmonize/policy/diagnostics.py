"""Problems found in policy files, located as ``path:line:column: CODE message``.

Every code is listed in ``CODES`` so that the README, SARIF rules and tests share one table.
Lines and columns are 1-based, as editors and compilers print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Union

PathPart = Union[str, int]
DataPath = tuple[PathPart, ...]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# code -> (short name, what it means). Y: reading the file; S: schema; R: references and consistency.
CODES: dict[str, tuple[str, str]] = {
    "Y100": ("unreadable", "the file cannot be read"),
    "Y101": ("encoding", "the file is not valid UTF-8"),
    "Y102": ("empty", "the file holds no YAML document"),
    "Y103": ("too-large", "the file is larger than a policy file can be"),
    "Y104": ("too-deep", "the YAML nests deeper than a policy file can"),
    "Y105": ("outside-tree", "a symbolic link that leaves the policy folder"),
    "Y106": ("too-deep-folders", "folders nested deeper than a policy tree can be"),
    "Y107": ("too-many-entries", "a mapping or list with more entries than a policy file can hold (10,000)"),
    "Y110": ("syntax", "the text is not well-formed YAML"),
    "Y111": ("duplicate-key", "a key appears twice in one mapping"),
    "Y112": ("tag", "a YAML tag that would construct an object"),
    "Y113": ("alias", "a YAML alias (*name) or merge key; policy files spell every value out"),
    "Y114": ("multiple-documents", "more than one YAML document in one file"),
    "Y115": ("control-character", "a control character that YAML does not allow"),
    "Y116": ("non-finite-number", "a number that is not finite (.nan, .inf, 1e400) or too large to be exact"),
    "Y117": ("text-too-long", "a text longer than a policy file can hold (20,000 characters)"),
    "Y120": ("bidi-control", "a bidirectional control character (Trojan Source): a warning"),
    "Y190": ("more-problems", "further problems in this file, not shown (at most 50 a file)"),
    "S201": ("unknown-key", "a key the schema does not know"),
    "S202": ("missing-key", "a required key is missing"),
    "S203": ("wrong-type", "a value of the wrong type"),
    "S204": ("invalid-value", "a value outside what the schema allows"),
    "R301": ("unknown-instrument", "a value cites an instrument the jurisdiction does not declare"),
    "R302": ("unknown-measure", "a provision names a measure that is not in the catalogue"),
    "R303": ("unknown-zone", "a condition uses a zone code the jurisdiction does not declare"),
    "R304": ("unknown-sector", "a condition uses a sector code the jurisdiction does not declare"),
    "R305": ("overlapping-dates", "two values of one provision are in force on the same day"),
    "R306": ("inverted-dates", "a date range ends before it starts"),
    "R307": ("instrument-not-in-force", "a value cites an instrument not in force on its dates"),
    "R308": ("value-kind", "a value does not fit the kind and unit of its measure"),
    "R309": ("duplicate-id", "the same id is declared twice in one jurisdiction"),
    "R310": ("missing-value", "a value is missing but its status is not 'unverified'"),
    "R311": ("jurisdiction-mismatch", "the file names another jurisdiction than its folder"),
    "R312": ("missing-source", "a verified or secondary value cites no source it was read from"),
    "R313": ("unknown-class", "a zone or sector maps to a class the catalogue does not declare"),
    "R314": ("catalogue", "a catalogue entry is inconsistent"),
    "R315": ("unknown-reference", "a reference to an id that does not exist"),
    "R316": ("no-catalogue", "no catalogue.yaml was found above the policy files"),
    "D401": ("rate-as-fraction", "a rate below 1: most likely a fraction written for a percent (a warning)"),
    "D402": ("fractional-count", "a fraction of a unit the law counts whole: years, months, days (a warning)"),
    "D403": ("date-hole", "days with no value between one value's 'until' and the next one's 'from' (a warning)"),
    "D404": ("no-own-source", "a verified or secondary value that cites no source of its own (a warning)"),
    "R317": ("weak-sources", "a verified value rests only on press or other low-tier sources (a warning)"),
    "R318": ("method", "a catalogue number without a rationale, a package out of step, or a domain scored on existence checks"),
    "R319": ("site-sanity", "a park site cannot receive the zone incentives it obviously should (a missing zone code)"),
    "R320": ("stale-translation", "a translation whose English text no policy file has any more (a warning)"),
    "R321": ("translations", "a translations file named for another language, or one English text translated twice"),
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem. ``data_path`` locates it in the parsed document when line/column are not yet known."""

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    data_path: DataPath | None = field(default=None, compare=False)

    def format(self) -> str:
        warning = "warning: " if self.severity is Severity.WARNING else ""
        return f"{one_line(self.file)}:{self.line}:{self.column}: {self.code} {warning}{one_line(self.message)}"

    @property
    def name(self) -> str:
        return CODES[self.code][0]


def one_line(text: str) -> str:
    """Escape control characters so that one problem is always one line of output."""
    return "".join(
        ch if ch.isprintable() or ch == " " else (f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        for ch in text
    )

