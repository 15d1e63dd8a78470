"""The JSON Schema: committed and current, referenced by facts.yaml, documented, closed to unknown keys."""

from __future__ import annotations

import copy
import datetime as dt
import json
import typing
from enum import Enum
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from haixi.paths import DEFAULT_FACTS, SCHEMA_PATH
from haixi.schema import FactBase, json_schema

# Fields that lack a description (and whose type is no model with a docstring) or, for leaf
# fields, lack examples. They are gaps in haixi/schema.py, listed here so that the test
# catches any NEW gap; remove an entry once the model gains what it lacks.
KNOWN_MISSING_DESCRIPTIONS: set[str] = set()
KNOWN_MISSING_EXAMPLES: set[str] = set()


def _kinds(annotation) -> set[type]:
    """Every class mentioned in an annotation (through Optional, list, Annotated)."""
    found = set()
    if isinstance(annotation, type):
        found.add(annotation)
    for arg in typing.get_args(annotation):
        found |= _kinds(arg)
    return found


def _nested_models(annotation) -> list[type[BaseModel]]:
    return [k for k in _kinds(annotation) if issubclass(k, BaseModel)]


def _all_models() -> list[type[BaseModel]]:
    models = [FactBase]
    for model in models:
        for info in model.model_fields.values():
            for nested in _nested_models(info.annotation):
                if nested not in models:
                    models.append(nested)
    return models


def _all_fields():
    for model in _all_models():
        for name, info in model.model_fields.items():
            yield f"{model.__name__}.{name}", info


def test_the_walk_reaches_every_model():
    names = {m.__name__ for m in _all_models()}
    assert {"FactBase", "Meta", "Source", "Fact", "Quantity", "Quote", "Bilingual", "Chain",
            "Statement", "Project", "Company", "Output", "Base", "Document", "Programme",
            "Milestone", "Priority", "Erratum"} <= names


def test_committed_schema_is_current():
    assert SCHEMA_PATH.exists(), f"{SCHEMA_PATH} is missing: run `make schema`"
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert json.loads(committed) == json_schema(), (
        f"{SCHEMA_PATH} is out of date with haixi/schema.py: run `make schema`"
    )
    assert committed == json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", (
        f"{SCHEMA_PATH} is not formatted as `python -m haixi schema` writes it: run `make schema`"
    )


def test_facts_yaml_references_the_schema():
    first = DEFAULT_FACTS.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server:"), first
    assert "$schema=./facts.schema.json" in first, first
    assert (DEFAULT_FACTS.parent / "facts.schema.json") == SCHEMA_PATH


def test_every_field_has_a_description():
    missing = set()
    for where, info in _all_fields():
        if info.description and info.description.strip():
            continue
        models = _nested_models(info.annotation)
        if models and all((m.__doc__ or "").strip() for m in models):
            continue  # a field holding a model may take the model's docstring
        missing.add(where)
    new = sorted(missing - KNOWN_MISSING_DESCRIPTIONS)
    fixed = sorted(KNOWN_MISSING_DESCRIPTIONS - missing)
    assert not new, f"fields without a description (add Field(description=...)): {new}"
    assert not fixed, f"these now have descriptions: remove them from KNOWN_MISSING_DESCRIPTIONS: {fixed}"


def test_every_leaf_field_has_examples():
    missing = set()
    for where, info in _all_fields():
        if _nested_models(info.annotation):
            continue  # not a leaf
        if not info.examples:
            missing.add(where)
    new = sorted(missing - KNOWN_MISSING_EXAMPLES)
    fixed = sorted(KNOWN_MISSING_EXAMPLES - missing)
    assert not new, f"leaf fields without examples (add Field(examples=[...])): {new}"
    assert not fixed, f"these now have examples: remove them from KNOWN_MISSING_EXAMPLES: {fixed}"


def test_every_model_and_vocabulary_has_a_docstring():
    kinds = set(_all_models())
    for _, info in _all_fields():
        kinds |= {k for k in _kinds(info.annotation) if issubclass(k, Enum)}
    undocumented = sorted(k.__name__ for k in kinds if not (k.__doc__ or "").strip())
    assert not undocumented


