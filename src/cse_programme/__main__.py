"""``python -m cse_programme``: the same as the ``cse-programme`` command."""

import sys

from cse_programme.cli import main

if __name__ == "__main__":
    sys.exit(main())
