"""The campaign chart: findings and findings closed per county, as inline SVG (no JavaScript)."""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from .charts import HEIGHT, PAD, WIDTH, bar_frame


def county_chart(counties: list[dict[str, Any]]) -> Markup:
    """Per county: a bar of findings and, inside it, a darker bar of those closed (销号)."""
    if not counties:
        return Markup("")
    most = max((c["findings"] for c in counties), default=0) or 1
    step = (WIDTH - 2 * PAD) / len(counties)
    plot_h = HEIGHT - 2 * PAD
    parts = bar_frame("各县（区）问题数与销号数")
    for i, c in enumerate(counties):
        x = PAD + i * step
        name = escape(c["county"] or "未注明")
        for value, css, label in ((c["findings"], "bar", "问题"), (c["closed"], "bar done", "已销号")):
            h = plot_h * value / most
            parts.append(
                f'<rect x="{x + step * 0.2:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{step * 0.6:.1f}" '
                f'height="{h:.1f}" class="{css}"><title>{name}：{label} {value}</title></rect>'
            )
        parts.append(f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD + 14}" class="tick">{name}</text>')
    parts.append(f'<text x="{PAD}" y="{PAD - 10}" class="legend">浅色：问题数　深色：已销号</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
