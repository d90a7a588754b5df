"""The Alembic migrations build exactly the schema the metadata describes, on both databases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from taizhang.services.database import open_database
from taizhang.storage.schema import alembic_config, compare_options, upgrade_schema
from tests.utils.rows import insert_issue_with_documents


def _diff(engine: sa.Engine) -> list:
    options = compare_options()
    metadata = options.pop("target_metadata")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=options)
        return compare_metadata(context, metadata)


def test_upgrade_head_leaves_no_autogenerate_diff(db_url):
    engine = open_database(db_url)
    try:
        assert _diff(engine) == []
        # one line of revisions: a second head would mean two migrations forked from one parent
        (head,) = ScriptDirectory.from_config(alembic_config()).get_heads()
        with engine.connect() as conn:
            assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == head
    finally:
        engine.dispose()


def test_upgrade_twice_changes_nothing(db_url):
    engine = open_database(db_url)
    try:
        before = sorted(sa.inspect(engine).get_table_names())
        upgrade_schema(engine)
        assert sorted(sa.inspect(sa.create_engine(engine.url)).get_table_names()) == before
        assert {"tasks", "assignments", "change_log", "units"} <= set(before)
    finally:
        engine.dispose()


def _add_task(conn: sa.Connection, task_id: int, title: str) -> None:
    """A task of the ledger's one document (made with the first task)."""
    if task_id == 7:
        insert_issue_with_documents(conn)
    conn.execute(
        sa.text(
            "insert into tasks (id, document_id, key, source, title, body, line, line_start, "
            "line_end, deadline_kind, status, percent, needs_review, review_notes, is_public) "
            "values (:id, 1, :key, 'text', :title, '', 1, 1, 1, 'none', '未开始', 0, 0, '[]', 0)"
        ),
        {"id": task_id, "key": f"k{task_id}", "title": title},
    )


_MATCH = sa.text("select rowid from tasks_fts where tasks_fts match :q order by rowid")


def test_sqlite_full_text_index_follows_task_changes(sqlite_url):
    engine = open_database(sqlite_url)
    with engine.begin() as conn:
        _add_task(conn, 7, "加快典型案例整改")
    with engine.begin() as conn:
        assert conn.execute(_MATCH, {"q": '"典型案例"'}).scalars().all() == [7]
        conn.execute(sa.text("update tasks set title = '严把项目准入' where id = 7"))
        assert conn.execute(_MATCH, {"q": '"典型案例"'}).scalars().all() == []
        assert conn.execute(_MATCH, {"q": '"项目准入"'}).scalars().all() == [7]
    engine.dispose()


def test_deferring_the_full_text_index_migrates_down_and_up(sqlite_url):
    """Down to 0027 the insert trigger indexes every task again and the deferral table goes; back up
    it returns. Either way a task inserted is found at once."""
    from alembic import command

    engine = open_database(sqlite_url)
    config = alembic_config()
    deferral = sa.text("select name from sqlite_master where name = 'tasks_fts_deferred'")
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0027_running_totals")
            assert conn.execute(deferral).scalar() is None
            _add_task(conn, 7, "加快典型案例整改")
            assert conn.execute(_MATCH, {"q": '"典型案例"'}).scalars().all() == [7]
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            assert conn.execute(deferral).scalar() == "tasks_fts_deferred"
            _add_task(conn, 8, "推广典型案例经验")
            assert conn.execute(_MATCH, {"q": '"典型案例"'}).scalars().all() == [7, 8]
            conn.execute(sa.text("insert into tasks_fts(tasks_fts, rank) values ('integrity-check', 1)"))
    finally:
        engine.dispose()


