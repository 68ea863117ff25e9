"""The ``cse-programme`` command line.

Exit codes: 0 success; 1 the input is not valid (its problems are printed
with their paths); 2 the command was used wrongly, its input could not be read
(missing, a directory, not UTF-8, over a size limit) or its output could not
be written.  Results go to stdout, messages and progress to stderr, so output
can be piped.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any, Final, NoReturn

from cse_programme._errors import Problem, ValidationError
from cse_programme._serialisation import (
    KINDS,
    json_schema,
    loads,
    write_jsonl,
)
from cse_programme._serialisation._documents import to_document
from cse_programme._serialisation._files import safe_writer
from cse_programme._serialisation._json import encode, parse, read_limited
from cse_programme._serialisation._jsonl import line_too_long, numbered_lines, read_records
from cse_programme._version import __version__
from cse_programme.analysis import FORMATS, build_report, find_routes, find_services, render
from cse_programme.analysis._finder import MAX_AGE
from cse_programme.datasets import london_2025, synthetic_cases
from cse_programme.interop import from_360giving, from_hsds, to_360giving, to_hsds
from cse_programme.model import (
    AbuseContext,
    Area,
    CaseReview,
    PoliceForceArea,
    Programme,
    SupportKind,
    SurvivorGroup,
)
from cse_programme.privacy import DEFAULT_THRESHOLD, release_funnel

PROGRAM = "cse-programme"
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: Codes of problems that mean the input could not be read at all: exit 2.
_UNREADABLE: Final = frozenset({"not_utf8", "bom", "too_large", "unreadable"})
#: How many problems of one input are printed; the rest are only counted.
MAX_PROBLEMS_SHOWN: Final = 100


class UsageError(Exception):
    """The command cannot run: a wrong option, an unreadable input or an unwritable output."""


class _UnreadableError(UsageError):
    """An input that cannot be opened, and why (never what it holds)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so that no temporary file is left."""


def _fail(message: str) -> NoReturn:
    raise UsageError(message)


def _open(path: str) -> IO[bytes]:
    """An input file (``-`` for stdin) opened for reading, or why it cannot be."""
    if path == "-":
        return open(sys.stdin.fileno(), "rb", closefd=False)
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise _UnreadableError(path, "no such file") from None
    except IsADirectoryError:
        raise _UnreadableError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise _UnreadableError(path, f"cannot be read ({exc.strerror})") from None


def _read_bytes(path: str) -> bytes:
    """A whole input file, refused before reading when it is over the document limit."""
    with _open(path) as stream:
        return read_limited(stream)


def _status(problems: Iterable[Problem]) -> int:
    """The exit status a set of problems calls for: 2 if any input was unreadable."""
    codes = {problem.code for problem in problems}
    return EXIT_USAGE if codes & _UNREADABLE else EXIT_INVALID


def _problems(count: int) -> str:
    return "problem" if count == 1 else "problems"


class _Problems:
    """The first problems of one input and a count of all of them, in constant memory.

    It is where the JSON Lines reader puts the error of each bad line.
    """

    def __init__(self) -> None:
        self.shown: list[Problem] = []
        self.count = 0
        self.status = EXIT_OK

    def append(self, error: ValidationError) -> None:
        self.extend(error.problems)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.count += 1
            if len(self.shown) < MAX_PROBLEMS_SHOWN:
                self.shown.append(problem)
            self.status = max(self.status, _status([problem]))

    def lines(self) -> Iterator[str]:
        """The problems shown, one a line, then how many more there were."""
        yield from (f"  {problem}" for problem in self.shown)
        hidden = self.count - len(self.shown)
        if hidden:
            yield f"  ... and {hidden:,} more {_problems(hidden)}"


def _programme(path: str | None) -> Programme:
    if path is None:
        return london_2025()
    return loads(_read_bytes(path), Programme)


@contextmanager
def _output(path: str | None, inputs: Sequence[str | None] = ()) -> Iterator[IO[bytes]]:
    """Stdout, or a file written by :func:`safe_writer` that is never one of the inputs.

    Any failure to write becomes one line naming the file, and the file is
    left as it was.
    """
    if path is None or path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    for given in inputs:
        if given is not None and given != "-" and _same_file(given, path):
            _fail(f"{path}: refusing to write over an input file")
    if Path(path).is_dir():
        _fail(f"{path}: is a directory")
    try:
        with safe_writer(path) as stream:
            yield stream
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def _same_file(first: str, second: str) -> bool:
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _colour_wanted() -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _colour(text: str, code: str) -> str:
    return f"\033[{code}m{text}\033[0m" if _colour_wanted() else text


# Subcommands --------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    report = build_report(_programme(args.input))
    _print(render(report, args.format, colour=_colour_wanted()))
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


def _validate_jsonl(path: str, found: _Problems) -> None:
    """Check a JSON Lines file one line at a time, in constant memory."""
    tick = _progress(path)
    with _open(path) as stream:
        lines = numbered_lines(stream)
        first = next(lines, None)
        if first is None:
            return
        head = _parsed(first[1])
        lines = itertools.chain([first], lines)
        if isinstance(head, dict) and "data" in head:
            # One whole document per line.
            for number, line in lines:
                try:
                    if line is None:
                        raise line_too_long()
                    loads(line)
                except ValidationError as error:
                    found.append(error.at_line(number))
                tick(number)
        else:
            kind = head.get("kind") if isinstance(head, dict) else None
            cls = KINDS.get(kind, CaseReview) if isinstance(kind, str) else CaseReview
            for count, _ in enumerate(read_records(lines, cls, found), start=1):
                tick(count)
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")


def _parsed(line: bytes | None) -> Any:
    try:
        return None if line is None else parse(line)
    except ValidationError:
        return None


def _validate_file(path: str) -> _Problems:
    """Every problem of one file, the first of them kept; unreadable files too."""
    found = _Problems()
    try:
        if _is_jsonl(path):
            _validate_jsonl(path, found)
        else:
            loads(_read_bytes(path))
    except ValidationError as error:
        found.extend(error.problems)
    except _UnreadableError as unreadable:
        found.extend([Problem("", unreadable.reason, "unreadable")])
    return found


_VERDICTS: Final = {EXIT_OK: "valid", EXIT_INVALID: "invalid", EXIT_USAGE: "unreadable"}


def _validate(args: argparse.Namespace) -> int:
    """Report on every file given, each as soon as it is checked; exit with the worst."""
    worst = EXIT_OK
    results: list[dict[str, Any]] = []
    for path in args.files:
        found = _validate_file(path)
        worst = max(worst, found.status)
        if args.format == "json":
            results.append(
                {
                    "file": path,
                    "valid": found.status == EXIT_OK,
                    "status": _VERDICTS[found.status],
                    "problem_count": found.count,
                    "problems": [
                        {"line": p.line, "path": p.path, "message": p.message, "code": p.code}
                        for p in found.shown
                    ],
                }
            )
            continue
        if found.status == EXIT_OK:
            _print(f"{path}: {_colour('valid', '32')}")
            continue
        _print(
            f"{path}: {_colour(_VERDICTS[found.status], '31')} ({found.count:,} "
            f"{_problems(found.count)})"
        )
        for line in found.lines():
            _print(line)
    if args.format == "json":
        _print(json.dumps(results, ensure_ascii=False, indent=2))
    return worst


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
        _fail(f"--area {args.area!r}: not the name or GSS code of a district of England or Wales")
    group = {"child": SurvivorGroup.CHILDREN, "adult": SurvivorGroup.ADULTS, None: None}[args.as_]
    contexts = [AbuseContext(value) for value in args.context]
    matches = find_services(programme, age=args.age, area=area, contexts=contexts, group=group)
    routes = find_routes(programme, area=area)
    if args.format == "json":
        found = {
            "services": [
                {
                    "service": str(m.service.id),
                    "name": m.service.name,
                    "reasons": list(m.reasons),
                    "conditions": list(m.conditions),
                    "url": m.service.url,
                }
                for m in matches
            ],
            "reporting_routes": [
                {
                    "route": str(m.route.id),
                    "name": m.route.name,
                    "reasons": list(m.reasons),
                    "anonymous": m.route.anonymous,
                    "phone": m.route.phone,
                    "url": m.route.url,
                }
                for m in routes
            ],
        }
        _print(json.dumps(found, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not matches:
        _print(f"No service in the programme matches age {args.age} in {area.name}.")
    for match in matches:
        _print(match.service.name + (f" <{match.service.url}>" if match.service.url else ""))
        for reason in match.reasons:
            _print(f"  - {reason}")
        for condition in match.conditions:
            _print(f"  - only {condition}")
    if routes:
        _print("")
        _print("To report an offence or pass on information:")
    for route in routes:
        _print(str(route.route))
        for reason in route.reasons:
            _print(f"  - {reason}")
    return EXIT_OK


class _CaseStream:
    """The case records of a file, read one at a time and counted as they pass."""

    def __init__(self, stream: IO[bytes], found: _Problems) -> None:
        self._stream = stream
        self._found = found
        self.synthetic = 0

    def __iter__(self) -> Iterator[CaseReview]:
        for case in read_records(numbered_lines(self._stream), CaseReview, self._found):
            self.synthetic += case.synthetic
            yield case


def _funnel(args: argparse.Namespace) -> int:
    if args.no_disclosure_control and (
        args.threshold is not None or args.round is not None or args.hide_zeros
    ):
        _fail(
            "--no-disclosure-control cannot be combined with --threshold, --round or --hide-zeros"
        )
    if args.threshold is not None and args.threshold < 0:
        _fail("--threshold must be a whole number of at least 0")
    found = _Problems()
    (review,) = london_2025().reviews
    with _open(args.file) as stream:
        cases = _CaseStream(stream, found)
        try:
            funnel = review.funnel(cases)
        except ValidationError as error:  # cases outside the review's scope
            found.extend(error.problems)
    if found.count:
        sys.stderr.write(f"{PROGRAM}: {args.file}: {found.count:,} {_problems(found.count)}\n")
        sys.stderr.write("".join(f"{line}\n" for line in found.lines()))
        return found.status
    release = release_funnel(
        funnel,
        threshold=DEFAULT_THRESHOLD if args.threshold is None else args.threshold,
        rounding=args.round,
        hide_zeros=args.hide_zeros,
        control=not args.no_disclosure_control,
        synthetic=cases.synthetic,
    )
    writers = {"json": release.to_json, "csv": release.to_csv, "text": release.to_text}
    with _output(args.output, [args.file]) as stream:
        stream.write(writers[args.format]().encode())
    return EXIT_OK


def _synthesise(args: argparse.Namespace) -> int:
    if args.cases < 0:
        _fail("--cases must be at least 0")
    with _output(args.output) as stream:
        write_jsonl(synthetic_cases(args.cases, seed=args.seed, force=args.force), stream)
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
            _fail(f"--area {name!r}: not the name or GSS code of a district of England or Wales")
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


def _age(text: str) -> int:
    try:
        age = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number of years") from None
    if not 0 <= age <= MAX_AGE:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_AGE}")
    return age


def _police_force_area(text: str) -> PoliceForceArea:
    try:
        return PoliceForceArea.lookup(text)
    except ValidationError:
        raise argparse.ArgumentTypeError(
            "not the name or GSS code of a police force area of England or Wales"
        ) from None


def _add_import(commands: Any) -> None:
    importer = commands.add_parser(
        "import",
        help="import a 360Giving or HSDS file",
        description="Import a 360Giving grants file, or HSDS services (one service, a list or "
        "a service_list page).  A service the file does not place in England or Wales, or does not "
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

    _add_import(commands)

    finder = commands.add_parser(
        "find-service", help="find services for a person, and where to report an offence"
    )
    finder.add_argument("--age", type=_age, required=True, help=f"0 to {MAX_AGE}")
    finder.add_argument("--area", required=True, help="a district's name or GSS code")
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
    funnel.add_argument(
        "--threshold",
        type=int,
        default=None,
        metavar="N",
        help=f"hide every count from 1 to N (default {DEFAULT_THRESHOLD}; 0 hides none)",
    )
    funnel.add_argument(
        "--round",
        type=int,
        choices=(5, 10),
        default=None,
        help="round every count shown to the nearest 5 or 10",
    )
    funnel.add_argument(
        "--hide-zeros", action="store_true", help="hide zeros as well as small counts"
    )
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
    synthesise.add_argument(
        "--force",
        type=_police_force_area,
        help="the police force area whose districts the cases lie in, by name or GSS code "
        "(default: the Metropolitan Police)",
    )
    synthesise.add_argument("-o", "--output", help="the file to write (default: stdout)")
    synthesise.set_defaults(run=_synthesise)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    with _signals_handled():
        try:
            code: int = args.run(args)
        except UsageError as exc:
            sys.stderr.write(f"{PROGRAM}: {exc}\n")
            return EXIT_USAGE
        except ValidationError as exc:
            found = _Problems()
            found.extend(exc.problems)
            what = "input cannot be read" if found.status == EXIT_USAGE else "invalid input"
            sys.stderr.write(f"{PROGRAM}: {what} ({found.count:,} {_problems(found.count)})\n")
            sys.stderr.write("".join(f"{line}\n" for line in found.lines()))
            return found.status
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): not an error of ours.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            sys.stderr.write(f"{PROGRAM}: {where}{exc.strerror or 'input or output failed'}\n")
            return EXIT_USAGE
        except KeyboardInterrupt:
            return 128 + signal.SIGINT
        except _Terminated:
            return 128 + signal.SIGTERM
    return code


@contextmanager
def _signals_handled() -> Iterator[None]:
    """SIGTERM unwinds the command like Ctrl-C; a file-size limit fails a write, not the process.

    Unwinding runs every ``with`` block, so a file being written is removed
    rather than left half-written.  The previous handlers come back after.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(_: int, __: FrameType | None) -> None:
        raise _Terminated

    previous = {
        signal.SIGTERM: signal.signal(signal.SIGTERM, terminate),
        signal.SIGXFSZ: signal.signal(signal.SIGXFSZ, signal.SIG_IGN),
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
