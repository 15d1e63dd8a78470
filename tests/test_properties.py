"""Property tests: no mutation of a fact file makes the loader fail with anything but FactBaseError."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from haixi.loader import FactBaseError, decode, load_text
from haixi.paths import DEFAULT_FACTS
from haixi.schema import FactBase

FIXTURE = Path(__file__).parent / "fixtures" / "minimal.yaml"
TEXTS = {
    "minimal": FIXTURE.read_text(encoding="utf-8"),
    "facts": DEFAULT_FACTS.read_text(encoding="utf-8"),
}

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
SETTINGS = settings(
    # HAIXI_PROPERTY_EXAMPLES=20000 for a long hunt; the default keeps the suite fast.
    max_examples=int(os.environ.get("HAIXI_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    derandomize=IN_CI,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters and words that stress a YAML reader: syntax, line breaks, controls, BOM,
# surrogates, non-BMP and CJK characters, special scalars.
NASTY_CHARS = st.sampled_from(
    list(":-?[]{},#&*!|>'\"%@`\t\n\r ")
    + ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufeff", "\u2028", "\ud800", "\U0001f600"]
    + ["海", "西", "·", "。", "0", "~"]
)
NASTY_WORDS = st.sampled_from(
    [".nan", "-.inf", "1e999", "null", "yes", "---", "...", "!!binary", "!x", "&a", "*a",
     "2026-13-45", "9" * 30, "<<: {}", "? ", "0x1F", "1_000"]
)
PIECE = st.one_of(st.characters(codec="utf-8"), st.characters(), NASTY_CHARS, NASTY_WORDS)
RANDOM_TEXT = st.lists(PIECE, max_size=8).map("".join)


def _check(text: str | bytes) -> None:
    """Loading returns a FactBase or raises a FactBaseError with messages; nothing else."""
    try:
        if isinstance(text, bytes):
            text = decode(text, "mutated.yaml")
        base = load_text(text, "mutated.yaml")
    except FactBaseError as exc:
        assert exc.problems, "a FactBaseError without problems"
        for problem in exc.problems:
            assert problem.message.strip(), f"a problem without a message: {problem!r}"
            assert problem.file == "mutated.yaml"
        assert "Traceback" not in exc.report()
    else:
        assert isinstance(base, FactBase)


@st.composite
def mutated(draw) -> str:
    """One of the two texts with one random edit."""
    text = TEXTS[draw(st.sampled_from(sorted(TEXTS)))]
    lines = text.splitlines(keepends=True)
    kind = draw(
        st.sampled_from(
            ["delete", "duplicate", "insert", "swap", "truncate", "scalar", "indent"]
        )
    )
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        lines[i] = draw(st.sampled_from(["  ", "\t", " "])) + lines[i]
    elif kind == "insert":
        line = lines[i]
        at = draw(st.integers(0, len(line)))
        lines[i] = line[:at] + draw(RANDOM_TEXT) + line[at:]
    elif kind == "scalar":
        # Replace what follows a "key: " on this line (a scalar, or a flow collection).
        line = lines[i]
        colon = line.find(": ")
        if colon >= 0:
            lines[i] = line[: colon + 2] + draw(RANDOM_TEXT) + "\n"
    out = "".join(lines)
    if kind == "truncate":
        raw = out.encode("utf-8")
        cut = draw(st.integers(0, len(raw)))
        out = raw[:cut].decode("utf-8", errors="ignore")
    return out


@SETTINGS
@given(mutated())
def test_mutations_never_crash_the_loader(text):
    _check(text)


@SETTINGS
@given(st.lists(PIECE, max_size=60).map("".join))
# Crashes found by these tests, and fixed in haixi/loader.py:
@example("released: 2026-13-45")  # a timestamp-shaped scalar that is no date: ValueError
@example("a: \ud800")  # a lone surrogate: UnicodeEncodeError inside libyaml
@example("? ²")  # a key that str.isdigit() accepts but int() refuses
@example("a: " + "9" * 5000)  # an int longer than Python's int-conversion limit
def test_arbitrary_text_never_crashes_the_loader(text):
    _check(text)


@SETTINGS
@given(
    st.sampled_from(sorted(TEXTS)),
    st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=4)), min_size=1, max_size=4),
)
def test_byte_mutations_never_crash_the_loader(name, edits):
    """Random bytes overwrite random places of the UTF-8 file (as a bad editor or disk might)."""
    raw = bytearray(TEXTS[name].encode("utf-8"))
    for where, data in edits:
        at = int(where * len(raw))
        raw[at : at + len(data)] = data
    _check(bytes(raw))


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_unmutated_texts_load(name):
    assert isinstance(load_text(TEXTS[name], name), FactBase)
