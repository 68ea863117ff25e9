"""Every document a released schema version wrote still loads, forever.

``tests/golden/vN/`` holds one document of every kind as version N wrote it.
These files are never edited: a new schema version adds a folder, and a
migration carries the old documents forward.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cse_programme import KINDS, SCHEMA_VERSION, ValidationError, dumps, loads
from cse_programme._serialisation import _documents

GOLDEN = Path(__file__).resolve().parent / "golden"
FILES = sorted(GOLDEN.glob("v*/*.json"))


def test_there_is_a_golden_file_of_every_kind_for_every_version() -> None:
    for version in range(1, SCHEMA_VERSION + 1):
        kinds = {path.stem for path in (GOLDEN / f"v{version}").glob("*.json")}
        assert kinds == set(KINDS), f"version {version}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_golden_file_loads(path: Path) -> None:
    raw = path.read_bytes()
    loaded = loads(raw)
    assert type(loaded) is KINDS[path.stem]
    if json.loads(raw)["schema_version"] == SCHEMA_VERSION:
        assert json.loads(dumps(loaded)) == json.loads(raw)


def test_an_older_document_is_migrated_forward(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the next release writes titles in capitals,
    # and check the registered step carries a version 1 document forward.
    def rename(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "title": data["title"].upper()}

    monkeypatch.setattr(_documents, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(_documents.MIGRATIONS, ("source", 1), rename)
    document = json.loads((GOLDEN / "v1" / "source.json").read_text(encoding="utf-8"))
    migrated = loads(json.dumps(document))
    assert migrated.title == document["data"]["title"].upper()


def test_a_version_without_a_migration_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_documents, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    raw = (GOLDEN / f"v{SCHEMA_VERSION}" / "claim.json").read_bytes()
    with pytest.raises(ValidationError) as error:
        loads(raw)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        (
            "/schema_version",
            f"no migration from version {SCHEMA_VERSION} of 'claim' documents is known",
            "no_migration",
        )
    ]


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("v1/*.json")), ids=lambda p: p.stem)
def test_a_version_1_document_reads_as_version_2_unchanged(path: Path) -> None:
    # Version 2 only added fields with defaults: a version 1 document's data is
    # valid version 2 data, and means the same.
    document = json.loads(path.read_text(encoding="utf-8"))
    as_version_2 = {**document, "schema_version": 2}
    assert loads(json.dumps(as_version_2)) == loads(json.dumps(document))


def test_migration_registers_a_step_for_its_kind_and_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_documents, "MIGRATIONS", {})
    monkeypatch.setattr(_documents, "SCHEMA_VERSION", 3)

    @_documents.migration("source", 1)
    def add_note(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "title": data["title"] + " (1)"}

    @_documents.migration("source", 2)
    def add_another(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "title": data["title"] + " (2)"}

    assert {("source", 1): add_note, ("source", 2): add_another} == _documents.MIGRATIONS
    raw = (GOLDEN / "v1" / "source.json").read_bytes()
    assert loads(raw).title == json.loads(raw)["data"]["title"] + " (1) (2)"
