"""The change log reads in Chinese: every action the code writes has a word, and entries read as sentences."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from taizhang.services.change_text import ACTION_WORDS, FIELD_WORDS, describe, field_word, is_chinese

SRC = Path(__file__).resolve().parents[2] / "src" / "taizhang"
# the change log's writers: (position of the action argument, its keyword); -1 when keyword-only
WRITERS = {"record_change": (-1, "action"), "record_action": (3, "kind")}


def _name(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)


def _params(fn: ast.AST) -> list[str]:
    if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
        return []
    return [a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs]


def _module_values(tree: ast.Module) -> dict[str, list[str]]:
    """Module-level names bound to strings: constants, tuples of them, and a dict's values."""
    found: dict[str, list[str]] = {}
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        value = getattr(node, "value", None)
        for target in targets:
            pairs = (
                zip(target.elts, value.elts, strict=False)
                if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
                else [(target, value)]
            )
            for name, bound in pairs:
                if not isinstance(name, ast.Name) or bound is None:
                    continue
                if isinstance(bound, ast.Dict):
                    found[name.id] = [
                        v.value
                        for v in bound.values
                        if isinstance(v, ast.Constant) and isinstance(v.value, str)
                    ]
                elif isinstance(bound, ast.Tuple | ast.List | ast.Set):
                    found[name.id] = [
                        v.value
                        for v in bound.elts
                        if isinstance(v, ast.Constant) and isinstance(v.value, str)
                    ]
                elif isinstance(bound, ast.Constant) and isinstance(bound.value, str):
                    found[name.id] = [bound.value]
    return found


def _bound(scope: ast.AST, name: str) -> list[ast.expr]:
    """Every expression ``name`` is bound to in ``scope``: assignments (tuples too) and loop targets."""
    found: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                values = (
                    node.value.elts
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                    else None
                )
                names = target.elts if isinstance(target, ast.Tuple) else [target]
                for i, each in enumerate(names):
                    if isinstance(each, ast.Name) and each.id == name and node.value is not None:
                        found.append(values[i] if values is not None and i < len(values) else node.value)
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name) and node.target.id == name:
            found.extend(
                node.iter.elts if isinstance(node.iter, ast.Tuple | ast.List | ast.Set) else [node.iter]
            )
    return found


def _strings(
    node: ast.AST, scope: ast.AST, module: dict[str, list[str]], seen: frozenset[str] = frozenset()
) -> list[str]:
    """The strings an argument can be: literals, both arms of an if, variables and module names bound to
    strings, a dict's values looked up, f-string prefixes."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, scope, module, seen) + _strings(node.orelse, scope, module, seen)
    if isinstance(node, ast.BoolOp):
        return [s for v in node.values for s in _strings(v, scope, module, seen)]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return module.get(node.value.id, [])
    if isinstance(node, ast.Name) and node.id not in seen:
        local = [
            s for bound in _bound(scope, node.id) for s in _strings(bound, scope, module, seen | {node.id})
        ]
        return local or module.get(node.id, [])
    return []


def _action_argument(call: ast.Call, takes: dict[str, tuple[int, str]]) -> ast.expr | None:
    position, keyword = takes[str(_name(call))]
    for k in call.keywords:
        if k.arg == keyword:
            return k.value
    return call.args[position] if 0 <= position < len(call.args) else None


def _scopes(tree: ast.Module) -> list[ast.AST]:
    return [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]


def _calls(scope: ast.AST, takes: dict[str, tuple[int, str]]) -> list[ast.Call]:
    nodes = scope.body if isinstance(scope, ast.Module) else [scope]
    inner = (
        c
        for n in nodes
        if not (
            isinstance(scope, ast.Module)
            and isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        )
        for c in ast.walk(n)
    )
    return [c for c in inner if isinstance(c, ast.Call) and _name(c) in takes]


def _forwarders(trees: list[ast.Module]) -> dict[str, tuple[int, str]]:
    """The writers and every function that passes one of its own parameters on as the action (under any
    name): their callers name actions too."""
    takes = dict(WRITERS)
    grown = True
    while grown:
        grown = False
        for tree in trees:
            for fn in _scopes(tree)[1:]:
                params = _params(fn)
                if fn.name in takes:
                    continue
                for call in _calls(fn, takes):
                    arg = _action_argument(call, takes)
                    if isinstance(arg, ast.Name) and arg.id in params:
                        index = params.index(arg.id)
                        positional = len(fn.args.posonlyargs + fn.args.args)
                        takes[fn.name] = (index if index < positional else -1, arg.id)
                        grown = True
                        break
    return takes


def actions_in(sources: dict[str, str]) -> dict[str, str]:
    """Every action name the code in ``sources`` (name → text) writes to the change log, with one place."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    takes = _forwarders(list(trees.values()))
    found: dict[str, str] = {}
    for name, tree in trees.items():
        module = _module_values(tree)
        for scope in _scopes(tree):
            for call in _calls(scope, takes):
                arg = _action_argument(call, takes)
                for s in _strings(arg, scope, module) if arg is not None else []:
                    found.setdefault(s, f"{name}:{call.lineno}")
    return found