def _objects(node, path="#"):
    """Every object schema (one with properties) in a JSON Schema."""
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{path}/{i}")


def test_schema_rejects_unknown_keys_everywhere():
    objects = list(_objects(json_schema()))
    assert len(objects) >= len(_all_models())
    open_ = [path for path, node in objects if node.get("additionalProperties") is not False]
    assert not open_, f"object schemas that allow unknown keys: {open_}"


def _facts_as_json() -> dict:
    data = yaml.safe_load(DEFAULT_FACTS.read_text(encoding="utf-8"))

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(data)


def test_json_schema_accepts_facts_yaml_and_rejects_unknown_keys():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    data = _facts_as_json()
    errors = [e.message for e in validator.iter_errors(data)]
    assert not errors, errors[:5]
    for where in (("meta",), ("facts", 0, "quantity"), ("projects", 0, "outputs", 0)):
        broken = copy.deepcopy(data)
        node = broken
        for step in where:
            node = node[step]
        node["unexpected"] = 1
        messages = [e.message for e in validator.iter_errors(broken)]
        assert any("unexpected" in m for m in messages), (where, messages)


def test_cross_reference_problems_are_path_and_message_pairs():
    from pydantic import ValidationError

    from haixi.schema import CrossReferenceError, cross_reference_problems

    minimal = Path(__file__).parent / "fixtures" / "minimal.yaml"
    data = yaml.safe_load(minimal.read_text(encoding="utf-8"))
    assert cross_reference_problems(data) == []
    data["facts"][1]["chain"] = "clean-energi"
    data["facts"][1]["id"] = data["facts"][0]["id"]
    data["chains"].append(dict(data["chains"][0]))  # same id, same position
    expected = [
        ("facts.1.id", f"duplicate id {data['facts'][0]['id']!r} (already used in facts.0)"),
        ("chains.1.id", f"duplicate id {data['chains'][0]['id']!r} (already used in chains.0)"),
        ("facts.1.chain", "unknown chain 'clean-energi'"),
        ("chains", "two chains share a position"),
    ]
    assert cross_reference_problems(data) == expected
    with pytest.raises(ValidationError) as caught:
        FactBase.model_validate(data)
    [error] = caught.value.errors(include_url=False)
    cause = error["ctx"]["error"]
    assert isinstance(cause, CrossReferenceError)
    assert cause.problems == expected


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://example.org/communique.html", True),
        ("http://example.org/", True),
        ("javascript:alert(1)", False),
        ("example.org/communique.html", False),
        ("https://example.org/a b", False),
    ],
)
def test_a_source_url_is_a_web_address_or_refused(url, valid):
    from pydantic import ValidationError

    from haixi.schema import Source

    minimal = Path(__file__).parent / "fixtures" / "minimal.yaml"
    source = yaml.safe_load(minimal.read_text(encoding="utf-8"))["sources"][0]
    source.update(url=url, date_published="2023-03-31", citation="A citation.", license="CC-BY-4.0")
    if valid:
        assert Source.model_validate(source).url == url
    else:
        with pytest.raises(ValidationError, match="url"):
            Source.model_validate(source)


def test_the_real_source_claims_only_what_its_text_says():
    # No URL, date or licence of the newspaper feature is known (data/sources/README.md):
    # none may be filled in; its citation names the title and the provider its text gives.
    base_data = yaml.safe_load(DEFAULT_FACTS.read_text(encoding="utf-8"))
    (source,) = [s for s in base_data["sources"] if s["id"] == "qaidam-new-era-2022"]
    assert not {"url", "date_published", "date_accessed", "license"} & set(source)
    text = (DEFAULT_FACTS.parent / "sources" / source["file"]).read_text(encoding="utf-8")
    for span in ("柴达木盆地在新时代焕发新气象", "海西州委宣传部"):
        assert span in source["citation"] and span in text
