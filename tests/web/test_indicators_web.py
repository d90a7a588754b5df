"""Indicators, scorecards and the fiscal matrix on the web and in the API, on the real import of the gazette.

The indicators, the two schemes of 卫政办发〔2022〕28号 and the fiscal matters come from importing the
bundled gazette; units report values and the office grades through HTTP, as users would.
"""

from __future__ import annotations

import re
import shutil
from io import BytesIO

import openpyxl
import pytest
from fastapi.testclient import TestClient

from taizhang.services import accounts
from taizhang.services import indicator_views as views
from taizhang.services.audit import history
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from taizhang.web.routes.pages_indicators import nice_top, target_chart

from .conftest import make_app, sign_in
from .ledger_factory import GAZETTE

USERS = {
    "office": ("office", None),
    "health": ("unit", "市卫生健康委"),
    "zhongning": ("unit", "中宁县"),
    "leader": ("leader", None),
}
SERVICE_SHARE = "医疗服务收入"  # 附件2 row 1: ≥33% in 2022, weight 15 in 附件3
WATER_CUT = "压减黄河耗水量"  # 19号: a target per county


def build(url: str) -> dict[str, str]:
    """Import the gazette into ``url`` and add the test users; returns their API tokens."""
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    tokens = {}
    with unit_of_work(engine) as conn:
        for name, (role, unit) in USERS.items():
            accounts.add_user(conn, name, "password-123", role, unit)
            tokens[name] = accounts.issue_token(conn, name)
    engine.dispose()
    return tokens


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("indicators") / "template.db"
    return path, build(f"sqlite:///{path}")


@pytest.fixture
def web(template, tmp_path):
    """A client on a fresh copy of the imported ledger, and the users' bearer headers."""
    source, tokens = template
    shutil.copy(source, tmp_path / "ledger.db")
    app = make_app(f"sqlite:///{tmp_path / 'ledger.db'}", tmp_path)
    client = TestClient(app, follow_redirects=False)
    client.auth_headers = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
    yield client
    app.state.engine.dispose()


def as_user(web: TestClient, name: str) -> dict[str, str]:
    return web.auth_headers[name]


def indicator_named(web: TestClient, prefix: str, subject: str | None = None) -> dict:
    rows = web.get("/api/indicators", headers=as_user(web, "office")).json()["data"]
    return next(
        r for r in rows if r["name"].startswith(prefix) and (subject is None or r["subject"] == subject)
    )


def item_ids(web: TestClient, annex: str) -> list[int]:
    """The ids of a scheme's items, read from the ledger (the API names items only in scorecards)."""
    with web.app.state.engine.connect() as conn:
        return [i["id"] for s in views.list_schemes(conn) if s["annex"] == annex for i in s["items"]]


def report(
    web: TestClient, user: str, indicator_id: int, value, period: str = "2022", subject: str | None = None
):
    body = {"period": period, "value": value, **({"subject": subject} if subject else {})}
    return web.post(f"/api/indicators/{indicator_id}/values", json=body, headers=as_user(web, user))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- API: reading ---------------------------------------------------------------------------------


def test_anonymous_calls_get_401_and_pages_send_to_login(web):
    for path in ("/api/indicators", "/api/indicators/1", "/api/scorecards/附件3", "/api/fiscal?q=税"):
        assert web.get(path).status_code == 401, path
    assert web.post("/api/indicators/1/values", json={"period": "2022", "value": 1}).status_code == 401
    assert (
        web.post(
            "/api/schemes/附件4/grades",
            json={"subject": "中宁县", "period": "2022", "grades": [{"item_id": 11, "grade": "好"}]},
        ).status_code
        == 401
    )
    for path in ("/indicators", "/indicators/1", "/scorecards", "/scorecards.xlsx", "/fiscal"):
        response = web.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), path


def test_indicators_come_with_their_targets_per_period(web):
    body = web.get("/api/indicators", headers=as_user(web, "leader")).json()
    share = indicator_named(web, SERVICE_SHARE)
    assert body["count"] == len(body["data"]) >= 10
    assert (
        share["direction"] == "≥" and share["unit"] == "%" and share["doc_number"] == "卫政办发〔2022〕28号"
    )
    assert [(t["period"], t["text"]) for t in share["targets"]] == [("2022", "33%"), ("2023", "35%")]
    assert share["colour"] == "grey" and share["reported"] == 0
    everything = web.get("/api/indicators", params={"kind": "all"}, headers=as_user(web, "leader")).json()
    assert everything["count"] > body["count"]  # the water measures of 19号 too


