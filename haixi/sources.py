"""Reading the source files a fact base names: their texts, and what is wrong with the rest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from haixi.i18n import N_, t
from haixi.schema import FactBase


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