def _sources() -> dict[str, str]:
    return {str(p.relative_to(SRC)): p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")}


def written_actions() -> dict[str, str]:
    """Every action name the code writes to the change log, with one place it is written."""
    return actions_in(_sources())


def written_fields() -> dict[str, str]:
    """Every key of a before/after dict the code passes to the change log (literal keys, also of a
    dict a variable is bound to), with one place."""
    found: dict[str, str] = {}
    for name, text in _sources().items():
        tree = ast.parse(text)
        for scope in _scopes(tree):
            for call in _calls(scope, {"record_change": WRITERS["record_change"]}):
                for k in call.keywords:
                    if k.arg not in ("before", "after"):
                        continue
                    values = _bound(scope, k.value.id) if isinstance(k.value, ast.Name) else [k.value]
                    for value in values:
                        for d in (n for n in ast.walk(value) if isinstance(n, ast.Dict)):
                            for key in d.keys:
                                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                                    found.setdefault(key.value, f"{name}:{call.lineno}")
    return found


def test_the_scan_finds_actions_however_they_are_passed():
    code = """
VERBS = {"approve": "同意办结x", "return": "退回x"}
DONE = "finish_x"

def log(conn, what, who="x"):
    record_change(conn, actor=who, action=what, entity="task", entity_id=1)

def work(conn, ok):
    verb = "close_x" if ok else "hold_x"
    record_change(conn, actor="a", action=verb, entity="task", entity_id=1)
    record_change(conn, actor="a", action=VERBS["approve"], entity="task", entity_id=1)
    for step in ("draw_x", "seal_x"):
        record_action(conn, None, 1, step, "")
    log(conn, DONE)
    kind = "nudge_x"
    log(conn, what=kind)
"""
    found = set(actions_in({"m.py": code}))
    expected = {"close_x", "hold_x", "同意办结x", "退回x", "draw_x", "seal_x", "finish_x", "nudge_x"}
    assert expected <= found, expected - found


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


def test_every_field_written_to_the_change_log_has_a_chinese_label():
    missing = {field: where for field, where in written_fields().items() if field not in FIELD_WORDS}
    assert not missing, f"fields without a Chinese label in services/change_text.py: {missing}"
    assert all(is_chinese(word) for word in FIELD_WORDS.values())


def test_a_field_without_a_label_reads_as_a_generic_chinese_phrase():
    assert field_word("unheard_of") == "其他信息"
    assert describe("张三", "edit", {"unheard_of": 1}, {"unheard_of": 2}) == "张三 把 其他信息 从 1 改为 2"
    assert describe("张三", "create", None, {"unheard_of": "甲"}) == "张三 新建：其他信息：甲"
