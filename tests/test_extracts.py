"""bookbuild.extracts: the official-figure extracts in data/ are exactly what the recipe takes from the
reference copies of the published tables (and the recipe refuses a table that lacks an area it expects)."""

from __future__ import annotations

import pytest

from bookbuild import extracts
from tests.conftest import PROJECT_ROOT
from tests.report_text import PRIMARY_DIR, SKIP_REASON, shared_missing


@pytest.mark.skipif(shared_missing(PRIMARY_DIR), reason=SKIP_REASON)
class TestAgainstTheReferenceCopies:
    @pytest.mark.parametrize("name", ["census2021_english_proficiency.csv", "eu_referendum_2016.csv"])
    def test_the_committed_extract_is_the_recipe_applied(self, name):
        assert extracts.extracts(PROJECT_ROOT)[name] == (PROJECT_ROOT / "data" / name).read_text(encoding="utf-8")

    def test_every_area_of_every_profiled_authority_is_in_both(self):
        census = extracts.extracts(PROJECT_ROOT)["census2021_english_proficiency.csv"]
        referendum = extracts.extracts(PROJECT_ROOT)["eu_referendum_2016.csv"]
        names = [name for members in extracts.AREAS.values() for name in members]
        assert [n for n in names if f",{n}," not in census and f',"{n}",' not in census] == []
        assert [n for n in names if f",{n}," not in referendum and f',"{n}",' not in referendum] == []
        assert census.count("\nE09") == referendum.count("\nE09") == 33

    def test_englands_referendum_row_sums_the_english_counting_areas(self):
        table = extracts.read_table(PRIMARY_DIR / extracts.REFERENDUM)
        english = [row for row in table if row["Area_Code"].startswith("E")]
        row = extracts.england_referendum_row(table)
        assert len(english) == 326 and "Gibraltar" not in {r["Area"] for r in english}
        assert int(row["leave"]) == sum(int(r["Leave"]) for r in english)
        assert int(row["valid_votes"]) == sum(int(r["Valid_Votes"]) for r in english)
        assert row["area_code"] == extracts.ENGLAND_CODE and "326" in row["basis"]

    def test_the_other_councils_the_reports_name_are_in_both(self):
        extracted = extracts.extracts(PROJECT_ROOT)
        for name in ["Brighton and Hove", "Cardiff", "Newport", "North Somerset"]:
            assert f",{name}," in extracted["census2021_english_proficiency.csv"]
            assert f",{name}," in extracted["eu_referendum_2016.csv"]


class TestRecipe:
    def test_englands_row_needs_every_english_area(self):
        rows = [{"Area_Code": "E08000001", "Area": "Bolton", "Region": "North West", "Electorate": "1",
                 "Valid_Votes": "1", "Remain": "0", "Leave": "1", "Pct_Leave": "100"}]
        with pytest.raises(extracts.ExtractError, match="326"):
            extracts.england_referendum_row(rows)

    def test_an_area_the_table_lacks_is_named(self):
        rows = [{"Area": "Bolton", "Area_Code": "E08000001"}]
        with pytest.raises(extracts.ExtractError, match="not in the table: .*'Bury'"):
            extracts.wanted_codes(rows, "Area", "Area_Code")
