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


class TestRecipe:
    def test_an_area_the_table_lacks_is_named(self):
        rows = [{"Area": "Bolton", "Area_Code": "E08000001"}]
        with pytest.raises(extracts.ExtractError, match="not in the table: .*'Bury'"):
            extracts.wanted_codes(rows, "Area", "Area_Code")
