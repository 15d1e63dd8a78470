"""Command line of the fact base: validate, export, report, diff, schema, fields (python -m haixi)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from haixi.i18n import DEFAULT_LANG, LANGS
from haixi.loader import FactBaseError, load
from haixi.measures import discrepancies, discrepancy_warnings, measures
from haixi.paths import facts_path, sources_dir
from haixi.schema import RECORD_SECTIONS, FactBase, json_schema

EXIT_OK = 0
EXIT_INVALID = 1  # an invalid or unreadable fact file, a failed provenance check, an I/O error
EXIT_USAGE = 2  # argparse's own code for a bad command line

Handler = Callable[[argparse.Namespace], int]
Configure = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, argument set-up and handler."""

    name: str
    help: str
    configure: Configure
    run: Handler


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Configure | None = None):
    """Register the decorated function as the handler of subcommand `name`.

    A new subcommand is one function plus, if it takes arguments, one set-up function::

        def _report_arguments(parser): parser.add_argument(...)

        @command("report", "Write the report.", _report_arguments)
        def run_report(args: argparse.Namespace) -> int: ...
    """

    def register(run: Handler) -> Handler:
        COMMANDS[name] = Command(name, help, configure or (lambda parser: None), run)
        return run

    return register


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def load_or_report(path: str | Path) -> FactBase | None:
    """The fact base in `path`, or None once every problem with it is printed to stderr.

    The one way a command loads a fact file. The loader turns a missing, unreadable, oversized
    or invalid file into a FactBaseError naming file, line and field; it lets no OSError out.
    """
    try:
        return load(path)
    except FactBaseError as exc:
        _err(exc.report())
        return None


# --------------------------------------------------------------------------- validate


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="fact file to check (default: $HAIXI_FACTS or data/facts.yaml)",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="sources folder for the provenance check (default: $HAIXI_SOURCES or "
        "data/sources)",
    )


def counts(base: FactBase) -> dict[str, int]:
    """Records per section (schema.RECORD_SECTIONS), "project outputs" right after projects."""
    out = {}
    for section in RECORD_SECTIONS:
        out[section] = len(getattr(base, section))
        if section == "projects":
            out["project outputs"] = sum(len(p.outputs) for p in base.projects)
    return out


def summary(path: Path, base: FactBase) -> list[str]:
    """The lines of validate's summary, without the provenance part."""
    meta = base.meta
    lines = [
        f"{path}: valid",
        f"  file      {path}",
        f"  title     {meta.title.en} / {meta.title.zh}",
        f"  version   {meta.version}",
        f"  released  {meta.released.isoformat()}",
        "records",
    ]
    lines += [f"  {name:<16}{n:>5}" for name, n in counts(base).items()]
    lines.append("sources")
    lines += [f"  {s.id}  {s.file}  sha256 {s.sha256[:12]}" for s in base.sources]
    found = discrepancies(base)
    lines.append(
        f"measures {len(measures(base))}: {len(base.facts)} readings, {len(found)} "
        f"discrepanc{'y' if len(found) == 1 else 'ies'} "
        f"({sum(1 for d in found if d.examined is not None)} examined)"
    )
    kinds = Counter(e.kind.value for e in base.errata)
    lines.append(f"errata by kind ({len(base.errata)})")
    lines += [f"  {kind:<18}{n:>3}" for kind, n in sorted(kinds.items())]
    return lines


def _warn_discrepancies(path: Path, base: FactBase) -> None:
    """Print to stderr, as warnings, every discrepancy between readings (examined or not)."""
    warnings = discrepancy_warnings(base)
    if warnings:
        count = len(warnings)
        _err(
            f"{path}: {count} warning{'s' if count != 1 else ''} (the file is still valid)",
            *(f"  warning: {line}" for line in warnings),
        )


