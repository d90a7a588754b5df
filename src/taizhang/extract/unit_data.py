"""The bundled unit directory of 中卫市: departments, counties, outside bodies and groups.

Kept as Python data (not JSON) so it ships inside the package with no package-data rule.
Names are those the 2022年第2期 gazette prints; aliases are the other forms it uses. Full-width
brackets need no alias: lookups fold them (``units.name_key``).
"""

from __future__ import annotations

from typing import Any

ZHONGWEI: dict[str, Any] = {
    "city": "中卫市",
    "units": [
        {"name": "市卫生健康委", "kind": "department", "aliases": ["市卫生健康委员会", "市卫健委"]},
        {"name": "市发展改革委", "kind": "department", "aliases": ["市发展和改革委员会", "市发改委"]},
        {"name": "市人力资源社会保障局", "kind": "department", "aliases": ["市人社局", "市人力资源和社会保障局"]},
        {"name": "市医保局", "kind": "department", "aliases": ["市医疗保障局"]},
        {"name": "市市场监管局", "kind": "department", "aliases": ["市市场监督管理局", "市市场监管部门"]},
        {"name": "市住房城乡建设局", "kind": "department", "aliases": ["市住房和城乡建设局", "市住建局"]},
        {"name": "市应急局", "kind": "department", "aliases": ["市应急管理局"]},
        {"name": "市工业和信息化局", "kind": "department", "aliases": ["市工信局"]},
        {"name": "市生态环境局", "kind": "department", "aliases": []},
        {"name": "市财政局", "kind": "department", "aliases": []},
        {"name": "市教育局", "kind": "department", "aliases": []},
        {"name": "市公安局", "kind": "department", "aliases": []},
        {"name": "市民政局", "kind": "department", "aliases": []},
        {"name": "市司法局", "kind": "department", "aliases": []},
        {"name": "市审计局", "kind": "department", "aliases": []},
        {"name": "市统计局", "kind": "department", "aliases": []},
        {"name": "市商务局", "kind": "department", "aliases": []},
        {"name": "市自然资源局", "kind": "department", "aliases": []},
        {"name": "市农业农村局", "kind": "department", "aliases": []},
        {"name": "市交通运输局", "kind": "department", "aliases": []},
        {"name": "市水务局", "kind": "department", "aliases": []},
        {"name": "市乡村振兴局", "kind": "department", "aliases": []},
        {"name": "市旅游和文化体育广电局", "kind": "department", "aliases": []},
        {"name": "市云计算和大数据局", "kind": "department", "aliases": []},
        {"name": "市金融工作局", "kind": "department", "aliases": []},
        {"name": "市审批服务局", "kind": "department", "aliases": []},
        {"name": "市公共资源交易中心", "kind": "department", "aliases": []},
        {"name": "市消防救援支队", "kind": "department", "aliases": []},
        {"name": "市政府办公室", "kind": "department", "aliases": ["市人民政府办公室"]},
        {"name": "市委组织部", "kind": "department", "aliases": []},
        {"name": "市委宣传部", "kind": "department", "aliases": []},
        {"name": "市委政法委", "kind": "department", "aliases": []},
        {"name": "市委编办", "kind": "department", "aliases": ["市委机构编制委员会办公室"]},
        {"name": "市委党校", "kind": "department", "aliases": ["市委党校(行政学院)"]},
        {"name": "市委依法治市办", "kind": "department", "aliases": []},
        {"name": "市纪委监委", "kind": "department", "aliases": []},
        {"name": "市人大办公室", "kind": "department", "aliases": []},
        {"name": "市人大常委会法工委", "kind": "department", "aliases": []},
        {"name": "市政协办公室", "kind": "department", "aliases": []},
        {"name": "市中级人民法院", "kind": "department", "aliases": []},
        {"name": "市人民检察院", "kind": "department", "aliases": []},
        {"name": "市委全面依法治市委员会执法协调小组成员单位", "kind": "department", "aliases": []},
        {"name": "沙坡头区", "kind": "county", "aliases": ["沙坡头区人民政府", "沙坡头区政府"]},
        {"name": "中宁县", "kind": "county", "aliases": ["中宁县人民政府", "中宁县政府"]},
        {"name": "海原县", "kind": "county", "aliases": ["海原县人民政府", "海原县政府"]},
        {"name": "中卫工业园区管委会", "kind": "external", "aliases": ["中卫工业园区管理委员会"]},
        {"name": "中卫市税务局", "kind": "external", "aliases": ["国家税务总局中卫市税务局"]},
        {"name": "银保监中卫分局", "kind": "external", "aliases": ["中国银保监会中卫监管分局"]},
        {"name": "应理集团", "kind": "external", "aliases": []},
        {"name": "医联体牵头医院", "kind": "external", "aliases": []},
        {"name": "各县(区)", "kind": "group", "aliases": ["各县(区)人民政府", "各县(区)政府", "县(区)", "各县区"], "members": ["沙坡头区", "中宁县", "海原县"]},
        {"name": "市直有关部门(单位)", "kind": "group", "aliases": ["市直有关部门"]},
        {"name": "市直各部门(单位)", "kind": "group", "aliases": ["市直各部门"]},
        {"name": "各行政执法部门(单位)", "kind": "group", "aliases": ["各行政执法部门"]},
    ],
}

DIRECTORIES: dict[str, dict[str, Any]] = {"中卫市": ZHONGWEI}
