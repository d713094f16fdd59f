"""Chart geometry: bars proportional to their values on a readable axis, tables complete."""

import pytest

from hackqc import charts


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (0.3, 0.5), (480, 500)]
)
def test_nice_max_is_a_round_axis_end(value, top):
    assert charts.nice_max(value) == pytest.approx(top)


def test_hbars_are_proportional_and_the_table_holds_every_row():
    rows = [(f"Organisation {i}", i) for i in (5, 10, 2)]

    chart = charts.hbars("t", "d", rows, caption="c", label_header="l", value_header="v")

    widths = [mark["w"] for mark in chart.marks]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert widths[0] == pytest.approx(2.5 * widths[2])
    assert chart.table.rows == [[label, value] for label, value in rows]


def test_stacked_bars_split_each_total():
    chart = charts.stacked_hbars(
        "t", "d", [("Ronde 1", [3, 1, 0, 1])], series=[("a", 0), ("b", 1), ("c", 2), ("d", 3)],
        caption="c", label_header="l",
    )  # fmt: skip

    [mark] = chart.marks
    parts = mark["parts"]
    assert mark["total"] == 5
    assert parts[0]["w"] == pytest.approx(3 * parts[1]["w"])
    assert parts[1]["x"] == pytest.approx(parts[0]["x"] + parts[0]["w"])


def test_strips_place_scores_on_the_scale():
    chart = charts.strips(
        "t", "d", [("Juge A", [0.0, 10.0], 0.5)], low=0, high=10, caption="c",
        headers=["j", "n", "m", "min", "max", "b"],
    )  # fmt: skip

    [mark] = chart.marks
    assert mark["dots"] == [chart.extra["left"], chart.extra["right"]]
    assert mark["mean_x"] == pytest.approx((chart.extra["left"] + chart.extra["right"]) / 2)
    assert chart.table.rows == [["Juge A", 2, "5", "0", "10", "+0,50"]]  # French by default


def test_an_empty_chart_says_so():
    chart = charts.columns("t", "d", [], caption="c", label_header="l", value_header="v")

    assert chart.empty
