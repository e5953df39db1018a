"""JUnit XML, for CI systems that show test reports: one test case per checked item."""

from __future__ import annotations

from typing import Iterable
from xml.etree import ElementTree as ET

from . import Row


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
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
