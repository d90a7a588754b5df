"""The assignment grammar as data: which words name a role, which verbs close a unit list, which
qualifiers a verb may carry, and the conventions a document states once for what follows.

Add a phrasing here, not a regex elsewhere: ``grammar.py`` compiles these lists, and every stage
(brackets, labelled lines, sentences, table cells) reads assignments through it. Each entry says
where it was met; roles are ``lead`` (牵头), ``responsible`` (责任/负责) and ``cooperating`` (配合).
"""

from __future__ import annotations

# Labels that name a role, followed by a colon ('牵头单位：A'), wrapped in 【】 ('【牵头单位】A'), or
# starting a line of their own ('责任单位　A').
ROLE_LABELS: dict[str, str] = {
    # lead: 牵头单位 (卫政办发〔2022〕24号), 牵头部门 (鄂政发〔2018〕26号), 主办单位 (议案办理分工)
    "牵头单位": "lead",
    "牵头部门": "lead",
    "牵头责任单位": "lead",
    "主办单位": "lead",
    "主办部门": "lead",
    "主责单位": "lead",
    "主责部门": "lead",
    # the main unit beside 协同单位 ('主要责任单位：A；协同单位：B'); a department's own offices
    "主要责任单位": "lead",
    "主要负责单位": "lead",
    "牵头处室": "lead",
    "牵头科室": "lead",
    # responsible: 责任单位 (卫政办发〔2022〕6号, 济南市 2021 方案), 负责部门 (国发〔2018〕38号),
    # 承办部门 (卫政发〔2022〕15号 table), 责任部门, 实施单位, 责任主体
    "责任单位": "responsible",
    "责任部门": "responsible",
    "负责单位": "responsible",
    "负责部门": "responsible",
    "承办单位": "responsible",
    "承办部门": "responsible",
    "实施单位": "responsible",
    "实施部门": "responsible",
    "落实单位": "responsible",
    "责任主体": "responsible",
    "责任处室": "responsible",
    "责任科室": "responsible",
    # cooperating: 配合单位 (卫政办发〔2022〕24号), 参加单位 (山东省服务业数字化转型行动方案),
    # 协办单位, 参与单位, 协助单位, 配合部门 (卫政办发〔2022〕36号)
    "配合单位": "cooperating",
    "配合部门": "cooperating",
    "参加单位": "cooperating",
    "参加部门": "cooperating",
    "参与单位": "cooperating",
    "参与部门": "cooperating",
    "协办单位": "cooperating",
    "协办部门": "cooperating",
    "协助单位": "cooperating",
    "协同单位": "cooperating",
    "协同部门": "cooperating",
    "协同配合单位": "cooperating",
    "配合责任单位": "cooperating",
    "协作单位": "cooperating",
    "支持单位": "cooperating",
    "配合处室": "cooperating",
    "配合科室": "cooperating",
}

# Labels whose text is a deadline: '完成时限：2022年底前' (卫政办发〔2022〕6号 lines 216-220).
DEADLINE_LABELS: tuple[str, ...] = (
    "完成时限",
    "完成时间",
    "完成期限",
    "整改时限",
    "整改期限",
    "办结时限",
    "时限要求",
    "时间要求",
    "时间节点",
    "时限",
    "期限",
)

# Labels whose text is not a unit: '适用范围：浙江自贸试验区' (国发〔2018〕38号); leaders and contacts.
IGNORED_LABELS: tuple[str, ...] = (
    "适用范围",
    "备注",
    "责任领导",
    "牵头领导",
    "分管领导",
    "牵头市领导",
    "责任市领导",
    "督办领导",
    "责任人",
    "联系人",
    "联系领导",
    "包抓领导",
    "分管市领导",
    "分管县领导",
    "督导领导",
)

