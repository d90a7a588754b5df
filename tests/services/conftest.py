"""A small ledger for the service tests: one document, a few units with a group, tasks, users.

Rows are written directly with SQLAlchemy so these tests do not depend on the importer.
Also tiny SMTP and HTTP servers on 127.0.0.1 that record what the reminders send.
"""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from taizhang.services import accounts, intake, parts, workflow
from taizhang.services.accounts import UserInfo, add_user, get_user
from taizhang.services.database import open_database, unit_of_work
from taizhang.storage.tables import assignments, documents, tasks, unit_aliases, unit_members, units

PASSWORD = "correct horse battery"


@dataclass
class Ledger:
    """Ids of what the fixture created, and the users as the services see them."""

    engine: Engine
    units: dict[str, int]
    tasks: dict[str, int]
    users: dict[str, UserInfo]


def _unit(conn, name: str, kind: str = "department") -> int:
    return conn.execute(units.insert().values(name=name, kind=kind, verified=True)).inserted_primary_key[0]


def _task(conn, doc_id: int, key: str, title: str, kind: str, due: date | None, status: str) -> int:
    return conn.execute(
        tasks.insert().values(
            document_id=doc_id,
            key=key,
            source="text",
            label=key,
            title=title,
            body=title,
            line=10,
            line_start=10,
            line_end=11,
            deadline_kind=kind,
            deadline_text=str(due or "长期坚持"),
            due_on=due,
            status=status,
            percent=0,
            needs_review=True,
            review_notes=[],
            is_public=False,
        )
    ).inserted_primary_key[0]


def _assign(conn, task_id: int, unit_id: int, role: str, printed: str) -> None:
    conn.execute(assignments.insert().values(task_id=task_id, unit_id=unit_id, role=role, printed=printed))


def build_ledger(engine: Engine) -> Ledger:
    """Write the small ledger into an empty, migrated database."""
    with unit_of_work(engine) as conn:
        u = {name: _unit(conn, name) for name in ("市卫生健康委", "市医保局")}
        for county in ("沙坡头区", "中宁县", "海原县"):
            u[county] = _unit(conn, county, "county")
        u["各县(区)"] = _unit(conn, "各县(区)", "group")
        for county in ("沙坡头区", "中宁县", "海原县"):
            conn.execute(unit_members.insert().values(group_id=u["各县(区)"], member_id=u[county]))
        conn.execute(unit_aliases.insert().values(alias="市卫生健康委员会", unit_id=u["市卫生健康委"]))
        doc = conn.execute(
            documents.insert().values(
                doc_number="卫政办发〔2022〕28号", title="公立医院综合改革", is_public=True
            )
        ).inserted_primary_key[0]
        t = {
            "health": _task(conn, doc, "t-health", "推进分级诊疗", "date", date(2022, 6, 30), "未开始"),
            "counties": _task(conn, doc, "t-counties", "建设县域医共体", "date", date(2022, 5, 10), "未开始"),
            "ongoing": _task(conn, doc, "t-ongoing", "规范医疗收费", "ongoing", None, "长期坚持"),
            "insurance": _task(
                conn, doc, "t-insurance", "推进医保支付改革", "date+ongoing", date(2022, 4, 29), "未开始"
            ),
        }
        _assign(conn, t["health"], u["市卫生健康委"], "lead", "市卫生健康委")
        _assign(conn, t["health"], u["市医保局"], "cooperating", "市医保局")
        _assign(conn, t["counties"], u["各县(区)"], "responsible", "各县(区)")
        _assign(conn, t["ongoing"], u["市医保局"], "lead", "医保局")
        _assign(conn, t["ongoing"], u["市卫生健康委"], "cooperating", "市卫生健康委")
        _assign(conn, t["insurance"], u["市医保局"], "lead", "市医保局")
        ids = {
            "office": add_user(conn, "dcs", PASSWORD, "office"),
            "health": add_user(conn, "wjw", PASSWORD, "unit", "市卫生健康委员会", email="wjw@example.org"),
            "zhongning": add_user(conn, "zn", PASSWORD, "unit", "中宁县", email="zn@example.org"),
            "insurance": add_user(conn, "ybj", PASSWORD, "unit", "市医保局"),
            "leader": add_user(conn, "ld", PASSWORD, "leader"),
        }
        parts.sync_all(conn)  # the importer gives every task its parts; rows written here need them too
        people = {key: get_user(conn, uid) for key, uid in ids.items()}
    return Ledger(engine=engine, units=u, tasks=t, users=people)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """Real Argon2 with the smallest cost, so building a ledger of five users takes milliseconds."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def ledger(db_url) -> Ledger:
    engine = open_database(db_url)
    try:
        yield build_ledger(engine)
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_ledger(sqlite_url) -> Ledger:
    """The same ledger on SQLite only, for tests whose subject does not depend on the database."""
    engine = open_database(sqlite_url)
    try:
        yield build_ledger(engine)
    finally:
        engine.dispose()


def task_row(engine: Engine, task_id: int) -> sa.Row:
    """The task row as stored (for assertions)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(tasks).where(tasks.c.id == task_id)).one()


def meeting_task(ledger: Ledger, today: date) -> int:
    """A task the office enters by hand from a meeting: 市卫生健康委 leads, 各县(区) are responsible."""
    draft = intake.TaskDraft(
        "会议议定事项",
        "市政府第5次常务会议",
        "建立医联体运行评估机制",
        lead=("市卫生健康委",),
        responsible=("各县(区)",),
        deadline_text="2022年12月底前",
    )
    with unit_of_work(ledger.engine) as conn:
        return intake.create_task(conn, ledger.users["office"], draft, today=today)


def progress_report(conn, user: UserInfo, task_id: int, *, today: date, upload_dir) -> int:
    """A unit's ordinary progress report (召开推进会, 60%) on the task; returns the report's id."""
    return workflow.submit_report(
        conn,
        user,
        task_id,
        practice="召开推进会",
        results="覆盖全部乡镇",
        problems="",
        next_steps="继续推进",
        percent=60,
        today=today,
        upload_dir=upload_dir,
    )


# Fake delivery endpoints ----------------------------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    def _say(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode("ascii"))

    def handle(self) -> None:
        self._say("220 fake ESMTP")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 fake")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self._say("250 ok")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._say(self.server.rcpt_answer)
            elif verb == "DATA":
                self._say("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                message = email.message_from_bytes(data, policy=email.policy.default)
                self.server.messages.append((sender, recipients, message))
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")


class FakeSMTP(socketserver.ThreadingTCPServer):
    """Accepts mail and keeps (sender, recipients, parsed message) in ``messages``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, rcpt_answer: str = "250 ok") -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list = []
        self.rcpt_answer = rcpt_answer
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _HookHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append((self.path, self.headers.get("Content-Type"), json.loads(body)))
        status, answer = self.server.answers.get(self.path, (200, {"errcode": 0, "errmsg": "ok"}))
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


class FakeWebhooks(ThreadingHTTPServer):
    """Records (path, content type, JSON body) of every POST; ``answers`` overrides a path's reply."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _HookHandler)
        self.received: list = []
        self.answers: dict[str, tuple[int, dict]] = {}
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


@pytest.fixture
def smtp_server():
    server = FakeSMTP()
    yield server
    server.stop()


@pytest.fixture
def webhooks():
    server = FakeWebhooks()
    yield server
    server.stop()
