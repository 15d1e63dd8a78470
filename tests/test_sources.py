"""The sources ship with the project: data/sources is a byte-for-byte copy of the originals."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from haixi import paths
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS, DEFAULT_SOURCES, REPO_ROOT

# Files of a sources folder that are not sources: each folder has its own README.
NOT_SOURCES = {"README.md", ".gitattributes"}


def _source_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in NOT_SOURCES)


def test_every_original_is_shipped_byte_for_byte(shared_sources_dir):
    originals = _source_files(shared_sources_dir)
    assert originals, f"no source files in {shared_sources_dir}"
    for original in originals:
        shipped = DEFAULT_SOURCES / original.name
        assert shipped.is_file(), f"{original.name} is in {shared_sources_dir} but not in data/sources"
        assert shipped.read_bytes() == original.read_bytes(), (
            f"data/sources/{original.name} differs from {original}: copy it again, byte for byte"
        )


def test_every_shipped_file_is_a_source_of_the_fact_base_with_its_checksum():
    base = load(DEFAULT_FACTS)
    shipped = {p.name: p for p in _source_files(DEFAULT_SOURCES)}
    assert set(shipped) == {s.file for s in base.sources}
    for source in base.sources:
        digest = hashlib.sha256(shipped[source.file].read_bytes()).hexdigest()
        assert digest == source.sha256, f"data/sources/{source.file}: sha256 {digest}"


def test_the_shipped_folder_has_a_readme_naming_each_file_and_its_provider():
    readme = (DEFAULT_SOURCES / "README.md").read_text(encoding="utf-8")
    for path in _source_files(DEFAULT_SOURCES):
        assert f"`{path.name}`" in readme
        last_line = path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[-1]
        assert last_line in readme, f"README should quote the provider line {last_line!r}"


def test_git_keeps_the_sources_byte_for_byte():
    out = subprocess.run(
        ["git", "check-attr", "text", "--", "data/sources/qaidam-new-era-2022.txt"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    ).stdout
    assert out.strip().endswith("text: unset"), out


def test_sources_dir_defaults_to_data_sources(monkeypatch):
    monkeypatch.delenv("HAIXI_SOURCES", raising=False)
    assert paths.sources_dir() == REPO_ROOT / "data" / "sources"
    monkeypatch.setenv("HAIXI_SOURCES", "  ")
    assert paths.sources_dir() == REPO_ROOT / "data" / "sources"


def test_a_relative_sources_override_is_relative_to_the_repo_root(monkeypatch, tmp_path):
    monkeypatch.setenv("HAIXI_SOURCES", "../shared/sources")
    assert paths.sources_dir() == REPO_ROOT / ".." / "shared" / "sources"
    monkeypatch.setenv("HAIXI_SOURCES", str(tmp_path))
    assert paths.sources_dir() == tmp_path


@pytest.mark.slow
def test_a_bare_clone_runs_every_provenance_test_none_skipped(bare_clone):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HAIXI_SOURCES", "HAIXI_FACTS", "HAIXI_SHARED_SOURCES",
                        "HAIXI_REQUIRE_SOURCES", "CI", "PYTEST_ADDOPTS")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         "tests/test_provenance.py"],
        cwd=bare_clone, env=env, capture_output=True, text=True, timeout=300,
    )
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    assert run.returncode == 0, run.stdout + run.stderr
    assert " passed" in summary and "skipped" not in summary, run.stdout


# Each sources fixture: a test that uses it, the variable pointing it somewhere, its message.
FOLDER_FIXTURES = {
    "sources_dir": ("tests/test_provenance.py::test_every_quote_is_verbatim_in_its_source",
                    "HAIXI_SOURCES", "sources folder not found"),
    "shared_sources_dir": ("tests/test_sources.py::test_every_original_is_shipped_byte_for_byte",
                           "HAIXI_SHARED_SOURCES", "original sources folder not found"),
}


@pytest.mark.parametrize(
    ("env", "outcome"),
    [({}, "skipped"), ({"HAIXI_REQUIRE_SOURCES": "1"}, "error"), ({"CI": "true"}, "error")],
    ids=["skip-locally", "fail-when-required", "fail-in-ci"],
)
def test_a_missing_sources_folder_skips_locally_but_fails_in_ci(tmp_path, run_pytest, env, outcome):
    # Both fixtures' tests in one fresh pytest (a pytest start is ~2.5 s of CPU), each folder
    # pointed nowhere: each test skips, or errors, with its own fixture's message.
    nodes = [node for node, _, _ in FOLDER_FIXTURES.values()]
    variables = tuple(variable for _, variable, _ in FOLDER_FIXTURES.values())
    run = run_pytest(
        nodes,
        {**env, **{variable: str(tmp_path / "nowhere") for variable in variables}},
        unset=("HAIXI_REQUIRE_SOURCES", "CI", *variables),
    )
    # A failure in a fixture is reported as an error of the test: not a pass.
    counted = f"{len(nodes)} {outcome}" + ("s" if outcome == "error" else "")
    assert counted in run.stdout, run.stdout + run.stderr
    assert run.returncode == (0 if outcome == "skipped" else 1)
    for _, _, message in FOLDER_FIXTURES.values():
        assert message in run.stdout, run.stdout
