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


class TestCategories:
    def test_labels_for_the_four_categories_and_an_unknown_one(self):
        assert [katwala.category_label(c) for c in ("error", "rounding", "definition-or-vintage", "cannot-verify")] \
            == ["error in the report", "rounding", "definition or vintage", "cannot be verified"]
        with pytest.raises(KeyError, match="unknown discrepancy category"):
            katwala.category_label("wrong")

    def test_categories_by_statistic_joins_different_categories_once(self):
        rows = pd.DataFrame({"stat_ids": ["a b", "b", "c"], "category": ["error", "rounding", "error"]})
        assert katwala.categories_by_statistic(rows) == {"a": "error", "b": "error and rounding", "c": "error"}
        same = pd.DataFrame({"stat_ids": ["a", "a"], "category": ["cannot-verify", "cannot-verify"]})
        assert katwala.categories_by_statistic(same) == {"a": "cannot-verify"}

    def test_flagged_adds_the_label_only_to_a_flagged_statistic(self):
        cats = {"x": "error", "y": "error and rounding"}
        assert katwala.flagged("16.7", "x", cats) == "16.7 (error in the report)"
        assert katwala.flagged("5", "y", cats) == "5 (error in the report and rounding)"
        assert katwala.flagged("24.3", "z", cats) == "24.3"


def referendum_frame():
    return pd.DataFrame({"area_code": ["E1", "E2", "E3", "E4"], "area": ["A.", "B", "C", "D"],
                         "valid_votes": [1000, 1000, 3000, 100], "leave": [674, 500, 1503, 50],
                         "pct_leave": [67.4, 50.0, 50.1, 50.0]})


def members_frame():
    return pd.DataFrame({"authority_id": ["x", "x", "x", "x"], "local_authority": ["County", "A", "B", "C"],
                         "area_code": ["E10", "E1", "E2", "E3"],
                         "council_kind": ["county", "unitary", "unitary", "unitary"],
                         "named_in_key_facts": [True] * 4})


class TestReferendum:
    def test_leave_shares_skip_the_county_and_round_half_up(self):
        out = katwala.leave_shares(referendum_frame(), members_frame())
        assert out["local_authority"].tolist() == ["A", "B", "C"]
        assert out["leave_share"].tolist() == pytest.approx([67.4, 50.0, 50.1])
        assert out["leave_share_1dp"].tolist() == pytest.approx([67.4, 50.0, 50.1])

    def test_leave_shares_fail_loudly_for_a_member_without_a_result(self):
        members = members_frame().assign(area_code=["E10", "E1", "E2", "E9"])
        with pytest.raises(KeyError, match="C"):
            katwala.leave_shares(referendum_frame(), members)

    @pytest.mark.parametrize("quoted, gap, rounded, verdict", [
        (45.2, 45.238, 45.2, "fits both ways"),
        (17.5, 17.4407, 17.5, "fits only from shares rounded to one decimal"),
        (17.4, 17.4407, 17.5, "fits only from unrounded shares"),
        (16.7, 16.2172, 16.2, "does not fit"),
    ])
    def test_fit_verdict(self, quoted, gap, rounded, verdict):
        assert katwala.fit_verdict(quoted, gap, rounded) == verdict

    def test_polarisation_finds_the_extremes_and_both_gaps(self):
        authorities = pd.DataFrame({"authority_id": ["x"], "combined_authority": ["X"], "key": ["xx"],
                                    "leave_highest_district": ["A"], "leave_lowest_district": ["B"]})
        register = pd.DataFrame({"stat_id": ["katwala2017-xx-brexit-polarisation"], "value": [17.4]})
        row = katwala.polarisation(referendum_frame(), members_frame(), authorities, register).iloc[0]
        assert (row["highest"], row["lowest"], row["councils"]) == ("A", "B", 3)
        assert row["gap"] == pytest.approx(17.4)
        assert row["gap_from_rounded_shares"] == pytest.approx(17.4)
        assert bool(row["names_match"]) and row["verdict"] == "fits both ways"


def test_diversity_ranks_least_diverse_first():
    frame = pd.DataFrame({"geography_name": ["A", "B", "C", "D"], "region": ["North West"] * 3 + ["England"],
                          "all_usual_residents": [100, 100, 100, 400], "white": [90, 99, 95, 380],
                          "white_british": [80, 90, 90, 300], "pakistani": [0] * 4, "bangladeshi": [0] * 4})
    out = katwala.diversity_ranks(frame)
    assert out["geography_name"].tolist() == ["B", "C", "A"]
    assert out["rank"].tolist() == [1, 2, 3]


@pytest.mark.parametrize("rank, ordinal, phrase", [
    (1, "1st", "the lowest"), (2, "2nd", "only the 2nd lowest"), (3, "3rd", "only the 3rd lowest"),
    (11, "11th", "only the 11th lowest"), (15, "15th", "only the 15th lowest"), (22, "22nd", "only the 22nd lowest"),
])
def test_ordinal_and_lowest_phrase(rank, ordinal, phrase):
    assert katwala.ordinal(rank) == ordinal
    assert katwala.lowest_phrase(rank) == phrase


def test_describe_polarisation_and_proficiency_label_the_vintage():
    text = katwala.describe_evidence("polarisation-lcr", {
        "quoted": 16.7, "gap": 16.217, "gap_from_rounded_shares": 16.2, "highest": "St Helens",
        "highest_share": 58.02, "lowest": "Liverpool", "lowest_share": 41.81, "verdict": "does not fit"})
    assert "16.22 unrounded" in text and "16.2 from shares rounded" in text and "does not fit" in text
    text = katwala.describe_evidence("manchester-proficiency", {
        "quoted": 9, "quoted_national": 2, "manchester_2021": 4.03, "england_2021": 1.86})
    assert "2011 table is not held" in text and "later vintage, not a check" in text
