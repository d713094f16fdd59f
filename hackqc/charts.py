"""Small charts drawn on the server as SVG, each with its numbers as a table.

Geometry is computed here, in Python, and drawn by one template per kind
(`templates/includes/charts/<kind>.html`) in one loop: no JavaScript, no inline style (the
Content-Security-Policy forbids both), colours as SVG presentation attributes, chosen for at
least 3:1 contrast on white (WCAG 1.4.11). Each chart is an image with a title and a
description (`role="img"`, `aria-labelledby`), followed by a table that screen readers read
and that anyone can show; the table is the chart's truth, the drawing its summary.
"""

import itertools
import math
from dataclasses import dataclass, field

from django.utils.formats import get_format

# Blue, green, orange and grey of Bootstrap's palette, darkened where needed for 3:1 on white.
COLOURS = ("#0b5ed7", "#146c43", "#b35900", "#5c636a", "#6f42c1", "#a52834")
_ids = itertools.count(1)


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Chart:
    """What a chart template draws. `kind` names the template; `marks` its shapes."""

    kind: str
    title: str
    description: str
    table: Table
    width: int = 600
    height: int = 240
    marks: list[dict] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    uid: str = field(default_factory=lambda: f"chart-{next(_ids)}")

    @property
    def empty(self) -> bool:
        return not self.table.rows


def nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 times 10^n at least `value` (an axis end people read easily)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _ticks(top: float, count: int = 4) -> list[float]:
    return [top * i / count for i in range(count + 1)]


def _signed(value) -> str:
    """+1.25 or -0.50 with the language's decimal separator; empty for None."""
    if value is None:
        return ""
    return f"{value:+.2f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".replace(".", get_format("DECIMAL_SEPARATOR"))
    return str(int(value)) if isinstance(value, float) else str(value)


def hbars(title, description, rows, *, caption, label_header, value_header, width=600):
    """Horizontal bars: `rows` are (label, value); long labels are cut in the drawing only."""
    bar, gap, left, right = 18, 8, 170, 50
    height = max(len(rows), 1) * (bar + gap) + 10
    top = nice_max(max((v for _l, v in rows), default=0))
    span = width - left - right
    marks = [
        {
            "y": 5 + i * (bar + gap),
            "text_y": 5 + i * (bar + gap) + bar * 0.7,
            "w": round(span * value / top, 1),
            "label": label if len(label) <= 26 else label[:25] + "…",
            "value": _fmt(value),
            "value_x": left + round(span * value / top, 1) + 4,
            "colour": COLOURS[0],
        }
        for i, (label, value) in enumerate(rows)
    ]
    table = Table(caption, [label_header, value_header], [[lab, v] for lab, v in rows])
    chart = Chart("hbars", title, description, table, width, height, marks)
    chart.extra = {"left": left, "bar": bar, "label_x": left - 6}
    return chart


def stacked_hbars(title, description, rows, *, series, caption, label_header, width=600):
    """One horizontal bar per row, split into `series` [(name, colour index)]; `rows` are
    (label, [value per series]); each bar's length is its total."""
    bar, gap, left, right = 22, 10, 170, 60
    height = max(len(rows), 1) * (bar + gap) + 10
    top = nice_max(max((sum(v) for _l, v in rows), default=0))
    span = width - left - right
    marks = []
    for i, (label, values) in enumerate(rows):
        x, parts = left, []
        for (name, colour), value in zip(series, values, strict=True):
            w = round(span * value / top, 1)
            parts.append({"x": x, "w": w, "colour": COLOURS[colour], "name": name, "value": value})
            x += w
        y = 5 + i * (bar + gap)
        marks.append(
            {
                "y": y,
                "text_y": y + bar * 0.7,
                "label": label if len(label) <= 26 else label[:25] + "…",
                "parts": parts,
                "total": sum(values),
                "total_x": x + 4,
            }
        )
    header = [label_header, *(name for name, _c in series)]
    table = Table(caption, header, [[label, *values] for label, values in rows])
    legend = [{"name": name, "colour": COLOURS[c]} for name, c in series]
    chart = Chart("stacked", title, description, table, width, height, marks, legend=legend)
    chart.extra = {"left": left, "bar": bar, "label_x": left - 6}
    return chart


