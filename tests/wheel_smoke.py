"""Run against an installed wheel: every module imports and the package data is there.

Used by ``make check-package``, from outside the source tree, so that a file
missing from the wheel fails the build instead of a user.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from importlib import resources

import cse_programme


def main() -> int:
    location = cse_programme.__file__ or ""
    if "site-packages" not in location:
        print(f"not testing an installed wheel: {location}", file=sys.stderr)
        return 1
    names = [info.name for info in pkgutil.walk_packages(cse_programme.__path__, "cse_programme.")]
    for name in names:
        if name == "cse_programme.testing":
            continue  # needs the optional 'testing' extra
        importlib.import_module(name)
    package = resources.files("cse_programme")
    for data in (
        "py.typed",
        "model/data/areas.json",
        "datasets/data/london_2025.json",
        "schemas/case_review.schema.json",
    ):
        if not package.joinpath(data).is_file():
            print(f"missing from the wheel: {data}", file=sys.stderr)
            return 1
    london = cse_programme.datasets.london_2025()
    print(f"cse-programme {cse_programme.__version__}: {len(names)} modules, {london.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