def test_a_unit_reports_its_own_value_and_sees_it_judged(web):
    share = indicator_named(web, SERVICE_SHARE)
    created = report(web, "health", share["id"], "35%")
    assert created.status_code == 201
    assert created.json() | {"id": 0} == {
        "id": 0,
        "indicator_id": share["id"],
        "subject": "市卫生健康委",
        "period": "2022",
        "text": "35%",
        "met": True,
    }
    detail = web.get(f"/api/indicators/{share['id']}", headers=as_user(web, "leader")).json()
    assert [(v["subject"], v["text"], v["target"], v["met"]) for v in detail["values"]] == [
        ("市卫生健康委", "35%", "33%", True)
    ]
    assert detail["series"] == [
        {
            "subject": "市卫生健康委",
            "points": [
                {
                    "period": "2022",
                    "target": "33%",
                    "target_parts": [33.0],
                    "actual": "35%",
                    "actual_parts": [35.0],
                    "met": True,
                },
                {
                    "period": "2023",
                    "target": "35%",
                    "target_parts": [35.0],
                    "actual": None,
                    "actual_parts": [],
                    "met": None,
                },
            ],
        }
    ]
    assert indicator_named(web, SERVICE_SHARE)["colour"] == "green"


def test_reporting_again_corrects_the_value(web):
    share = indicator_named(web, SERVICE_SHARE)
    first = report(web, "health", share["id"], 30).json()
    second = report(web, "health", share["id"], 34).json()
    assert first["id"] == second["id"] and (first["met"], second["met"]) == (False, True)


def test_permissions_on_reporting_values(web):
    share = indicator_named(web, SERVICE_SHARE)
    water = indicator_named(web, WATER_CUT, subject="沙坡头区")
    assert report(web, "health", share["id"], 35, subject="中宁县").status_code == 403  # another unit
    assert report(web, "zhongning", water["id"], 5000).status_code == 403  # 沙坡头区's target
    assert report(web, "leader", share["id"], 35, subject="市卫生健康委").status_code == 403
    assert report(web, "office", share["id"], 35).status_code == 400  # the office must name whose value
    assert report(web, "office", share["id"], 35, subject="中宁县").status_code == 201
    assert report(web, "office", water["id"], 5000).json()["subject"] == "沙坡头区"
    assert report(web, "health", share["id"], "未统计").status_code == 400  # no figure
    assert report(web, "health", 999999, 35).status_code == 404


def test_a_multi_part_target_needs_every_part(web):
    debt = indicator_named(web, "公立医院资产负债率")  # 45%、16% in 2022, both ≤
    assert report(web, "health", debt["id"], "44%、17%").json()["met"] is False
    assert report(web, "health", debt["id"], "44%、15%").json()["met"] is True
    assert report(web, "zhongning", debt["id"], "44%").json()["met"] is None  # one figure for two parts


# -- API: scorecards and grades ---------------------------------------------------------------------


def test_weighted_scorecard_shows_its_arithmetic(web):
    share = indicator_named(web, SERVICE_SHARE)
    report(web, "health", share["id"], 35)
    body = web.get("/api/scorecards/附件3", params={"period": "2022"}, headers=as_user(web, "leader")).json()
    assert (body["scheme"], body["kind"], body["scale"], body["count"]) == (
        "卫政办发〔2022〕28号 附件3",
        "weighted",
        30,
        1,
    )
    card = body["data"][0]
    assert (card["subject"], card["raw"], card["maximum"]) == (
        "市卫生健康委",
        15,
        95,
    )  # the weights sum to 95
    assert card["factor"] == pytest.approx(30 / 95) and card["standardised"] == pytest.approx(15 * 30 / 95)
    assert len(card["missing"]) == 9 and "原始分 15 / 满分 95 × 30 = 4.74" in card["explanation"]
    proportional = web.get(
        "/api/scorecards/附件3",
        params={"period": "2022", "rule": "proportional"},
        headers=as_user(web, "leader"),
    ).json()["data"][0]
    assert proportional["raw"] == pytest.approx(15)  # 35 ≥ 33: attainment capped at 100%
    assert (
        web.get(
            "/api/scorecards/附件3", params={"rule": "generous"}, headers=as_user(web, "leader")
        ).status_code
        == 400
    )
    assert web.get("/api/scorecards/附件9", headers=as_user(web, "leader")).status_code == 404


