"""Entry point of `python -m haixi`: the fact base's command line (see haixi/cli.py)."""

import sys

from haixi.cli import main

sys.exit(main())
