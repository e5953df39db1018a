"""JUnit XML, for CI systems that show test reports: one test case per checked item."""

from __future__ import annotations

from typing import Iterable
from xml.etree import ElementTree as ET

from ...reporting.escape import xml_text
from . import Row


def _tostring(root: ET.Element) -> str:
    """Well-formed XML whatever the messages hold: characters XML 1.0 forbids are shown escaped."""
    for el in root.iter():
        if el.text:
            el.text = xml_text(el.text)
        for key, value in list(el.attrib.items()):
            el.set(key, xml_text(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def render(suite: str, passed: Iterable[str], rows: Iterable[Row]) -> str:
    """``passed``: names of items with no problem; ``rows``: problems, one test case each."""
    passed, rows = list(passed), list(rows)
    failures = [r for r in rows if r.severity == "error"]
    root = ET.Element("testsuites", name="harmonize", tests=str(len(passed) + len(rows)),
                      failures=str(len(failures)), errors="0")
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(len(passed) + len(rows)),
                       failures=str(len(failures)), errors="0", skipped="0")
    for name in passed:
        ET.SubElement(ts, "testcase", classname=suite, name=name)
    for r in rows:
        where = f"{r.file}:{r.line}:{r.column}" if r.file else r.rule
        case = ET.SubElement(ts, "testcase", classname=r.file or suite, name=f"{r.rule} {where}")
        if r.file:
            case.set("file", r.file)
            if r.line:
                case.set("line", str(r.line))
        kind = "failure" if r.severity == "error" else "system-out"
        el = ET.SubElement(case, kind)
        if kind == "failure":
            el.set("type", r.rule)
            el.set("message", r.message)
            el.text = f"{where}: {r.rule} {r.title}: {r.message}"
        else:
            el.text = f"{r.severity}: {where}: {r.rule} {r.message}"
    return _tostring(root)


def check_report(ps, checks: list, gates: list) -> str:
    """One test case per gate and per measure (per park), with stable names (``gate/max-drop``,
    ``measure/wht_dividends``; the class is the park): a measure fails when a failed gate names it."""
    cases = []  # (classname, name, failure message or None, text, location)
    for g in gates:
        loc = g.location or (g.blame[0].location if g.blame else None)
        cases.append((g.park or "all parks", g.rule, None if g.passed else g.message, g.message, loc))
    for pc in checks:
        blamed = {}
        for g in gates:
            if not g.passed and g.park in (None, pc.park_id):
                for b in g.blame:
                    blamed.setdefault(b.measure, (g, b))
        for m in pc.result.measures:
            state = (f"similarity {m.similarity:.2f}, {m.contribution:.2f} overall points lost" if m.scored
                     else f"not scored ({m.unscored_reason})")
            if m.measure in blamed:
                g, b = blamed[m.measure]
                cases.append((pc.park_id or "no park", f"measure/{m.measure}", f"named by {g.rule}: {b.text}",
                              state, b.location))
            else:
                cases.append((pc.park_id or "no park", f"measure/{m.measure}", None, state, None))
    failures = sum(1 for c in cases if c[2] is not None)
    root = ET.Element("testsuites", name="harmonize", tests=str(len(cases)), failures=str(failures), errors="0")
    ts = ET.SubElement(root, "testsuite", name="harmonize check", tests=str(len(cases)), failures=str(failures),
                       errors="0", skipped="0")
    for classname, name, failure, text, loc in cases:
        case = ET.SubElement(ts, "testcase", classname=classname, name=name)
        if loc:
            case.set("file", loc[0])
            case.set("line", str(loc[1]))
        if failure is not None:
            el = ET.SubElement(case, "failure", type=name, message=failure)
            el.text = (f"{loc[0]}:{loc[1]}: " if loc else "") + failure
        else:
            ET.SubElement(case, "system-out").text = text
    return _tostring(root)
