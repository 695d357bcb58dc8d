"""The data package: it validates, and every kind of bad input is refused with a message that locates it.

Corruption tests work on a copy of data/ in a temporary folder; the real files are never touched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.data import DataError, file_hash, load, read_descriptor, record_hashes
from tests.conftest import PROJECT_ROOT

RESOURCE_NAMES = [r["name"] for r in read_descriptor(PROJECT_ROOT)["resources"]]


def edit_csv(root: Path, name: str, old: str, new: str, *, relock: bool = True) -> Path:
    """Replace ``old`` (which must occur once) by ``new`` in a copied data file and, by default, re-record hashes."""
    path = root / "data" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test set-up: {old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if relock:
        record_hashes(root)
    return path


def line_of(root: Path, name: str, fragment: str) -> int:
    """Return the 1-based line number of the line containing ``fragment`` in a copied data file."""
    lines = (root / "data" / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if fragment in line)


class TestPackageValidates:
    def test_frictionless_finds_the_package_valid(self):
        result = subprocess.run(
            [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "data/datapackage.json"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        )
        report = json.loads(result.stdout)
        assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]

    @pytest.mark.parametrize("name", RESOURCE_NAMES)
    def test_every_resource_loads_with_its_schema_types(self, name):
        resource = next(r for r in read_descriptor(PROJECT_ROOT)["resources"] if r["name"] == name)
        frame = load(name, root=PROJECT_ROOT)
        assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]
        assert len(frame) > 0
        for field in resource["schema"]["fields"]:
            if field["type"] == "number":
                assert frame[field["name"]].dtype == "float64", field["name"]

    @pytest.mark.parametrize("name", RESOURCE_NAMES)
    def test_recorded_hash_matches_the_file(self, name):
        resource = next(r for r in read_descriptor(PROJECT_ROOT)["resources"] if r["name"] == name)
        assert resource["hash"] == file_hash(PROJECT_ROOT / "data" / resource["path"])

    def test_every_file_in_data_is_described(self):
        described = {r["path"] for r in read_descriptor(PROJECT_ROOT)["resources"]}
        present = {p.name for p in (PROJECT_ROOT / "data").glob("*.csv")}
        assert present == described


class TestLoadRefusesBadInput:
    def test_non_numeric_value_names_file_row_column_and_expectation(self, project_copy):
        line = line_of(project_copy, "statistics.csv", "morris2021-esol-funding-2016-17")
        edit_csv(project_copy, "statistics.csv", "2016/17,99,GBP million", "2016/17,\"9,9\",GBP million")
        with pytest.raises(DataError) as caught:
            load("statistics", root=project_copy)
        message = str(caught.value)
        assert "data/statistics.csv" in message
        assert f"row {line - 1} (line {line})" in message
        assert "column 'value'" in message
        assert "expected a plain number" in message and "'9,9'" in message

    @pytest.mark.parametrize("written", ["227.", ".5", "1e3", "£99", " 99", "99 "])
    def test_numbers_must_be_written_plainly(self, project_copy, written):
        edit_csv(project_copy, "statistics.csv", "2016/17,99,GBP million", f"2016/17,{written},GBP million")
        with pytest.raises(DataError, match=r"column 'value': expected a plain number"):
            load("statistics", root=project_copy)

    def test_hash_mismatch_is_refused_until_relocked(self, project_copy):
        edit_csv(project_copy, "esol_learners.csv", "110600", "110601", relock=False)
        with pytest.raises(DataError, match=r"data/esol_learners.csv: contents changed.*make lock-data"):
            load("esol_learners", root=project_copy)
        record_hashes(project_copy)
        assert load("esol_learners", root=project_copy)["learners"].iloc[0] == 110601

    def test_missing_file(self, project_copy):
        (project_copy / "data" / "esol_learners.csv").unlink()
        with pytest.raises(DataError, match=r"data/esol_learners.csv: file not found"):
            load("esol_learners", root=project_copy)

    def test_unknown_resource_lists_the_known_ones(self, project_copy):
        with pytest.raises(DataError, match=r"no resource named 'nope' \(known: .*statistics"):
            load("nope", root=project_copy)

    def test_missing_column(self, project_copy):
        path = project_copy / "data" / "esol_learners.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["note"])
        frame.to_csv(path, index=False, lineterminator="\n")
        record_hashes(project_copy)
        with pytest.raises(DataError, match=r"data/esol_learners.csv, column 'note': expected this column"):
            load("esol_learners", root=project_copy)

    def test_unexpected_column(self, project_copy):
        edit_csv(project_copy, "esol_learners.csv", "primary_source,note\n", "primary_source,note,extra\n")
        with pytest.raises(DataError, match=r"column 'extra': expected no such column"):
            load("esol_learners", root=project_copy)

    def test_value_outside_the_allowed_set(self, project_copy):
        line = line_of(project_copy, "statistics.csv", "morris2021-wm-nrpf-grace-period")
        edit_csv(project_copy, "statistics.csv", "2020,12,months,", "2020,12,fortnights,")
        with pytest.raises(DataError, match=rf"row {line - 1} \(line {line}\), column 'unit': expected one of"):
            load("statistics", root=project_copy)

    def test_empty_required_cell(self, project_copy):
        line = line_of(project_copy, "esol_learners.csv", "2016/17")
        edit_csv(project_copy, "esol_learners.csv", "2016/17,114400", "2016/17,")
        with pytest.raises(DataError, match=rf"row {line - 1} \(line {line}\), column 'learners': expected a value"):
            load("esol_learners", root=project_copy)

    def test_whole_number_column_refuses_a_decimal(self, project_copy):
        edit_csv(project_copy, "esol_learners.csv", "114400", "114400.5")
        with pytest.raises(DataError, match=r"column 'learners': expected a whole number"):
            load("esol_learners", root=project_copy)

    def test_duplicate_key_points_at_both_rows(self, project_copy):
        edit_csv(project_copy, "esol_learners.csv", "2017/18,114300", "2016/17,114300")
        with pytest.raises(DataError, match=r"row 3 \(line 4\), column 'academic_year': expected a unique value \(row 2"):
            load("esol_learners", root=project_copy)

    def test_padded_text_is_not_trimmed_silently(self, project_copy):
        edit_csv(project_copy, "statistics.csv", "morris2021-wm-nrpf-grace-period,morris2021,", "morris2021-wm-nrpf-grace-period,morris2021, ")
        with pytest.raises(DataError, match=r"column 'section': expected text without leading or trailing spaces"):
            load("statistics", root=project_copy)

    def test_ragged_row(self, project_copy):
        edit_csv(project_copy, "esol_learners.csv", "2018/19,120490,", "2018/19,120490,x,")
        with pytest.raises(DataError, match=r"row 4 \(line 5\): expected 4 cells, found '5 cells'"):
            load("esol_learners", root=project_copy)


class TestLockData:
    def test_lock_data_records_only_changed_files_and_writes_no_data(self, project_copy):
        before = {p.name: p.read_bytes() for p in (project_copy / "data").glob("*.csv")}
        assert record_hashes(project_copy) == []
        edit_csv(project_copy, "esol_learners.csv", "110600", "110700", relock=False)
        assert record_hashes(project_copy) == ["data/esol_learners.csv"]
        after = {p.name: p.read_bytes() for p in (project_copy / "data").glob("*.csv")}
        assert [name for name in before if before[name] != after[name]] == ["esol_learners.csv"]

    def test_command_reports_what_it_relocked(self, project_copy):
        edit_csv(project_copy, "esol_learners.csv", "110600", "110800", relock=False)
        result = subprocess.run([sys.executable, "-m", "helpers.lockdata"], cwd=project_copy / "data",
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "new hashes recorded for data/esol_learners.csv" in result.stdout
        assert load("esol_learners", root=project_copy)["learners"].iloc[0] == 110800