@command("validate", "Check a fact file and its provenance; print a summary.", _validate_arguments)
def run_validate(args: argparse.Namespace) -> int:
    from haixi.provenance import check

    path = args.path or facts_path()
    base = load_or_report(path)
    if base is None:
        return EXIT_INVALID
    lines = summary(path, base)
    folder = args.sources or sources_dir()
    result = check(base, folder if folder.is_dir() else None)
    if result.folder is None:
        lines += [
            f"provenance: quotes not checked (no sources folder at {folder})",
            f"  figures found in quote   {result.figures_found}/{result.figures_total}",
        ]
    else:
        lines += [
            f"provenance ({folder})",
            f"  quotes found verbatim    {result.quotes_found}/{result.quotes_total}",
            f"  figures found in quote   {result.figures_found}/{result.figures_total}",
            f"  source checksums match   {result.checksums_ok}/{result.checksums_total}",
            f"  errata on their line     {result.errata_ok}/{result.errata_total}",
        ]
    status = EXIT_OK
    _warn_discrepancies(path, base)
    if not result.ok:
        count = len(result.problems)
        _err(
            f"{path}: {count} provenance problem{'s' if count != 1 else ''}",
            *(f"  {problem}" for problem in result.problems),
        )
        lines[0] = f"{path}: valid schema, but provenance FAILED"
        status = EXIT_INVALID
    print("\n".join(lines))
    return status


# --------------------------------------------------------------------------- export


FORMATS = ("csv", "json", "datapackage")


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, required=True, help="what to write")
    parser.add_argument("outdir", type=Path, help="folder to write into (created if needed)")
    parser.add_argument(
        "--facts",
        type=Path,
        metavar="PATH",
        help="fact file to export (default: $HAIXI_FACTS or data/facts.yaml)",
    )


@command("export", "Write the fact base as tidy tables (CSV, JSON or a data package).",
         _export_arguments)
def run_export(args: argparse.Namespace) -> int:
    from haixi import export

    path = args.facts or facts_path()
    base = load_or_report(path)
    if base is None:
        return EXIT_INVALID
    try:
        if args.format == "csv":
            written = export.write_csv(base, args.outdir)
        elif args.format == "json":
            written = [export.write_json(base, args.outdir)]
        else:
            descriptor = export.write_datapackage(base, args.outdir)
            written = [descriptor, *(args.outdir / f"{n}.csv" for n in export.SPECS)]
    except OSError as exc:
        _err(f"{args.outdir}: cannot write: {exc.strerror or exc}")
        return EXIT_INVALID
    print(f"{path} (version {base.meta.version}) -> {args.outdir} [{args.format}]")
    for file in written:
        print(f"  {file}")
    if args.format != "json":
        print("CSV files are plain UTF-8 (no BOM): in Excel, use Data > From Text/CSV, UTF-8.")
    return EXIT_OK


# --------------------------------------------------------------------------- schema, fields


@command("schema", "Print the JSON Schema of fact files (make schema writes it to data/).")
def run_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _fields_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--update",
        type=Path,
        metavar="GUIDE.md",
        help="replace the generated field reference inside this Markdown file instead of printing",
    )


@command(
    "fields",
    "Print the field reference of every model, as Markdown (for docs/curating.md).",
    _fields_arguments,
)
def run_fields(args: argparse.Namespace) -> int:
    from haixi.docs import END, START, field_reference

    reference = field_reference()
    guide = getattr(args, "update", None)
    if guide is None:
        sys.stdout.write(reference)
        return EXIT_OK
    text = guide.read_text(encoding="utf-8")
    if START not in text or END not in text:
        _err(f"{guide}: no field-reference markers ({START} ... {END}) to replace")
        return EXIT_INVALID
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    guide.write_text(head + reference.rstrip("\n") + tail, encoding="utf-8")
    print(f"{guide}: field reference updated")
    return EXIT_OK


# --------------------------------------------------------------------------- report


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT.html", help="the HTML file to write")
    parser.add_argument(
        "--lang", choices=LANGS, default=DEFAULT_LANG, help="language of the report; default zh"
    )
    parser.add_argument(
        "--facts",
        type=Path,
        metavar="PATH",
        help="fact file to report on (default: $HAIXI_FACTS or data/facts.yaml)",
    )


@command(
    "report",
    "Write the dashboard as one self-contained HTML file (offline, printable).",
    _report_arguments,
)
def run_report(args: argparse.Namespace) -> int:
    from haixi.report import build_report

    path = args.facts or facts_path()
    base = load_or_report(path)
    if base is None:
        return EXIT_INVALID
    text = build_report(base, args.lang)
    out = args.out
    temporary = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, out)
    except OSError as exc:
        if temporary.parent.is_dir():
            temporary.unlink(missing_ok=True)
        _err(f"{out}: cannot write: {exc.strerror or exc}")
        return EXIT_INVALID
    size = len(text.encode("utf-8"))
    print(
        f"{path} (version {base.meta.version}, released {base.meta.released.isoformat()}) "
        f"-> {out} [{args.lang}, {size / 1024 / 1024:.1f} MB]"
    )
    return EXIT_OK


