"""``harmonize report``: the gap-analysis report reviewers read — Markdown, HTML and JSON, in English,
Vietnamese or Lao.

    harmonize report [PATH] [--format md|html|json|pdf|all] [--lang en|vi|lo|km|all] [--park ID|FILE|all|none]
                     [--pair A:B] [--as-of DATE] [--params SET] [--baseline RESULT.json]
                     [--out FILE | --out-dir DIR]

One report covers every selected park (default: all park profiles), a section per park, so a
reviewer reads one document and compares the parks in its summary. ``--out-dir`` writes
``report.<lang>.md``, ``report.<lang>.html`` and ``report.json`` (language-neutral); ``--format pdf``
writes ``report.<lang>.pdf``, the HTML printed to A4 by Chromium (reporting.pdf), and fails, exit 2,
with the reason where Chromium is missing. ``all`` is every text format: printing takes a browser and
a minute, so a PDF is made only when asked for (``make report`` asks where Chromium is installed).
Every file is written atomically. Exit 0 on success, 2 on bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from .args import (DEFAULT_POLICIES, all_parks, as_of_or_today, emit, load_or_fail, load_parameter_set,
                   park_profiles, resolve_park, trio_parks)
from . import COMMANDS

FORMAT_CHOICES = ("md", "html", "json", "pdf", "all")
LANG_CHOICES = ("en", "vi", "lo", "km", "all")


def register(subparsers) -> None:
    p = subparsers.add_parser("report", help=COMMANDS["report"])
    p.add_argument("path", nargs="?", default=str(DEFAULT_POLICIES), metavar="PATH",
                   help="policy folder (default: policies/)")
    p.add_argument("--format", choices=FORMAT_CHOICES, default=None,
                   help="md, html, json, pdf (A4, printed by Chromium) or all: md, html and json "
                        "(default: md to stdout or --out; all with --out-dir)")
    p.add_argument("--lang", choices=LANG_CHOICES, default=None,
                   help="en, vi, lo or all (default: en; all with --out-dir)")
    p.add_argument("--park", metavar="ID|FILE|all|none", default="all",
                   help="park profile id, a profile file, 'all' (default: every profile, one section each) "
                        "or 'none' (no site conditions)")
    p.add_argument("--pair", metavar="A:B", help="the two jurisdictions (default: each park's pair)")
    p.add_argument("--as-of", metavar="DATE", help="the date the law is read at, YYYY-MM-DD (default: today)")
    p.add_argument("--params", metavar="SET", help="economic parameter set (default: the scenarios file's default)")
    p.add_argument("--baseline", metavar="RESULT.json",
                   help="a previous 'check --format json' result or report.json: adds a 'what changed' section")
    p.add_argument("--summary", action="store_true",
                   help="with --format md: the pull-request edition (key findings, roadmap, coverage, a link to "
                        "the full HTML report; under 60,000 characters)")
    p.add_argument("--full-report", metavar="URL",
                   help="where the pull-request edition links for the full report (default: report.yaml's "
                        "full_report; CI passes the run's artefact page)")
    p.add_argument("--settings", metavar="FILE",
                   help="the report settings (status, issuing body, dates, editions; default: report.yaml in PATH)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--out", metavar="FILE", help="write one report to FILE (atomically)")
    out.add_argument("--out-dir", metavar="DIR", help="write report.<lang>.md, report.<lang>.html, report.json into DIR")
    p.set_defaults(func=_command)


def select_parks(ps, park_arg: str, pair_arg):
    """[(park id | None, ParkProfile | None, pair)]: every profile for 'all' (those of --pair's pair
    when given), else the one ``check`` would pick for --park/--pair (check.resolve_park)."""
    trios = trio_parks(ps)
    if park_arg in trios and not pair_arg:  # a park of three: its three pairs (and the joint view)
        parks = park_profiles(ps)
        return [(k, parks[k], tuple(parks[k].pair)) for k in trios[park_arg][1]]
    if park_arg.lower() == "all" and pair_arg and not park_profiles(ps):
        park_arg = "none"  # no profiles: the pair asked for, with no site conditions
    if park_arg.lower() == "all":
        chosen = [(pid, park, pair) for park, pid, pair in all_parks(ps)]
        if pair_arg:
            want = tuple(pair_arg.split(":"))
            chosen = [(pid, park, want) for pid, park, pair in chosen
                      if park is not None and set(pair) == set(want) and len(want) == 2]
        if chosen:
            return chosen
        park_arg = "none"
    park, pid, pair = resolve_park(ps, park_arg, pair_arg)
    return [(pid, park, pair)]


def load_settings(root, path_arg):
    """ReportSettings from --settings, or the policy folder's report.yaml when it has one, else defaults.

    Read as the policy files are (``read_source``, ``parse_model``, ``resolve``): a problem is a located
    diagnostic (``report.yaml:1:9: S204 ...``), exit 2, never a traceback."""
    from ..policy.diagnostics import Diagnostic
    from ..policy.loader import parse_model, read_source, resolve
    from ..reporting.settings import SETTINGS_NAME, ReportSettings

    if path_arg:
        path = Path(path_arg)
        if not path.is_file():
            raise UsageError(f"--settings: no such file: {path}")
    elif root is not None and (Path(root) / SETTINGS_NAME).is_file():
        path = Path(root) / SETTINGS_NAME
    else:
        return ReportSettings()
    source, problems = read_source(path)
    if problems:
        raise UsageError("the report settings cannot be read:\n" + "\n".join(d.format() for d in problems[:10]))
    if source.data is None:
        return ReportSettings()
    if not isinstance(source.data, dict):
        bad = Diagnostic(source.display, 1, 1, "S203", "the report settings must be a mapping of keys to values "
                                                        f"at the top level, got {type(source.data).__name__}")
        raise UsageError("the report settings have problems:\n" + bad.format())
    settings, findings = parse_model(source, ReportSettings)
    if findings:
        raise UsageError("the report settings have problems:\n" + "\n".join(d.format() for d in resolve(findings)))
    return settings


def load_baselines(path: Path) -> dict:
    """{park id or None: CheckResult} from a report.json, a baseline file or a check result."""
    from pydantic import ValidationError

    from ..engine.result import CheckResult

    from ..gates.baseline import loads_finite

    try:
        doc = loads_finite(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"--baseline: cannot read {path}: {exc.strerror if isinstance(exc, OSError) else exc}") from None
    except RecursionError:
        raise UsageError(f"--baseline: {path}: the JSON nests too deeply to be a harmonize result") from None
    if isinstance(doc, dict) and "report_version" in doc:  # a report.json
        try:
            results = [CheckResult.model_validate(s["check"]) for s in doc["parks"]]
        except (ValidationError, KeyError, TypeError) as exc:
            raise UsageError(f"--baseline: {path} is not a valid report.json: {str(exc).splitlines()[0]}") from None
        return {(r.park.id if r.park else None): r for r in results}
    from ..gates.baseline import load_baseline

    try:
        base = load_baseline(path)
    except ValueError as exc:
        raise UsageError(f"--baseline: {exc}") from None
    return {(key or None): r for key, r in base.results.items()}


def build_document(ps, selection, as_of, params_name=None, baseline=None):
    """Run every check and scenario of the report: (ReportDocument, park profiles, scenario models)."""
    from ..engine.delta import compare_results
    from ..engine.run import run_check
    from ..engine.simulation import simulate
    from ..policy.scenarios import check_scenarios, load_scenario_folder
    from ..reporting.document import ParkSection, ReportDocument, ScenarioSet, provenance

    try:
        params = load_parameter_set(ps.root, params_name)
    except ValueError as exc:
        raise UsageError(f"--params: {exc}") from None
    sections, profiles = [], {}
    for pid, park, pair in selection:
        result = run_check(ps, pair, as_of, park, park_id=pid, params=params)
        delta = None
        if baseline:
            base = baseline.get(pid)
            if base is None and len(baseline) == 1 and len(selection) == 1:
                base = next(iter(baseline.values()))
            if base is not None:
                delta = compare_results(base, result)
        sections.append(ParkSection(check=result, baseline=delta))
        if pid is not None and park is not None:
            profiles[pid] = park

    loaded = load_scenario_folder(ps.root) if ps.root is not None else None
    scenario_sets = []
    models = {}
    if loaded is not None and loaded.scenarios:
        problems = loaded.diagnostics + check_scenarios(loaded.scenarios, ps)
        if problems:
            raise UsageError("the scenario files have problems:\n" + "\n".join(d.format() for d in problems[:10]))
        set_name = params_name or loaded.default_set
        pset = loaded.parameter_sets.get(set_name) if set_name else None
        models = dict(loaded.scenarios)
        pairs = {}
        for _, _, p in selection:  # one scenario set per pair, whichever order a park names it in
            pairs.setdefault(frozenset(p), p)
        for pair in pairs.values():
            sset = ScenarioSet(pair=list(pair), as_of=as_of, parameter_set=set_name)
            if pset is None:
                sset.problems.append(f"no parameter set {set_name!r}: scenarios not run")
            else:
                for name in sorted(loaded.scenarios):
                    try:
                        sset.results.append(simulate(ps, name, loaded.scenarios[name], pair, as_of, set_name, pset))
                    except ValueError as exc:
                        sset.problems.append(f"{name}: {exc}")
            scenario_sets.append(sset)
    joints = []
    if ps.root is not None and (ps.root / "parks").is_dir():
        from ..engine.joint import joint_view

        by_id = {s.check.park.id: s.check for s in sections if s.check.park}
        for tid, (trio, ids) in sorted(trio_parks(ps).items()):
            if all(i in by_id for i in ids):
                joints.append(joint_view([by_id[i] for i in ids], park=tid, title=trio.title.en))
                profiles[tid] = trio
    doc = ReportDocument(as_of=as_of, parks=sections, scenarios=scenario_sets, provenance=provenance(ps.root),
                         joints=joints)
    return doc, profiles, models


def summary_lines(doc) -> list[str]:
    """A few terminal lines: overall score per park, with its bounds and coverage, and its top 3 gaps."""
    from ..reporting.text import fmt_bounds, fmt_score

    out = []
    for s in doc.parks:
        r = s.check
        name = r.park.id if r.park else f"{r.pair[0]}:{r.pair[1]}"
        score = "not scored" if r.overall.score is None else f"{r.overall.score:.1f} / 100"
        rest = fmt_bounds(r.overall)[len(fmt_score(r.overall.score)):]  # its bounds and coverage
        out.append(f"{name}: overall {score}{rest} as of {r.as_of} "
                   f"({r.coverage.scored} of {r.coverage.measures_compared} measures scored)")
        gaps = sorted((g for g in r.gaps if g.points_lost > 0), key=lambda g: (-g.points_lost, g.measure))[:3]
        for i, g in enumerate(gaps, 1):
            out.append(f"  {i}. {g.title} ({g.measure}) −{g.points_lost:.2f} pts [{g.severity}]")
    return out


def _command(args: argparse.Namespace) -> int:
    from ..atomic import staged_set
    from ..reporting.escape import one_line, terminal
    from ..reporting.render import render
    from ..reporting.view import build_view

    as_of = as_of_or_today(args.as_of)
    fmt = args.format or ("all" if args.out_dir else "md")
    lang = args.lang or ("all" if args.out_dir else "en")
    formats = ["md", "html", "json"] if fmt == "all" else [fmt]
    from ..reporting import pdf
    from ..reporting.i18n import LANGS

    if fmt == "pdf" and not (args.out or args.out_dir):
        raise UsageError("--format pdf writes a file: give --out FILE or --out-dir DIR")
    if fmt == "pdf" and pdf.unavailable():
        raise UsageError(f"--format pdf: {pdf.unavailable()}")

    langs = list(LANGS) if lang == "all" else [lang]
    text_formats = [f for f in formats if f != "json"]
    if args.summary and formats != ["md"]:
        raise UsageError("--summary is the pull-request edition: use it with --format md")
    if not args.out_dir and (len(formats) > 1 or (text_formats and len(langs) > 1)):
        raise UsageError("several formats or languages need --out-dir DIR")
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    baseline = load_baselines(Path(args.baseline)) if args.baseline else None
    ps = load_or_fail(path)
    selection = select_parks(ps, args.park, args.pair)
    doc, profiles, models = build_document(ps, selection, as_of, args.params, baseline)
    # The tree, the results and the document live until the end: keep them out of the collector's
    # full passes, which building and rendering each edition triggers (a third less collector time).
    gc.freeze()
    settings = load_settings(ps.root if ps.root is not None else path, args.settings)
    if args.full_report:
        from ..reporting.settings import settings_from_data

        try:
            settings = settings_from_data({**settings.model_dump(exclude_none=True), "full_report": args.full_report},
                                          "--full-report")
        except ValueError as exc:
            raise UsageError(str(exc).replace("--full-report: full_report:", "--full-report:")) from None

    if not args.out_dir and formats[0] == "pdf":
        from ..atomic import write_atomic

        html = render(doc, "html", langs[0], ps, profiles, models, settings)
        write_atomic(Path(args.out), pdf.print_pdfs([pdf.job(terminal(html), langs[0], as_of)])[0])
        print(one_line(f"Wrote {args.out}"), file=sys.stderr)
        return EXIT_OK
    if not args.out_dir:
        emit(render(doc, formats[0], langs[0], ps, profiles, models, settings, args.summary), args.out, formats[0])
        if args.out:
            print(one_line(f"Wrote {args.out}"), file=sys.stderr)
        return EXIT_OK

    out_dir = Path(args.out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out-dir: {out_dir} is not a folder")
    suffix = ".summary" if args.summary else ""
    files = [name for f in formats if f != "pdf"  # the set as listed: by format, then language
             for name in (["report.json"] if f == "json" else [f"report.{lg}{suffix}.{f}" for lg in langs])]
    printed: list[bytes] = []
    if "pdf" in formats:  # printed from the HTML, before anything is written
        htmls = {lg: terminal(render(doc, "html", lg, ps, profiles, models, settings)) for lg in langs}
        printed = pdf.print_pdfs([pdf.job(htmls[lg], lg, as_of) for lg in langs])
        del htmls
    # the whole set appears at once, or none of it; each edition is written as soon as it is rendered, so
    # one edition is in memory at a time, and each language's view is built once for its md and html
    with staged_set(out_dir) as put:
        for lg in langs if any(f in ("md", "html") for f in formats) else []:
            view = build_view(doc, ps, lg, profiles, models, settings, args.summary)
            for f in formats:
                if f in ("md", "html"):
                    put(f"report.{lg}{suffix}.{f}",
                        terminal(render(doc, f, lg, ps, profiles, models, settings, args.summary, view=view)))
            del view  # one language's view at a time
        if "json" in formats:
            put("report.json", render(doc, "json", "en", ps))
        for lg, data in zip(langs, printed):
            put(f"report.{lg}.pdf", data)
            files.append(f"report.{lg}.pdf")
    for line in summary_lines(doc):
        print(one_line(line))
    print(one_line(f"Wrote {len(files)} files to {out_dir}/: {', '.join(files)}"))
    return EXIT_OK
