"""The page views, as a package: for now one module (blocks) holds them all; the split follows."""

from haixi.views.blocks import *  # noqa: F403
from haixi.views.blocks import _PAGE_TITLES  # noqa: F401 - tests/test_i18n.py reads it