def test_the_office_grades_and_the_graded_card_is_standardised_to_70(web):
    scheme = web.get("/api/scorecards/附件4", headers=as_user(web, "office")).json()
    assert (scheme["kind"], scheme["scale"], scheme["count"]) == ("graded", 70, 0)
    graded_ids = item_ids(web, "附件4")
    office = as_user(web, "office")
    all_good = [{"item_id": i, "grade": "好"} for i in graded_ids]
    full = web.post(
        "/api/schemes/附件4/grades",
        headers=office,
        json={"subject": "中宁县", "period": "2022", "grades": all_good},
    ).json()
    assert (len(graded_ids), full["raw"], full["standardised"]) == (7, 100, 70)
    card = web.post(
        "/api/schemes/附件4/grades",
        headers=office,
        json={"subject": "中宁县", "period": "2022", "grades": [{"item_id": graded_ids[0], "grade": "中"}]},
    ).json()
    assert (card["raw"], card["maximum"], card["standardised"]) == (95, 100, pytest.approx(66.5))
    assert card["missing"] == []
    listed = web.get("/api/scorecards/附件4", params={"period": "2022"}, headers=office).json()
    assert [(c["subject"], c["standardised"]) for c in listed["data"]] == [("中宁县", pytest.approx(66.5))]


def test_permissions_on_grading(web):
    item = item_ids(web, "附件4")[0]
    body = {"subject": "中宁县", "period": "2022", "grades": [{"item_id": item, "grade": "好"}]}
    assert web.post("/api/schemes/附件4/grades", json=body, headers=as_user(web, "office")).status_code == 201
    assert (
        web.post("/api/schemes/附件4/grades", json=body, headers=as_user(web, "zhongning")).status_code == 403
    )
    assert web.post("/api/schemes/附件4/grades", json=body, headers=as_user(web, "leader")).status_code == 403
    bad_grade = {**body, "grades": [{"item_id": item, "grade": "优"}]}
    assert (
        web.post("/api/schemes/附件4/grades", json=bad_grade, headers=as_user(web, "office")).status_code
        == 400
    )
    # the item belongs to 附件4, so grading it through 附件3 is refused
    assert web.post("/api/schemes/附件3/grades", json=body, headers=as_user(web, "office")).status_code == 404


# -- API: fiscal matrix -------------------------------------------------------------------------------


def test_who_pays_answers_with_the_level_the_sentence_and_the_line(web):
    body = web.get("/api/fiscal", params={"q": "环境保护税征收复核"}, headers=as_user(web, "leader")).json()
    best = body["data"][0]
    assert (best["level"], best["doc_number"], best["score"]) == ("市本级", "卫政办发〔2022〕15号", 1.0)
    assert "环境保护税征收复核" in best["sentence"] and "市本级承担支出责任" in best["sentence"]
    lines = GAZETTE.read_text(encoding="utf-8").splitlines()
    assert "环境保护税征收复核" in lines[best["line"] - 1]
    assert web.get("/api/fiscal", params={"q": ""}, headers=as_user(web, "leader")).json()["count"] == 0


# -- pages -----------------------------------------------------------------------------------------


def test_indicator_list_colours_attainment_per_indicator_and_per_unit(web):
    share = indicator_named(web, SERVICE_SHARE)
    report(web, "health", share["id"], 35)
    report(web, "zhongning", share["id"], 20)
    sign_in(web, "leader")
    page = web.get("/indicators").text
    row = re.search(rf'<tr id="indicator-{share["id"]}">(.*?)</tr>', page, re.S).group(1)
    assert 'class="dot yellow"' in row and "33%" in row and "35%" in row  # one met, one not; 2022 and 2023
    units = re.search(r'<table class="compact" id="by-subject">(.*?)</table>', page, re.S).group(1)
    assert re.search(r'data-subject="市卫生健康委">.*?dot green.*?class="rate">100%', units, re.S)
    assert re.search(r'data-subject="中宁县">.*?dot red.*?class="rate">0%', units, re.S)


