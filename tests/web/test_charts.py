"""The inline SVG charts: a bar chart's frame, and one bar group per county or week."""

from taizhang.web.charts import progress_chart
from taizhang.web.charts_campaigns import county_chart

FRAME = '<svg class="chart" viewBox="0 0 640 220" role="img" aria-label="{}"><line x1="32" y1="188" x2="608" y2="188" class="axis"/>'


def test_county_chart_draws_findings_and_the_closed_inside_them():
    chart = county_chart([{"county": "中宁县", "findings": 4, "closed": 1}])
    assert str(chart) == (
        FRAME.format("各县（区）问题数与销号数")
        + '<rect x="147.2" y="32.0" width="345.6" height="156.0" class="bar"><title>中宁县：问题 4</title></rect>'
        + '<rect x="147.2" y="149.0" width="345.6" height="39.0" class="bar done"><title>中宁县：已销号 1</title></rect>'
        + '<text x="320.0" y="202" class="tick">中宁县</text>'
        + '<text x="32" y="22" class="legend">浅色：问题数\u3000深色：已销号</text></svg>'
    )


def test_progress_chart_draws_reports_as_bars_and_the_mean_percent_as_a_line():
    chart = progress_chart([{"week": "2022-W19", "reports": 2, "mean_percent": 50}])
    assert str(chart) == (
        FRAME.format("每周进展报告数与平均完成度")
        + '<rect x="118.4" y="32.0" width="403.2" height="156.0" class="bar"><title>2022-W19：2 份报告</title></rect>'
        + '<text x="320.0" y="202" class="tick">W19</text><polyline points="320.0,110.0" class="line"/>'
        + '<text x="32" y="22" class="legend">柱：报告数 (最多 2)\u3000线：平均完成度 %</text></svg>'
    )


def test_charts_of_nothing_are_empty():
    assert str(county_chart([])) == str(progress_chart([])) == ""
