"""`pk sync caldav` against a real Radicale on the loopback address, read back with a CalDAV
client; `pk sync vdir DIR` into a folder. One VTODO per promise with DUE in its zone, alarms
per reminder stage, states followed, and a second sync sends nothing."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import pk_executable
from radicale_support import PASSWORD, USER, Radicale
from remind_support import add, at


@pytest.fixture
def task_list(pk, radicale: Radicale, request: pytest.FixtureRequest) -> str:
    url = radicale.task_list(request.node.name.replace("[", "-").replace("]", "").replace("_", "-")[:60])
    for key, value in (("caldav.url", url), ("caldav.user", USER)):
        assert pk("config", "set", key, value).exit_code == 0
    return url


SECRET = {"PROMISEKEEPER_CALDAV_PASSWORD": PASSWORD}


def sync(pk, *args: str, now: str = at("09:30"), code: int = 0, env: dict[str, str] | None = None):
    result = pk("sync", *args, now=now, env=SECRET | (env or {}))
    assert result.exit_code == code, result.output
    return result


def uuid_of(pk, ident: int) -> str:
    return json.loads(pk("show", str(ident), "--json").stdout)["uuid"]


def test_open_promises_arrive_with_due_in_their_zone_and_alarms(pk, radicale: Radicale, task_list: str) -> None:
    first = add(pk, "Send VPN config", "2026-11-24 10:00", "--to", "Eva Spacek", "--contact", "+46 70 123",
                "--ref", "INC-4821", "--tag", "vpn", "--tag", "urgent")
    add(pk, "Call the Rome office", "3pm Europe/Rome")
    assert sync(pk, "caldav").stdout.startswith("2 tasks sent to http://127.0.0.1:")
    todos = radicale.todos(task_list)
    task = todos[f"{uuid_of(pk, first)}@promisekeeper"]
    assert task["summary"] == "Send VPN config — Eva Spacek"
    assert task["status"] == "NEEDS-ACTION"
    assert task["due"].params["TZID"] == "Europe/Stockholm"
    assert task["due"].dt.isoformat() == "2026-11-24T10:00:00+01:00"
    assert task["description"] == "To: Eva Spacek\nContact: +46 70 123\nTicket: INC-4821"
    assert [str(tag) for tag in task["categories"].cats] == ["vpn", "urgent"]
    alarms = [(alarm["action"], alarm["trigger"].dt, alarm["trigger"].params["RELATED"]) for alarm in task.subcomponents]
    assert alarms == [("DISPLAY", -timedelta(minutes=15), "END"), ("DISPLAY", timedelta(0), "END")]
    rome = todos[f"{uuid_of(pk, 2)}@promisekeeper"]
    assert rome["due"].params["TZID"] == "Europe/Rome" and rome["due"].dt.hour == 15


def test_a_second_sync_sends_nothing(pk, radicale: Radicale, task_list: str) -> None:
    add(pk, "Send VPN config", "2026-11-24 10:00")
    add(pk, "Call Bob", "3pm")
    sync(pk, "caldav")
    before = radicale.etags(task_list)
    again = sync(pk, "caldav", now=at("09:35"))
    assert again.stdout.endswith("0 tasks sent to " + task_list + " (2 unchanged)\n")
    assert radicale.etags(task_list) == before
    assert sync(pk, "caldav", "--quiet", now=at("09:40")).stdout == ""


def test_changes_follow_the_promise(pk, radicale: Radicale, task_list: str) -> None:
    moved, kept, released = (add(pk, what, "2026-11-24 10:00") for what in ("Quote", "Call", "Visit"))
    sync(pk, "caldav")
    assert pk("reschedule", str(moved), "2026-11-25 11:00", "--reason", "waiting for parts").exit_code == 0
    assert pk("done", str(kept)).exit_code == 0
    assert pk("cancel", str(released), "--reason", "customer withdrew").exit_code == 0
    assert sync(pk, "caldav", now=at("10:00")).stdout.startswith("3 tasks sent")
    todos = {uid.split("@")[0]: task for uid, task in radicale.todos(task_list).items()}
    assert len(todos) == 3
    assert todos[uuid_of(pk, moved)]["due"].dt.isoformat() == "2026-11-25T11:00:00+01:00"
    assert todos[uuid_of(pk, kept)]["status"] == "COMPLETED" and "completed" in todos[uuid_of(pk, kept)]
    assert todos[uuid_of(pk, kept)].subcomponents == []  # a kept promise rings no more
    assert todos[uuid_of(pk, released)]["status"] == "CANCELLED"


def test_a_promise_handed_on_is_cancelled_in_the_old_owners_list(pk, radicale: Radicale, task_list: str) -> None:
    mine = add(pk, "Send VPN config", "2026-11-24 10:00")
    sync(pk, "caldav")
    result = pk("handoff", str(mine), "--to-owner", "bo", "--reason", "off shift", "--new-owner")
    assert result.exit_code == 0, result.output
    sync(pk, "caldav", now=at("10:00"))
    [task] = radicale.todos(task_list).values()
    assert task["status"] == "CANCELLED"
    bos = radicale.task_list("bos-tasks", user="bo")
    env = {"LOGNAME": "bo"}
    assert pk("config", "set", "caldav.url", bos).exit_code == 0
    assert pk("config", "set", "caldav.user", "bo").exit_code == 0
    sync(pk, "caldav", now=at("10:05"), env=env)
    [theirs] = radicale.todos(bos, user="bo").values()
    assert theirs["status"] == "NEEDS-ACTION"


def test_two_runs_at_once_never_make_two_tasks(pk, radicale: Radicale, task_list: str) -> None:
    for number in range(20):
        add(pk, f"Promise {number}", "2026-11-24 10:00")
    import os

    environment = dict(os.environ, PROMISEKEEPER_NOW=at("09:30"), **SECRET)
    environment.pop("PK_DEBUG", None)
    runs = [subprocess.Popen([pk_executable(), "sync", "caldav", "--quiet"], env=environment,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        _out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    assert len(radicale.todos(task_list)) == 20


def test_a_wrong_password_is_one_line_and_never_shown(pk, task_list: str) -> None:
    add(pk, "Send VPN config", "2026-11-24 10:00")
    result = sync(pk, "caldav", code=1, env={"PROMISEKEEPER_CALDAV_PASSWORD": "not-the-Password-123"})
    assert result.output == (
        f"pk: {task_list}: the server refused the user or password, or access to the list\n")
    assert "not-the-Password-123" not in result.output
    assert sync(pk, "caldav", now=at("09:35")).stdout.startswith("1 task sent")  # nothing was marked


def test_the_password_comes_from_a_command_run_without_a_shell(pk, radicale: Radicale, task_list: str,
                                                                tmp_path: Path) -> None:
    add(pk, "Send VPN config", "2026-11-24 10:00")
    script = tmp_path / "password"
    script.write_text(f"#!/bin/sh\necho '{PASSWORD}'\n")
    script.chmod(0o700)
    assert pk("config", "set", "caldav.password_command", f"{script} --for caldav").exit_code == 0
    result = pk("sync", "caldav", now=at("09:30"), env={"PROMISEKEEPER_CALDAV_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert len(radicale.todos(task_list)) == 1
    assert pk("config", "set", "caldav.password_command", "false").exit_code == 0
    failed = pk("sync", "caldav", now=at("09:35"), env={"PROMISEKEEPER_CALDAV_PASSWORD": ""})
    assert (failed.exit_code, failed.output) == (1, "pk: caldav.password_command printed no password (exit 1)\n")


def test_without_a_url_it_says_what_to_set(pk) -> None:
    result = pk("sync", "caldav", env=SECRET)
    assert result.exit_code == 2
    assert "caldav.url is not set" in result.output


def test_vdir_one_file_per_task_only_changes_rewritten(pk, tmp_path: Path) -> None:
    folder = tmp_path / "tasks"
    folder.mkdir()
    first = add(pk, "Send VPN config", "2026-11-24 10:00", "--to", "Eva")
    add(pk, "Call Bob", "3pm")
    assert pk("sync", "vdir", str(folder)).stdout == f"2 tasks sent to {folder} (0 unchanged)\n"
    files = sorted(path.name for path in folder.iterdir())
    assert files == sorted(f"{uuid_of(pk, ident)}.ics" for ident in (1, 2))
    path = folder / f"{uuid_of(pk, first)}.ics"
    text = path.read_text()
    assert "DUE;TZID=Europe/Stockholm:20261124T100000" in text and text.count("BEGIN:VALARM") == 2
    stamp = path.stat().st_mtime_ns
    assert pk("sync", "vdir", str(folder)).stdout == f"0 tasks sent to {folder} (2 unchanged)\n"
    assert path.stat().st_mtime_ns == stamp
    assert pk("done", str(first)).exit_code == 0
    assert pk("sync", "vdir", str(folder)).stdout == f"1 task sent to {folder} (1 unchanged)\n"
    assert "STATUS:COMPLETED" in path.read_text()
    assert not [name for name in os.listdir(folder) if name.endswith(".tmp")]


def test_vdir_refuses_a_missing_folder(pk, tmp_path: Path) -> None:
    result = pk("sync", "vdir", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "is not a folder; make it first" in result.output


def test_pk_init_cron_offers_the_sync_line(pk_process) -> None:
    lines = pk_process("init", "cron").stdout.splitlines()
    [sync_line] = [line for line in lines if line.endswith(" sync caldav --quiet")]
    assert sync_line.startswith("# */5 * * * * ") and "PROMISEKEEPER_DB=" in sync_line
    assert PASSWORD not in "\n".join(lines)


def test_vdir_team_takes_everyones_open_promises(pk, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    add(pk, "Send VPN config", "2026-11-24 10:00")
    add(pk, "Bo's callback", "2026-11-24 11:00", "--owner", "bo")
    assert pk("sync", "vdir", str(folder)).stdout.startswith("1 task sent")
    team_folder = tmp_path / "everyone"
    team_folder.mkdir()
    assert pk("sync", "vdir", str(team_folder), "--team").stdout.startswith("2 tasks sent")
    assert len(list(team_folder.iterdir())) == 2


def test_without_the_caldav_library_one_line_says_what_to_install(pk, pk_process, task_list: str,
                                                                  tmp_path: Path) -> None:
    missing = tmp_path / "no-caldav"
    (missing / "caldav").mkdir(parents=True)
    (missing / "caldav" / "__init__.py").write_text("raise ImportError('No module named caldav')\n")
    add(pk, "Send VPN config", "2026-11-24 10:00")
    result = pk_process("sync", "caldav", env={"PYTHONPATH": str(missing), **SECRET})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "pk: pk sync caldav needs the caldav library: pip install 'promisekeeper[caldav]'\n"
