"""Districts, police force areas and groups: the shipped table against the ONS lookup."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cse_programme import (
    ALL_LONDON,
    ENGLAND,
    ENGLAND_AND_WALES,
    METROPOLITAN_POLICE_DISTRICT,
    WALES,
    AbuseContext,
    Area,
    AreaGroup,
    Eligibility,
    Organisation,
    OrganisationId,
    OrganisationKind,
    PoliceForceArea,
    ServiceId,
    SupportKind,
    SupportService,
    SurvivorGroup,
    ValidationError,
    area_table_provenance,
    describe_coverage,
    dumps,
    json_schema,
    loads,
    testing,
)
from cse_programme.datasets import synthetic_cases
from cse_programme.model._areas import _find, _index

from .standards import STANDARDS, needs_standards
from .test_cli import cli

ROOT = Path(__file__).resolve().parents[1]
ONS_LOOKUP = STANDARDS / "ons" / "lad_to_pfa_december_2024.csv"
SHIPPED = ROOT / "src" / "cse_programme" / "model" / "data" / "areas.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def ons_rows() -> list[dict[str, str]]:
    with open(ONS_LOOKUP, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def explained(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str, str]]:
    return [(p.path, p.message, p.code) for p in error.value.problems]


# The shipped table is the ONS lookup -------------------------------------


@needs_standards
def test_the_shipped_table_is_the_ons_lookup() -> None:
    rows = ons_rows()
    assert {a.code: (a.name, a.police_force_area.code) for a in Area.all()} == {
        row["lad_code"]: (row["lad_name"], row["pfa_code"]) for row in rows
    }
    assert {f.code: f.name for f in PoliceForceArea.all()} == {
        row["pfa_code"]: row["pfa_name"] for row in rows
    }


def test_the_table_has_318_districts_in_43_force_areas_as_the_ons_counts_them() -> None:
    # Counts as stated in the ONS provenance note (standards/ons/SOURCES.md).
    assert len(Area.all()) == 318
    assert len(PoliceForceArea.all()) == 43
    assert Counter(area.code[:3] for area in Area.all()) == {
        "E06": 63,
        "E07": 164,
        "E08": 36,
        "E09": 33,
        "W06": 22,
    }


def test_each_district_lies_in_exactly_one_force_area() -> None:
    memberships = Counter(area for force in PoliceForceArea.all() for area in force.areas)
    assert set(memberships) == set(Area.all())
    assert set(memberships.values()) == {1}
    for area in Area.all():
        assert area in area.police_force_area.areas


@needs_standards
def test_every_district_in_the_ons_lookup_is_found_in_its_force_area() -> None:
    wrong = [
        row["lad_name"]
        for row in ons_rows()
        if Area.lookup(row["lad_name"]).police_force_area.code != row["pfa_code"]
    ]
    assert wrong == []
    assert Area.lookup("Manchester").police_force_area.code == "E23000005"


@needs_standards
def test_every_name_in_the_ons_lookup_finds_its_code() -> None:
    rows = ons_rows()
    assert [r["lad_name"] for r in rows if Area.lookup(r["lad_name"]).code != r["lad_code"]] == []
    forces = {row["pfa_name"]: row["pfa_code"] for row in rows}
    assert [
        name for name, code in forces.items() if PoliceForceArea.lookup(name).code != code
    ] == []


def test_every_display_name_finds_its_force_area() -> None:
    for force in PoliceForceArea.all():
        assert PoliceForceArea.lookup(force.display_name) == force
        assert PoliceForceArea.lookup(force.code.lower()) == force


def _area_table_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("area_table", ROOT / "tools" / "area_table.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_standards
def test_the_shipped_table_is_what_the_script_builds_from_the_ons_file() -> None:
    script = _area_table_script()
    built = script.render(script.build(ONS_LOOKUP.read_text(encoding="utf-8")))
    assert SHIPPED.read_text(encoding="utf-8") == built


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace("lad_code", "code", 1), "expected the columns"),
        (lambda text: text.replace("E08000003", "E10000003"), "not a district"),
        (lambda text: text.replace("E06000002", "E06000001"), "listed twice"),
        (
            lambda text: text.replace(
                "E08000003,Manchester,E23000005,Greater Manchester",
                "E08000003,Manchester,E23000005,Manchester",
            ),
            "two names",
        ),
    ],
)
@needs_standards
def test_the_script_refuses_a_file_that_is_not_the_lookup(change: object, message: str) -> None:
    script = _area_table_script()
    with pytest.raises(ValueError, match=message):
        script.build(change(ONS_LOOKUP.read_text(encoding="utf-8")))  # type: ignore[operator]


def test_the_table_records_its_source_vintage_and_licence() -> None:
    about = area_table_provenance()
    assert about["vintage"] == "December 2024"
    assert about["licence"] == "Open Government Licence v3.0"
    assert "LAD24_CSP24_PFA24_EW_LU" in about["source"]
    assert json.loads(SHIPPED.read_text(encoding="utf-8"))["vintage"] == "December 2024"


# Known pairs, taken from the ONS file -------------------------------------


@pytest.mark.parametrize(
    ("district", "code", "force", "force_code"),
    [
        ("Manchester", "E08000003", "Greater Manchester", "E23000005"),
        ("Leeds", "E08000035", "West Yorkshire", "E23000010"),
        ("Birmingham", "E08000025", "West Midlands", "E23000014"),
        ("Cornwall", "E06000052", "Devon & Cornwall", "E23000035"),
        ("Bristol, City of", "E06000023", "Avon and Somerset", "E23000036"),
        ("Isle of Wight", "E06000046", "Hampshire", "E23000030"),
        ("Cumberland", "E06000063", "Cumbria", "E23000002"),
        ("Norwich", "E07000148", "Norfolk", "E23000024"),
        ("Luton", "E06000032", "Bedfordshire", "E23000026"),
        ("Camden", "E09000007", "Metropolitan Police", "E23000001"),
        ("City of London", "E09000001", "London, City of", "E23000034"),
        ("Cardiff", "W06000015", "South Wales", "W15000003"),
        ("Wrexham", "W06000006", "North Wales", "W15000001"),
        ("Newport", "W06000022", "Gwent", "W15000002"),
        ("Powys", "W06000023", "Dyfed-Powys", "W15000004"),
    ],
)
def test_known_districts_and_their_force_areas(
    district: str, code: str, force: str, force_code: str
) -> None:
    area = Area.lookup(district)
    assert (area.code, area.name) == (code, district)
    assert (area.police_force_area.code, area.police_force_area.name) == (force_code, force)
    assert PoliceForceArea.lookup(force).code == force_code


def test_the_met_polices_32_boroughs_and_the_city_has_its_own_force() -> None:
    met = PoliceForceArea("E23000001")
    assert len(met.areas) == 32
    assert all(area.code.startswith("E09") for area in met.areas)
    assert PoliceForceArea("E23000034").areas == {Area("E09000001")}
    assert METROPOLITAN_POLICE_DISTRICT.areas == met.areas
    assert [area.code for area in Area.all() if area.policed_by_met] == sorted(
        area.code for area in met.areas
    )


# Looking names up ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kingston", "E09000021"),
        ("Hull", "E06000010"),
        ("Kingston upon Hull", "E06000010"),
        ("City of Kingston upon Hull", "E06000010"),
        ("Bristol", "E06000023"),
        ("City of Bristol", "E06000023"),
        ("Herefordshire", "E06000019"),
        ("Manchester", "E08000003"),
        ("Richmond", "E09000027"),
        ("Kensington & Chelsea", "E09000020"),
        ("Royal Borough of Greenwich", "E09000011"),
        ("Bournemouth", "E06000058"),
        ("Wyre", "E07000128"),
        ("Wyre Forest", "E07000239"),
        ("w06000015", "W06000015"),
    ],
)
def test_short_and_formal_names_find_their_district(name: str, code: str) -> None:
    assert Area.lookup(name).code == code


@pytest.mark.parametrize("name", ["Newcastle", "Kingston upon", "North", "East"])
def test_a_name_that_begins_several_districts_is_refused_not_guessed(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        Area.lookup(name)
    assert explained(error) == [
        (
            "/area",
            "names more than one district: give more of the name or the GSS code",
            "ambiguous_area",
        )
    ]


@pytest.mark.parametrize("name", ["Greater Manchester", "Atlantis", "London", "E23000005"])
def test_a_name_that_is_no_district_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        Area.lookup(name)
    assert [p.code for p in error.value.problems] == ["unknown_area"]


def refusals(lookup: Callable[[str], object], text: str) -> list[str]:
    """The messages of the problems a lookup of *text* is refused with, if it is."""
    try:
        lookup(text)
    except ValidationError as error:
        return [problem.message for problem in error.problems]
    return []


@given(st.text(min_size=4, max_size=100).filter(lambda t: len(t.strip()) > 3))
def test_a_refused_lookup_never_repeats_what_was_asked(text: str) -> None:
    for lookup in (Area.lookup, PoliceForceArea.lookup, AreaGroup.lookup):
        # Text that is part of the library's own words ("Engl" of "England" in
        # the list of names a group may have) is no repetition of what was asked.
        own_words = " ".join(refusals(lookup, "Qxzq Unknown Place"))
        assume(text.strip() not in own_words)
        assert all(text.strip() not in message for message in refusals(lookup, text))


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Greater Manchester", "E23000005"),
        ("Greater Manchester Police", "E23000005"),
        ("greater manchester police area", "E23000005"),
        ("Durham Constabulary", "E23000008"),
        ("the Met", "E23000001"),
        ("Metropolitan Police Service", "E23000001"),
        ("City of London Police", "E23000034"),
        ("London, City of", "E23000034"),
        ("Devon and Cornwall", "E23000035"),
        ("Dyfed-Powys Police", "W15000004"),
    ],
)
def test_police_force_areas_are_found_by_the_names_people_use(name: str, code: str) -> None:
    assert PoliceForceArea.lookup(name).code == code


def test_a_name_two_places_share_is_ambiguous_and_one_place_named_twice_is_not() -> None:
    # No two districts or force areas of the December 2024 lookup share a
    # name, so the rule is shown on names made up for it: a later vintage
    # may bring a pair.
    index = _index(
        [("E06000001", "Newtown"), ("E06000002", "Newtown"), ("E06000003", "Oldtown")],
        {"Old": "Oldtown"},
        frozenset(),
    )
    assert index == {"newtown": None, "oldtown": "E06000003", "old": "E06000003"}
    with pytest.raises(ValueError, match="ambiguous"):
        _find("Newtown", index, frozenset())
    assert _find("Old", index, frozenset()) == "E06000003"
    assert _index([("E06000003", "Oldtown"), ("E06000003", "Oldtown")], {}, frozenset()) == {
        "oldtown": "E06000003"
    }


@pytest.mark.parametrize("name", ["London", "Manchester", "Yorkshire", "Police", "E09000007"])
def test_a_name_that_is_no_police_force_area_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        PoliceForceArea.lookup(name)
    assert explained(error) == [
        (
            "/police_force_area",
            "must name a police force area of England or Wales or give its GSS code",
            "unknown_police_force_area",
        )
    ]


def test_an_unknown_force_area_code_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        PoliceForceArea("E23000099")
    assert explained(error) == [
        (
            "/code",
            "must be the GSS code of a police force area of England or Wales",
            "unknown_police_force_area",
        )
    ]


def test_display_names_put_the_title_first_and_end_in_police_area() -> None:
    names = {force.name: force.display_name for force in PoliceForceArea.all()}
    assert names["London, City of"] == "City of London Police area"
    assert names["Metropolitan Police"] == "Metropolitan Police area"
    assert names["Devon & Cornwall"] == "Devon & Cornwall Police area"
    assert all(name.endswith(" Police area") and ", " not in name for name in names.values())
    assert len(set(names.values())) == 43


# Groups and coverage ------------------------------------------------------


def test_the_countries_and_london_are_derived_from_the_codes() -> None:
    assert ENGLAND.areas == {a for a in Area.all() if a.code[0] == "E"}
    assert WALES.areas == {a for a in Area.all() if a.code[0] == "W"}
    assert ENGLAND.areas | WALES.areas == ENGLAND_AND_WALES.areas == set(Area.all())
    assert not ENGLAND.areas & WALES.areas
    assert ALL_LONDON.areas == {a for a in Area.all() if a.code.startswith("E09")}
    assert ALL_LONDON.name == "All of London"


def test_every_force_area_is_a_named_group() -> None:
    named = AreaGroup.named()
    assert [g.name for g in named[:4]] == ["England and Wales", "England", "All of London", "Wales"]
    assert {g.name for g in named[4:]} == {f.display_name for f in PoliceForceArea.all()}
    assert all(f.group in named for f in PoliceForceArea.all())


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("London", "All of London"),
        ("all of London", "All of London"),
        ("England", "England"),
        ("wales", "Wales"),
        ("England & Wales", "England and Wales"),
        ("Greater Manchester", "Greater Manchester Police area"),
        ("W15000002", "Gwent Police area"),
    ],
)
def test_groups_are_found_by_name(name: str, group: str) -> None:
    assert AreaGroup.lookup(name).name == group


def test_an_unknown_group_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        AreaGroup.lookup("Scotland")
    assert [p.code for p in error.value.problems] == ["unknown_group"]


#: The modules offering the named groups, each built from the area table on first use.
GROUP_HOMES = ["cse_programme.model", "cse_programme.model._areas"]


@pytest.mark.parametrize("home", GROUP_HOMES)
@pytest.mark.parametrize(
    ("attribute", "name", "size"),
    [
        ("ALL_LONDON", "All of London", 33),
        ("ENGLAND", "England", 296),
        ("WALES", "Wales", 22),
        ("ENGLAND_AND_WALES", "England and Wales", 318),
        ("METROPOLITAN_POLICE_DISTRICT", "Metropolitan Police district", 32),
        ("NORTH_CENTRAL_LONDON", "North Central London", 5),
    ],
)
def test_a_named_group_is_built_on_first_use_and_then_kept(
    home: str, attribute: str, name: str, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module(home)
    # As before its first use, the module does not hold the group yet.
    monkeypatch.delitem(vars(module), attribute, raising=False)
    group = getattr(module, attribute)
    assert (group.name, len(group)) == (name, size)
    assert vars(module)[attribute] is group
    assert getattr(module, attribute) is group


@pytest.mark.parametrize("home", GROUP_HOMES)
def test_a_name_that_is_no_group_is_no_attribute_of_the_model(home: str) -> None:
    module = importlib.import_module(home)
    with pytest.raises(AttributeError) as error:
        _ = module.SCOTLAND
    assert str(error.value) == f"module {home!r} has no attribute 'SCOTLAND'"


def coverages() -> st.SearchStrategy[frozenset[Area]]:
    """Sets of districts: whole named groups, loose districts, or both."""
    groups = st.lists(st.sampled_from(AreaGroup.named()), max_size=3)
    return st.builds(
        lambda wholes, loose: frozenset(loose).union(*(g.areas for g in wholes)),
        groups,
        st.frozensets(testing.areas(), max_size=6),
    ).filter(bool)


@given(coverages())
def test_a_description_covers_exactly_the_districts_described(areas: frozenset[Area]) -> None:
    parts = describe_coverage(areas)
    groups = [p for p in parts if isinstance(p, AreaGroup)]
    loose = [p for p in parts if isinstance(p, Area)]
    assert len(groups) + len(loose) == len(parts)
    covered = [a for g in groups for a in g.areas] + loose
    assert len(covered) == len(set(covered))  # no district named twice
    assert set(covered) == areas
    assert all(len(g) > 1 for g in groups)
    # Largest first: no named group of two or more lies whole in the loose districts.
    assert not any(len(g) > 1 and g.areas <= set(loose) for g in AreaGroup.named())
    assert [p.name for p in loose] == sorted(p.name for p in loose)


@pytest.mark.parametrize("group", [ENGLAND_AND_WALES, ENGLAND, WALES, ALL_LONDON])
def test_a_whole_group_is_described_by_its_name_alone(group: AreaGroup) -> None:
    assert describe_coverage(group.areas) == (group,)


def test_a_description_of_several_parts() -> None:
    areas = WALES.areas | PoliceForceArea.lookup("Greater Manchester").areas
    areas |= {Area.lookup("Camden"), Area.lookup("Leeds")}
    assert [p.name for p in describe_coverage(areas)] == [
        "Wales",
        "Greater Manchester Police area",
        "Camden",
        "Leeds",
    ]
    # The City of London's force area holds one district: it is named as itself.
    assert describe_coverage({Area("E09000001")}) == (Area("E09000001"),)


def _service(coverage: frozenset[Area]) -> SupportService:
    return SupportService(
        id=ServiceId("svc-anywhere"),
        name="A service",
        support=frozenset({SupportKind.COUNSELLING}),
        eligibility=Eligibility(groups=frozenset({SurvivorGroup.ADULTS})),
        contexts=frozenset({AbuseContext.CHILD_SEXUAL_EXPLOITATION}),
        coverage=coverage,
    )


def test_a_national_service_covers_london_but_is_not_a_london_service() -> None:
    national = _service(ENGLAND_AND_WALES.areas)
    assert national.covers(Area.lookup("Manchester"))
    assert national.covers_whole(ALL_LONDON)
    assert national.covers_whole(PoliceForceArea.lookup("Gwent"))
    assert not national.is_pan_london()
    london = _service(ALL_LONDON.areas)
    assert london.is_pan_london()
    assert not london.covers_whole(ENGLAND)
    assert london.covers_whole(ALL_LONDON)  # exactly its own districts
    assert not _service(METROPOLITAN_POLICE_DISTRICT.areas).is_pan_london()


def test_a_national_service_round_trips_through_a_document() -> None:
    national = _service(ENGLAND_AND_WALES.areas)
    document = json.loads(dumps(national))
    assert len(document["data"]["coverage"]) == 318
    assert loads(dumps(national)) == national


# Police forces carry their force area -------------------------------------

GMP = Organisation(
    id=OrganisationId("org-greater-manchester-police"),
    name="Greater Manchester Police",
    kind=OrganisationKind.POLICE_FORCE,
    police_force_area=PoliceForceArea.lookup("Greater Manchester"),
)


def test_a_police_force_carries_its_force_area_through_a_document() -> None:
    document = json.loads(dumps(GMP))
    assert document["data"]["police_force_area"] == "E23000005"
    assert loads(dumps(GMP)) == GMP


def test_an_organisation_without_a_force_area_is_written_as_before() -> None:
    plain = attrs.evolve(GMP, police_force_area=None)
    assert "police_force_area" not in json.loads(dumps(plain))["data"]
    assert loads(dumps(plain)) == plain


def test_only_a_police_force_polices_an_area() -> None:
    with pytest.raises(ValidationError) as error:
        attrs.evolve(GMP, kind=OrganisationKind.CHARITY)
    assert explained(error) == [
        (
            "/police_force_area",
            "must be empty unless the organisation is a police force",
            "not_a_police_force",
        )
    ]


@pytest.mark.parametrize(
    ("value", "message", "code"),
    [
        (
            "E23000099",
            "must be the GSS code of a police force area of England or Wales, such as E23000005",
            "unknown_police_force_area",
        ),
        (
            "E08000003",
            "must be the GSS code of a police force area of England or Wales, such as E23000005",
            "unknown_police_force_area",
        ),
        (23, "must be a GSS code such as E23000005, not an integer", "type"),
    ],
)
def test_a_wrong_force_area_in_a_document_is_explained(
    value: object, message: str, code: str
) -> None:
    document = json.loads(dumps(GMP))
    document["data"]["police_force_area"] = value
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(document))
    assert explained(error) == [("/data/police_force_area", message, code)]


# Documents and schemas ----------------------------------------------------


def test_the_schemas_accept_every_district_and_no_other_code() -> None:
    case = json.loads(dumps(next(iter(synthetic_cases(1)))))
    validator = Draft202012Validator(json_schema("case_review"))
    for area in Area.all():
        case["data"]["area"] = area.code
        assert validator.is_valid(case), area.code
    for wrong in ("E09000034", "E23000005", "S12000036", "E10000002"):
        case["data"]["area"] = wrong
        assert not validator.is_valid(case), wrong
    organisation = Draft202012Validator(json_schema("organisation"))
    assert organisation.is_valid(json.loads(dumps(GMP)))


@given(testing.case_reviews())
def test_cases_anywhere_round_trip(case: object) -> None:
    assert loads(dumps(case)) == case


# Synthetic cases in any force area ----------------------------------------


@pytest.mark.parametrize(("seed", "count"), [(0, 200), (2025, 60)])
def test_the_default_synthetic_cases_are_the_mets_as_before(seed: int, count: int) -> None:
    # The fixtures were written before other force areas could be asked for,
    # under schema version 1: the records must be the same, whatever the header.
    from cse_programme import write_jsonl

    path = FIXTURES / f"synthetic_cases_seed_{seed}.jsonl"
    for force in (None, "Metropolitan Police", PoliceForceArea("E23000001")):
        with open(path.with_suffix(".new"), "wb") as stream:
            write_jsonl(synthetic_cases(count, seed=seed, force=force), stream)
        try:
            written = path.with_suffix(".new").read_bytes().splitlines()
            assert written[1:] == path.read_bytes().splitlines()[1:]
            assert len(written) == count + 1
        finally:
            path.with_suffix(".new").unlink()


def test_synthetic_cases_lie_in_the_districts_of_the_force_asked_for() -> None:
    gm = PoliceForceArea.lookup("Greater Manchester")
    cases = list(synthetic_cases(300, seed=5, force="Greater Manchester"))
    areas = {case.area for case in cases} - {None}
    assert areas <= gm.areas
    assert len(areas) == len(gm.areas)  # 300 cases reach all ten districts
    assert {case.force for case in cases} == {"org-greater-manchester-police"}
    welsh = list(synthetic_cases(50, seed=5, force=PoliceForceArea("W15000004")))
    assert {case.area for case in welsh} - {None} <= PoliceForceArea("W15000004").areas
    assert {case.force for case in welsh} == {"org-dyfed-powys-police"}


def test_synthetic_cases_refuse_an_unknown_force_area() -> None:
    with pytest.raises(ValidationError):
        list(synthetic_cases(1, force="Atlantis"))


def test_synthesise_makes_valid_cases_in_the_force_area_asked_for(tmp_path: Path) -> None:
    result = cli("synthesise", "--cases", "80", "--force", "Greater Manchester")
    assert result.returncode == 0
    target = tmp_path / "gm.jsonl"
    target.write_text(result.stdout, encoding="utf-8")
    assert cli("validate", str(target)).returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()[1:]]
    codes = {r["area"] for r in records} - {None}
    assert codes <= {a.code for a in PoliceForceArea("E23000005").areas}
    assert {r["force"] for r in records} == {"org-greater-manchester-police"}


def test_synthesise_refuses_an_unknown_force_area_as_a_usage_error() -> None:
    result = cli("synthesise", "--cases", "1", "--force", "Gotham City")
    assert result.returncode == 2
    assert "not the name or GSS code of a police force area" in result.stderr
    assert result.stdout == ""


# Loading on first use -----------------------------------------------------


def test_importing_the_library_never_reads_the_area_table() -> None:
    probe = (
        "import cse_programme, cse_programme.model, cse_programme._serialisation, "
        "cse_programme.datasets\n"
        "from cse_programme import Area, PoliceForceArea, loads\n"
        "from cse_programme.model import _areas\n"
        "assert _areas._table.cache_info().currsize == 0, 'read at import'\n"
        "Area.lookup('Camden')\n"
        "assert _areas._table.cache_info().currsize == 1\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("asked", "problem"),
    [
        (7, ("/police_force_area", "must be text, not an integer", "type")),
        ("", ("/police_force_area", "must not be blank", "blank")),
        ("x" * 101, ("/police_force_area", "must be at most 100 characters", "too_long")),
        (
            "x" * 100,
            (
                "/police_force_area",
                "must name a police force area of England or Wales or give its GSS code",
                "unknown_police_force_area",
            ),
        ),
    ],
)
def test_a_police_force_area_asked_for_wrongly_is_refused_at_its_own_name(
    asked: object, problem: tuple[str, str, str]
) -> None:
    lookup: Callable[..., object] = PoliceForceArea.lookup  # as an untyped caller would
    with pytest.raises(ValidationError) as error:
        lookup(asked)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [problem]
