"""``python -m docker_schema1``: the ``docker-schema1`` command line."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
