"""Provenance: every quote is verbatim in its source, every figure in its quote, checksums, errata lines."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.provenance import check
from haixi.schema import FactBase, all_quantities, all_quotes

MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load(DEFAULT_FACTS)


def _texts(base: FactBase, folder: Path) -> dict[str, str]:
    return {s.id: (folder / s.file).read_text(encoding="utf-8") for s in base.sources}


def test_every_source_file_exists_and_matches_its_checksum(base, sources_dir):
    for source in base.sources:
        path = sources_dir / source.file
        assert path.is_file(), f"source {source.id}: {path} is missing"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == source.sha256, (
            f"source {source.id}: {path} has sha256 {digest}, facts.yaml records {source.sha256}"
            " (the source changed: re-check every quote, then update sources[].sha256)"
        )


def test_every_quote_is_verbatim_in_its_source(base, sources_dir):
    texts = _texts(base, sources_dir)
    missing = [
        f"{ident} ({path}): {quote.quote!r}"
        for ident, path, quote in all_quotes(base)
        if quote.quote not in texts[quote.source]
    ]
    assert not missing, "quotes not found verbatim in their source:\n" + "\n".join(missing)


def test_quotes_are_counted(base):
    quotes = list(all_quotes(base))
    # Every record quotes its source once, chains only through their highlights.
    records = sum(len(getattr(base, s)) for s in (
        "facts", "projects", "bases", "documents", "programmes", "milestones", "priorities",
        "errata"))
    assert len(quotes) >= records
    assert {ident for ident, _, _ in quotes} >= {f.id for f in base.facts}


def test_every_stated_figure_is_in_its_quote(base):
    quantities = list(all_quantities(base))
    assert len(quantities) >= len(base.facts)
    missing = [
        f"{ident} ({path}): {quantity.stated!r} not in {quote.quote!r}"
        for ident, path, quantity, quote in quantities
        if quantity.stated not in quote.quote
    ]
    assert not missing, "stated figures not found in their quote:\n" + "\n".join(missing)


def test_every_erratum_is_on_the_line_it_names(base, sources_dir):
    texts = _texts(base, sources_dir)
    wrong = []
    for erratum in base.errata:
        lines = texts[erratum.source.source].split("\n")
        line = lines[erratum.line - 1] if erratum.line <= len(lines) else ""
        if erratum.source.quote not in line:
            where = [i for i, text in enumerate(lines, 1) if erratum.source.quote in text]
            wrong.append(f"{erratum.id}: not on line {erratum.line} (found on lines {where})")
    assert not wrong, "\n".join(wrong)


def test_the_minimal_fixture_is_backed_by_the_source_too(sources_dir):
    result = check(load(MINIMAL), sources_dir)
    assert result.ok, result.problems


def test_provenance_check_agrees(base, sources_dir):
    result = check(base, sources_dir)
    assert result.ok, "\n".join(result.problems)
    assert result.quotes_found == result.quotes_total == len(list(all_quotes(base)))
    assert result.figures_found == result.figures_total == len(list(all_quantities(base)))
    assert result.errata_ok == result.errata_total == len(base.errata)


def test_provenance_check_catches_each_kind_of_problem(tmp_path, sources_dir):
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("quote: 人均GDP达到17万元", "quote: 人均GDP达到18万元")  # not in source
    text = text.replace("stated: 10万吨", "stated: 20万吨")  # not in its quote
    text = text.replace("    line: 43\n", "    line: 44\n")  # wrong line
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    folder = tmp_path / "sources"
    folder.mkdir()
    source = next(sources_dir.glob("qaidam-new-era-2022.txt"))
    (folder / source.name).write_bytes(source.read_bytes() + b"\n")  # checksum differs
    problems = "\n".join(check(load(path), folder).problems)
    assert "per-capita-gdp (source): quote not found verbatim" in problems
    assert "人均GDP达到18万元" in problems
    assert "csg-polysilicon (outputs.0.capacity): stated figure '20万吨'" in problems
    assert "typo-english-and: quote" in problems and "not on line 44" in problems
    assert "has sha256" in problems
