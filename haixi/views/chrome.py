"""What surrounds every page: the sidebar's page list, version line and source note."""

from __future__ import annotations

from dataclasses import dataclass

from haixi.i18n import t
from haixi.schema import (
    FactBase,
)
from haixi.views.blocks import (
    PAGES,
    page_title,
    source_note,
)


@dataclass(frozen=True)
class Chrome:
    """What surrounds every page: the pages with their titles (the navigation), the sidebar's
    version line and source note ("" for both without a valid fact base)."""

    pages: tuple[tuple[str, str], ...]
    version: str = ""
    source_note: str = ""


def view(base: FactBase | None, lang: str) -> Chrome:
    """The chrome in the language; without a fact base (never valid yet) only the pages."""
    pages = tuple((name, page_title(name, lang)) for name in PAGES)
    if base is None:
        return Chrome(pages)
    return Chrome(
        pages,
        t("sidebar.version", lang, version=base.meta.version,
          released=base.meta.released.isoformat()),
        source_note(base, lang),
    )
