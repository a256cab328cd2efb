"""The data catalogue and loader: known inputs load; missing, tampered or malformed ones fail clearly."""
import hashlib

import pytest
import yaml
from conftest import shared_data_dir

from lib.inputs import data, paths


def test_every_catalogued_input_verifies():
    names = data.verify_all()
    assert len(names) == len(data.catalogue()) == 23


def test_catalogue_records_what_the_availability_statement_needs():
    table = data.catalogue_table()
    assert table["name"].is_unique
    assert set(table["redistributable"]) <= {True, False}
    for column in ("origin", "licence", "description", "units"):
        assert (table[column].astype(str).str.len() > 0).all(), column
    # non-redistributable city inputs are flagged as such (../shared/data/README.md, terms of use)
    assert not table.set_index("name").at["pku_dfiic", "redistributable"]
    assert table.set_index("name").at["wdi_gdp", "redistributable"]


def test_known_value_from_wdi():
    # ../shared/data/national/SOURCES.md: 2018 nominal GDP = 91.928 trillion yuan
    wdi = data.load("wdi_gdp").set_index("year")
    assert wdi.at[2018, "gdp_current_lcu_yuan"] / 1e12 == pytest.approx(91.928, abs=0.001)


def test_load_returns_a_fresh_copy():
    first = data.load("wdi_gdp")
    first.loc[:, "gdp_current_lcu_yuan"] = 0
    assert data.load("wdi_gdp")["gdp_current_lcu_yuan"].max() > 0


@pytest.fixture()
def isolated(tmp_path, monkeypatch):
    """A private catalogue and data folder; the real fallbacks are cut off."""
    folder = tmp_path / "data"
    (folder / "demo").mkdir(parents=True)
    monkeypatch.setenv(paths.DATA_ENV_VAR, str(folder))
    monkeypatch.setattr(paths, "search_dirs", lambda: [folder])
    catalogue_file = tmp_path / "catalogue.yml"
    monkeypatch.setattr(paths, "CATALOGUE", catalogue_file)

    def write(csv_text: str, columns: dict, sha: str | None = None):
        target = folder / "demo" / "demo.csv"
        target.write_text(csv_text, encoding="utf-8")
        digest = sha or hashlib.sha256(target.read_bytes()).hexdigest()
        catalogue_file.write_text(yaml.safe_dump({"how_to_obtain": "ask the data desk", "inputs": [{
            "name": "demo", "path": "demo/demo.csv", "sha256": digest, "origin": "unit-test origin",
            "licence": "CC0", "redistributable": True, "units": "none", "description": "demo",
            "origin_zh": "单元测试来源", "licence_zh": "CC0", "units_zh": "无", "description_zh": "示例",
            "columns": columns}]}), encoding="utf-8")
        return target
    return write


def test_a_text_of_the_catalogue_without_its_chinese_stops(isolated):
    isolated("a,b\n1,2\n", {"a": "int", "b": "int"})
    path = paths.CATALOGUE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    del doc["inputs"][0]["description_zh"]
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(data.DataError, match="'description' and 'description_zh' must both be given"):
        data.catalogue()


def test_missing_file_names_file_origin_and_remedy(isolated):
    target = isolated("year,x\n2019,1.5\n", {"year": "int", "x": "float"})
    target.unlink()
    with pytest.raises(data.DataError) as err:
        data.load("demo")
    message = str(err.value)
    assert "demo/demo.csv" in message and "file not found" in message
    assert "unit-test origin" in message and "ask the data desk" in message


def test_tampered_file_fails_checksum(isolated):
    target = isolated("year,x\n2019,1.5\n", {"year": "int", "x": "float"})
    target.write_text("year,x\n2019,9.5\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"checksum mismatch .*demo\.csv"):
        data.load("demo")


def test_missing_column_is_named(isolated):
    isolated("year,y\n2019,1.5\n", {"year": "int", "x": "float"})
    with pytest.raises(data.DataError, match="missing column 'x'"):
        data.load("demo")


def test_wrong_type_is_named(isolated):
    isolated("year,x\n2019,abc\n", {"year": "int", "x": "float"})
    with pytest.raises(data.DataError, match="column 'x' should be numeric but is"):
        data.load("demo")


def test_verify_all_lists_every_problem(isolated):
    isolated("year,x\n2019,1.5\n", {"year": "int", "x": "float"}, sha="0" * 64)
    with pytest.raises(data.DataError, match="1 input\\(s\\) failed verification"):
        data.verify_all()


def test_unknown_name():
    with pytest.raises(data.DataError, match="not in the catalogue"):
        data.load("no_such_input")


def test_loading_never_writes_into_the_input_folder():
    folder = shared_data_dir()
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    data.verify_all()
    after = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    assert before == after
