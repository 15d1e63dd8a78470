"""The Haixi benchmark (`make bench`): the dashboard against Streamlit's own app of its shape."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
OUT = BENCH / "out"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

LANGS = ("en", "zh")
SECTIONS = ("script", "cold", "session", "concurrency", "growth", "capacity")  # in order
