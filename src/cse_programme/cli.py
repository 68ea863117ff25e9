"""The ``cse-programme`` command line.

Exit codes: 0 success; 1 the input is not valid (its problems are printed
with their paths); 2 the command was used wrongly, its input could not be read
(missing, a directory, not UTF-8, over a size limit) or its output could not
be written.  Results go to stdout, messages and progress to stderr, so output
can be piped.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import stat
import sys
import textwrap
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import FrameType
from typing import IO, Any, Final, NoReturn, cast

from cse_programme._cli import (
    Holds,
    Progress,
    choice,
    did_you_mean,
    of_document,
    of_value,
    peek,
)
from cse_programme._errors import Problem, ValidationError, key_token
from cse_programme._serialisation import (
    KINDS,
    dumps,
    encode,
    json_schema,
    loads,
    parse,
    read_jsonl,
    read_limited,
    safe_writer,
    write_jsonl,
)
from cse_programme._version import __version__
from cse_programme.analysis import (
    FORMATS,
    MAX_AGE,
    build_report,
    find_routes,
    find_services,
    render,
)
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
    Vocabulary,
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
        super().__init__(f"{_shown(path)}: {reason}")
        self.reason = reason


class _WrongFileError(UsageError):
    """An input that holds another kind of file than the command reads."""

    def __init__(self, path: str, holds: Holds, command: str, wanted: str) -> None:
        super().__init__(f"{_shown(path)}: holds {holds}, but {command} reads {wanted}")


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so that no temporary file is left."""


def _fail(message: str) -> NoReturn:
    raise UsageError(message)


#: The most characters of a file's name that a message shows.
_LONGEST_NAME: Final = 200


def _shown(path: str) -> str:
    """A file's name as messages show it: ``-`` as standard input, no control character raw.

    A name is shown, since it says which file a message is about, but cut,
    so that no argument can carry a long text or a terminal sequence into a
    message.
    """
    if path == "-":
        return "standard input"
    cut = "..." if len(path) > _LONGEST_NAME else ""
    return _printable(path[:_LONGEST_NAME]) + cut


def _printable(text: str) -> str:
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in text)


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


def _record_or_records(count: int) -> str:
    return "record" if count == 1 else "records"


class _Problems:
    """The first problems of one input and a count of all of them, in constant memory.

    It is where the JSON Lines reader puts the error of each bad line.
    """

    def __init__(self) -> None:
        self.shown: list[Problem] = []
        self.count = 0
        self.status = EXIT_OK
        self.records: int | None = None
        """How many records of a JSON Lines file were valid; ``None`` for a document."""

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


#: What the commands that read a programme read, in the words of their messages.
_A_PROGRAMME: Final = "a programme document (as `cse-programme import` writes)"


def _programme(path: str | None, command: str) -> Programme:
    if path is None:
        return london_2025()
    raw = _read_bytes(path)
    try:
        return loads(raw, Programme)
    except ValidationError:
        holds = of_document(raw)
        if holds is not None and holds != Holds("document", "programme"):
            raise _WrongFileError(path, holds, command, _A_PROGRAMME) from None
        raise


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
    report = build_report(_programme(args.input, "report"))
    _print(render(report, args.format, colour=_colour_wanted()))
    return EXIT_OK


def _is_jsonl(path: str) -> bool:
    return path.endswith((".jsonl", ".ndjson"))


