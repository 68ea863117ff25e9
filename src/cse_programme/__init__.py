"""cse_programme: London's programme of support for victims and survivors of CSE.

A typed, validated, immutable model of the programme (funding, services, the
review of historic cases, outcomes and the sources behind every figure),
strict JSON documents for it, and the products built on them.

>>> import cse_programme
>>> cse_programme.Money.of("2.4m").compact()
'£2.4m'

Names are loaded on first use, so ``import cse_programme`` stays quick for
command-line tools that need only part of the library.  Each public name is
listed once, in the ``__all__`` of the package that defines it (the error
type, the model, serialisation); this module reads those lists.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cse_programme._version import __version__ as __version__

if TYPE_CHECKING:
    # Type checkers and editors read the same lists: a star import brings in
    # exactly the names in each package's __all__.
    from cse_programme import analysis as analysis
    from cse_programme import datasets as datasets
    from cse_programme import interop as interop
    from cse_programme import privacy as privacy
    from cse_programme._errors import *  # noqa: F403
    from cse_programme._serialisation import *  # noqa: F403
    from cse_programme.model import *  # noqa: F403

#: The packages whose ``__all__`` is public here, cheapest to import first.
_FACES = ("cse_programme._errors", "cse_programme.model", "cse_programme._serialisation")
_SUBPACKAGES = ("analysis", "datasets", "interop", "privacy")


def _public_names() -> list[str]:
    names = {"__version__", *_SUBPACKAGES}
    for face in _FACES:
        names.update(importlib.import_module(face).__all__)
    return sorted(names)


if not TYPE_CHECKING:
    # Hidden from type checkers, which then refuse a name that is not public.

    def __getattr__(name: str) -> Any:
        if name in _SUBPACKAGES:
            return importlib.import_module(f"{__name__}.{name}")
        if name == "__all__":
            value: Any = _public_names()
        elif name.startswith("__"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        else:
            for face in _FACES:
                home = importlib.import_module(face)
                if name in home.__all__:
                    value = getattr(home, name)
                    break
            else:
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_public_names()))
