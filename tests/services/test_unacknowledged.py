"""Parts not signed for (未签收) within the configured working days of their 交办: yellow and listed."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.services import parts
from taizhang.services.database import unit_of_work
from taizhang.storage.tables import parts as parts_table

HANDED = date(2022, 7, 1)  # a Friday: three working days later is Wednesday 6 July


def _hand_over_all(ledger, day: date = HANDED) -> None:
    with unit_of_work(ledger.engine) as conn:
        conn.execute(parts_table.update().values(assigned_on=day))


def _listed(ledger, as_of: date, days: int = 3, unit_ids=None) -> list[tuple[str, str]]:
    with ledger.engine.connect() as conn:
        return [(p["title"], p["unit"]) for p in parts.unacknowledged(conn, as_of, days, unit_ids=unit_ids)]


@pytest.mark.parametrize(("as_of", "listed"), [(date(2022, 7, 6), False), (date(2022, 7, 7), True)])
def test_a_part_is_listed_the_day_after_its_last_day_to_sign(sqlite_ledger, as_of, listed):
    _hand_over_all(sqlite_ledger)
    assert (("推进分级诊疗", "市卫生健康委") in _listed(sqlite_ledger, as_of)) is listed


def test_signing_takes_a_part_off_the_list_and_a_unit_reads_its_own(sqlite_ledger):
    _hand_over_all(sqlite_ledger)
    as_of = date(2022, 7, 20)
    everyone = _listed(sqlite_ledger, as_of)
    assert {u for _, u in everyone} == {"市卫生健康委", "市医保局", "沙坡头区", "中宁县", "海原县"}
    with unit_of_work(sqlite_ledger.engine) as conn:
        parts.acknowledge(conn, sqlite_ledger.users["zhongning"], sqlite_ledger.tasks["counties"])
    assert ("建设县域医共体", "中宁县") not in _listed(sqlite_ledger, as_of)
    assert ("建设县域医共体", "海原县") in _listed(sqlite_ledger, as_of)  # its neighbours still owe it
    mine = _listed(sqlite_ledger, as_of, unit_ids={sqlite_ledger.units["市医保局"]})
    assert mine and {u for _, u in mine} == {"市医保局"}
    with sqlite_ledger.engine.connect() as conn:
        views = {v["unit"]: v for v in parts.part_views(conn, sqlite_ledger.tasks["counties"], as_of, 3)}
    assert (views["中宁县"]["ack_overdue"], views["海原县"]["ack_overdue"]) == (False, True)


def test_the_number_of_working_days_is_the_settings(sqlite_ledger):
    _hand_over_all(sqlite_ledger, date(2022, 9, 29))  # 国庆: 30 Sep, then 8 and 9 Oct are working days
    assert _listed(sqlite_ledger, date(2022, 10, 9), days=3) == []
    assert _listed(sqlite_ledger, date(2022, 10, 10), days=3) != []
    assert _listed(sqlite_ledger, date(2022, 10, 10), days=4) == []