def _progress(path: str, stream: IO[bytes]) -> Progress:
    """Progress through a file of records: towards its size, when it is a file."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):
        status = None  # standard input, already looked at: no size is known
    if status is None or not stat.S_ISREG(status.st_mode):
        return Progress(_shown(path), "records", total=None)
    return Progress(_shown(path), "records", total=status.st_size, measure=stream.tell)


def _validate_jsonl(path: str, stream: IO[bytes], found: _Problems) -> None:
    """Check every record of a JSON Lines file, whatever its kinds, in constant memory."""
    found.records = 0
    with _progress(path, stream) as progress:
        for _ in read_jsonl(stream, object, found):
            found.records += 1
            progress.update(found.records)


def _validate_file(path: str) -> _Problems:
    """Every problem of one file, the first of them kept; unreadable files too.

    What the file holds decides how it is read, whatever its name; the name
    decides only when its first lines leave it unclear.
    """
    found = _Problems()
    try:
        with _open(path) as opened:
            holds, stream = peek(opened)
            form = holds.form if holds is not None else "json"
            if form == "jsonl" or (form == "json" and _is_jsonl(path)):
                _validate_jsonl(path, stream, found)
            else:
                loads(read_limited(stream))
    except ValidationError as error:
        found.extend(error.problems)
    except _UnreadableError as unreadable:
        found.extend([Problem("", unreadable.reason, "unreadable")])
    return found


_VERDICTS: Final = {EXIT_OK: "valid", EXIT_INVALID: "invalid", EXIT_USAGE: "unreadable"}


def _validate(args: argparse.Namespace) -> int:
    """Report on every file given, each as soon as it is checked; exit with the worst."""
    if args.files.count("-") > 1:
        _fail("standard input can be read only once: give - at most once")
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
                    "valid_records": found.records,
                    "problems": [
                        {"line": p.line, "path": p.path, "message": p.message, "code": p.code}
                        for p in found.shown
                    ],
                }
            )
            continue
        if found.status == EXIT_OK:
            counted = (
                ""
                if found.records is None
                else f" ({found.records:,} {_record_or_records(found.records)})"
            )
            _print(f"{_shown(path)}: {_colour('valid', '32')}{counted}")
            continue
        _print(
            f"{_shown(path)}: {_colour(_VERDICTS[found.status], '31')} ({found.count:,} "
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
    programme = _programme(args.input, "export")
    with _output(args.output, [args.input]) as stream:
        if args.to == "jsonl":
            write_jsonl(_records(programme), stream)
        else:
            exporter = _interop_exporter(args.to)
            stream.write(encode(exporter(programme, args.prefix), indent=2) + b"\n")
    return EXIT_OK


def _records(programme: Programme) -> tuple[object, ...]:
    """The records of a programme that have a document kind, kind by kind."""
    return (
        *programme.organisations,
        *programme.services,
        *programme.funding_packages,
        *programme.reviews,
        *programme.measures,
        *programme.indicators,
        *programme.sources,
        *programme.claims,
    )


def _interop_exporter(standard: str) -> Callable[[Programme, str | None], Any]:

    exporters: dict[str, Callable[[Programme, str | None], Any]] = {
        "360giving": lambda programme, prefix: to_360giving(
            programme, prefix=prefix or _fail("--prefix is required for 360giving, e.g. 360G-GLA")
        ),
        "hsds": lambda programme, _: to_hsds(programme),
    }
    return exporters[standard]


def _area(typed: str) -> Area:
    """The district *typed* names, or a message offering the closest names (never *typed*)."""
    try:
        return Area.lookup(typed)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(
            error.problems[0].message + did_you_mean(typed, _area_names())
        ) from None


@cache
def _area_names() -> tuple[str, ...]:
    """The names an area may be given by: its ONS name, and that name before its title."""
    names = (area.name for area in Area.all())
    return tuple(dict.fromkeys(form for name in names for form in (name, name.split(",")[0])))


def _input_of(args: argparse.Namespace) -> str | None:
    """The input file given first, or by the older ``--input``, which still works."""
    if args.input_option is None:
        return cast("str | None", args.input)
    if args.input is not None:
        _fail("give the programme once: as FILE, not also with --input")
    sys.stderr.write(
        f"{PROGRAM}: --input is deprecated and will be removed: give the file first, "
        "as in `cse-programme find-service FILE --age N --area AREA`\n"
    )
    return cast(str, args.input_option)


def _find_service(args: argparse.Namespace) -> int:
    programme = _programme(_input_of(args), "find-service")
    area: Area = args.area
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

    def __init__(self, stream: IO[bytes], found: _Problems, progress: Progress) -> None:
        self._stream = stream
        self._found = found
        self._progress = progress
        self.synthetic = 0

    def __iter__(self) -> Iterator[CaseReview]:
        for case in _counted(read_jsonl(self._stream, CaseReview, self._found), self._progress):
            self.synthetic += case.synthetic
            yield case


#: What ``funnel`` reads, in the words of its messages.
_CASE_RECORDS: Final = "case records, one a line (JSON Lines, as `cse-programme synthesise` writes)"


def _case_records(path: str, stream: IO[bytes]) -> IO[bytes]:
    """*stream* to be read from its start, once it is seen to hold case records."""
    holds, stream = peek(stream)
    if holds is not None and (holds.form != "jsonl" or holds.kind not in (None, "case_review")):
        raise _WrongFileError(path, holds, "funnel", _CASE_RECORDS)
    return stream


def _funnel(args: argparse.Namespace) -> int:
    if args.no_disclosure_control and (
        args.threshold is not None or args.round is not None or args.hide_zeros
    ):
        _fail(
            "--no-disclosure-control cannot be combined with --threshold, --round or --hide-zeros"
        )
    found = _Problems()
    (review,) = london_2025().reviews
    with _open(args.file) as opened:
        stream = _case_records(args.file, opened)
        with _progress(args.file, stream) as progress:
            cases = _CaseStream(stream, found, progress)
            try:
                funnel = review.funnel(cases)
            except ValidationError as error:  # cases outside the review's scope
                found.extend(error.problems)
    if found.count:
        name = _shown(args.file)
        sys.stderr.write(f"{PROGRAM}: {name}: {found.count:,} {_problems(found.count)}\n")
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
    cases = synthetic_cases(args.cases, seed=args.seed, force=args.force)
    with _output(args.output) as stream, Progress("synthesise", "cases", total=args.cases) as bar:
        write_jsonl(_counted(cases, bar), stream)
    return EXIT_OK


def _counted(records: Iterable[CaseReview], progress: Progress) -> Iterator[CaseReview]:
    for count, record in enumerate(records, start=1):
        progress.update(count)
        yield record


def _import(args: argparse.Namespace) -> int:
    stated = {
        "--area": args.area,
        "--context": args.context,
        "--support": args.support,
        "--group": args.group,
    }
    if args.from_ == "360giving" and any(stated.values()):
        _fail(f"{', '.join(k for k, v in stated.items() if v)}: only for --from hsds")
    areas: list[Area] = args.area
    raw = _standard_file(args.file)
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
        sys.stderr.write(f"{_shown(args.file)}: {note}\n")
    name = "standard input" if args.file == "-" else Path(args.file).name
    programme = imported.programme(f"Imported from {name}")
    with _output(args.output, [args.file]) as stream:
        stream.write(dumps(programme, indent=2) + b"\n")
    return EXIT_OK


def _standard_file(path: str) -> Any:
    """The JSON of a 360Giving or HSDS file, once it is seen not to be one of the library's."""
    raw = _read_bytes(path)
    try:
        value = parse(raw)
    except ValidationError:
        holds = of_document(raw)
        if holds is not None:
            raise _WrongFileError(path, holds, "import", _A_STANDARD_FILE) from None
        raise
    holds = of_value(value)
    if holds is not None and holds.form != "json":
        raise _WrongFileError(path, holds, "import", _A_STANDARD_FILE)
    return value


