"""The curator's guide documents every field of every model, so it cannot go stale."""

from __future__ import annotations

import re

import pytest

from haixi.docs import END, START, enums, field_reference, key, models
from haixi.paths import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "curating.md"


def _sections(text: str) -> dict[str, str]:
    """Heading text -> body, for every ### heading."""
    parts = re.split(r"^### (.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.fixture(scope="module")
def sections() -> dict[str, str]:
    return _sections(GUIDE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("model", models(), ids=lambda m: m.__name__)
def test_every_field_is_documented_under_its_model(sections, model):
    assert model.__name__ in sections, f"docs/curating.md has no '### {model.__name__}' heading"
    body = sections[model.__name__]
    missing = [
        key(name, info)
        for name, info in model.model_fields.items()
        if f"`{key(name, info)}`" not in body
    ]
    assert not missing, (
        f"fields of {model.__name__} missing from docs/curating.md: {missing}; "
        "run `python -m haixi fields` and paste its output into the field reference"
    )


@pytest.mark.parametrize("vocabulary", enums(), ids=lambda e: e.__name__)
def test_every_vocabulary_value_is_documented(sections, vocabulary):
    body = sections.get(vocabulary.__name__, "")
    missing = [m.value for m in vocabulary if f"`{m.value}`" not in body]
    assert not missing, f"{vocabulary.__name__} values missing from docs/curating.md: {missing}"


def test_field_reference_is_current():
    text = GUIDE.read_text(encoding="utf-8")
    assert START in text and END in text, "docs/curating.md lost its field-reference markers"
    committed = text[text.index(START): text.index(END) + len(END)] + "\n"
    assert committed == field_reference(), (
        "the field reference in docs/curating.md is out of date: replace it with the output "
        "of `python -m haixi fields`"
    )


def test_guide_covers_the_workflow():
    text = GUIDE.read_text(encoding="utf-8")
    for needle in ("verbatim", "stated", "qualifier", "python -m haixi validate", "make test",
                   "at_least", "approximate", "exact", "UTF-8"):
        assert needle in text, needle


def test_the_reference_covers_every_model_and_vocabulary_of_the_schema():
    from enum import Enum

    from pydantic import BaseModel

    from haixi import schema

    defined = {
        obj for obj in vars(schema).values()
        if isinstance(obj, type) and obj.__module__ == schema.__name__
    }
    all_models = {m for m in defined if issubclass(m, BaseModel) and m is not schema.Strict}
    all_enums = {e for e in defined if issubclass(e, Enum)}
    assert {m.__name__ for m in all_models - set(models())} == set()
    assert {e.__name__ for e in all_enums - set(enums())} == set()


def test_readme_lists_every_command_and_make_target():
    from haixi.cli import COMMANDS

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"python -m haixi {name}" not in readme]
    assert not missing, f"README.md does not show these commands: {missing}"
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][\w-]*):", makefile, flags=re.MULTILINE)
    undocumented = [t for t in targets if f"make {t}" not in readme]
    assert not undocumented, f"README.md does not mention these make targets: {undocumented}"
