"""helpers.places and bookbuild.placepages: the place vocabulary (hierarchy, names, official areas), the
functions that read what each source says about a place, and the generation of one page per place.

Unit tests use small made-up frames; the data tests read the real files with the csv module; the last
classes change a copy of the project and check that the pages follow (a new place gets a page, an unknown
geography stops the build, a chart is drawn only when its data change)."""

from __future__ import annotations

import csv
import subprocess

import pandas as pd
import pytest

from bookbuild import placepages as pp
from helpers import places as vocabulary
from helpers.data import record_hashes
from tests.conftest import PROJECT_ROOT


def rows(name: str) -> list[dict]:
    with (PROJECT_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def places() -> pd.DataFrame:
    return pd.DataFrame({
        "place_id": ["country", "nation", "region", "authority", "county", "district", "city", "ward"],
        "name": ["Country", "Nation", "Region", "Authority", "County", "District", "City", "Ward"],
        "kind": ["country", "nation", "region", "mayoral combined authority", "county council", "shire district",
                 "metropolitan borough", "ward"],
        "level": ["country", "nation", "region", "authority", "council", "council", "council", "ward"],
        "parent_place_id": [pd.NA, "country", "nation", "region", "authority", "county", "authority", "city"],
    })


@pytest.fixture
def aliases() -> pd.DataFrame:
    return pd.DataFrame({
        "alias": ["Authority", "Authority Combined Authority", "City", "Ward", "City & Region", "City & Region",
                  "Region", "Abroad"],
        "place_id": ["authority", "authority", "city", "ward", "city", "region", "region", pd.NA],
        "not_a_place": [pd.NA] * 7 + ["A place abroad."],
    })


@pytest.fixture
def register() -> pd.DataFrame:
    return pd.DataFrame({
        "stat_id": ["s1", "s2", "s3", "s4", "s5"],
        "geography": ["authority combined  authority", "Ward", "Abroad", "City and Region", "Region"],
        "indicator": ["a", "b", "c", "d", "e"],
        "unit": ["percent", "percent", "count", "GBP", "count"],
    })


@pytest.fixture
def areas() -> pd.DataFrame:
    return pd.DataFrame({"place_id": ["county", "county", "city", "nation"],
                         "area_code": ["E07000001", "E07000002", "E08000001", "E92000001"]})


class TestNames:
    def test_names_match_ignoring_case_spaces_and_ampersand(self, aliases):
        assert vocabulary.places_for_geography(" AUTHORITY ", aliases) == ["authority"]
        assert vocabulary.places_for_geography("City and Region", aliases) == ["city", "region"]
        assert vocabulary.places_for_geography("Abroad", aliases) == []

    def test_a_name_marked_as_not_a_place_is_known_but_names_no_page(self, aliases, register):
        assert "abroad" not in vocabulary.alias_lookup(aliases)
        assert vocabulary.not_a_place_lookup(aliases) == {"abroad": "A place abroad."}
        assert vocabulary.unresolved_geographies(register, aliases) == []
        listed = vocabulary.unmatched_geographies(register, aliases)
        assert listed.to_dict("records") == [{"geography": "Abroad", "reason": "A place abroad.", "statistics": 1}]

    def test_an_unknown_geography_is_named(self, aliases, register, places):
        register = pd.concat([register, pd.DataFrame({"stat_id": ["s6"], "geography": ["Atlantis"],
                                                      "indicator": ["f"], "unit": ["count"]})])
        assert vocabulary.unresolved_geographies(register, aliases) == ["Atlantis"]
        problems = vocabulary.check_vocabulary(places, aliases, register)
        assert len(problems) == 1 and "'Atlantis'" in problems[0] and "not_a_place" in problems[0]

    def test_an_alias_row_must_give_a_place_or_a_reason_not_both_nor_neither(self, aliases):
        both = aliases.copy()
        both.loc[0, "not_a_place"] = "Also not a place."
        neither = aliases.copy()
        neither.loc[7, "not_a_place"] = pd.NA
        assert "both" in vocabulary.alias_problems(both)[0]
        assert "neither" in vocabulary.alias_problems(neither)[0]
        assert vocabulary.alias_problems(aliases) == []


class TestHierarchy:
    def test_descendants_and_ancestors_follow_every_level(self, places):
        assert vocabulary.descendants(places, "authority") == ["authority", "county", "district", "city", "ward"]
        assert vocabulary.ancestors(places, "ward") == ["city", "authority", "region", "nation", "country"]
        assert vocabulary.children(places, "authority") == ["county", "city"]

    def test_a_loop_of_parents_is_refused(self, places):
        looped = places.assign(parent_place_id=["ward", "country", "nation", "region", "authority", "county",
                                                "authority", "city"])
        with pytest.raises(ValueError, match="loop"):
            vocabulary.descendants(looped, "country")
        assert any("loop" in p for p in vocabulary.hierarchy_problems(looped))

    def test_a_parent_must_be_at_a_higher_level_but_a_district_may_sit_in_its_county(self, places):
        assert vocabulary.hierarchy_problems(places) == []
        wrong = places.copy()
        wrong.loc[wrong["place_id"] == "region", "parent_place_id"] = "city"
        assert any("'region' (region) lies within 'city' (council)" in p for p in vocabulary.hierarchy_problems(wrong))

    def test_only_the_country_has_no_parent(self, places):
        orphan = places.copy()
        orphan.loc[orphan["place_id"] == "region", "parent_place_id"] = pd.NA
        assert any("one place with no parent" in p for p in vocabulary.hierarchy_problems(orphan))

    def test_a_page_gathers_what_lies_within_and_above_up_to_the_authority(self, places):
        scope = vocabulary.page_scope(places, "city")
        assert scope == {"city": vocabulary.THIS, "ward": vocabulary.WITHIN, "authority": vocabulary.ABOVE}
        assert vocabulary.page_scope(places, "region") == {"region": vocabulary.THIS}
        assert vocabulary.covered(places, "authority") == ["authority", "county", "district", "city", "ward"]

    def test_a_place_gets_the_statistics_of_the_places_it_covers(self, register, aliases, places):
        assert vocabulary.statistics_for_place(register, aliases, places, "authority")["stat_id"].tolist() == \
            ["s1", "s2", "s4"]
        # A region's page lists only what names the region itself.
        assert vocabulary.statistics_for_place(register, aliases, places, "region")["stat_id"].tolist() == ["s4", "s5"]


class TestOfficialAreas:
    def test_a_council_has_its_own_areas_and_an_authority_sums_those_within_it(self, places, areas):
        assert vocabulary.area_codes(places, areas, "county") == ["E07000001", "E07000002"]
        assert vocabulary.area_codes(places, areas, "district") == []
        assert vocabulary.area_codes(places, areas, "authority") == ["E07000001", "E07000002", "E08000001"]
        assert vocabulary.summed_over(places, areas, "authority") == ["county", "city"]
        assert vocabulary.summed_over(places, areas, "county") == []

    def test_regions_and_nations_are_not_summed(self, places, areas):
        assert vocabulary.area_codes(places, areas, "region") == []
        assert vocabulary.area_codes(places, areas, "nation") == ["E92000001"]  # its own row

    def test_proficiency_sums_counts_before_taking_shares(self):
        census = pd.DataFrame({"geography_code": ["A", "B"], "residents_aged_3_plus": [100, 300],
                               "main_language_english": [90, 270], "speaks_very_well": [4, 12],
                               "speaks_well": [3, 9], "cannot_speak_well": [2, 6], "cannot_speak": [1, 3]})
        figures = vocabulary.proficiency(census, ["A", "B"])
        assert figures["residents"] == 400 and figures["counts"]["cannot_speak"] == 4
        assert figures["not_well_or_not_at_all"] == pytest.approx(3.0)
        assert vocabulary.proficiency(census, ["A", "C"]) is None  # an area the extract lacks: no figure

    def test_leave_shares_and_the_gap(self):
        referendum = pd.DataFrame({"area_code": ["A", "B"], "area": ["A", "B"], "leave": [60, 30],
                                   "valid_votes": [100, 100]})
        assert vocabulary.leave(referendum, ["A", "B"])["share"] == pytest.approx(45.0)
        assert vocabulary.leave_shares(referendum, ["A", "B"])["area"].tolist() == ["A", "B"]


class TestSources:
    def test_discrepancy_flags_use_the_category_column_when_it_exists(self):
        frame = pd.DataFrame({"discrepancy_id": ["d1"], "report": ["r"], "claim": ["c"], "evidence": ["e"],
                              "stat_ids": ["s1 s2"], "kind": ["internal"], "category": ["rounding"]})
        flags = vocabulary.flags_from(frame)
        assert flags["stat_id"].tolist() == ["s1", "s2"] and set(flags["category"]) == {"rounding"}
        assert set(flags["label"]) == {"rounding"}

    def test_discrepancy_flags_fall_back_to_the_kind_column(self):
        frame = pd.DataFrame({"discrepancy_id": ["d1"], "report": ["r"], "claim": ["c"], "evidence": ["e"],
                              "stat_ids": ["s1"], "kind": ["internal"]})
        assert vocabulary.flags_from(frame)["label"].tolist() == ["the report disagrees with itself"]

    def test_every_source_names_places_of_the_vocabulary(self):
        known = {p["place_id"] for p in rows("places")}
        for read in (vocabulary.passages, vocabulary.asks, vocabulary.engagement_evidence, vocabulary.case_studies,
                     vocabulary.hartman_initiatives, vocabulary.morris_initiatives):
            assert sorted(set(read(PROJECT_ROOT)["place_id"]) - known) == [], read.__name__

    def test_the_2021_briefings_own_place_ids_resolve_by_name(self):
        morris = vocabulary.morris_initiatives(PROJECT_ROOT)
        assert "sheffield-city-region" not in set(morris["place_id"])


class TestTheVocabularyAsCommitted:
    """The real files, read with the csv module."""

    def test_levels_kinds_and_the_single_top(self):
        places = rows("places")
        assert [p["place_id"] for p in places if not p["parent_place_id"]] == ["united-kingdom"]
        assert vocabulary.hierarchy_problems(pd.DataFrame(places).replace("", pd.NA)) == []

    def test_every_register_geography_is_a_place_or_marked_as_not_one(self):
        register, aliases = pd.DataFrame(rows("statistics")), pd.DataFrame(rows("place_aliases")).replace("", pd.NA)
        assert vocabulary.unresolved_geographies(register, aliases) == []
        assert vocabulary.alias_problems(aliases) == []

    def test_every_member_council_of_every_profiled_authority_has_a_page(self):
        from bookbuild.extracts import AREAS
        places = {p["place_id"]: p for p in rows("places")}
        linked = {a["area_code"]: a["place_id"] for a in rows("place_areas")}
        census = {r["geography_name"]: r["geography_code"] for r in rows("census2021_english_proficiency")}
        for authority, names in AREAS.items():
            for name in names:
                place = linked[census[name]]
                assert authority in vocabulary.ancestors(pd.DataFrame(list(places.values())), place) \
                    or place == authority, (name, place)

    def test_every_official_area_belongs_to_exactly_one_place(self):
        codes = [a["area_code"] for a in rows("place_areas")]
        census = [r["geography_code"] for r in rows("census2021_english_proficiency")]
        assert sorted(codes) == sorted(census)

    def test_the_places_the_reports_quote_below_council_level_are_there(self):
        places = {p["place_id"]: p for p in rows("places")}
        for ward, council in [("cheetham", "manchester"), ("longsight", "manchester"), ("wisbech", "fenland"),
                              ("gorton", "manchester"), ("handsworth", "birmingham")]:
            assert places[ward]["level"] == "ward" and places[ward]["parent_place_id"] == council

    def test_the_east_midlands_counties_sum_their_districts(self):
        linked = [a["place_id"] for a in rows("place_areas")]
        assert linked.count("derbyshire") == 8 and linked.count("nottinghamshire") == 7
        members = [p["place_id"] for p in rows("places") if p["parent_place_id"] == "east-midlands"]
        assert members == ["derby", "nottingham", "derbyshire", "nottinghamshire"]

    def test_greater_manchester_sums_its_ten_boroughs_and_its_leave_gap_is_the_reports(self):
        tables = vocabulary.OfficialTables.load(PROJECT_ROOT)
        census = {r["geography_name"]: r for r in rows("census2021_english_proficiency")}
        boroughs = ["Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside",
                    "Trafford", "Wigan"]
        residents = sum(int(census[b]["residents_aged_3_plus"]) for b in boroughs)
        assert tables.proficiency("greater-manchester")["residents"] == residents
        assert round(tables.measure("referendum2016-leave-gap", "greater-manchester"), 1) == 24.3


class TestCharts:
    def bars(self, value=3.0):
        return [pp.Bar("Here, 2021", value, f"{value}%", pp.OWN), pp.Bar("England, 2021", 1.9, "1.9%", pp.OTHER)]

    def publish(self, store, name="place-here-english", value=3.0) -> bytes:
        path = store.svg(name, self.bars(value), "% of residents")
        store.finish()
        return path.read_bytes()

    def test_a_chart_is_drawn_once_and_reused_while_its_data_are_unchanged(self, tmp_path):
        store = pp.ChartStore(tmp_path)
        first = self.publish(store)
        self.publish(store)
        assert (store.drawn, store.reused) == (1, 1)
        # Emptying the generated folder (as a data edit does) does not force a redraw.
        (tmp_path / "_build" / "generated" / "place-here-english.svg").unlink()
        assert self.publish(store) == first
        assert store.drawn == 1
        self.publish(store, value=3.5)
        assert store.drawn == 2

    def test_many_charts_are_drawn_in_parallel_and_equal_those_drawn_one_by_one(self, tmp_path):
        serial, parallel = pp.ChartStore(tmp_path / "serial"), pp.ChartStore(tmp_path / "parallel")
        one_by_one = [self.publish(serial, f"c{i}", 1.0 + i) for i in range(pp.PARALLEL_FROM)]
        paths = [parallel.svg(f"c{i}", self.bars(1.0 + i), "% of residents") for i in range(pp.PARALLEL_FROM)]
        parallel.finish()
        assert [p.read_bytes() for p in paths] == one_by_one and parallel.drawn == pp.PARALLEL_FROM

    def test_unused_charts_are_pruned(self, tmp_path):
        self.publish(pp.ChartStore(tmp_path), "a")
        later = pp.ChartStore(tmp_path)
        self.publish(later, "a", 4.0)
        later.prune()
        assert len(list((tmp_path / pp.CHART_CACHE).glob("*.svg"))) == 1

    def test_every_bar_needs_a_label(self, tmp_path):
        with pytest.raises(ValueError, match="label"):
            pp.ChartStore(tmp_path).svg("a", [pp.Bar(" ", 1.0, "1%", pp.OWN)], "x")


class TestFormatting:
    def test_counted(self):
        assert pp.counted(1, "statistic") == "1 statistic"
        assert pp.counted(0, "passage") == "0 passages"

    def test_shares_keep_two_decimals_below_one_percent(self):
        assert pp.share_text(3.8211) == "3.8%"
        assert pp.share_text(0.1349) == "0.13%"
        assert pp.share_text(None) == "not held"

    def test_joined(self):
        assert pp.joined(["A"]) == "A" and pp.joined(["A", "B", "C"]) == "A, B and C"


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


class TestChangingTheData:
    def test_a_new_place_row_gets_a_page_with_its_statistics(self, project_copy):
        data = project_copy / "data"
        with (data / "places.csv").open("a", encoding="utf-8") as handle:
            handle.write("test-town,Test Town,town,ward,oldham\n")
        with (data / "place_aliases.csv").open("a", encoding="utf-8") as handle:
            handle.write("Gorton,test-town,\n")
        record_hashes(project_copy)
        pages = pp.build_pages(project_copy)
        pp.write_pages(project_copy, pages)
        page = (project_copy / pp.PAGES_DIR / "test-town.md").read_text(encoding="utf-8")
        assert page.startswith(pp.GENERATED_MARK) and "# Test Town" in page
        assert "katwala2017-gm-gorton-copd" in page  # a statistic whose geography now names the new place
        assert "test-town" in pages["oldham"]  # the parent links to its new child
        assert "greater-manchester" in page  # and the child shows what is said about its authority

    def test_an_unknown_geography_stops_the_pages_naming_it(self, project_copy):
        path = project_copy / "data" / "statistics.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",Wisbech,", ",Wisbeach,", 1), encoding="utf-8")
        record_hashes(project_copy)
        with pytest.raises(vocabulary.VocabularyError, match="'Wisbeach'"):
            pp.build_pages(project_copy)


class TestPlacePagesAreNeverCommitted:
    def test_the_folder_is_ignored_and_holds_no_tracked_file(self):
        git = ["git", "-C", str(PROJECT_ROOT)]
        if subprocess.run([*git, "rev-parse"], capture_output=True).returncode != 0:
            pytest.skip("not a git checkout")
        tracked = subprocess.run([*git, "ls-files", pp.PAGES_DIR.as_posix()], capture_output=True, text=True)
        assert tracked.stdout.strip() == ""
        ignored = subprocess.run([*git, "check-ignore", "-q", (pp.PAGES_DIR / "any-place.md").as_posix()])
        assert ignored.returncode == 0
