"""helpers.esol: the briefing's real-terms points beside the cash series, on small made-up tables."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import esol


@pytest.fixture
def register() -> pd.DataFrame:
    return pd.DataFrame({
        "stat_id": list(esol.REAL_TERMS_STATS),
        "period": ["2009/10", "2016/17"],
        "value": [120.0, 60.0],
    })


@pytest.fixture
def funding() -> pd.DataFrame:
    return pd.DataFrame({"academic_year": ["2008/09", "2009/10", "2016/17"], "amount_gbp_million": [110.0, 100.0, 60.0]})


class TestFundingComparison:
    def test_real_and_cash_changes(self, register, funding):
        table = esol.funding_comparison(register, funding).set_index("basis")
        assert table.loc["2016/17 prices", "percent_change"] == pytest.approx(-50.0)
        assert table.loc["cash", "percent_change"] == pytest.approx(-40.0)
        assert table.loc["cash", "from_gbp_million"] == 100.0

    def test_price_factor_is_real_over_cash_in_the_first_year(self, register, funding):
        assert esol.implied_price_factor(register, funding) == pytest.approx(1.2)

    def test_missing_cash_year_is_named(self, register, funding):
        with pytest.raises(KeyError, match="0 rows for 2009/10"):
            esol.funding_comparison(register, funding[funding["academic_year"] != "2009/10"])
