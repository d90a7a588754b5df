"""The change log reads in Chinese: every action the code writes has a word, and entries read as sentences."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from taizhang.services.change_text import ACTION_WORDS, describe, is_chinese

SRC = Path(__file__).resolve().parents[2] / "src" / "taizhang"
WRITERS = {
    "record_change": "action",
    "record_action": "kind",
}  # the change log's writers and their name argument


def _strings(node: ast.AST, constants: dict[str, str]) -> list[str]:
    """The action names an argument can be: literals, both arms of an if, module constants, f-string prefixes."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, constants) + _strings(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    return []


def _module_constants(tree: ast.Module) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = (
                zip(target.elts, node.value.elts, strict=False)
                if (isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple))
                else [(target, node.value)]
            )
            for name, value in pairs:
                if (
                    isinstance(name, ast.Name)
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    found[name.id] = value.value
    return found


def _forwarders(trees: list[ast.Module]) -> dict[str, int]:
    """Functions that pass their own ``action`` parameter on to a writer: their callers name actions too."""
    takes = {"record_change": -1, "record_action": 3}
    grown = True
    while grown:
        grown = False
        for tree in trees:
            for fn in ast.walk(tree):
                if not isinstance(fn, ast.FunctionDef) or fn.name in takes:
                    continue
                params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
                if "action" not in params:
                    continue
                for call in ast.walk(fn):
                    if (
                        isinstance(call, ast.Call)
                        and _name(call) in takes
                        and any(
                            isinstance(a, ast.Name) and a.id == "action"
                            for a in [*call.args, *(k.value for k in call.keywords)]
                        )
                    ):
                        takes[fn.name] = params.index("action")
                        grown = True
                        break
    return takes


def _name(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)


def written_actions() -> dict[str, str]:
    """Every action name the code writes to the change log, with one place it is written."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in SRC.rglob("*.py")}
    takes = _forwarders(list(trees.values()))
    found: dict[str, str] = {}
    for path, tree in trees.items():
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):  # action, old = "report_value", None
                for target in node.targets:
                    names = target.elts if isinstance(target, ast.Tuple) else [target]
                    values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                    for name, value in zip(names, values, strict=False):
                        if isinstance(name, ast.Name) and name.id == "action":
                            for s in _strings(value, constants):
                                found.setdefault(s, f"{path.name}:{node.lineno}")
            if not isinstance(node, ast.Call) or _name(node) not in takes:
                continue
            name = _name(node)
            args = [k.value for k in node.keywords if k.arg in ("action", WRITERS.get(str(name)))]
            if 0 <= takes[str(name)] < len(node.args):
                args.append(node.args[takes[str(name)]])
            for arg in args:
                for s in _strings(arg, constants):
                    found.setdefault(s, f"{path.name}:{node.lineno}")
    return found


def test_the_scan_finds_the_change_logs_actions():
    found = written_actions()
    for action in (
        "import",
        "create",
        "edit",
        "attach",
        "split",
        "cancel",
        "merge",
        "acknowledge",
        "催办",
        "批示",
    ):
        assert action in found, action


def test_every_action_written_to_the_change_log_has_a_chinese_word():
    missing = {}
    for action, where in written_actions().items():
        if "{}" in action:  # an f-string: request_{kind}, each kind named elsewhere
            prefix = action.split("{}")[0]
            if not any(k.startswith(prefix) for k in ACTION_WORDS):
                missing[action] = where
        elif action not in ACTION_WORDS and not is_chinese(action):
            missing[action] = where
    assert not missing, f"actions without a Chinese word in services/change_text.py: {missing}"
    assert all(is_chinese(word) for word in ACTION_WORDS.values())


def test_entries_read_as_sentences():
    assert describe("张三", "edit", {"due_on": date(2022, 6, 30)}, {"due_on": date(2022, 7, 31)}) == (
        "张三 把 截止日期 从 2022-06-30 改为 2022-07-31"
    )
    assert describe("张三", "cancel", {"status": "进行中"}, {"status": "已撤销", "reason": "重复立项"}) == (
        "张三 把 状态 从 进行中 改为 已撤销（理由：重复立项）"
    )
    assert describe(
        "import", "create", None, {"title": "建设项目", "units": [{"printed": "市卫生健康委"}]}
    ) == ("导入程序 新建：任务：建设项目；单位：市卫生健康委")
    assert describe("张三", "attach", None, {"attachments": [{"filename": "方案.docx", "id": 3}]}) == (
        "张三 上传附件：附件：方案.docx"
    )
    assert describe(None, "sync", None, None) == "系统 同步分项"
