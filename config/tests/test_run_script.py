"""`make run` (scripts/run.sh) for real: the web server, worker and beat start, and Ctrl-C or SIGTERM ends all three.

As `make run` does by default: SQLite and kombu's filesystem broker, here in a temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STOP_WITHIN = 20  # seconds: the script's own STOP_TIMEOUT (5) and the Python start-ups around it


@pytest.fixture(scope="module")
def run_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "REDIS_", "DATABASE_"))}
    env.update(
        {
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "CELERY_BROKER_DIR": str(folder / "celery"),
            "MEDIA_ROOT": str(folder / "uploads"),
            "BIN": str(Path(sys.executable).parent),
            "STOP_TIMEOUT": "5",
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=600
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _start(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    script = subprocess.Popen(
        ["scripts/run.sh"],
        cwd=ROOT,
        env={**env, "RUN_ADDR": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    url = f"http://127.0.0.1:{port}/health/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except urllib.error.HTTPError:
            break  # it answered
        except OSError:
            assert script.poll() is None, "run.sh ended before the server answered"
            time.sleep(0.5)
    else:
        pytest.fail("the server did not answer within 120 seconds")
    return script, url


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_run_stops_server_worker_and_beat(run_env, signum):
    script, _url = _start(run_env)
    groups = _children(script.pid)
    try:
        assert len(groups) == 3, groups  # worker, beat, runserver: each the leader of its own group
        # The worker must be up too before it is stopped: its pool's processes are in its group.
        time.sleep(3)
        # Ctrl-C in a terminal signals the foreground process group: the script (its children have their own).
        os.killpg(script.pid, signum)
        assert script.wait(timeout=STOP_WITHIN) == 0
        deadline = time.monotonic() + 2
        while any(_group_exists(g) for g in groups) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [g for g in groups if _group_exists(g)] == []
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
        for group in groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