def test_upgrading_a_ledger_with_reports_keeps_their_attachments(sqlite_url):
    """Adding the report retry key must not rebuild the reports table: on SQLite, dropping it cascades
    into attachments."""
    from alembic import command

    engine = sa.create_engine(sqlite_url)
    sa.event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA foreign_keys=ON"))
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0007_jobs")
    with engine.begin() as conn:
        insert_issue_with_documents(conn)
        conn.execute(
            sa.text(
                "insert into tasks (id, document_id, key, source, title, body, line, line_start, "
                "line_end, deadline_kind, status, percent, needs_review, review_notes, is_public) "
                "values (7, 1, 'k', 'text', 't', '', 1, 1, 1, 'none', '未开始', 0, 0, '[]', 0)"
            )
        )
        conn.execute(sa.text("insert into units (id, name, kind, verified) values (1, 'u', 'department', 1)"))
        conn.execute(
            sa.text(
                "insert into users (id, name, password_hash, role, active) values (1, 'w', 'h', 'unit', 1)"
            )
        )
        conn.execute(
            sa.text(
                "insert into reports (id, task_id, unit_id, user_id, kind, practice, results, problems, "
                "next_steps, percent, submitted_on) values (1, 7, 1, 1, 'progress', 'p', '', '', '', 10, "
                "'2022-05-06')"
            )
        )
        conn.execute(
            sa.text(
                "insert into attachments (id, report_id, filename, size, sha256, stored_path) "
                "values (1, 1, 'a.txt', 1, 'x', '/tmp/a')"
            )
        )
    engine.dispose()
    upgraded = open_database(sqlite_url)
    with upgraded.connect() as conn:
        assert conn.execute(sa.text("select count(*) from attachments")).scalar() == 1
        assert conn.execute(sa.text("select count(*) from reports")).scalar() == 1
    upgraded.dispose()


class _Killed(Exception):
    pass


def test_a_schema_creation_cut_short_leaves_an_empty_database_that_a_rerun_completes(sqlite_url):
    """SQLite commits each CREATE TABLE by itself unless the upgrade takes the transaction in hand:
    a kill during the first import left some tables and no alembic_version, and every later run failed."""
    engine = sa.create_engine(sqlite_url)
    created: list[str] = []

    def cut(conn, cursor, statement, *_):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("CREATE TABLE"):
            created.append(statement)
            if len(created) == 6:
                raise _Killed

    sa.event.listen(engine, "before_cursor_execute", cut)
    try:
        upgrade_schema(engine)
    except Exception as exc:  # noqa: BLE001 - the driver may wrap it
        assert (
            isinstance(exc, _Killed)
            or isinstance(getattr(exc, "orig", None), _Killed)
            or "_Killed" in repr(exc)
        )
    else:
        raise AssertionError("the cut did not happen")
    sa.event.remove(engine, "before_cursor_execute", cut)
    engine.dispose()
    assert sa.inspect(sa.create_engine(sqlite_url)).get_table_names() == []
    rerun = open_database(sqlite_url)
    assert {"tasks", "change_log", "alembic_version"} <= set(sa.inspect(rerun).get_table_names())
    rerun.dispose()


