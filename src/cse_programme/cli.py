"""The ``cse-programme`` command line.

Exit codes: 0 success; 1 the input is not valid (every problem is printed
with its path); 2 the command was used wrongly or its input could not be read.
Results go to stdout, messages and progress to stderr, so output can be piped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn

from cse_programme._errors import ValidationError
from cse_programme._serialisation import (
    KINDS,
    iter_jsonl,
    json_schema,
    loads,
    write_jsonl,
)
from cse_programme._serialisation._documents import to_document
from cse_programme._serialisation._files import atomic_writer
from cse_programme._serialisation._json import encode, parse
from cse_programme._version import __version__
from cse_programme.analysis import FORMATS, build_report, find_services, render
from cse_programme.datasets import london_2025, synthetic_cases
from cse_programme.interop import from_360giving, from_hsds, to_360giving, to_hsds
from cse_programme.model import (
    AREA_NOT_RECORDED,
    AbuseContext,
    Area,
    CaseReview,
    Programme,
    ReviewStatus,
    SupportKind,
    SurvivorGroup,
)
from cse_programme.privacy import DEFAULT_THRESHOLD, ProtectedTable, protect

PROGRAM = "cse-programme"
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command cannot run: a wrong option or an input it cannot read."""


def _fail(message: str) -> NoReturn:
    raise UsageError(message)


def _open(path: str) -> IO[bytes]:
    """An input file opened for reading, or one clear message saying why it cannot be."""
    target = Path(path)
    if not target.exists():
        _fail(f"{path}: no such file")
    if target.is_dir():
        _fail(f"{path}: is a directory, not a file")
    try:
        return open(target, "rb")
    except OSError as exc:
        _fail(f"{path}: cannot be read ({exc.strerror})")


def _read_bytes(path: str) -> bytes:
    with _open(path) as stream:
        return stream.read()


def _programme(path: str | None) -> Programme:
    if path is None:
        return london_2025()
    return loads(_read_bytes(path), Programme)


@contextmanager
def _output(path: str | None, inputs: Sequence[str | None] = ()) -> Iterator[IO[bytes]]:
    """Stdout, or a file written atomically that is never one of the inputs."""
    if path is None or path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    for given in inputs:
        if given is not None and Path(given).resolve() == target.resolve():
            _fail(f"{path}: refusing to write over an input file")
    if target.is_dir():
        _fail(f"{path}: is a directory")
    with atomic_writer(target) as stream:
        yield stream


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _colour(text: str, code: str) -> str:
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        return f"\033[{code}m{text}\033[0m"
    return text


