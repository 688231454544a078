"""The report's charts fit their frame (issue "A command line and library that fit people's habits", charts part):
every text inside the figure (titles and break-even labels were cut at its edge), month labels that do not run into
one another ("JanFebMar..."), and a page that uses its width (two charts a row on a wide screen)."""

import math

import pytest

import heatcalc
from heatcalc import report

from .conftest import ROOT

RICH = [ROOT / "profiles" / "sacramento-tou-economics.yaml", ROOT / "profiles" / "boston-tariff-solar.yaml",
        ROOT / "profiles" / "boston-gas.yaml"]


def _texts_inside_and_apart(fig):
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    hidden = set()  # tick labels outside an axis's view are made but never drawn
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            span = (hi - lo) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - span <= tick.get_loc() <= hi + span:
                    hidden.update({id(tick.label1), id(tick.label2)})
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or id(text) in hidden:
            continue
        box = text.get_window_extent(renderer)
        assert box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1, (text.get_text(), box, frame)
        assert box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1, (text.get_text(), box, frame)
    for ax in fig.axes:
        labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text().strip() and id(t) not in hidden]
        boxes = [t.get_window_extent(renderer) for t in labels]
        for (a, b), (ta, tb) in zip(zip(boxes, boxes[1:]), zip(labels, labels[1:])):
            angle = math.radians(ta.get_rotation() % 180)
            if angle == 0:
                assert not a.overlaps(b), [t.get_text() for t in labels]
            else:  # slanted labels are apart when the gap across their baselines holds a line of text
                _, height, _ = renderer.get_text_width_height_descent(ta.get_text(), ta.get_fontproperties(), False)
                gap = abs(b.x1 - a.x1) * math.sin(angle)
                assert gap >= height * 0.95, (ta.get_text(), tb.get_text(), gap, height)


@pytest.mark.parametrize("path", RICH, ids=[p.stem for p in RICH])
def test_every_chart_keeps_its_text_inside_and_its_labels_apart(path):
    import matplotlib.pyplot as plt

    c = heatcalc.compare(path)
    for name in report.chart_names(c):
        fig = report.chart(c, name)
        try:
            _texts_inside_and_apart(fig)
        finally:
            plt.close(fig)


def test_a_long_title_is_wrapped_not_cut():
    from heatcalc import charts

    c = heatcalc.compare(RICH[0])
    fig = report.chart(c, "peak_demand")
    assert "\n" in fig._suptitle.get_text()  # "Peak electric demand by month (heating and cooling)" wraps
    assert charts.title_of(fig) == "Peak electric demand by month (heating and cooling)"
    _texts_inside_and_apart(fig)


def test_charts_sit_two_a_row_on_a_wide_screen():
    page = report.html_report([heatcalc.compare(RICH[0])])
    assert "<div class='charts'>" in page and "grid-template-columns: 1fr 1fr" in page