def columns(title, description, rows, *, caption, label_header, value_header, every=1,
            width=600, height=200):  # fmt: skip
    """Vertical bars over time: `rows` are (label, value); one axis label every `every`."""
    left, bottom, top_pad = 40, 30, 10
    top = nice_max(max((v for _l, v in rows), default=0))
    plot_h = height - bottom - top_pad
    step = (width - left - 10) / max(len(rows), 1)
    marks = []
    for i, (label, value) in enumerate(rows):
        h = round(plot_h * value / top, 1)
        marks.append(
            {
                "x": round(left + i * step + step * 0.1, 1),
                "w": round(step * 0.8, 1),
                "y": round(top_pad + plot_h - h, 1),
                "h": h,
                "label": label if i % every == 0 else "",
                "label_x": round(left + i * step + step / 2, 1),
                "value": value,
            }
        )
    ticks = [
        {"y": round(top_pad + plot_h - plot_h * t / top, 1), "label": _fmt(t)} for t in _ticks(top)
    ]
    table = Table(caption, [label_header, value_header], [[lab, v] for lab, v in rows])
    chart = Chart("columns", title, description, table, width, height, marks, ticks)
    chart.extra = {"left": left, "base": top_pad + plot_h, "label_y": height - 10}
    return chart


def line(title, description, rows, *, caption, label_header, value_header, every=1,
         width=600, height=200):  # fmt: skip
    """A cumulative line over time: `rows` are (label, value) in order."""
    left, bottom, top_pad, right = 40, 30, 10, 15
    top = nice_max(max((v for _l, v in rows), default=0))
    plot_h = height - bottom - top_pad
    step = (width - left - right) / max(len(rows) - 1, 1)
    points = [
        (round(left + i * step, 1), round(top_pad + plot_h - plot_h * value / top, 1))
        for i, (_label, value) in enumerate(rows)
    ]
    marks = [
        {"x": x, "y": y, "label": label if i % every == 0 else "", "value": value}
        for i, ((x, y), (label, value)) in enumerate(zip(points, rows, strict=True))
    ]
    ticks = [
        {"y": round(top_pad + plot_h - plot_h * t / top, 1), "label": _fmt(t)} for t in _ticks(top)
    ]
    table = Table(caption, [label_header, value_header], [[lab, v] for lab, v in rows])
    chart = Chart("line", title, description, table, width, height, marks, ticks)
    chart.extra = {
        "left": left,
        "base": top_pad + plot_h,
        "label_y": height - 10,
        "points": " ".join(f"{x},{y}" for x, y in points),
    }
    return chart


def strips(title, description, rows, *, low, high, caption, headers, width=600):
    """One row per judge: each review score as a dot on a [low, high] axis, the judge's mean
    as a bar, and a value written at the right (the judge's estimated bias).

    `rows` are (label, [scores], right-hand value or None); `headers` name the table's
    columns: label, number of reviews, mean, minimum, maximum, right-hand value.
    """
    row_h, left, right = 26, 170, 120
    height = max(len(rows), 1) * row_h + 30
    span = width - left - right
    scale = span / (high - low) if high > low else 0

    def x(value):
        return round(left + (value - low) * scale, 1)

    marks, table_rows = [], []
    for i, (label, scores, side) in enumerate(rows):
        y = 10 + i * row_h + row_h / 2
        mean = sum(scores) / len(scores) if scores else None
        marks.append(
            {
                "y": round(y, 1),
                "y1": round(y - 9, 1),
                "y2": round(y + 9, 1),
                "text_y": round(y + 4, 1),
                "label": label if len(label) <= 26 else label[:25] + "…",
                "dots": [x(s) for s in scores],
                "mean_x": x(mean) if mean is not None else None,
                "side": _signed(side),
            }
        )
        table_rows.append(
            [
                label,
                len(scores),
                _fmt(round(mean, 2)) if mean is not None else "",
                _fmt(min(scores)) if scores else "",
                _fmt(max(scores)) if scores else "",
                _signed(side),
            ]
        )
    ticks = [
        {"x": x(low + (high - low) * i / 4), "label": _fmt(low + (high - low) * i / 4)}
        for i in range(5)
    ]
    table = Table(caption, list(headers), table_rows)
    chart = Chart("strips", title, description, table, width, height, marks, ticks)
    chart.extra = {
        "left": left,
        "right": width - right,
        "axis_y": height - 18,
        "side_x": width - 10,
        "side_header": headers[-1],
    }
    return chart
