"""Where the fictitious multi-source fixture lives (tests/fixtures/multi: three sources, two years)."""

from pathlib import Path

MULTI = Path(__file__).parent / "fixtures" / "multi" / "facts.yaml"
MULTI_SOURCES = MULTI.parent / "sources"
