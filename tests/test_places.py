"""helpers.places and bookbuild.placepages: matching register geographies to places, and generating one page per place.

Unit tests use small made-up frames; the last class adds a place to a copy of the project and checks
that a page appears without anyone writing one."""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest

from bookbuild import placepages as pp
from helpers.data import record_hashes


@pytest.fixture
def places() -> pd.DataFrame:
    return pd.DataFrame({
        "place_id": ["region", "city", "ward", "other"],
        "name": ["Region", "City", "Ward", "Other"],
        "kind": ["mayoral combined authority", "local authority", "local authority", "region"],
        "parent_place_id": [pd.NA, "region", "city", pd.NA],
    })


@pytest.fixture
def aliases() -> pd.DataFrame:
    return pd.DataFrame({
        "alias": ["Region", "Region Combined Authority", "City", "Ward", "City & Other", "City & Other"],
        "place_id": ["region", "region", "city", "ward", "city", "other"],
    })


@pytest.fixture
def register() -> pd.DataFrame:
    return pd.DataFrame({
        "stat_id": ["s1", "s2", "s3", "s4", "s5"],
        "geography": ["region combined  authority", "Ward", "England", "City and Other", "Other place"],
        "unit": ["percent", "percent", "count", "GBP", "count"],
    })


class TestMatching:
    def test_names_match_ignoring_case_spaces_and_ampersand(self, aliases):
        assert pp.places_for_geography(" REGION ", aliases) == ["region"]
        assert pp.places_for_geography("City and Other", aliases) == ["city", "other"]
        assert pp.places_for_geography("Nowhere", aliases) == []

    def test_descendants_follow_parents_down_every_level(self, places):
        assert pp.descendants(places, "region") == ["region", "city", "ward"]
        assert pp.descendants(places, "ward") == ["ward"]

    def test_a_loop_of_parents_is_refused(self, places):
        looped = places.assign(parent_place_id=["ward", "region", "city", pd.NA])
        with pytest.raises(ValueError, match="loop"):
            pp.descendants(looped, "other")

    def test_a_place_gets_its_own_and_its_childrens_statistics(self, register, aliases, places):
        assert pp.statistics_for_place(register, aliases, places, "region")["stat_id"].tolist() == ["s1", "s2", "s4"]
        assert pp.statistics_for_place(register, aliases, places, "other")["stat_id"].tolist() == ["s4"]

    def test_unmatched_geographies_are_counted(self, register, aliases):
        unmatched = pp.unmatched_geographies(register, aliases)
        assert unmatched.to_dict("records") == [{"geography": "England", "statistics": 1},
                                                {"geography": "Other place", "statistics": 1}]


class TestFormatting:

    def test_chart_unit_is_the_most_common(self, register):
        assert pp.chart_unit(register) == "percent"
        assert pp.chart_unit(register.iloc[0:0]) is None

    def test_counted(self):
        assert pp.counted(1, "statistic") == "1 statistic"
        assert pp.counted(0, "passage") == "0 passages"


class TestWritePages:
    def test_writes_changed_pages_only_and_deletes_stale_generated_ones(self, tmp_path):
        first = pp.write_pages(tmp_path, {"a": pp.GENERATED_MARK + "\nA", "b": pp.GENERATED_MARK + "\nB"})
        assert first == ["a", "b"]
        hand_written = tmp_path / pp.PAGES_DIR / "notes.md"
        hand_written.write_text("written by hand")
        again = pp.write_pages(tmp_path, {"a": pp.GENERATED_MARK + "\nA changed"})
        assert again == ["a"]
        names = sorted(p.name for p in (tmp_path / pp.PAGES_DIR).glob("*.md"))
        assert names == ["a.md", "notes.md"]  # b was generated and is gone; the hand-written file is kept


class TestAddingAPlaceIsAddingRows:
    def test_a_new_place_row_gets_a_page_with_its_statistics(self, project_copy):
        data = project_copy / "data"
        with (data / "places.csv").open("a", encoding="utf-8") as handle:
            handle.write("test-town,Test Town,local authority,greater-manchester\n")
        with (data / "place_aliases.csv").open("a", encoding="utf-8") as handle:
            handle.write("United Kingdom,test-town\n")
        record_hashes(project_copy)
        pages = pp.build_pages(project_copy)
        pp.write_pages(project_copy, pages)
        page = (project_copy / pp.PAGES_DIR / "test-town.md").read_text(encoding="utf-8")
        assert page.startswith(pp.GENERATED_MARK) and "# Test Town" in page
        assert "UK Community Renewal Fund" in page  # a statistic whose geography is the United Kingdom
        assert "test-town" in pages["greater-manchester"]  # the parent links to its new child


class TestPlacePagesAreNeverCommitted:
    def test_the_folder_is_ignored_and_holds_no_tracked_file(self):
        from tests.conftest import PROJECT_ROOT
        git = ["git", "-C", str(PROJECT_ROOT)]
        if subprocess.run([*git, "rev-parse"], capture_output=True).returncode != 0:
            pytest.skip("not a git checkout")
        tracked = subprocess.run([*git, "ls-files", pp.PAGES_DIR.as_posix()], capture_output=True, text=True)
        assert tracked.stdout.strip() == ""
        ignored = subprocess.run([*git, "check-ignore", "-q", (pp.PAGES_DIR / "any-place.md").as_posix()])
        assert ignored.returncode == 0
