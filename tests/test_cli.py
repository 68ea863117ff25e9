"""The command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cse_programme import Programme, dumps, load
from cse_programme.datasets import london_2025

from .standards import hsds_service_validator, needs_standards, threesixtygiving_validator


def cli(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "cse_programme", *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=environment,
        stdin=subprocess.DEVNULL,
    )


def test_version_and_help() -> None:
    assert cli("--version").stdout.startswith("cse-programme ")
    result = cli("--help")
    assert result.returncode == 0
    for command in (
        "report",
        "validate",
        "schema",
        "export",
        "import",
        "find-service",
        "funnel",
        "synthesise",
    ):
        assert command in result.stdout


def test_report_in_every_format() -> None:
    text = cli("report")
    assert text.returncode == 0
    assert "£2.4m from Mayor of London" in text.stdout
    assert "134" in text.stdout
    assert "144" in text.stdout
    markdown = cli("report", "--format", "markdown").stdout
    assert markdown.startswith("# London programme")
    data = json.loads(cli("report", "--format", "json").stdout)
    assert data["outcomes"][0]["difference"] == 144


def test_report_on_a_saved_programme(tmp_path: Path) -> None:
    path = tmp_path / "london.json"
    path.write_bytes(dumps(london_2025()))
    assert cli("report", str(path)).stdout == cli("report").stdout


def test_validate_reports_every_problem_with_its_path(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_bytes(dumps(london_2025()))
    bad = tmp_path / "bad.json"
    data = json.loads(dumps(london_2025()))
    data["data"]["services"][0]["coverage"][0] = "E09000099"
    data["data"]["funding_packages"][1]["total"] = 2400000
    bad.write_text(json.dumps(data))
    assert cli("validate", str(good)).returncode == 0
    result = cli("validate", str(good), str(bad))
    assert result.returncode == 1
    assert "/data/services/0/coverage/0" in result.stdout
    assert "/data/funding_packages/1/total" in result.stdout
    machine = json.loads(cli("validate", "--format", "json", str(bad)).stdout)
    assert {p["code"] for p in machine[0]["problems"]} == {"unknown_area", "type"}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "no such file"),
        ("dir", "is a directory"),
        (b"\xff\xfe\x00", "not valid UTF-8"),
        (b'{"kind": "spaceship", "schema_version": 1, "data": {}}', "/kind"),
        (b'{"kind": "programme", "schema_ver', "not valid JSON"),
    ],
)
def test_bad_input_gets_one_clear_message_and_no_traceback(
    tmp_path: Path, content: bytes | str | None, fragment: str
) -> None:
    target = tmp_path / "input.json"
    if content == "dir":
        target.mkdir()
    elif isinstance(content, bytes):
        target.write_bytes(content)
    result = cli("validate", str(target))
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr + result.stdout
    assert fragment in result.stderr + result.stdout


def test_usage_errors_exit_2() -> None:
    assert cli("schema", "spaceship").returncode == 2
    assert cli("find-service", "--age", "15", "--area", "Atlantis").returncode == 2
    assert cli("nonsense").returncode == 2


def test_schema_prints_a_json_schema() -> None:
    schema = json.loads(cli("schema", "case_review").stdout)
    assert schema["$schema"].endswith("2020-12/schema")


def test_find_service_examples() -> None:
    child = cli("find-service", "--age", "15", "--area", "Camden").stdout
    assert child.splitlines()[0].startswith("The Lighthouse")
    adult = cli("find-service", "--age", "30", "--area", "Croydon").stdout
    assert "The Lighthouse" not in adult
    assert "London Survivors Gateway" in adult
    data = json.loads(
        cli("find-service", "--age", "15", "--area", "camden", "--format", "json").stdout
    )
    assert data["services"][0]["service"] == "svc-lighthouse"
    assert [route["route"] for route in data["reporting_routes"]] == [
        "route-metropolitan-police",
        "route-crimestoppers",
    ]


def test_find_service_in_london_offers_the_routes_after_the_services() -> None:
    lines = cli("find-service", "--age", "15", "--area", "Camden").stdout.splitlines()
    routes = lines.index("To report an offence or pass on information:")
    assert lines[routes - 1] == ""
    assert lines[routes + 1 :] == [
        "Report to the Met: no number or address published",
        "  - covers all of London, including Camden",
        "Crimestoppers (anonymous): 0800 555 111",
        "  - covers England and Wales, including Camden",
        "  - takes anonymous reports",
    ]


def test_find_service_in_manchester_offers_crimestoppers_and_not_the_lighthouse() -> None:
    result = cli("find-service", "--age", "15", "--area", "Manchester")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "No service in the programme matches age 15 in Manchester.",
        "",
        "To report an offence or pass on information:",
        "Crimestoppers (anonymous): 0800 555 111",
        "  - covers England and Wales, including Manchester",
        "  - takes anonymous reports",
    ]
    data = json.loads(
        cli("find-service", "--age", "15", "--area", "E08000003", "--format", "json").stdout
    )
    assert data["services"] == []
    (crimestoppers,) = data["reporting_routes"]
    assert (crimestoppers["name"], crimestoppers["phone"], crimestoppers["anonymous"]) == (
        "Crimestoppers",
        "0800 555 111",
        True,
    )


def read_until_closed(controller: int) -> bytes:
    """All a terminal or a pipe is sent until its far end is closed."""
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's far end is closed: all is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def report_on_a_terminal(**environment: str) -> str:
    """The text report as a terminal shows it: stdout is a pseudo-terminal made for the test."""
    controller, terminal = os.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "cse_programme", "report"],
            stdout=terminal,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env={k: v for k, v in {**os.environ, **environment}.items() if v},
            check=True,
            timeout=120,
        )
        assert process.stderr == b""
        os.close(terminal)
        terminal = -1
        return read_until_closed(controller).decode().replace("\r\n", "\n")
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)


def test_the_report_is_coloured_only_on_a_terminal_without_no_color() -> None:
    plain = cli("report").stdout
    assert "\x1b[" not in plain
    coloured = report_on_a_terminal(NO_COLOR="")
    assert "\x1b[35mconflicting" in coloured
    assert re.sub(r"\x1b\[[0-9]+m", "", coloured) == plain
    assert report_on_a_terminal(NO_COLOR="1") == plain
    for fmt in ("markdown", "json"):
        assert "\x1b[" not in cli("report", "--format", fmt).stdout


def test_synthesise_funnel_and_validate_case_files(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    assert cli("synthesise", "--cases", "250", "--seed", "4", "-o", str(cases)).returncode == 0
    assert cli("validate", str(cases)).returncode == 0
    same = cli("synthesise", "--cases", "250", "--seed", "4").stdout
    assert same == cases.read_text()
    funnel = cli("funnel", str(cases))
    assert funnel.returncode == 0
    assert "Disclosure control applied" in funnel.stdout
    assert "SYNTHETIC" in funnel.stdout
    raw = cli("funnel", str(cases), "--no-disclosure-control", "--format", "json")
    assert "NOT applied" in json.loads(raw.stdout)["notice"]
    controlled = json.loads(cli("funnel", str(cases), "--format", "json").stdout)
    for table in controlled["tables"].values():
        for row in table["cells"]:
            for shown in row:
                assert shown in ("0", "[c]") or int(shown) > 5


def test_funnel_refuses_an_invalid_case_file(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"kind": "case_review", "schema_version": 1}\n{"suspects": 1}\n')
    result = cli("funnel", str(cases))
    assert result.returncode == 1
    assert "line 2" in result.stderr


@needs_standards
def test_export_to_the_standards(tmp_path: Path) -> None:
    grants = tmp_path / "grants.json"
    assert (
        cli("export", "--to", "360giving", "--prefix", "360G-GLA", "-o", str(grants)).returncode
        == 0
    )
    threesixtygiving_validator().validate(json.loads(grants.read_text()))
    services = json.loads(cli("export", "--to", "hsds").stdout)
    london = london_2025()
    assert len(services) == len(london.services) + len(london.reporting_routes)
    for service in services:
        hsds_service_validator().validate(service)
    assert cli("export", "--to", "360giving").returncode == 2


def test_export_jsonl_writes_one_document_per_line(tmp_path: Path) -> None:
    target = tmp_path / "parts.jsonl"
    assert cli("export", "--to", "jsonl", "-o", str(target)).returncode == 0
    lines = target.read_text().splitlines()
    assert len(lines) > 40
    assert cli("validate", str(target)).returncode == 0


def test_import_round_trips_through_the_standards(tmp_path: Path) -> None:
    hsds = tmp_path / "services.json"
    hsds.write_text(json.dumps(json.loads(cli("export", "--to", "hsds").stdout)[0]))
    imported = tmp_path / "imported.json"
    result = cli("import", "--from", "hsds", str(hsds), "-o", str(imported))
    assert result.returncode == 0, result.stderr
    programme = load(imported, Programme)
    assert programme.services[0].name == "The Lighthouse"


def test_the_cli_never_writes_over_its_input(tmp_path: Path) -> None:
    source = tmp_path / "london.json"
    source.write_bytes(dumps(london_2025()))
    before = source.read_bytes()
    result = cli("export", str(source), "--to", "jsonl", "-o", str(source))
    assert result.returncode == 2
    assert "refusing to write over" in result.stderr
    assert source.read_bytes() == before


def test_python_m_and_console_script_agree() -> None:
    script = Path(sys.executable).with_name("cse-programme")
    direct = subprocess.run(
        [str(script), "report"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert direct.stdout == cli("report").stdout


class _Elements(HTMLParser):
    """The start tags of a page, and its text, as a browser's parser meets them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("spelling", ["html", "HTML"])
def test_report_writes_one_page_with_its_charts(spelling: str) -> None:
    result = cli("report", "--format", spelling)
    assert result.returncode == 0, result.stderr
    page = _Elements()
    page.feed(result.stdout)
    page.close()
    assert page.tags[0] == "html"
    assert page.tags.count("svg") >= 3
    assert "script" not in page.tags
    words = " ".join(page.text)
    # The press release's package and its charges before and after.
    assert "£2.4m" in words
    assert "63" in words
    assert "207" in words
