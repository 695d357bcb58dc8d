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

from bookbuild import build
from helpers.data import DataError, file_hash, load, read_descriptor, record_hashes, validate_package
from tests.conftest import PROJECT_ROOT

RESOURCE_NAMES = [r["name"] for r in read_descriptor(PROJECT_ROOT)["resources"]]


def edit_csv(root: Path, name: str, old: str, new: str, *, relock: bool = True) -> Path:
    """Replace ``old`` (which must occur once) by ``new`` in a copied data file and, by default, write its new
    hash into the descriptor by hand (``make lock-data`` refuses a broken file, so it cannot be used here):
    the checks after the hash are what these tests are about."""
    path = root / "data" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test set-up: {old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if relock:
        descriptor_path = root / "data" / "datapackage.json"
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        next(r for r in descriptor["resources"] if r["path"] == name)["hash"] = file_hash(path)
        descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
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
        learners = load("esol_learners", root=project_copy).set_index("academic_year")["learners"]
        assert learners["2015/16"] == 110601

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
        edit_csv(project_copy, "esol_learners.csv", path.read_text(encoding="utf-8"),
                 frame.to_csv(index=False, lineterminator="\n"))
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
        first, second = (line_of(project_copy, "esol_learners.csv", year) for year in ("2016/17,", "2017/18,"))
        edit_csv(project_copy, "esol_learners.csv", "2017/18,114300", "2016/17,114300")
        with pytest.raises(DataError, match=rf"row {second - 1} \(line {second}\), column 'academic_year': "
                                            rf"expected a unique value \(row {first - 1}"):
            load("esol_learners", root=project_copy)

    def test_padded_text_is_not_trimmed_silently(self, project_copy):
        edit_csv(project_copy, "statistics.csv", "morris2021-wm-nrpf-grace-period,morris2021,", "morris2021-wm-nrpf-grace-period,morris2021, ")
        with pytest.raises(DataError, match=r"column 'section': expected text without leading or trailing spaces"):
            load("statistics", root=project_copy)

    def test_ragged_row(self, project_copy):
        line = line_of(project_copy, "esol_learners.csv", "2018/19,")
        edit_csv(project_copy, "esol_learners.csv", "2018/19,120490,", "2018/19,120490,x,")
        with pytest.raises(DataError, match=rf"row {line - 1} \(line {line}\): expected 6 cells, found '7 cells'"):
            load("esol_learners", root=project_copy)


class TestForeignKeys:
    def test_a_place_that_is_not_in_the_vocabulary_is_named(self, project_copy):
        line = line_of(project_copy, "place_mentions.csv", ",oldham,")
        edit_csv(project_copy, "place_mentions.csv", ",oldham,", ",oldhma,")
        with pytest.raises(DataError) as caught:
            load("place_mentions", root=project_copy)
        message = str(caught.value)
        assert f"data/place_mentions.csv, row {line - 1} (line {line}), column 'place_id'" in message
        assert "expected a place_id listed in data/places.csv, found 'oldhma'" in message

    def test_a_self_reference_must_name_a_row_of_the_same_file(self, project_copy):
        edit_csv(project_copy, "places.csv", "oldham,Oldham,metropolitan borough,council,greater-manchester",
                 "oldham,Oldham,metropolitan borough,council,greater-manchestr")
        with pytest.raises(DataError, match=r"column 'parent_place_id': expected a place_id listed in this file, "
                                            r"found 'greater-manchestr'"):
            load("places", root=project_copy)

    def test_the_whole_package_is_checked_at_once(self, project_copy):
        edit_csv(project_copy, "place_mentions.csv", ",oldham,", ",oldhma,")
        edit_csv(project_copy, "esol_learners.csv", "114400", "114400.5")
        problems = validate_package(project_copy)
        assert len(problems) == 2
        assert any("oldhma" in p for p in problems) and any("114400.5" in p for p in problems)

    def test_every_place_key_column_is_checked_against_the_vocabulary(self):
        """A column holding a place id (place_id, parent_place_id, *_place_id, authority_id of a profiled
        authority) carries a foreign key to places, directly or through a table that has one."""
        resources = {r["name"]: r for r in read_descriptor(PROJECT_ROOT)["resources"]}

        def reaches_places(resource: str, column: str, seen=()) -> bool:
            for fk in resources[resource]["schema"].get("foreignKeys", []):
                if fk["fields"] == [column]:
                    target = fk["reference"]["resource"] or resource
                    target_column = fk["reference"]["fields"][0]
                    return target == "places" or (target not in seen and
                                                  reaches_places(target, target_column, seen + (resource,)))
            return resource == "places" and column == "place_id"

        unchecked = [(name, field["name"]) for name, resource in resources.items()
                     for field in resource["schema"]["fields"]
                     if (field["name"] == "place_id" or field["name"].endswith("_place_id"))
                     and not reaches_places(name, field["name"])]
        assert unchecked == []

    def test_the_real_package_passes(self):
        assert validate_package(PROJECT_ROOT) == []


class TestTheBuildChecksTheDataFirst:
    """`make book` runs bookbuild.build, which checks the package before any notebook runs."""

    def test_a_non_numeric_value_stops_the_build_with_one_message(self, project_copy):
        line = line_of(project_copy, "statistics.csv", "morris2021-esol-funding-2016-17")
        edit_csv(project_copy, "statistics.csv", "2016/17,99,GBP million", "2016/17,ninety-nine,GBP million")
        result = build.run(project_copy)
        assert result.returncode == 1
        last_lines = "\n".join((result.stdout + result.stderr).strip().splitlines()[-4:])
        assert f"data/statistics.csv, row {line - 1} (line {line}), column 'value'" in last_lines
        assert "expected a plain number" in last_lines and "'ninety-nine'" in last_lines
        assert "prefill" not in result.stdout and "Traceback" not in result.stderr
        assert not (project_copy / "_build" / "html").exists()

    def test_a_broken_foreign_key_stops_the_build(self, project_copy):
        edit_csv(project_copy, "place_mentions.csv", ",oldham,", ",oldhma,")
        result = build.run(project_copy)
        assert result.returncode == 1
        assert "found 'oldhma'" in "\n".join(result.stderr.strip().splitlines()[-4:])


class TestLockData:
    def test_lock_data_refuses_a_file_that_breaks_its_schema(self, project_copy):
        descriptor = (project_copy / "data" / "datapackage.json").read_bytes()
        edit_csv(project_copy, "statistics.csv", "2016/17,99,GBP million", "2016/17,\"9,9\",GBP million",
                 relock=False)
        result = subprocess.run([sys.executable, "-m", "bookbuild.lockdata"], cwd=project_copy,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        assert "data/statistics.csv, row" in result.stderr and "column 'value'" in result.stderr
        assert "'9,9'" in result.stderr
        assert (project_copy / "data" / "datapackage.json").read_bytes() == descriptor

    def test_lock_data_refuses_a_broken_foreign_key(self, project_copy):
        descriptor = (project_copy / "data" / "datapackage.json").read_bytes()
        edit_csv(project_copy, "place_mentions.csv", ",oldham,", ",oldhma,", relock=False)
        with pytest.raises(DataError, match="found 'oldhma'"):
            record_hashes(project_copy)
        assert (project_copy / "data" / "datapackage.json").read_bytes() == descriptor

    def test_lock_data_records_only_changed_files_and_writes_no_data(self, project_copy):
        before = {p.name: p.read_bytes() for p in (project_copy / "data").glob("*.csv")}
        assert record_hashes(project_copy) == []
        edit_csv(project_copy, "esol_learners.csv", "110600", "110700", relock=False)
        assert record_hashes(project_copy) == ["data/esol_learners.csv"]
        after = {p.name: p.read_bytes() for p in (project_copy / "data").glob("*.csv")}
        assert [name for name in before if before[name] != after[name]] == ["esol_learners.csv"]

    def test_command_reports_what_it_relocked(self, project_copy):
        edit_csv(project_copy, "esol_learners.csv", "110600", "110800", relock=False)
        result = subprocess.run([sys.executable, "-m", "bookbuild.lockdata"], cwd=project_copy / "data",
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "new hashes recorded for data/esol_learners.csv" in result.stdout
        assert load("esol_learners", root=project_copy).set_index("academic_year")["learners"]["2015/16"] == 110800
