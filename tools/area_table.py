"""Build the package's table of districts and police force areas from the ONS lookup.

The table ships as ``src/cse_programme/model/data/areas.json``.  Run
``make areas`` to regenerate it from the ONS file in the shared standards;
the tests fail if the shipped table and this script's output differ.

    python tools/area_table.py ONS_CSV OUTPUT_JSON
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path
from typing import Any, Final

SOURCE: Final = (
    "Office for National Statistics, LAD to Community Safety Partnership to PFA "
    "(December 2024) Lookup in EW (LAD24_CSP24_PFA24_EW_LU, 29 November 2024)"
)
VINTAGE: Final = "December 2024"
LICENCE: Final = "Open Government Licence v3.0"
LICENCE_URL: Final = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION: Final = "Source: Office for National Statistics licensed under the " + LICENCE

_DISTRICT: Final = re.compile(r"(?:E0[6-9]|W06)[0-9]{6}")
_FORCE_AREA: Final = re.compile(r"(?:E23|W15)[0-9]{6}")
_COLUMNS: Final = ["lad_code", "lad_name", "pfa_code", "pfa_name"]


def build(ons_csv: str) -> dict[str, Any]:
    """The table as JSON-ready data, from the text of the ONS lookup.

    Refuses a file that is not the expected lookup: unknown columns, a code
    of the wrong form, a district listed twice, or a force area with two names.
    """
    reader = csv.DictReader(io.StringIO(ons_csv))
    if reader.fieldnames != _COLUMNS:
        raise ValueError(f"expected the columns {', '.join(_COLUMNS)}")
    districts: dict[str, tuple[str, str]] = {}
    forces: dict[str, str] = {}
    for row in reader:
        code, force = row["lad_code"], row["pfa_code"]
        if not _DISTRICT.fullmatch(code) or not _FORCE_AREA.fullmatch(force):
            raise ValueError(f"line {reader.line_num}: not a district and a force area code")
        if code in districts:
            raise ValueError(f"line {reader.line_num}: district {code} listed twice")
        if forces.setdefault(force, row["pfa_name"]) != row["pfa_name"]:
            raise ValueError(f"line {reader.line_num}: force area {force} has two names")
        districts[code] = (row["lad_name"], force)
    return {
        "description": (
            "Every local authority district of England and Wales, by GSS code and ONS name, "
            "with the police force area it lies in."
        ),
        "source": SOURCE,
        "vintage": VINTAGE,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
        "police_force_areas": [[code, forces[code]] for code in sorted(forces)],
        "districts": [[code, *districts[code]] for code in sorted(districts)],
    }


def render(table: dict[str, Any]) -> str:
    """The table as the text of the package's JSON file: one row a line."""
    lines = ["{"]
    for key, value in table.items():
        if isinstance(value, list):
            rows = [json.dumps(row, ensure_ascii=False) for row in value]
            lines.append(f"  {json.dumps(key)}: [")
            lines += [f"    {row}," for row in rows[:-1]] + [f"    {rows[-1]}"]
            lines.append("  ],")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__ or "")
        return 2
    source, target = (Path(arg) for arg in argv)
    target.write_text(render(build(source.read_text(encoding="utf-8"))), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