def test_indicator_page_draws_target_against_actual_and_offers_the_form_to_units(web):
    share = indicator_named(web, SERVICE_SHARE)
    token = sign_in(web, "health")
    page = web.get(f"/indicators/{share['id']}").text
    assert 'data-period="2022" data-value="33"' in page and '<rect class="actual"' not in page
    assert f'action="/indicators/{share["id"]}/values"' in page
    assert (
        web.post(f"/indicators/{share['id']}/values", data={"period": "2022", "value": "36"}).status_code
        == 403
    )
    posted = web.post(
        f"/indicators/{share['id']}/values", data={"period": "2022", "value": "36", "csrf_token": token}
    )
    assert posted.status_code == 303 and "done=value" in posted.headers["location"]
    page = web.get(posted.headers["location"]).text
    assert re.search(r'<rect class="actual" data-period="2022" data-value="36"[^>]*fill="#2f9e5b"', page)
    assert "实际值已报送" in page and "市卫生健康委" in text_of(page)


def test_leaders_read_but_get_no_report_form(web):
    share = indicator_named(web, SERVICE_SHARE)
    token = sign_in(web, "leader")
    assert "报送实际值" not in web.get(f"/indicators/{share['id']}").text
    posted = web.post(
        f"/indicators/{share['id']}/values",
        data={"period": "2022", "value": "36", "subject": "中宁县", "csrf_token": token},
    )
    assert posted.status_code == 403


def test_scorecard_page_explains_raw_maximum_and_factor_and_the_office_grades_there(web):
    share = indicator_named(web, SERVICE_SHARE)
    report(web, "health", share["id"], 35)
    token = sign_in(web, "office")
    page = web.get("/scorecards?period=2022").text
    weighted = re.search(
        r'<tr data-subject="市卫生健康委"><td>市卫生健康委</td><td class="raw">(.*?)</tr>', page, re.S
    )
    assert "15 ÷ 95 × 30 = 4.74" in weighted.group(1) and "0.3158" in weighted.group(1)
    assert "达标，得 15 分 (权重 15)" in page and "缺报，按 0 分计" in page
    form = re.search(r'<form method="post" action="/scorecards/grades".*?</form>', page, re.S).group(0)
    scheme_id = re.search(r'name="scheme" value="(\d+)"', form).group(1)
    selects = re.findall(r'name="grade_(\d+)"', form)
    assert len(selects) == 7
    data = {
        "csrf_token": token,
        "scheme": scheme_id,
        "period": "2022",
        "subject": "市卫生健康委",
        **{f"grade_{i}": "好" for i in selects},
    }
    posted = web.post("/scorecards/grades", data=data)
    assert posted.status_code == 303
    page = web.get(posted.headers["location"]).text
    total = re.search(
        r'<table class="compact" id="totals">.*?data-subject="市卫生健康委">(.*?)</tr>', page, re.S
    )
    assert "4.74" in total.group(1) and "70.00" in total.group(1) and "74.74" in total.group(1)


def test_units_cannot_grade_on_the_page(web):
    token = sign_in(web, "health")
    assert "评价等次 (督查室)" not in web.get("/scorecards").text
    posted = web.post(
        "/scorecards/grades",
        data={
            "csrf_token": token,
            "scheme": "2",
            "period": "2022",
            "subject": "市卫生健康委",
            "grade_11": "好",
        },
    )
    assert posted.status_code == 403


def test_scorecards_download_as_a_workbook(web):
    share = indicator_named(web, SERVICE_SHARE)
    report(web, "health", share["id"], 35)
    sign_in(web, "leader")
    response = web.get("/scorecards.xlsx?period=2022")
    assert response.status_code == 200 and "scorecards-2022.xlsx" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[0][:5] == ("对象", "考评方案", "期间", "计分规则", "原始得分")
    assert [(r[0], r[1], r[4], r[5], r[8]) for r in rows[1:]] == [
        ("市卫生健康委", "卫政办发〔2022〕28号 附件3", 15, 95, 4.74),
        ("市卫生健康委", "卫政办发〔2022〕28号 附件4", 0, 100, 0),
    ]


