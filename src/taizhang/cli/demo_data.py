"""Data only ``taizhang demo`` adds: a small expert pool, so a consultation can be run at once.

The names are invented; the affiliations are the kinds of bodies a pool draws on.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from ..services import experts
from ..services.database import unit_of_work

# (name, field, title, affiliation, pool)
DEMO_EXPERTS = (
    ("王建华", "教育管理", "教授", "宁夏大学教育学院", "库内"),
    ("李秀兰", "城乡规划", "正高级工程师", "宁夏回族自治区规划设计研究院", "库内"),
    ("张立新", "文物保护", "研究馆员", "宁夏文物考古研究所", "库内"),
    ("刘海燕", "行政法", "教授", "北方民族大学法学院", "库内"),
    ("陈志刚", "交通运输", "高级工程师", "宁夏交通规划设计院", "库内"),
    ("杨慧", "财政金融", "研究员", "宁夏社会科学院", "库内"),
    ("赵国庆", "生态环境", "教授", "宁夏大学生态环境学院", "库内"),
    ("马晓东", "社会稳定风险评估", "律师", "宁夏某律师事务所", "库外"),
    ("周文静", "公共管理", "副教授", "宁夏师范学院", "库外"),
)


def add_demo_experts(engine: Engine) -> int:
    """Enter the demo expert pool; returns how many experts it holds."""
    with unit_of_work(engine) as conn:
        for name, field, title, affiliation, pool in DEMO_EXPERTS:
            experts.add_expert(
                conn, "demo", name=name, field_=field, title=title, affiliation=affiliation, pool=pool
            )
    return len(DEMO_EXPERTS)
