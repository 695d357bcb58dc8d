"""helpers.katwala: census shares with stated denominators, and the evidence behind the discrepancy register."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import katwala


def test_percent_and_zero_denominator():
    assert katwala.percent(1, 4) == 25.0
    with pytest.raises(ZeroDivisionError):
        katwala.percent(1, 0)


@pytest.mark.parametrize("value, decimals, expected", [
    (0.25, 1, 0.3), (13.877, 1, 13.9), (36.55, 1, 36.6), (168018, -4, 170000), (165000, -4, 170000),
    (2.5, 0, 3.0), (-2.5, 0, -3.0), (13.48, 0, 13.0),
])
def test_round_half_up(value, decimals, expected):
    assert katwala.round_half_up(value, decimals) == pytest.approx(expected)


def test_ethnicity_shares_use_all_residents_as_denominator():
    frame = pd.DataFrame({"geography_name": ["A"], "all_usual_residents": [200], "white": [150],
                          "white_british": [120], "pakistani": [20], "bangladeshi": [10]})
    out = katwala.ethnicity_shares(frame).iloc[0]
    assert (out["pakistani_pct"], out["bangladeshi_pct"]) == (10.0, 5.0)
    assert (out["not_white"], out["not_white_pct"], out["not_white_british_pct"]) == (50, 25.0, 40.0)


def economic_frame(part_time, full_time, self_employed, total=1000):
    return pd.DataFrame({
        "geography_name": ["A"], "residents_16_to_74": [total], "employee_part_time": [part_time],
        "employee_full_time": [full_time], "self_employed_with_employees_part_time": [0],
        "self_employed_with_employees_full_time": [self_employed], "self_employed_without_employees_part_time": [0],
        "self_employed_without_employees_full_time": [0], "unemployed": [5], "full_time_student_active": [7]})


def test_employment_counts_employees_and_self_employed_only():
    out = katwala.employment_rates(economic_frame(100, 300, 50)).iloc[0]
    assert out["in_employment"] == 450
    assert out["employment_pct"] == 45.0
    assert out["self_employed_pct"] == 5.0


def test_sum_of_rounded_parts_can_differ_from_the_rate_of_the_total():
    # 13.86 + 36.56 + 7.78 = 58.20, but 13.9 + 36.6 + 7.8 = 58.3
    out = katwala.employment_rates(economic_frame(1386, 3656, 778, total=10000)).iloc[0]
    assert out["employment_pct"] == pytest.approx(58.2)
    assert out["sum_of_rounded_parts_pct"] == pytest.approx(58.3)


def test_proficiency_shares_use_residents_aged_3_plus():
    frame = pd.DataFrame({"geography_name": ["A"], "residents_aged_3_plus": [1000], "cannot_speak_well": [30],
                          "cannot_speak": [10]})
    out = katwala.proficiency_shares(frame).iloc[0]
    assert out["cannot_speak_pct"] == 1.0
    assert out["not_well_or_cannot_pct"] == 4.0


def test_row_for_needs_exactly_one_match():
    frame = pd.DataFrame({"geography_name": ["A", "B", "B"]})
    assert katwala.row_for(frame, "A")["geography_name"] == "A"
    with pytest.raises(KeyError, match="found 2"):
        katwala.row_for(frame, "B")
    with pytest.raises(KeyError, match="found 0"):
        katwala.row_for(frame, "C")


def test_councils_named_counts_only_the_kind_stated():
    authorities = pd.DataFrame({"authority_id": ["x", "y"], "combined_authority": ["X", "Y"],
                                "members_stat_id": ["r-x", "r-y"], "counted_kind": ["all", "shire district"]})
    members = pd.DataFrame({
        "authority_id": ["x", "x", "x", "y", "y"], "local_authority": ["a", "b", "c", "d", "e"],
        "council_kind": ["unitary", "unitary", "unitary", "shire district", "unitary"],
        "named_in_key_facts": [True, True, False, True, True]})
    register = pd.DataFrame({"stat_id": ["r-x", "r-y"], "value": [3.0, 1.0]})
    out = katwala.councils_named(authorities, members, register).set_index("combined_authority")
    assert (out.loc["X", "stated"], out.loc["X", "named"], out.loc["X", "missing"]) == (3.0, 2, "c")
    assert (out.loc["Y", "stated"], out.loc["Y", "named"], out.loc["Y", "missing"]) == (1.0, 1, "")


def test_every_described_check_and_unknown_check():
    assert "factor of 1,000" in katwala.describe_evidence(
        "health-budget", {"key_facts_gbp": 6e6, "text_gbp": 6e9, "ratio": 1000.0})
    assert katwala.describe_evidence("councils-named", {"stated": 10, "named": 9, "missing": "S"}) == \
        "10 stated, 9 named; missing: S"
    with pytest.raises(KeyError, match="no description"):
        katwala.describe_evidence("nonsense", {})
