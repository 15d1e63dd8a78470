"""Provenance checks: source files, quotes verbatim in them, figures in quotes, errata lines, not_figures."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from haixi.i18n import N_
from haixi.schema import FactBase, all_quantities, all_quotes


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


@dataclass(frozen=True)
class SourceProblem:
    """A source file that is missing, unreadable, not UTF-8 or not the one the fact base names."""

    source: str  # the source's id
    path: Path
    kind: str  # one of PROBLEM_KEYS
    detail: str = ""  # the OS error or decoding error; the file's sha256 for "checksum"
    expected: str = ""  # the sha256 the fact base records, for "checksum"

    def message(self, lang: str = "en") -> str:
        """The problem in `lang`, naming the source and its file."""
        from haixi.i18n import t

        return t(PROBLEM_KEYS[self.kind], lang, source=self.source, path=str(self.path),
                 detail=self.detail, expected=self.expected)

    def __str__(self) -> str:
        return self.message("en")


# Kind of source problem -> its message in the UI catalogue.
PROBLEM_KEYS = {
    "missing": N_("source_problem.missing"),
    "unreadable": N_("source_problem.unreadable"),
    "not_utf8": N_("source_problem.not_utf8"),
    "checksum": N_("source_problem.checksum"),
}


def read_sources(base: FactBase, folder: Path) -> tuple[dict[str, str], list[SourceProblem]]:
    """(source id -> text of every file present, readable and UTF-8; what is wrong with the rest).

    A file whose checksum differs from the fact base is still read (its text is returned) and
    reported: the quotes can then be checked against what is there.
    """
    texts: dict[str, str] = {}
    problems: list[SourceProblem] = []
    for source in base.sources:
        path = Path(folder) / source.file
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            problems.append(SourceProblem(source.id, path, "missing"))
            continue
        except OSError as exc:
            problems.append(SourceProblem(source.id, path, "unreadable", str(exc.strerror or exc)))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source.sha256:
            problems.append(SourceProblem(source.id, path, "checksum", digest, source.sha256))
        try:
            texts[source.id] = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(SourceProblem(source.id, path, "not_utf8", exc.reason))
    return texts, problems


def source_problems(base: FactBase, folder: str | Path, lang: str = "en") -> list[str]:
    """What is wrong with the source files, one message per problem in `lang`; [] when nothing.

    For the dashboard's notice and the command line alike.
    """
    return [problem.message(lang) for problem in read_sources(base, Path(folder))[1]]


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
        from haixi.coverage import account_texts  # coverage builds on this module

        result.problems.extend(
            f"stale entry: {stale}" for stale in account_texts(base, texts).stale
        )
    return result
