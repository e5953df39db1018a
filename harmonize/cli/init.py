"""``harmonize init``: scaffold a policy repository, or a new jurisdiction folder in one.

    harmonize init [DIR]                                   # catalogue, schemas, workflow, pre-commit
    harmonize init [DIR] --jurisdiction CODE [--name NAME] [--currency XXX]
    harmonize init [DIR] --jurisdiction A-B --kind bilateral --parties A,B
    harmonize init [DIR] --jurisdiction asean --kind multilateral --parties kh,la,vn

Nothing that exists is overwritten: an existing file is kept and named. The workflow calls the
harmonize GitHub Action at ``--action OWNER/REPO@REF`` (default: where this harmonize was installed
from, when pip recorded a git URL).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Optional

from ..errors import EXIT_OK, UsageError
from . import COMMANDS

CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
DISTRIBUTION = "harmonize-law"
ACTION_PLACEHOLDER = "OWNER/harmonize@REF"


def register(subparsers) -> None:
    p = subparsers.add_parser("init", help=COMMANDS["init"],
                              description=__doc__.split("\n\n")[2], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the repository folder (default: here)")
    p.add_argument("--jurisdiction", metavar="CODE", help="add policies/CODE/ (country.yaml, instruments.yaml)")
    p.add_argument("--name", metavar="NAME", help="the jurisdiction's name in English (default: the code)")
    p.add_argument("--currency", metavar="XXX", help="ISO 4217 code of the jurisdiction's currency")
    p.add_argument("--kind", choices=["country", "bilateral", "regional", "multilateral"], default="country")
    p.add_argument("--parties", metavar="A,B", help="bilateral/regional layers: the member jurisdictions")
    p.add_argument("--action", metavar="OWNER/REPO@REF", help="the harmonize GitHub Action the workflow uses")
    p.set_defaults(func=_command)


def _shipped_catalogue() -> Path:
    """The catalogue this harmonize ships: the checkout's policies/, or the copy in the wheel."""
    package = Path(__file__).resolve().parents[1]
    for path in (package.parent / "policies" / "catalogue.yaml", package / "shipped" / "catalogue.yaml"):
        if path.is_file():
            return path
    raise UsageError("this installation of harmonize ships no catalogue.yaml; reinstall it")


def installed_from() -> Optional[tuple[str, str]]:
    """(repository URL, commit) when pip installed harmonize from git (PEP 610 direct_url.json)."""
    from importlib import metadata

    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
        info = json.loads(text) if text else {}
    except (metadata.PackageNotFoundError, ValueError):
        return None
    vcs = info.get("vcs_info") or {}
    if vcs.get("vcs") != "git" or not info.get("url"):
        return None
    return info["url"], vcs.get("commit_id") or vcs.get("requested_revision") or "HEAD"


def default_action() -> Optional[str]:
    src = installed_from()
    if src is None:
        return None
    m = re.match(r"^(?:https://|git@)github\.com[/:]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", src[0])
    return f"{m.group(1)}/{m.group(2)}@{src[1]}" if m else None


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML flow scalar


def _render(template: str, **context: object) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from ..reporting.templating import TEMPLATES

    env = Environment(loader=FileSystemLoader(str(TEMPLATES / "init")), undefined=StrictUndefined,
                      autoescape=False, keep_trailing_newline=True)
    env.filters["yaml_str"] = _yaml_str
    return env.get_template(template).render(**context).rstrip("\n") + "\n"


def _schemas() -> dict[str, str]:
    from .schema import TITLES, schema_text

    return {f"schema/{kind}.schema.json": schema_text(kind) for kind in TITLES
            if kind in ("policy", "catalogue", "park", "scenario", "parameters")}


def _write(root: Path, files: dict[str, str]) -> list[tuple[str, bool]]:
    from ..atomic import write_atomic

    done = []
    for rel, text in files.items():
        path = root / rel
        if path.exists():
            done.append((rel, False))
            continue
        write_atomic(path, text)
        done.append((rel, True))
    return done


def repository_files(action: Optional[str]) -> dict[str, str]:
    files = {"policies/catalogue.yaml": _shipped_catalogue().read_text(encoding="utf-8")}
    files.update(_schemas())
    files[".github/workflows/harmonize.yml"] = _render("workflow.yml.j2", action=action or ACTION_PLACEHOLDER)
    repo, rev = ("https://github.com/" + action.split("@")[0], action.split("@")[1]) if action else \
        ("https://github.com/OWNER/harmonize", "REF")
    files[".pre-commit-config.yaml"] = _render("pre-commit-config.yaml.j2", hook_repo=repo, hook_rev=rev)
    files["README.md"] = _render("README.md.j2", title="Investment-incentive law for joint industrial parks")
    files["policies/parks/.gitkeep"] = ""
    return files


def jurisdiction_files(code: str, name: str, kind: str, parties: list[str], currency: Optional[str]) -> dict[str, str]:
    folder = {"country": f"policies/{code}", "multilateral": f"policies/multilateral/{code}"}.get(
        kind, f"policies/bilateral/{code}")  # the folder convention of policies/README.md §1
    up = "../" * folder.count("/") + "../"
    ctx = dict(code=code, name=name, kind=kind, parties=parties, currency=currency, up=up)
    return {f"{folder}/country.yaml" if kind == "country" else f"{folder}/layer.yaml": _render("country.yaml.j2", **ctx),
            f"{folder}/instruments.yaml": _render("instruments.yaml.j2", **ctx)}


def _command(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file; give the repository folder")
    parties = [p for p in (args.parties or "").split(",") if p]
    for code in [args.jurisdiction or "", *parties]:
        if code and not CODE.match(code):
            raise UsageError(f"{code!r} is not a jurisdiction code (lower-case letters, digits, '_', '-', '.')")
    if args.currency and not re.fullmatch(r"[A-Z]{3}", args.currency):
        raise UsageError(f"--currency: an ISO 4217 code such as VND or LAK, got {args.currency!r}")
    if args.kind != "country" and len(parties) < 2:
        raise UsageError(f"--kind {args.kind} needs --parties A,B")
    if args.action and not re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[\w./-]+", args.action):
        raise UsageError(f"--action: expected OWNER/REPO@REF, got {args.action!r}")

    files: dict[str, str] = {}
    new_repo = not (root / "policies" / "catalogue.yaml").is_file()
    action = args.action or default_action()
    if new_repo:
        files.update(repository_files(action))
    if args.jurisdiction:
        files.update(jurisdiction_files(args.jurisdiction, args.name or args.jurisdiction, args.kind, parties,
                                         args.currency))
    elif not new_repo:
        raise UsageError(f"{root} already holds a policy repository; add a jurisdiction with --jurisdiction CODE")
    done = _write(root, files)
    for rel, written in done:
        print(f"{'wrote' if written else 'kept '} {rel}" + ("" if written else " (exists)"))
    if new_repo and not action:
        print(f"note: the workflow uses {ACTION_PLACEHOLDER}: set it to the harmonize action you use "
              f"(harmonize init --action OWNER/REPO@REF)")
    print("next: harmonize validate " + str(root / "policies"))
    return EXIT_OK