def test_fiscal_page_answers_and_links_to_the_reader_line(web):
    sign_in(web, "leader")
    page = web.get("/fiscal", params={"q": "环境保护税"}).text
    answers = re.search(r'<section class="card" id="answers">(.*?)</section>', page, re.S).group(1)
    assert '<b class="level">市本级</b>' in answers and "确认为市本级财政事权" in answers
    link = re.search(r'href="(/documents/\d+)#L(\d+)"', answers)
    reader = web.get(link.group(1)).text
    line = re.search(rf'<li id="L{link.group(2)}"[^>]*>(.*?)</li>', reader, re.S).group(1)
    assert "环境保护税" in line
    assert "没有找到相关事项" in web.get("/fiscal", params={"q": "航天发射"}).text
    assert page.count('<tr class="domain">') >= 1 and page.count("<tr>") > 20  # the whole matrix below


def test_every_indicator_page_renders(web):
    sign_in(web, "office")
    rows = web.get("/api/indicators", params={"kind": "all"}).json()["data"]
    paths = ["/indicators", "/indicators?kind=all", "/indicators?period=2023", "/scorecards", "/fiscal"]
    paths += [f"/indicators/{r['id']}" for r in rows]
    assert [(p, s) for p in paths if (s := web.get(p).status_code) != 200] == []


# -- the chart --------------------------------------------------------------------------------------


def test_chart_draws_a_bar_per_actual_and_a_mark_per_target_part():
    points = [
        {
            "period": "2022",
            "target": "45%、16%",
            "target_parts": [45.0, 16.0],
            "actual": "44%、17%",
            "actual_parts": [44.0, 17.0],
            "met": False,
        },
        {
            "period": "2023",
            "target": "44%、15%",
            "target_parts": [44.0, 15.0],
            "actual": None,
            "actual_parts": [],
            "met": None,
        },
    ]
    svg = str(target_chart(points, "%"))
    assert re.findall(r'<rect class="actual" data-period="(\d+)" data-value="([\d.]+)"', svg) == [
        ("2022", "44"),
        ("2022", "17"),
    ]
    assert re.findall(r'<line class="target" data-period="(\d+)" data-value="([\d.]+)"', svg) == [
        ("2022", "45"),
        ("2022", "16"),
        ("2023", "44"),
        ("2023", "15"),
    ]
    assert svg.count('fill="#d64545"') == 2 and svg.count("<polyline") == 2
    assert str(target_chart([], None)) == ""


# -- PostgreSQL too ---------------------------------------------------------------------------------


def test_report_and_score_on_each_database(db_url, tmp_path):
    tokens = build(db_url)
    app = make_app(db_url, tmp_path)
    try:
        web = TestClient(app, follow_redirects=False)
        web.auth_headers = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
        share = indicator_named(web, SERVICE_SHARE)
        assert report(web, "health", share["id"], 35).status_code == 201
        assert report(web, "health", share["id"], 35, subject="中宁县").status_code == 403
        card = web.get(
            "/api/scorecards/附件3", params={"period": "2022"}, headers=as_user(web, "office")
        ).json()["data"][0]
        assert card["standardised"] == pytest.approx(15 * 30 / 95)
    finally:
        app.state.engine.dispose()


def test_oversized_fields_are_refused_before_the_database(web):
    share = indicator_named(web, SERVICE_SHARE)
    assert report(web, "health", share["id"], "3" * 101).status_code == 422
    assert report(web, "office", share["id"], 35, subject="单" * 101).status_code == 422
    assert report(web, "health", share["id"], 35, period="2022年第一季度上半月").status_code == 422
    token = sign_in(web, "health")
    posted = web.post(
        f"/indicators/{share['id']}/values", data={"period": "2022" * 3, "value": "35", "csrf_token": token}
    )
    assert posted.status_code == 400 and "期间最多10个字符" in posted.text


@pytest.mark.parametrize(
    ("largest", "top"), [(45.9, 60), (33, 40), (8.3, 10), (0.9, 1), (3224, 4000), (0, 1), (100, 150)]
)
def test_value_axis_ends_at_a_round_number_above_the_largest_figure(largest, top):
    assert nice_top(largest) == pytest.approx(top)