#: What ``import`` reads, in the words of its messages.
_A_STANDARD_FILE: Final = "a 360Giving or HSDS file"


# Parser -----------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, with messages that never repeat what was typed.

    A word that matches nothing may be a mistake in any box, a name typed
    into the wrong one or a control sequence: it is named by the option it
    was given to, and the closest words the command knows are offered.
    """

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            words = [str(word) for word in action.choices]
            offer = did_you_mean(str(value), words) or "; choose from " + ", ".join(words)
            raise argparse.ArgumentError(action, "not one of the choices" + offer)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            options = [key_token(extra) for extra in extras if extra.startswith("-")]
            others = len(extras) - len(options)
            shown = options + ([f"{others} more"] if others else [])
            self.error(f"unrecognised arguments: {', '.join(shown)}")
        return parsed

    def error(self, message: str) -> NoReturn:
        # argparse names an ambiguous or misplaced option as it was typed.
        super().error(_printable(message)[:_LONGEST_MESSAGE])


#: The most characters of a usage error shown.
_LONGEST_MESSAGE: Final = 300


def _age(text: str) -> int:
    try:
        age = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number of years") from None
    if not 0 <= age <= MAX_AGE:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_AGE}")
    return age


def _whole_number(minimum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number, at least *minimum*; a message that repeats nothing."""
    bound = "" if minimum is None else f" of at least {minimum}"

    def whole_number(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or (minimum is not None and number < minimum):
            raise argparse.ArgumentTypeError(f"must be a whole number{bound}")
        return number

    return whole_number


def _police_force_area(text: str) -> PoliceForceArea:
    try:
        return PoliceForceArea.lookup(text)
    except ValidationError:
        names = [force.name for force in PoliceForceArea.all()]
        raise argparse.ArgumentTypeError(
            "not the name or GSS code of a police force area of England or Wales"
            + did_you_mean(text, names)
        ) from None


def _words_of(vocabulary: type[Vocabulary]) -> list[str]:
    return [term.value for term in vocabulary]


def _vocabulary(what: str, vocabulary: type[Vocabulary]) -> dict[str, Any]:
    """The options of a repeatable vocabulary option, matched without regard to case."""
    return {
        "action": "append",
        "default": [],
        "metavar": what.rsplit(maxsplit=1)[-1].upper(),
        **_one_of(what, _words_of(vocabulary)),
    }


def _examples(*lines: str) -> str:
    return "examples:\n" + "".join(f"  {PROGRAM} {line}\n" for line in lines)


def _command(commands: Any, name: str, summary: str, *examples: str, **more: Any) -> Any:
    """A subcommand with its one-line summary and examples shown by ``--help``."""
    return commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(more.pop("description", summary[0].upper() + summary[1:] + ".")),
        epilog=_examples(*examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **more,
    )


_FROM_STDIN: Final = "- reads standard input"
_OUTPUT: Final = "the file to write, or - for standard output (the default)"
_PROGRAMME: Final = "a programme document, or - for standard input (default: London, November 2025)"


def _add_output(command: Any) -> None:
    command.add_argument("-o", "--output", metavar="FILE", help=_OUTPUT)


_TEXT_OR_JSON: Final = "text for people or json for programs"


def _add_format(command: Any, formats: Sequence[str], explained: str) -> None:
    command.add_argument(
        "--format",
        **_one_of("format", formats),
        default="text",
        help=explained + " (default: %(default)s)",
    )


def _one_of(what: str, words: Sequence[str]) -> dict[str, Any]:
    """The choices of an option, matched without regard to case and shown by ``--help``."""
    return {"choices": words, "type": choice(what, words)}


def _add_import(commands: Any) -> None:
    importer = _command(
        commands,
        "import",
        "import a 360Giving or HSDS file",
        "import --from 360giving grants.json -o programme.json",
        "import --from hsds service.json --area Westminster --context online -o programme.json",
        description="Import a 360Giving grants file, or HSDS services (one service, a list or "
        "a service_list page).  A service the file does not place in England or Wales, or does not "
        "say serves survivors of CSE, is refused unless you state the missing facts; what you "
        "state applies to every service in the file.",
    )
    importer.add_argument("file", metavar="FILE", help=f"the file to import; {_FROM_STDIN}")
    importer.add_argument(
        "--from",
        dest="from_",
        **_one_of("standard", ("360giving", "hsds")),
        required=True,
        help="the standard the file follows: %(choices)s",
    )
    importer.add_argument(
        "--area",
        action="append",
        default=[],
        type=_area,
        help="a district the services cover, by name or GSS code (repeatable)",
    )
    importer.add_argument(
        "--context",
        **_vocabulary("abuse context", AbuseContext),
        help="an abuse context the services cover (repeatable): %(choices)s",
    )
    importer.add_argument(
        "--support",
        **_vocabulary("kind of support", SupportKind),
        help="a kind of support the services give (repeatable): %(choices)s",
    )
    importer.add_argument(
        "--group",
        **_vocabulary("survivor group", SurvivorGroup),
        help="whom the services are for (repeatable): %(choices)s",
    )
    _add_output(importer)
    importer.set_defaults(run=_import)


def _add_find_service(commands: Any) -> None:
    finder = _command(
        commands,
        "find-service",
        "find services for a person, and where to report an offence",
        "find-service --age 15 --area Camden",
        "find-service programme.json --age 30 --area Salford --context online --format json",
    )
    finder.add_argument("input", nargs="?", metavar="FILE", help=_PROGRAMME)
    finder.add_argument(
        "--age", type=_age, required=True, help=f"the person's age in whole years, 0 to {MAX_AGE}"
    )
    finder.add_argument(
        "--area",
        type=_area,
        required=True,
        help="the district the person lives in, by name or GSS code",
    )
    finder.add_argument(
        "--context",
        **_vocabulary("abuse context", AbuseContext),
        help="an abuse context the service must cover (repeatable): %(choices)s",
    )
    finder.add_argument(
        "--as",
        dest="as_",
        **_one_of("way to be served", ("child", "adult")),
        help="whom the person is served as where a service publishes no age range "
        "(default: a child under 18, an adult from 18)",
    )
    finder.add_argument(
        "--input",
        dest="input_option",
        metavar="FILE",
        help="deprecated: give the programme document as FILE, before the options",
    )
    _add_format(finder, ("text", "json"), _TEXT_OR_JSON)
    finder.set_defaults(run=_find_service)


def _add_funnel(commands: Any) -> None:
    funnel = _command(
        commands,
        "funnel",
        "tables of case records, disclosure-controlled",
        "funnel cases.jsonl --format csv -o funnel.csv",
        "synthesise --cases 1000 | cse-programme funnel - --threshold 10 --round 5",
    )
    funnel.add_argument("file", metavar="FILE.jsonl", help=f"case records; {_FROM_STDIN}")
    _add_format(
        funnel,
        ("text", "csv", "json"),
        "text for people, csv for spreadsheets or json for programs",
    )
    funnel.add_argument(
        "--threshold",
        type=_whole_number(minimum=0),
        default=None,
        metavar="N",
        help=f"hide every count from 1 to N (default {DEFAULT_THRESHOLD}; 0 hides none)",
    )
    funnel.add_argument(
        "--round",
        type=_whole_number(),
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
    _add_output(funnel)
    funnel.set_defaults(run=_funnel)


def _add_synthesise(commands: Any) -> None:
    synthesise = _command(
        commands,
        "synthesise",
        "write SYNTHETIC case records",
        "synthesise --cases 1000 --seed 7 -o cases.jsonl",
        'synthesise --cases 500 --force "Greater Manchester" -o manchester.jsonl',
    )
    synthesise.add_argument(
        "--cases",
        type=_whole_number(minimum=0),
        required=True,
        metavar="N",
        help="how many case records to write",
    )
    synthesise.add_argument(
        "--seed",
        type=_whole_number(),
        default=0,
        help="the same seed writes the same records (default: %(default)s)",
    )
    synthesise.add_argument(
        "--force",
        type=_police_force_area,
        help="the police force area whose districts the cases lie in, by name or GSS code "
        "(default: the Metropolitan Police)",
    )
    _add_output(synthesise)
    synthesise.set_defaults(run=_synthesise)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROGRAM,
        description=textwrap.fill(
            "The programme of support for victims and survivors of CSE: report on it, check "
            "and convert its files, find services, and publish case tables safely."
        ),
        epilog="Exit codes: 0 success, 1 invalid input, 2 usage error or unreadable input.\n\n"
        + _examples("report", "find-service --age 15 --area Camden", "validate cases.jsonl")
        + f"\nEach command's --help gives its options and examples: {PROGRAM} report --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = _command(
        commands,
        "report",
        "summarise the programme and audit its claims",
        "report",
        "report programme.json --format markdown > report.md",
    )
    report.add_argument("input", nargs="?", metavar="FILE", help=_PROGRAMME)
    _add_format(report, FORMATS, "one of %(choices)s")
    report.set_defaults(run=_report)

    validate = _command(
        commands,
        "validate",
        "check documents and JSON Lines files",
        "validate programme.json cases.jsonl",
        "synthesise --cases 100 | cse-programme validate - --format json",
    )
    validate.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=f"documents (.json) or JSON Lines files (.jsonl); {_FROM_STDIN}",
    )
    _add_format(validate, ("text", "json"), _TEXT_OR_JSON)
    validate.set_defaults(run=_validate)

    schema = _command(
        commands,
        "schema",
        "print the JSON Schema of a document kind",
        "schema case_review > case_review.schema.json",
    )
    schema.add_argument(
        "kind",
        **_one_of("document kind", sorted(KINDS)),
        metavar="KIND",
        help="the kind of document: %(choices)s",
    )
    schema.set_defaults(run=_schema)

    export = _command(
        commands,
        "export",
        "export the programme to another format",
        "export --to 360giving --prefix 360G-GLA -o grants.json",
        "export programme.json --to hsds -o services.json",
    )
    export.add_argument("input", nargs="?", metavar="FILE", help=_PROGRAMME)
    export.add_argument(
        "--to",
        **_one_of("format", ("360giving", "hsds", "jsonl")),
        required=True,
        help="360giving (a grants package), hsds (services) or jsonl (one record a line)",
    )
    export.add_argument("--prefix", help="your 360Giving identifier prefix, e.g. 360G-GLA")
    _add_output(export)
    export.set_defaults(run=_export)

    _add_import(commands)
    _add_find_service(commands)
    _add_funnel(commands)
    _add_synthesise(commands)
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
