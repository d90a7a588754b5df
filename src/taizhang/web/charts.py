"""Inline SVG charts rendered on the server (no JavaScript, no chart library)."""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

WIDTH, HEIGHT, PAD = 640, 220, 32


def bar_frame(label: str) -> list[str]:
    """The opening of a WIDTH × HEIGHT bar chart: its svg element (``label`` read aloud) and base line."""
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>',
    ]


def progress_chart(points: list[dict[str, Any]]) -> Markup:
    """Bars: reports received per week; line: the mean percent they stated (0–100 on the right)."""
    if not points:
        return Markup("")
    most = max((p["reports"] for p in points), default=0) or 1
    step = (WIDTH - 2 * PAD) / len(points)
    plot_h = HEIGHT - 2 * PAD
    parts = bar_frame("每周进展报告数与平均完成度")
    line: list[str] = []
    for i, p in enumerate(points):
        x = PAD + i * step
        h = plot_h * p["reports"] / most
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" class="bar"><title>{escape(p["week"])}：{p["reports"]} 份报告</title></rect>'
        )
        if p["mean_percent"] is not None:
            line.append(f"{x + step / 2:.1f},{HEIGHT - PAD - plot_h * p['mean_percent'] / 100:.1f}")
        if i % 2 == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD + 14}" class="tick">{escape(p["week"][5:])}</text>'
            )
    if line:
        parts.append(f'<polyline points="{" ".join(line)}" class="line"/>')
    parts.append(
        f'<text x="{PAD}" y="{PAD - 10}" class="legend">柱：报告数 (最多 {most})　线：平均完成度 %</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def ranking_chart(rows: list[dict[str, Any]]) -> Markup:
    """Horizontal bars: each unit's 考评 score, best first."""
    if not rows:
        return Markup("")
    bar_h, left = 22, 170
    most = max((float(r["score"]) for r in rows), default=0.0) or 1.0
    height = PAD + bar_h * len(rows)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="各单位考评得分">']
    for i, r in enumerate(rows):
        y = PAD / 2 + i * bar_h
        w = (WIDTH - left - PAD) * float(r["score"]) / most
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_h * 0.7:.1f}" class="tick" text-anchor="end">'
            f"{escape(str(r['unit']))}</text>"
        )
        parts.append(
            f'<rect x="{left}" y="{y + 3:.1f}" width="{w:.1f}" height="{bar_h - 6}" class="bar">'
            f"<title>{escape(str(r['unit']))}：{r['score']} 分</title></rect>"
        )
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{y + bar_h * 0.7:.1f}" class="tick">{r["score"]}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
