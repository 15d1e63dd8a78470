"""Where the fictitious multi-source fixture lives (tests/fixtures/multi: three sources, two years)."""

from pathlib import Path

from haixi.loader import load_text
from haixi.schema import FactBase

MULTI = Path(__file__).parent / "fixtures" / "multi" / "facts.yaml"
MULTI_SOURCES = MULTI.parent / "sources"


def multi_edited(*replacements: tuple[str, str]) -> FactBase:
    """The multi fixture with each (old, new) replaced once; each `old` must be in it."""
    text = MULTI.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return load_text(text, "multi.yaml")