# Verbs that close a unit list and the role they give: 'A牵头，B配合', 'A、B负责' (国办发〔2018〕121号),
# 'B参加', 'A指导', 'B分头落实', 'B具体实施', '各市政府落实'. When one part carries several
# ('牵头负责', '配合落实'), lead wins over cooperating, cooperating over responsible.
VERBS: dict[str, str] = {
    "牵头": "lead",
    "牵头抓总": "lead",
    "主办": "lead",
    "主责": "lead",
    "负总责": "responsible",
    "负责": "responsible",
    "指导": "responsible",
    "落实": "responsible",
    "实施": "responsible",
    "承办": "responsible",
    "承担": "responsible",
    "配合": "cooperating",
    "参与": "cooperating",
    "参加": "cooperating",
    "协助": "cooperating",
    "协办": "cooperating",
}
ROLE_PRIORITY: tuple[str, ...] = ("lead", "cooperating", "responsible")

# Words a verb may carry before it; they are stripped, never kept in a unit name:
# '按职责分工负责' (国办发〔2020〕24号), '按职能分工负责', '按职责分别负责' (发改高技〔2020〕1922号),
# '分头落实', '具体实施', '共同负责', '组织实施', '抓好落实'.
QUALIFIERS: tuple[str, ...] = (
    "按照职责分工",
    "按照职能分工",
    "按照各自职责",
    "按职责分工",
    "按职能分工",
    "根据职责分工",
    "按照职责",
    "按照职能",
    "按各自职责",
    "按职责",
    "按职能",
    "依职责",
    "各自",
    "分工",
    "分别",
    "具体",
    "共同",
    "分头",
    "组织",
    "抓好",
    "切实",
    "认真",
    "统筹",
    "协调",
    "积极",
    "做好",
)

# Words before a unit list that are not part of it: '（由市政府办公室负责）', '请各县区落实'.
LEADING_WORDS: tuple[str, ...] = ("具体由", "分别由", "统一由", "均由", "由", "请")

# 'A会同B负责': A leads and B works with it (国务院 style). 联合 is no connective: 残疾人联合会.
CONJOINT: tuple[str, ...] = ("会同",)

# Names ending a list after 等 stand for the rest of a group and are not units: 'A、B等国务院相关部门'
# is A and B, noted as possibly incomplete (gold convention of the development plans).
ETC_GROUP_WORDS: tuple[str, ...] = (
    "国务院相关部门和单位",
    "国务院有关部门和单位",
    "国务院相关部门",
    "国务院有关部门",
    "有关部门和单位",
    "相关部门和单位",
    "有关部门",
    "相关部门",
    "其他部门",
    "部门",
    "单位",
    "机构",
    "有关单位",
    "相关单位",
    "省直有关部门",
    "市直有关部门",
    "省有关部门",
    "市有关部门",
    "县有关部门",
)

# '列第一位者为牵头单位，下同' (山东省“十四五”教育事业发展规划: '列第一位者为牵头部门，下同'): from
# there on the first unit of a list leads and the others are responsible.
FIRST_LEADS_OPENERS: tuple[str, ...] = ("列", "排", "排名", "排列", "列于", "排在", "列在")
FIRST_LEADS_PLACES: tuple[str, ...] = ("第一位", "第一个", "首位", "第一", "最前", "前面")

# A standing note: a unit that carries out every task of what follows (or precedes), stated once:
# '各区（市）政府为各项任务的责任单位，不再一一列出', '以下任务均需各县（市、区）落实，不再列出'.
NOTE_SCOPES: tuple[str, ...] = (
    "以下各项任务",
    "以下任务",
    "以上任务",
    "上述任务",
    "各项重点任务",
    "各项任务",
    "所有任务",
    "全部任务",
    "每项任务",
    "各项工作",
    "各项措施",
    "所列任务",
)
NOTE_OMISSIONS: tuple[str, ...] = (
    "不再一一列出",
    "不再逐一列出",
    "不再单独列出",
    "不再重复列出",
    "不再列出",
    "不一一列出",
    "不再列举",
)
NOTE_FILLERS: tuple[str, ...] = (
    "注",
    "以下",
    "以上",
    "上述",
    "均为",
    "都是",
    "均是",
    "均需",
    "均由",
    "均要",
    "均包括",
    "包括",
    "都",
    "均",
    "为",
    "是",
    "需",
    "要",
    "由",
    "的",
    "中",
    "在",
    "本",
    "方案",
    "文件",
    "实施",
)
