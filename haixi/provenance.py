"""Provenance checks: checksums, quotes verbatim in the sources, figures in quotes, errata, not_figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from haixi.coverage import account_texts
from haixi.schema import FactBase, all_quantities, all_quotes
from haixi.sources import read_sources


@dataclass
class Provenance:
    """The outcome of checking a fact base against its sources folder."""

    folder: Path | None
    quotes_found: int = 0
    quotes_total: int = 0
    figures_found: int = 0
    figures_total: int = 0
    checksums_ok: int = 0
    checksums_total: int = 0
    errata_ok: int = 0
    errata_total: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def source_texts(base: FactBase, folder: Path, result: Provenance | None = None) -> dict[str, str]:
    """Source id -> text, for every source file present, readable and UTF-8.

    Missing or unreadable files and checksum mismatches are added to `result.problems`.
    """
    texts, problems = read_sources(base, folder)
    if result is not None:
        result.checksums_total += len(base.sources)
        result.checksums_ok += len(base.sources) - len(
            {p.source for p in problems if p.kind in ("missing", "unreadable", "checksum")}
        )
        result.problems.extend(str(problem) for problem in problems)
    return texts


def check(base: FactBase, folder: str | Path | None) -> Provenance:
    """Check every quote, figure, checksum and erratum line against the sources folder.

    With `folder` None only what needs no source is checked: each figure against its quote.
    """
    result = Provenance(Path(folder) if folder is not None else None)
    texts = source_texts(base, result.folder, result) if folder is not None else {}
    for ident, path, quote in all_quotes(base) if folder is not None else ():
        result.quotes_total += 1
        text = texts.get(quote.source)
        if text is not None and quote.quote in text:
            result.quotes_found += 1
        elif text is not None:
            result.problems.append(
                f"{ident} ({path}): quote not found verbatim in {quote.source}: {quote.quote!r}"
            )
    for ident, path, quantity, quote in all_quantities(base):
        result.figures_total += 1
        if quantity.stated in quote.quote:
            result.figures_found += 1
        else:
            result.problems.append(
                f"{ident} ({path}): stated figure {quantity.stated!r} is not in its quote "
                f"{quote.quote!r}"
            )
    for erratum in base.errata if folder is not None else ():
        result.errata_total += 1
        text = texts.get(erratum.source.source)
        if text is None:
            continue
        lines = [line.rstrip("\r") for line in text.split("\n")]
        if 1 <= erratum.line <= len(lines) and erratum.source.quote in lines[erratum.line - 1]:
            result.errata_ok += 1
        else:
            result.problems.append(
                f"{erratum.id}: quote {erratum.source.quote!r} is not on line {erratum.line} "
                f"of {erratum.source.source}"
            )
    if folder is not None and base.not_figures:
        result.problems.extend(
            f"stale entry: {stale}" for stale in account_texts(base, texts).stale
        )
    return result