def _upgrade(engine: sa.Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_upgrade_gives_existing_tasks_their_parts_with_their_reports_and_approvals(db_url):
    """A ledger from before parts: each unit's reports, requests and approvals land on its own part."""
    engine = sa.create_engine(db_url)
    try:
        _upgrade(engine, "0010_campaign_clocks")
        q = sa.text
        with engine.begin() as conn:
            insert_issue_with_documents(conn)
            for uid, name, kind in (
                (1, "各县(区)", "group"),
                (2, "沙坡头区", "county"),
                (3, "中宁县", "county"),
                (4, "海原县", "county"),
                (5, "市卫生健康委", "department"),
                (6, "市医保局", "department"),
            ):
                conn.execute(
                    q("insert into units (id, name, kind, verified) values (:i, :n, :k, true)"),
                    {"i": uid, "n": name, "k": kind},
                )
            for member in (2, 3, 4):
                conn.execute(
                    q("insert into unit_members (group_id, member_id) values (1, :m)"), {"m": member}
                )
            for tid, status, percent in ((1, "待审核", 90), (2, "已完成", 100), (3, "推进中", 40)):
                conn.execute(
                    q(
                        "insert into tasks (id, document_id, key, source, title, body, line, line_start, "
                        "line_end, deadline_kind, status, percent, needs_review, review_notes, is_public) "
                        "values (:t, 1, :k, 'text', 't', '', 1, 1, 1, 'date', :s, :p, false, '[]', false)"
                    ),
                    {"t": tid, "k": f"k{tid}", "s": status, "p": percent},
                )
            for tid, uid, role in (
                (1, 1, "responsible"),
                (2, 5, "lead"),
                (2, 1, "responsible"),
                (3, 5, "lead"),
                (3, 6, "cooperating"),
            ):
                conn.execute(
                    q(
                        "insert into assignments (task_id, unit_id, role, printed, position) "
                        "values (:t, :u, :r, 'x', 0)"
                    ),
                    {"t": tid, "u": uid, "r": role},
                )
            for tid, uid, kind, percent in (
                (1, 3, "progress", 90),
                (1, 3, "completion", 90),
                (1, 4, "progress", 30),
            ):
                conn.execute(
                    q(
                        "insert into reports (task_id, unit_id, kind, practice, results, problems, next_steps, "
                        "percent, submitted_on) values (:t, :u, :k, 'a', '', '', '', :p, '2022-05-01')"
                    ),
                    {"t": tid, "u": uid, "k": kind, "p": percent},
                )
        _upgrade(engine, "head")
        with engine.connect() as conn:
            got = {
                (t, u): (s, p)
                for t, u, s, p in conn.execute(q("select task_id, unit_id, status, percent from parts"))
            }
            task_states = dict(conn.execute(q("select id, status from tasks")).all())
            percents = dict(conn.execute(q("select id, percent from tasks")).all())
        assert got == {
            (1, 2): ("未开始", 0),
            (1, 3): ("待审核", 90),
            (1, 4): ("推进中", 30),  # each county its own
            (2, 5): ("已完成", 100),
            (2, 2): ("已完成", 100),
            (2, 3): ("已完成", 100),
            (2, 4): ("已完成", 100),
            (3, 5): ("推进中", 40),  # one part keeps the task's state; cooperating units have none
        }
        assert task_states == {1: "推进中", 2: "已完成", 3: "推进中"} and percents == {1: 40, 2: 100, 3: 40}
    finally:
        engine.dispose()


def test_upgrade_stores_late_days_and_keeps_sealed_rows_verified(db_url):
    """A sealed ledger from before ``late_on``: the upgrade fills the late days by the ledger's rule and
    the rows it filled still verify."""
    from taizhang.services.audit import connection_key
    from taizhang.services.seals import row_seal, verify_seals

    engine = sa.create_engine(db_url)
    try:
        _upgrade(engine, "0015_seals")
        q = sa.text
        with engine.begin() as conn:
            insert_issue_with_documents(conn)
            conn.execute(
                q("insert into units (id, name, kind, verified) values (1, '中宁县', 'county', true)")
            )
            for tid, status, due in (
                (1, "推进中", "2022-04-30"),
                (2, "已完成", "2022-04-30"),
                (3, "推进中", None),
            ):
                conn.execute(
                    q(
                        "insert into tasks (id, document_id, key, source, title, body, line, line_start, "
                        "line_end, deadline_kind, due_on, status, percent, needs_review, review_notes, "
                        "is_public) values (:t, 1, :k, 'text', 't', '', 1, 1, 1, 'date', :d, :s, 0, false, "
                        "'[]', false)"
                    ),
                    {"t": tid, "k": f"k{tid}", "s": status, "d": due},
                )
                conn.execute(
                    q(
                        "insert into parts (id, task_id, unit_id, role, status, percent) "
                        "values (:t, :t, 1, 'lead', :s, 0)"
                    ),
                    {"t": tid, "s": status},
                )
            key = connection_key(conn)
            for table in ("tasks", "parts"):
                for row in conn.execute(q(f"select * from {table}")).mappings():
                    conn.execute(
                        q("insert into row_seals (table_name, row_id, seal) values (:n, :i, :s)"),
                        {"n": table, "i": row["id"], "s": row_seal(key, table, dict(row))},
                    )
        _upgrade(engine, "head")
        with engine.connect() as conn:
            late = {
                table: dict(conn.execute(q(f"select id, late_on from {table}")).all())
                for table in ("tasks", "parts")
            }
            checked, problems = verify_seals(conn)
        for table in ("tasks", "parts"):
            days = {i: (str(d)[:10] if d else None) for i, d in late[table].items()}
            assert days == {1: "2022-05-01", 2: None, 3: None}  # only the open dated work turns late
        assert checked >= 6 and problems == []
    finally:
        engine.dispose()


def test_measure_rows_stored_by_an_older_ledger_read_as_measures_with_quantities(db_url):
    """Rows stored as kind water_measure with saving/intake_cut/investment become kind measure with a
    list of quantities, their keys follow, and a downgrade gives the old form back."""
    from alembic import command

    engine = sa.create_engine(db_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0025_owing_by_due")
    old_details = {
        "saving": 401.0,
        "intake_cut": 799.0,
        "investment": None,
        "responsible": ["甲县农业农村局"],
        "cooperating": ["甲县水务局"],
        "period": "2021",
    }
    indicators = sa.table(
        "indicators",
        sa.column("id"),
        sa.column("key"),
        sa.column("kind"),
        sa.column("name"),
        sa.column("unit"),
        sa.column("source"),
        sa.column("line"),
        sa.column("details", sa.JSON),
    )
    with engine.begin() as conn:
        conn.execute(
            indicators.insert().values(
                id=1,
                key="X〔2022〕1号|附件1|water|634",
                kind="water_measure",
                name="压减水稻改为玉米",
                unit="万m³",
                source="table",
                line=634,
                details=old_details,
            )
        )
    read = sa.select(indicators.c.key, indicators.c.kind, indicators.c.unit, indicators.c.details)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with engine.connect() as conn:
        key, kind, unit, details = conn.execute(read).one()
    assert (key, kind, unit) == ("X〔2022〕1号|附件1|measure|634", "measure", "万m³")
    assert details == {
        "quantities": [
            {"name": "节耗水量", "value": 401.0, "unit": "万m³"},
            {"name": "折减取水量", "value": 799.0, "unit": "万m³"},
        ],
        "responsible": ["甲县农业农村局"],
        "cooperating": ["甲县水务局"],
        "period": "2021",
    }
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0025_owing_by_due")
    with engine.connect() as conn:
        assert tuple(conn.execute(read).one()) == (
            "X〔2022〕1号|附件1|water|634",
            "water_measure",
            "万m³",
            old_details,
        )
    engine.dispose()


def test_running_totals_are_counted_from_the_rows_there_are_and_a_downgrade_gives_the_old_tallies(db_url):
    """Up from ``0026_measure_rows``: the running totals equal a count of the rows stored before it;
    down again: the month-by-status tallies are back and kept by their triggers."""
    from datetime import date

    from alembic import command

    from taizhang.services.tallies import TABLES, counted
    from taizhang.storage.tables import tally_late

    engine = open_database(db_url)
    config = alembic_config()
    q = sa.text
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0026_measure_rows")
        with engine.begin() as conn:
            insert_issue_with_documents(conn, document_ids=(1, 2))
            conn.execute(
                q("insert into units (id, name, kind, verified) values (1, '中宁县', 'county', true)")
            )
            rows = (
                (1, 1, "推进中", date(2022, 5, 1), None),
                (2, 1, "已完成", None, None),
                (3, 2, "推进中", date(2022, 3, 1), "monthly:25"),
                (4, 2, "未开始", date(2021, 12, 31), None),
                (5, 2, "已撤销", None, "monthly:25"),
            )
            for tid, doc, status, late, cycle in rows:
                conn.execute(
                    q(
                        "insert into tasks (id, document_id, key, source, title, body, line, line_start, "
                        "line_end, deadline_kind, status, late_on, recurrence, percent, needs_review, "
                        "review_notes, is_public) values (:t, :doc, :k, 'text', 't', '', 1, 1, 1, 'date', :s, "
                        ":late, :cycle, 0, false, '[]', false)"
                    ),
                    {"t": tid, "doc": doc, "k": f"k{tid}", "s": status, "late": late, "cycle": cycle},
                )
                conn.execute(
                    q(
                        "insert into parts (id, task_id, unit_id, role, status, percent, late_on) "
                        "values (:t, :t, 1, 'lead', :s, 0, :late)"
                    ),
                    {"t": tid, "s": "推进中" if status == "已撤销" else status, "late": late},
                )
                conn.execute(
                    q(
                        "insert into reports (task_id, unit_id, kind, practice, results, problems, next_steps, "
                        "percent, submitted_on) values (:t, 1, 'progress', '', '', '', '', :p, :day)"
                    ),
                    {"t": tid, "p": 10 * tid, "day": date(2022, 5, tid)},
                )
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        with engine.connect() as conn:
            expected = {
                name: sorted(repr(sorted(r.items())) for r in rows) for name, rows in counted(conn).items()
            }
            kept = {
                t.name: sorted(repr(sorted(r._mapping.items())) for r in conn.execute(sa.select(t)))
                for t in TABLES
            }
            assert kept == expected
            assert conn.execute(
                sa.select(tally_late.c.upto).where(tally_late.c.scope_id == 2)
            ).scalars().all() == [
                1,
                2,
            ]
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0026_measure_rows")
        with engine.begin() as conn:  # the old triggers keep the old table again
            conn.execute(q("update tasks set status = '已完成', late_on = null where id = 1"))
            kept_old = conn.execute(
                q("select scope, scope_id, status, late_month, n from tallies order by 1, 2, 3, 4")
            ).all()
        assert [tuple(r) for r in kept_old if r[0] == "document"] == [
            ("document", 1, "已完成", 0, 2),
            ("document", 2, "已撤销", 0, 1),
            ("document", 2, "推进中", 2022 * 12 + 2, 1),
            ("document", 2, "未开始", 2021 * 12 + 11, 1),
        ]
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def test_units_counts_by_role_are_filled_from_the_assignments_there_are_and_go_down_cleanly(db_url):
    """Up from ``0033_late_by_month``: ``tally_assigned`` equals a count of the assignments stored
    before it, and its triggers count the next one; down again: the table and triggers are gone."""
    from alembic import command

    from taizhang.services.tallies import count_own_writes, counted
    from taizhang.storage.tables import tally_assigned
    from tests.services.conftest import build_ledger

    engine = open_database(db_url)
    config = alembic_config()
    q = sa.text

    def kept(conn: sa.Connection) -> list[tuple]:
        count_own_writes(conn)
        return sorted(tuple(r) for r in conn.execute(sa.select(tally_assigned)))

    def expected(conn: sa.Connection) -> list[tuple]:
        return sorted((r["unit_id"], r["role"], r["n"]) for r in counted(conn)["tally_assigned"])

    try:
        ledger = build_ledger(engine)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0033_late_by_month")
        assert "tally_assigned" not in sa.inspect(engine).get_table_names()
        with engine.begin() as conn:  # written with no trigger to count it
            conn.execute(
                q(
                    "insert into assignments (task_id, unit_id, role, printed, position) values (:t, :u, 'lead', '', 0)"
                ),
                {"t": ledger.tasks["counties"], "u": ledger.units["海原县"]},
            )
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        with engine.begin() as conn:
            assert kept(conn) == expected(conn)
            assert (ledger.units["海原县"], "lead", 1) in kept(conn)
            conn.execute(
                q(
                    "insert into assignments (task_id, unit_id, role, printed, position) values (:t, :u, 'lead', '', 0)"
                ),
                {"t": ledger.tasks["health"], "u": ledger.units["海原县"]},
            )
            assert kept(conn) == expected(conn)
            assert (ledger.units["海原县"], "lead", 2) in kept(conn)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0033_late_by_month")
        with engine.begin() as conn:  # no trigger left writing to a table that is gone
            conn.execute(q("delete from assignments"))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        with engine.connect() as conn:
            assert kept(conn) == []
    finally:
        engine.dispose()


def _bodies_down_and_up(
    tmp_path, functions: tuple[str, ...], base: str
) -> tuple[dict[str, str], dict[str, str]]:
    """PostgreSQL: the bodies of the trigger ``functions`` at revision ``base`` and at head, once a
    downgrade from head to ``base`` has given the first back exactly and an upgrade the second."""
    from alembic import command

    from taizhang.storage.engine import create_db_engine
    from tests.conftest import fresh_database_url

    bodies = sa.text("SELECT proname, prosrc FROM pg_proc WHERE proname IN :names").bindparams(
        sa.bindparam("names", expanding=True)
    )
    with fresh_database_url("postgresql", tmp_path) as url:
        engine = create_db_engine(url)
        config = alembic_config()

        def moved(target: str, step) -> dict[str, str]:
            with engine.begin() as conn:
                config.attributes["connection"] = conn
                step(config, target)
            with engine.connect() as conn:
                return dict(conn.execute(bodies, {"names": functions}).all())

        try:
            before = moved(base, command.upgrade)
            head = moved("head", command.upgrade)
            assert moved(base, command.downgrade) == before
            assert moved("head", command.upgrade) == head
        finally:
            engine.dispose()
    return before, head


def test_the_running_totals_skip_statements_a_row_without_late_day_or_cycle_cannot_move(tmp_path):
    """PostgreSQL: up from ``0034_assigned_by_unit`` each statement writing a month's or a cycle's
    count goes behind an IF on the row's late day or cycle, every other line stays; down again the
    bodies are exactly as 0034 made them, and up again exactly as at head. (That the counts stay
    right is tests/services/test_tallies.)"""
    functions = ("tasks_running", "parts_running", "parts_days", "tasks_answers")
    before, head = _bodies_down_and_up(tmp_path, functions, "0034_assigned_by_unit")
    assert set(head) == set(functions)
    assert "IF new.late_on IS NOT NULL THEN UPDATE tally_late SET" in head["tasks_running"]
    assert "IF new.recurrence IS NOT NULL THEN INSERT INTO tally_owing" in head["tasks_running"]
    assert "IF old.late_on IS NOT NULL THEN DELETE FROM tally_late_days" in head["parts_days"]
    assert "IF old.recurrence IS NOT NULL THEN UPDATE tally_answered" in head["tasks_answers"]
    for name in functions:
        assert " IF " not in before[name].replace("IF TG_OP", "")  # no guard before
        old_lines, new_lines = before[name].split("\n"), head[name].split("\n")
        assert len(old_lines) == len(new_lines)
        for old, new in zip(old_lines, new_lines, strict=True):  # the same statements, in the same order
            assert new == old or (
                new.strip().startswith("IF ") and new.strip().endswith(f" THEN {old.strip()} END IF;")
            )


def test_the_counting_triggers_leave_rows_counted_in_bulk_to_their_transaction(tmp_path):
    """PostgreSQL: up from ``0035_counts_skip_unset`` the assignments' trigger returns at once for a
    row its transaction registered, and the tasks' and parts' triggers skip only their statements
    writing the totals and the statuses for such a row; down again the bodies are exactly as they
    were, and up again exactly as at head. (That the counts stay right is
    tests/services/test_bulk_counts.)"""
    functions = ("assignments_assigned", "tasks_running", "parts_running")
    before, head = _bodies_down_and_up(tmp_path, functions, "0035_counts_skip_unset")
    skip = "counted_in_bulk_assignments"
    assert skip not in before["assignments_assigned"]
    assert head["assignments_assigned"].split("\n")[2].strip().startswith("IF CAST(CASE TG_OP WHEN 'DELETE'")
    assert skip in head["assignments_assigned"].split("\n")[2]
    for name, table in (("tasks_running", "tasks"), ("parts_running", "parts")):
        old_lines, new_lines = before[name].split("\n"), head[name].split("\n")
        assert len(old_lines) == len(new_lines)
        changed = [(a.strip(), b.strip()) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
        assert changed, name
        for old, new in changed:
            assert old.split(" ")[2] in ("tally_totals", "tally_statuses"), old
            row = "old" if "old." in old else "new"
            assert new == (
                f"IF NOT (CAST({row}.id AS bigint) <@ CAST(coalesce(nullif(current_setting("
                f"'taizhang.counted_in_bulk_{table}', true), ''), '{{}}') AS int8multirange)) THEN {old} END IF;"
            )