# Subcommands --------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    report = build_report(_programme(args.input))
    if args.format == "json":
        _print(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_OK
    text = render(report, args.format)
    if args.format == "text":
        for word, code in (
            ("not comparable", "33"),
            ("conflicting", "35"),
            ("inconsistent", "31"),
            ("consistent", "32"),
        ):
            text = "\n".join(
                line.replace(word, _colour(word, code), 1) if line.startswith(word) else line
                for line in text.splitlines()
            )
    _print(text)
    return EXIT_OK


def _is_jsonl(path: str) -> bool:
    return path.endswith((".jsonl", ".ndjson"))


def _progress(path: str) -> Callable[[int], None]:
    show = sys.stderr.isatty()

    def tick(count: int) -> None:
        if show and count % 10_000 == 0:
            sys.stderr.write(f"\r{path}: {count:,} records checked")
            sys.stderr.flush()

    return tick


def _validate_jsonl(path: str) -> list[ValidationError]:
    """Check a JSON Lines file one line at a time, in constant memory."""
    errors: list[ValidationError] = []
    tick = _progress(path)
    with _open(path) as stream:
        first = stream.readline()
        stream.seek(0)
        try:
            head = parse(first) if first.strip() else None
        except ValidationError:
            head = None
        if isinstance(head, dict) and "data" in head:
            # One whole document per line.
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    try:
                        loads(line)
                    except ValidationError as error:
                        errors.append(error.at_line(number))
                    tick(number)
        else:
            kind = head.get("kind") if isinstance(head, dict) else None
            cls = KINDS.get(kind, CaseReview) if isinstance(kind, str) else CaseReview
            for count, _ in enumerate(iter_jsonl(stream, cls, errors=errors), start=1):
                tick(count)
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    return errors


def _validate(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    for path in args.files:
        if _is_jsonl(path):
            errors = _validate_jsonl(path)
        else:
            try:
                loads(_read_bytes(path))
                errors = []
            except ValidationError as error:
                errors = [error]
        problems = [problem for error in errors for problem in error.problems]
        results.append(
            {
                "file": path,
                "valid": not problems,
                "problems": [
                    {"line": p.line, "path": p.path, "message": p.message, "code": p.code}
                    for p in problems
                ],
            }
        )
    if args.format == "json":
        _print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for result in results:
            if result["valid"]:
                _print(f"{result['file']}: {_colour('valid', '32')}")
                continue
            count = len(result["problems"])
            _print(
                f"{result['file']}: {_colour('invalid', '31')} ({count} problem"
                f"{'' if count == 1 else 's'})"
            )
            for p in result["problems"]:
                where = f"line {p['line']}: " if p["line"] is not None else ""
                _print(f"  {where}{p['path'] or '(root)'}: {p['message']} [{p['code']}]")
    return EXIT_OK if all(r["valid"] for r in results) else EXIT_INVALID


def _schema(args: argparse.Namespace) -> int:
    _print(json.dumps(json_schema(args.kind), ensure_ascii=False, indent=2))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    programme = _programme(args.input)
    with _output(args.output, [args.input]) as stream:
        if args.to == "jsonl":
            parts = (
                *programme.organisations,
                *programme.services,
                *programme.funding_packages,
                *programme.reviews,
                *programme.measures,
                *programme.indicators,
                *programme.sources,
                *programme.claims,
            )
            for part in parts:
                stream.write(encode(to_document(part)) + b"\n")
        else:
            exporter = _interop_exporter(args.to)
            stream.write(encode(exporter(programme, args.prefix), indent=2) + b"\n")
    return EXIT_OK


def _interop_exporter(standard: str) -> Callable[[Programme, str | None], Any]:

    exporters: dict[str, Callable[[Programme, str | None], Any]] = {
        "360giving": lambda programme, prefix: to_360giving(
            programme, prefix=prefix or _fail("--prefix is required for 360giving, e.g. 360G-GLA")
        ),
        "hsds": lambda programme, _: to_hsds(programme),
    }
    return exporters[standard]


def _find_service(args: argparse.Namespace) -> int:
    programme = _programme(args.input)
    try:
        area = Area.lookup(args.area)
    except ValidationError:
        _fail(f"--area {args.area!r}: not a London borough name or GSS code")
    group = {"child": SurvivorGroup.CHILDREN, "adult": SurvivorGroup.ADULTS, None: None}[args.as_]
    contexts = [AbuseContext(value) for value in args.context]
    matches = find_services(programme, age=args.age, area=area, contexts=contexts, group=group)
    if args.format == "json":
        _print(
            json.dumps(
                [
                    {
                        "service": str(m.service.id),
                        "name": m.service.name,
                        "reasons": list(m.reasons),
                        "conditions": list(m.conditions),
                        "url": m.service.url,
                    }
                    for m in matches
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    if not matches:
        _print(f"No service in the programme matches age {args.age} in {area.name}.")
    for match in matches:
        _print(match.service.name + (f" <{match.service.url}>" if match.service.url else ""))
        for reason in match.reasons:
            _print(f"  - {reason}")
        for condition in match.conditions:
            _print(f"  - only {condition}")
    return EXIT_OK


def _funnel_tables(cases: list[CaseReview], args: argparse.Namespace) -> dict[str, ProtectedTable]:
    (review,) = london_2025().reviews
    funnel = review.funnel(cases)
    options = {
        "threshold": args.threshold,
        "rounding": args.round,
        "control": not args.no_disclosure_control,
    }

    def one_column(counts: dict[str, int]) -> ProtectedTable:
        labels = list(counts)
        cells = {(label, "Cases"): counts[label] for label in labels}
        return protect(labels, ["Cases"], cells, row_totals=False, **options)

    statuses = {
        status.value.replace("_", " ").capitalize(): funnel.by_status.get(status, 0)
        for status in ReviewStatus
    }
    contexts = {c.label: funnel.by_context.get(c, 0) for c in AbuseContext}
    areas = {area.name: funnel.by_area.get(area.code, 0) for area in Area.all()}
    areas["Not recorded"] = funnel.by_area.get(AREA_NOT_RECORDED, 0)
    return {
        "status": one_column(statuses),
        "context (a case may count under several)": one_column(contexts),
        "area": one_column(areas),
        "year the offending began": one_column(
            {str(year): funnel.by_year[year] for year in sorted(funnel.by_year)}
        ),
    }


def _funnel(args: argparse.Namespace) -> int:
    errors: list[ValidationError] = []
    with _open(args.file) as stream:
        cases = list(iter_jsonl(stream, CaseReview, errors=errors))
    if errors:
        for error in errors:
            for problem in error.problems:
                sys.stderr.write(f"{args.file}: {problem}\n")
        return EXIT_INVALID
    tables = _funnel_tables(cases, args)
    notice = (
        "Disclosure control NOT applied: these counts may identify people and must not be "
        "published."
        if args.no_disclosure_control
        else f"Disclosure control applied: counts from 1 to {args.threshold} and the cells that "
        "would reveal them are shown as [c]."
    )
    synthetic = sum(case.synthetic for case in cases)
    with _output(args.output, [args.file]) as stream:
        if args.format == "json":
            data = {
                "notice": notice,
                "synthetic_records": synthetic,
                "tables": {k: t.as_data() for k, t in tables.items()},
            }
            stream.write(json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n")
        elif args.format == "csv":
            for name, table in tables.items():
                stream.write(f"# Cases by {name}. {notice}\n".encode())
                stream.write(table.to_csv().encode() + b"\n")
        else:
            lines = [notice]
            if synthetic:
                lines.append(f"{synthetic:,} of {len(cases):,} records are SYNTHETIC.")
            for name, table in tables.items():
                rows = table.to_rows()
                widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
                lines += ["", f"Cases by {name}"]
                lines += [
                    "  ".join(
                        cell.rjust(w) if i else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                    ).rstrip()
                    for row in rows
                ]
            stream.write(("\n".join(lines) + "\n").encode())
    return EXIT_OK


def _synthesise(args: argparse.Namespace) -> int:
    if args.cases < 0:
        _fail("--cases must be at least 0")
    with _output(args.output) as stream:
        write_jsonl(synthetic_cases(args.cases, seed=args.seed), stream)
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    stated = {
        "--area": args.area,
        "--context": args.context,
        "--support": args.support,
        "--group": args.group,
    }
    if args.from_ == "360giving" and any(stated.values()):
        _fail(f"{', '.join(k for k, v in stated.items() if v)}: only for --from hsds")
    areas = []
    for name in args.area:
        try:
            areas.append(Area.lookup(name))
        except ValidationError:
            _fail(f"--area {name!r}: not a London borough name or GSS code")
    raw = parse(_read_bytes(args.file))
    if args.from_ == "360giving":
        imported = from_360giving(raw)
    else:
        imported = from_hsds(
            raw,
            areas=areas or None,
            contexts=[AbuseContext(value) for value in args.context] or None,
            support=[SupportKind(value) for value in args.support] or None,
            groups=[SurvivorGroup(value) for value in args.group] or None,
        )
    for note in imported.notes:
        sys.stderr.write(f"{args.file}: {note}\n")
    programme = imported.programme(f"Imported from {Path(args.file).name}")
    with _output(args.output, [args.file]) as stream:
        stream.write(encode(to_document(programme), indent=2) + b"\n")
    return EXIT_OK


# Parser -----------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="London's programme of support for victims and survivors of CSE.",
        epilog="Exit codes: 0 success, 1 invalid input, 2 usage error or unreadable input.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = commands.add_parser("report", help="summarise the programme and audit its claims")
    report.add_argument("input", nargs="?", help="a programme document (default: London 2025)")
    report.add_argument("--format", choices=FORMATS, default="text")
    report.set_defaults(run=_report)

    validate = commands.add_parser("validate", help="check documents and JSON Lines files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(run=_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of a document kind")
    schema.add_argument("kind", choices=sorted(KINDS), metavar="KIND", help=", ".join(KINDS))
    schema.set_defaults(run=_schema)

    export = commands.add_parser("export", help="export the programme to another format")
    export.add_argument("input", nargs="?", help="a programme document (default: London 2025)")
    export.add_argument("--to", choices=("360giving", "hsds", "jsonl"), required=True)
    export.add_argument("--prefix", help="your 360Giving identifier prefix, e.g. 360G-GLA")
    export.add_argument("-o", "--output", help="the file to write (default: stdout)")
    export.set_defaults(run=_export)

    importer = commands.add_parser(
        "import",
        help="import a 360Giving or HSDS file",
        description="Import a 360Giving grants file, or HSDS services (one service, a list or "
        "a service_list page).  A service the file does not place in a London area, or does not "
        "say serves survivors of CSE, is refused unless you state the missing facts; what you "
        "state applies to every service in the file.",
    )
    importer.add_argument("file")
    importer.add_argument("--from", dest="from_", choices=("360giving", "hsds"), required=True)
    importer.add_argument(
        "--area", action="append", default=[], help="an area the services cover (repeatable)"
    )
    importer.add_argument(
        "--context",
        action="append",
        default=[],
        choices=[c.value for c in AbuseContext],
        help="an abuse context the services cover (repeatable)",
    )
    importer.add_argument(
        "--support",
        action="append",
        default=[],
        choices=[s.value for s in SupportKind],
        help="a kind of support the services give (repeatable)",
    )
    importer.add_argument(
        "--group",
        action="append",
        default=[],
        choices=[g.value for g in SurvivorGroup],
        help="whom the services are for (repeatable)",
    )
    importer.add_argument("-o", "--output", help="the file to write (default: stdout)")
    importer.set_defaults(run=_import)

    finder = commands.add_parser("find-service", help="find services for a person")
    finder.add_argument("--age", type=int, required=True)
    finder.add_argument("--area", required=True, help="a borough name or GSS code")
    finder.add_argument(
        "--context",
        action="append",
        default=[],
        choices=[c.value for c in AbuseContext],
        help="an abuse context the service must cover (repeatable)",
    )
    finder.add_argument(
        "--as",
        dest="as_",
        choices=("child", "adult"),
        help="whom the person is served as where a service publishes no age range "
        "(default: a child under 18, an adult from 18)",
    )
    finder.add_argument("--input", help="a programme document (default: London 2025)")
    finder.add_argument("--format", choices=("text", "json"), default="text")
    finder.set_defaults(run=_find_service)

    funnel = commands.add_parser("funnel", help="tables of case records, disclosure-controlled")
    funnel.add_argument("file", metavar="FILE.jsonl")
    funnel.add_argument("--format", choices=("text", "csv", "json"), default="text")
    funnel.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD)
    funnel.add_argument("--round", type=int, choices=(5, 10), default=None)
    funnel.add_argument(
        "--no-disclosure-control",
        action="store_true",
        help="show every count (never publish such a table)",
    )
    funnel.add_argument("-o", "--output", help="the file to write (default: stdout)")
    funnel.set_defaults(run=_funnel)

    synthesise = commands.add_parser("synthesise", help="write SYNTHETIC case records")
    synthesise.add_argument("--cases", type=int, required=True)
    synthesise.add_argument("--seed", type=int, default=0)
    synthesise.add_argument("-o", "--output", help="the file to write (default: stdout)")
    synthesise.set_defaults(run=_synthesise)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except UsageError as exc:
        sys.stderr.write(f"{PROGRAM}: {exc}\n")
        return EXIT_USAGE
    except ValidationError as exc:
        sys.stderr.write(f"{PROGRAM}: invalid input\n{exc}\n")
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return code
