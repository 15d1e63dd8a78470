"""The command line: validate, export, schema and fields, in-process and through `python -m haixi`."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from haixi import cli
from haixi.cli import main
from haixi.docs import field_reference
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS, REPO_ROOT
from haixi.schema import FactBase, all_quantities, all_quotes, json_schema

TESTS = Path(__file__).parent
MINIMAL = TESTS / "fixtures" / "minimal.yaml"
BROKEN = TESTS / "broken"
SECTIONS = ("facts", "chains", "projects", "bases", "documents", "programmes", "milestones",
            "priorities", "errata")


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """python -m haixi ARGS from the repo root, with HAIXI_FACTS unset unless given."""
    full_env = {k: v for k, v in os.environ.items() if k != "HAIXI_FACTS"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "haixi", *args],
        capture_output=True, text=True, env=full_env, cwd=REPO_ROOT, timeout=120,
    )


def expected_counts(base: FactBase) -> dict[str, int]:
    counts = {s: len(getattr(base, s)) for s in SECTIONS}
    counts["project outputs"] = sum(len(p.outputs) for p in base.projects)
    return counts


def summary_counts(stdout: str) -> dict[str, int]:
    """The record counts printed under "records"."""
    lines = stdout.splitlines()
    start = lines.index("records") + 1
    counts = {}
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        name, _, number = line.strip().rpartition(" ")
        counts[name.strip()] = int(number)
    return counts


@pytest.fixture
def fake_sources(tmp_path) -> tuple[Path, Path]:
    """The minimal fixture and a sources folder made for it: (facts path, sources folder)."""
    base = load(MINIMAL)
    folder = tmp_path / "sources"
    folder.mkdir()
    lines = [""] * 50
    lines[0] = "。".join(q.quote for _, _, q in all_quotes(base))
    erratum = base.errata[0]
    lines[erratum.line - 1] = erratum.source.quote
    raw = "\n".join(lines).encode("utf-8")
    (folder / base.sources[0].file).write_bytes(raw)
    text = MINIMAL.read_text(encoding="utf-8").replace(
        base.sources[0].sha256, hashlib.sha256(raw).hexdigest()
    )
    facts = tmp_path / "facts.yaml"
    facts.write_text(text, encoding="utf-8")
    return facts, folder


# --------------------------------------------------------------------------- validate


def test_validate_prints_a_summary(fake_sources, capsys):
    facts, folder = fake_sources
    assert main(["validate", str(facts), "--sources", str(folder)]) == 0
    out, err = capsys.readouterr()
    base = load(facts)
    assert err == ""
    assert out.splitlines()[0] == f"{facts}: valid"
    assert f"  file      {facts}" in out
    assert "  version   0.1.0" in out
    assert "  released  2026-11-28" in out
    assert summary_counts(out) == expected_counts(base)
    source = base.sources[0]
    assert f"  {source.id}  {source.file}  sha256 {source.sha256[:12]}\n" in out
    assert "errata by kind (1)\n  typo" in out
    n_quotes, n_figures = len(list(all_quotes(base))), len(list(all_quantities(base)))
    assert f"quotes found verbatim    {n_quotes}/{n_quotes}" in out
    assert f"figures found in quote   {n_figures}/{n_figures}" in out
    assert "source checksums match   1/1" in out
    assert "errata on their line     1/1" in out


def test_validate_fails_when_a_quote_is_not_in_the_source(fake_sources, capsys):
    facts, folder = fake_sources
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("quote: 着力落实就业优先}", "quote: 着力落实就业第一}"),
        encoding="utf-8",
    )
    assert main(["validate", str(facts), "--sources", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "employment-first (source): quote not found verbatim" in err
    assert "着力落实就业第一" in err
    assert "provenance FAILED" in out
    n = len(list(all_quotes(load(facts))))
    assert f"quotes found verbatim    {n - 1}/{n}" in out


def test_validate_fails_on_a_checksum_mismatch(fake_sources, capsys):
    facts, folder = fake_sources
    source = next(folder.iterdir())
    source.write_bytes(source.read_bytes() + b"\n")
    assert main(["validate", str(facts), "--sources", str(folder)]) == 1
    assert "has sha256" in capsys.readouterr().err


def test_validate_without_sources_folder_still_passes(tmp_path, capsys):
    assert main(["validate", str(MINIMAL), "--sources", str(tmp_path / "none")]) == 0
    out = capsys.readouterr().out
    assert "provenance: quotes not checked (no sources folder at" in out
    assert "figures found in quote   3/3" in out


def test_validate_checks_figures_even_without_sources(tmp_path, capsys):
    facts = tmp_path / "facts.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace("stated: 50兆瓦", "stated: 60兆瓦")
    facts.write_text(text, encoding="utf-8")
    assert main(["validate", str(facts), "--sources", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "csp-delingha-capacity (quantity): stated figure '60兆瓦' is not in its quote" in err


def test_validate_reports_every_broken_file_without_traceback(capsys):
    for path in sorted(BROKEN.glob("*.yaml")):
        if path.name in ("cases.yaml", "boolean-for-position.yaml"):
            continue  # boolean-for-position is accepted: a known schema gap (cases.yaml)
        assert main(["validate", str(path)]) == 1, path
        out, err = capsys.readouterr()
        assert out == "", path
        assert err.startswith(f"{path}: "), err
        assert "Traceback" not in err


def test_validate_a_folder_or_unreadable_file(tmp_path, capsys, monkeypatch):
    assert main(["validate", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err

    def refuse(path):
        raise PermissionError(13, "Permission denied")

    # The loader's own read fails (as for a file without read permission; root reads anyway).
    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert main(["validate", str(MINIMAL)]) == 1
    err = capsys.readouterr().err
    assert f"{MINIMAL}: cannot read: Permission denied" in err
    assert "Traceback" not in err


def test_unexpected_errors_are_reported_without_traceback(capsys, monkeypatch):
    def explode(path):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "load", explode)
    monkeypatch.delenv("HAIXI_DEBUG", raising=False)
    assert main(["validate", str(MINIMAL)]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["validate", "a.yaml", "b.yaml"]) == 2
    assert main(["export", str(Path("out"))]) == 2  # --format is required
    assert main(["export", "--format", "xlsx", "out"]) == 2
    assert "usage:" in capsys.readouterr().err
    assert main(["--help"]) == 0


# Through the entry point: a few end-to-end runs.


def test_entry_point_validates_the_real_fact_base():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == f"{DEFAULT_FACTS}: valid"
    assert summary_counts(result.stdout) == expected_counts(load(DEFAULT_FACTS))


def test_entry_point_invalid_file_names_file_and_line():
    path = BROKEN / "dangling-chain.yaml"
    result = run("validate", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"{path}:32:5: facts.1.chain: unknown chain 'clean-energi'" in result.stderr
    assert "Traceback" not in result.stderr


def test_entry_point_missing_file():
    result = run("validate", "no/such/facts.yaml")
    assert result.returncode == 1
    assert "no/such/facts.yaml: file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_entry_point_bad_usage():
    result = run("validate", "--no-such-option")
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_entry_point_honours_haixi_facts():
    result = run("validate", env={"HAIXI_FACTS": str(MINIMAL)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{MINIMAL}: valid"
    assert summary_counts(result.stdout)["facts"] == 2


# --------------------------------------------------------------------------- export


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


TABLE_COUNTS = {
    "facts": lambda b: len(b.facts),
    "project_outputs": lambda b: sum(len(p.outputs) for p in b.projects),
    "chains": lambda b: len(b.chains),
    "bases": lambda b: len(b.bases),
    "documents": lambda b: len(b.documents),
    "programmes": lambda b: len(b.programmes),
    "milestones": lambda b: len(b.milestones),
    "priorities": lambda b: len(b.priorities),
    "errata": lambda b: len(b.errata),
    "sources": lambda b: len(b.sources),
}


@pytest.mark.parametrize("facts", [DEFAULT_FACTS, MINIMAL], ids=["facts", "minimal"])
@pytest.mark.parametrize("fmt", ["csv", "datapackage"])
def test_export_csv_tables(tmp_path, capsys, facts, fmt):
    base = load(facts)
    assert main(["export", "--format", fmt, str(tmp_path), "--facts", str(facts)]) == 0
    out = capsys.readouterr().out
    assert f"(version {base.meta.version})" in out
    for table, count in TABLE_COUNTS.items():
        path = tmp_path / f"{table}.csv"
        assert path.read_bytes()[:3] != b"\xef\xbb\xbf", "CSV files carry no BOM"
        rows = _csv_rows(path)
        assert len(rows) == count(base), table
        assert rows, table
        assert {r["fact_base_version"] for r in rows} == {base.meta.version}
        assert {r["fact_base_released"] for r in rows} == {base.meta.released.isoformat()}
    assert (tmp_path / "datapackage.json").exists() == (fmt == "datapackage")


def test_export_json(tmp_path, capsys):
    base = load(DEFAULT_FACTS)
    assert main(["export", "--format", "json", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "facts.json").read_text(encoding="utf-8"))
    assert data["meta"]["version"] == base.meta.version
    for table, count in TABLE_COUNTS.items():
        assert len(data[table]) == count(base), table
        for row in data[table]:
            assert row["fact_base_version"] == base.meta.version
            assert row["fact_base_released"] == base.meta.released.isoformat()


def test_export_refuses_invalid_facts_and_unwritable_folders(tmp_path, capsys):
    broken = BROKEN / "duplicate-id.yaml"
    assert main(["export", "--format", "csv", str(tmp_path / "out"), "--facts", str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:27" in err
    assert not (tmp_path / "out").exists()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["export", "--format", "csv", str(blocker), "--facts", str(MINIMAL)]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_entry_point_export_datapackage(tmp_path):
    result = run("export", "--format", "datapackage", str(tmp_path), env={"HAIXI_FACTS": str(MINIMAL)})
    assert result.returncode == 0, result.stderr
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == "haixi-facts"
    assert descriptor["version"] == "0.1.0"
    assert len(_csv_rows(tmp_path / "facts.csv")) == 2


# --------------------------------------------------------------------------- schema, fields


def test_schema_command_prints_the_json_schema(capsys):
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert out == json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def test_fields_command_prints_the_field_reference(capsys):
    assert main(["fields"]) == 0
    assert capsys.readouterr().out == field_reference()


def test_commands_are_registered_one_function_each():
    assert {"validate", "export", "schema", "fields", "report", "diff"} <= set(cli.COMMANDS)
    for command in cli.COMMANDS.values():
        assert callable(command.run) and command.help


# --------------------------------------------------------------------------- report, diff


def test_entry_point_report_writes_an_html_file(tmp_path):
    out = tmp_path / "report.html"
    result = run("report", "--lang", "en", str(out), env={"HAIXI_FACTS": str(MINIMAL)})
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") or text.lower().startswith("<!doctype html>")
    assert "0.1.0" in text and "0.1.0" in result.stdout


def test_entry_point_report_refuses_an_invalid_file(tmp_path):
    bad = BROKEN / "unknown-field-top-level.yaml"
    result = run("report", str(tmp_path / "r.html"), env={"HAIXI_FACTS": str(bad)})
    assert result.returncode == 1
    assert "unknown-field-top-level.yaml" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_entry_point_diff_lists_a_changed_value():
    diff_dir = TESTS / "diff"
    result = run("diff", str(diff_dir / "base.yaml"), str(diff_dir / "value_changed.yaml"),
                 "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)
    assert [c["id"] for c in changes["changed"]] == ["per-capita-gdp"]
    assert run("diff", str(diff_dir / "base.yaml")).returncode == 2


def test_fields_update_rewrites_only_the_generated_block(tmp_path, capsys):
    from haixi.docs import END, START

    guide = tmp_path / "guide.md"
    guide.write_text(f"# Guide\n\nbefore\n\n{START}\nstale\n{END}\n\nafter\n", encoding="utf-8")
    assert main(["fields", "--update", str(guide)]) == 0
    text = guide.read_text(encoding="utf-8")
    assert text.startswith("# Guide\n\nbefore\n\n") and text.endswith("\n\nafter\n")
    assert "stale" not in text
    assert text[text.index(START): text.index(END) + len(END)] + "\n" == field_reference()
    no_markers = tmp_path / "plain.md"
    no_markers.write_text("# nothing to replace\n", encoding="utf-8")
    assert main(["fields", "--update", str(no_markers)]) == 1
    assert "no field-reference markers" in capsys.readouterr().err
