import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_profile_reference_is_current():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_profile_docs.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = (ROOT / "docs" / "profile.md").read_text()
    assert committed == gen.generate(), "run: python scripts/gen_profile_docs.py"


def test_every_schema_field_is_documented():
    from heatcalc.profile import SCHEMA, Section

    text = (ROOT / "docs" / "profile.md").read_text()

    def paths(section, prefix=""):
        for key, spec in section.fields.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            if isinstance(spec, Section):
                yield from paths(spec, path)

    missing = [p for p in paths(SCHEMA) if f"`{p}`" not in text]
    assert not missing


def test_readme_example_output_is_current(monkeypatch):
    from typer.testing import CliRunner

    from heatcalc.cli import app

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "80")
    out = CliRunner().invoke(app, ["compare", "profiles/boston-gas.yaml"]).stdout
    readme = (ROOT / "README.md").read_text()
    block = readme.split("(an 80-column terminal):\n\n```text\n", 1)[1].split("```", 1)[0]
    assert block.strip() == "\n".join(line.rstrip() for line in out.strip().splitlines())


def test_readme_python_api_example_runs(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text()
    code = readme.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    c = namespace["c"]
    assert c.summary.cheapest == "furnace"  # the README says so in a comment
    assert namespace["p"].location.zip == "02134"
    rows = namespace["rows"]
    assert rows.home.tolist() == ["0"] * 3 + ["1"] * 3 and rows.error.isna().all()
    printed = capsys.readouterr().out
    assert "heat_pump" in printed and "Problem(field=''" in printed  # a.yaml does not exist: reported, not raised


def test_readme_notebook_study_runs(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    readme = (ROOT / "README.md").read_text()
    code = readme.split("A study, as in a notebook", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    wide, table = namespace["wide"], namespace["table"]
    assert len(wide) == 1000 and wide["error"].isna().all()
    assert table.shape == (5, 4) and (tmp_path / "study.svg").exists()
    # a dearer kWh saves less in every state
    assert (table.diff(axis=1).iloc[:, 1:] < 0).all().all()

