"""Where the fact base and the sources live, with their environment overrides."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FACTS = REPO_ROOT / "data" / "facts.yaml"
DEFAULT_SOURCES = REPO_ROOT / "data" / "sources"
SCHEMA_PATH = REPO_ROOT / "data" / "facts.schema.json"


def facts_path() -> Path:
    """The fact file to use: $HAIXI_FACTS if set, else the embedded data/facts.yaml."""
    override = os.environ.get("HAIXI_FACTS", "").strip()
    return Path(override) if override else DEFAULT_FACTS


def sources_dir() -> Path:
    """The sources folder: $HAIXI_SOURCES if set (relative to the repo root), else data/sources.

    data/sources ships byte-for-byte copies of the originals in ../shared/sources, so a bare
    clone and the hosted demo have them.
    """
    override = os.environ.get("HAIXI_SOURCES", "").strip()
    if not override:
        return DEFAULT_SOURCES
    path = Path(override)
    return path if path.is_absolute() else REPO_ROOT / path