# --------------------------------------------------------------------------- diff


DIFF_FORMATS = ("text", "json", "markdown")


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD.yaml", help="the earlier fact file")
    parser.add_argument("new", metavar="NEW.yaml", help="the later fact file")
    parser.add_argument(
        "--format",
        choices=DIFF_FORMATS,
        default="text",
        help="text (plain words), json, or markdown (a CHANGELOG.md section); default text",
    )
    parser.add_argument(
        "--lang", choices=sorted(LANGS), default="en", help="language of the text format; default en"
    )


@command(
    "diff",
    "List the facts added, removed and changed between two fact files (text, JSON, Markdown).",
    _diff_arguments,
)
def run_diff(args: argparse.Namespace) -> int:
    from haixi.diff import changelog_section, diff

    old, new = [load_or_report(path) for path in (args.old, args.new)]  # both reported
    if old is None or new is None:
        return EXIT_INVALID
    result = diff(old, new)
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(changelog_section(result), end="")
    else:
        print(result.to_text(args.lang))
    return EXIT_OK


# --------------------------------------------------------------------------- coverage


COVERAGE_FORMATS = ("text", "markdown", "json")


def _coverage_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="fact file (default: $HAIXI_FACTS or data/facts.yaml)",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="sources folder (default: $HAIXI_SOURCES or data/sources)",
    )
    parser.add_argument("--format", choices=COVERAGE_FORMATS, default="text", help="output")
    parser.add_argument(
        "--lang", choices=LANGS, default="en", help="language of reasons and summary"
    )
    parser.add_argument(
        "--source",
        metavar="ID",
        help="account for the numbers of this source alone (an id of the fact base's sources)",
    )


@command(
    "coverage",
    "Account for every number in the sources: from a record, not a figure, or uncovered.",
    _coverage_arguments,
)
def run_coverage(args: argparse.Namespace) -> int:
    from haixi import coverage

    path = args.path or facts_path()
    base = load_or_report(path)
    if base is None:
        return EXIT_INVALID
    known = [source.id for source in base.sources]
    if args.source is not None and args.source not in known:
        _err(
            f"python -m haixi coverage: error: unknown source {args.source!r} in {path}; "
            f"its sources are: {', '.join(known)}"
        )
        return EXIT_USAGE
    result = coverage.account(base, args.sources or sources_dir(), args.lang, args.source)
    if args.format == "json":
        sys.stdout.write(coverage.render_json(result))
    elif args.format == "markdown":
        sys.stdout.write(coverage.render_markdown(result, args.lang))
    else:
        sys.stdout.write(coverage.render_text(result, args.lang))
    problems = [*result.source_problems, *(f"stale entry: {s}" for s in result.stale)]
    uncovered = result.counts[coverage.Status.uncovered]
    if uncovered:
        problems.append(f"{uncovered} number{'s' if uncovered != 1 else ''} uncovered: "
                        + ", ".join(f"{n.phrase.text} ({n.phrase.source}, line {n.phrase.line})"
                                    for n in result.uncovered))
    if problems:
        _err(f"{path}: coverage FAILED", *(f"  {problem}" for problem in problems))
    return EXIT_OK if result.ok else EXIT_INVALID


# --------------------------------------------------------------------------- entry point


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subparser per registered command."""
    parser = argparse.ArgumentParser(
        prog="python -m haixi",
        description="The Haixi fact base: check it, export it, describe it.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        sub = subparsers.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(sub)
        sub.set_defaults(handler=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 invalid or failed, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_usage(sys.stderr)
        _err("python -m haixi: error: a command is required")
        return EXIT_USAGE
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `python -m haixi schema | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout
        return EXIT_OK
    except OSError as exc:
        _err(f"python -m haixi {args.command}: {exc}")
        return EXIT_INVALID
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("HAIXI_DEBUG"):
            raise
        _err(
            f"python -m haixi {args.command}: internal error: {type(exc).__name__}: {exc}",
            "(set HAIXI_DEBUG=1 to see the traceback)",
        )
        return EXIT_INVALID