def test_openapi_describes_the_indicator_api(web):
    paths = web.get("/openapi.json").json()["paths"]
    assert {
        "/api/indicators",
        "/api/indicators/{indicator_id}",
        "/api/indicators/{indicator_id}/values",
        "/api/scorecards/{scheme}",
        "/api/schemes/{scheme}/grades",
        "/api/fiscal",
    } <= set(paths)
    created = paths["/api/indicators/{indicator_id}/values"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/ValueCreated")


def test_a_county_sees_no_form_on_another_countys_target(web):
    water = indicator_named(web, WATER_CUT, subject="沙坡头区")
    sign_in(web, "zhongning")
    assert "报送实际值" not in web.get(f"/indicators/{water['id']}").text
    own = indicator_named(web, WATER_CUT, subject="中宁县")
    assert "报送实际值" in web.get(f"/indicators/{own['id']}").text


def test_values_and_grades_from_the_web_are_in_the_change_log(web):
    share = indicator_named(web, SERVICE_SHARE)
    value_id = report(web, "health", share["id"], 30).json()["id"]
    report(web, "health", share["id"], 35)
    with web.app.state.engine.connect() as conn:
        entries = history(conn, "indicator_value", value_id)
    assert [(e["actor"], e["action"]) for e in entries] == [
        ("health", "report_value"),
        ("health", "correct_value"),
    ]


def test_attainment_of_one_unit(web):
    share = indicator_named(web, SERVICE_SHARE)
    days = indicator_named(web, "公立医院平均住院日")  # ≤8.3天 in 2022
    report(web, "health", share["id"], 35)
    report(web, "health", days["id"], "9.1天")
    report(web, "zhongning", days["id"], 8)
    rows = web.get(
        "/api/indicators",
        params={"period": "2022", "subject": "市卫生健康委"},
        headers=as_user(web, "leader"),
    ).json()["data"]
    mine = {r["id"]: (r["actual"], r["colour"]) for r in rows if r["reported"]}
    assert mine == {share["id"]: ("35", "green"), days["id"]: ("9.1天", "red")}
    sign_in(web, "health")
    page = web.get("/indicators", params={"period": "2022"}).text
    assert (
        'href="?period=2022&amp;subject=%E5%B8%82%E5%8D%AB%E7%94%9F%E5%81%A5%E5%BA%B7%E5%A7%94">本单位'
        in page
    )
    page = web.get("/indicators", params={"period": "2022", "subject": "市卫生健康委"}).text
    row = re.search(rf'<tr id="indicator-{days["id"]}">(.*?)</tr>', page, re.S).group(1)
    assert 'class="dot red"' in row and '<td data-label="实际" class="actual">9.1天</td>' in row


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_office_imports_a_workbook_of_values_all_rows_or_none(web):
    token = sign_in(web, "office")
    good = workbook(
        ("指标", "对象", "期间", "数值"),
        ("公立医院平均住院日", "中宁县", 2022, "8.1天"),
        ("公立医院平均住院日", "海原县", "2022", 8.9),
    )
    posted = web.post(
        "/indicators/import", data={"csrf_token": token}, files={"workbook": ("报送表.xlsx", good, XLSX)}
    )
    assert posted.status_code == 303 and posted.headers["location"] == "/indicators?done=import&count=2"
    assert "已导入 2 行报送数据" in web.get(posted.headers["location"]).text
    days = indicator_named(web, "公立医院平均住院日")
    values = web.get(f"/api/indicators/{days['id']}").json()["values"]
    assert [(v["subject"], v["text"], v["met"]) for v in values] == [
        ("中宁县", "8.1天", True),
        ("海原县", "8.9", False),
    ]
    broken = workbook(
        ("指标", "对象", "期间", "数值"),
        ("公立医院平均住院日", "沙坡头区", 2022, 8),
        ("没有这个指标", "沙坡头区", 2022, 1),
    )
    refused = web.post(
        "/indicators/import", data={"csrf_token": token}, files={"workbook": ("报送表.xlsx", broken, XLSX)}
    )
    assert refused.status_code == 400 and "第 3 行" in refused.text
    assert len(web.get(f"/api/indicators/{days['id']}").json()["values"]) == 2  # the good row 2 was not kept


def test_units_cannot_import_workbooks(web):
    token = sign_in(web, "health")
    assert "导入报送表" not in web.get("/indicators").text
    posted = web.post(
        "/indicators/import",
        data={"csrf_token": token},
        files={"workbook": ("v.xlsx", workbook(("指标", "对象", "期间", "数值")), XLSX)},
    )
    assert posted.status_code == 403


# -- every write × every role -------------------------------------------------------------------------

ROLES = (
    "anonymous",
    "office",
    "health",
    "zhongning",
    "leader",
)  # zhongning writes for 市卫生健康委: another unit
VALUE_OK = {"anonymous": 401, "office": 201, "health": 201, "zhongning": 403, "leader": 403}
OFFICE_OK = {"anonymous": 401, "office": 201, "health": 403, "zhongning": 403, "leader": 403}


def _page(expected: dict[str, int]) -> dict[str, int]:
    return {role: 303 if status == 201 else status for role, status in expected.items()}


def _write(web: TestClient, endpoint: str, role: str):
    share = indicator_named(web, SERVICE_SHARE)
    item = item_ids(web, "附件4")[0]
    headers = {} if role == "anonymous" or endpoint.startswith("page") else as_user(web, role)
    token = sign_in(web, role) if endpoint.startswith("page") and role != "anonymous" else ""
    grades = {"subject": "中宁县", "period": "2022", "grades": [{"item_id": item, "grade": "好"}]}
    value = {"period": "2022", "value": "35", "subject": "市卫生健康委"}
    if endpoint == "value":
        return web.post(f"/api/indicators/{share['id']}/values", json=value, headers=headers)
    if endpoint == "grades":
        return web.post("/api/schemes/附件4/grades", json=grades, headers=headers)
    if endpoint == "page-value":
        return web.post(f"/indicators/{share['id']}/values", data={**value, "csrf_token": token})
    if endpoint == "page-grades":
        return web.post(
            "/scorecards/grades",
            data={
                "scheme": "附件4",
                "subject": "中宁县",
                "period": "2022",
                f"grade_{item}": "好",
                "csrf_token": token,
            },
        )
    rows = workbook(("指标", "对象", "期间", "数值"), ("公立医院平均住院日", "中宁县", 2022, 8))
    return web.post(
        "/indicators/import", data={"csrf_token": token}, files={"workbook": ("v.xlsx", rows, XLSX)}
    )


MATRIX = {
    "value": VALUE_OK,
    "grades": OFFICE_OK,
    "page-value": _page(VALUE_OK),
    "page-grades": _page(OFFICE_OK),
    "page-import": _page(OFFICE_OK),
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_permission_matrix(web, endpoint):
    got = {}
    for role in ROLES:
        web.cookies.clear()
        got[role] = _write(web, endpoint, role).status_code
    assert got == MATRIX[endpoint]


def test_a_measure_shows_its_figures_and_units(web):
    measures = web.get("/api/indicators", params={"kind": "measure"}, headers=as_user(web, "leader")).json()
    upgrade = next(
        m for m in measures["data"] if m["name"].startswith("提升改造高效节水") and m["subject"] == "沙坡头区"
    )
    figures = {q["name"]: q["value"] for q in upgrade["details"]["quantities"]}
    assert (figures["节耗水量"], figures["投资估算"]) == (70.0, 300.0)
    assert upgrade["details"]["cooperating"] == ["沙坡头区水务局"]
    sign_in(web, "leader")
    facts = text_of(web.get(f"/indicators/{upgrade['id']}").text)
    assert "节耗水量 70 万m³" in facts and "投资估算 300 万元" in facts and "配合单位 沙坡头区水务局" in facts


def test_subjects_are_filed_under_the_directory_name(web):
    share = indicator_named(web, SERVICE_SHARE)
    assert report(web, "office", share["id"], 35, subject="市卫健委").json()["subject"] == "市卫生健康委"
    assert (
        report(web, "health", share["id"], 36, subject="市卫生健康委员会").status_code == 201
    )  # its own alias
    assert (
        report(web, "office", share["id"], 34, subject="中卫市人民医院").json()["subject"] == "中卫市人民医院"
    )
    item = item_ids(web, "附件4")[0]
    card = web.post(
        "/api/schemes/附件4/grades",
        headers=as_user(web, "office"),
        json={"subject": "市卫生健康委员会", "period": "2022", "grades": [{"item_id": item, "grade": "好"}]},
    ).json()
    assert card["subject"] == "市卫生健康委"
    subjects = [
        v["subject"]
        for v in web.get(f"/api/indicators/{share['id']}", headers=as_user(web, "office")).json()["values"]
    ]
    assert sorted(subjects) == ["中卫市人民医院", "市卫生健康委"]
