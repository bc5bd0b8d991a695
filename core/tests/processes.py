"""The app's own processes for fault tests: Celery workers and beat (and gunicorn) as production runs them.

Each starts in a session of its own (so a SIGKILL reaches the whole process group), from the repository root,
with the environment given, its output in a log file the test can read.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def app_env(*, database_url: str, redis_url: str, email_url: str, **extra: str) -> dict[str, str]:
    """The settings' environment for a worker, beat or web server of the test's own."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_CACHE_URL": redis_url.rsplit("/", 1)[0] + "/1",
        "EMAIL_URL": email_url,
        **extra,
    }


def database_url_of(settings_dict: dict) -> str:
    """The DATABASE_URL of a Django connection's settings (the test database the processes share)."""
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{settings_dict['USER']}@{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def celery(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return start([sys.executable, "-m", "celery", "-A", "config", *args], env, log)


def worker(name: str, env: dict[str, str], directory: Path) -> subprocess.Popen:
    """One solo worker on the default queue, its log ``<name>.log`` in ``directory``."""
    return celery(
        ["worker", "--pool=solo", "-l", "info", "-Q", "celery", "-n", f"{name}@%h"], env, directory / f"{name}.log"
    )


def beat(env: dict[str, str], directory: Path) -> subprocess.Popen:
    """Beat with the file scheduler (the schedule of the settings, no database table of its own)."""
    return celery(
        [
            "beat",
            "-l",
            "info",
            "--scheduler",
            "celery.beat:PersistentScheduler",
            "-s",
            str(directory / "beat-schedule"),
            "--pidfile=",
        ],
        env,
        directory / "beat.log",
    )


def wait_until(predicate: Callable[[], bool], timeout: float, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s" + (f": {what}" if what else ""))


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group, SIGKILL if it has not gone after 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def gunicorn(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """The web server as the README's deployment runs it: threaded workers on 127.0.0.1:``port``."""
    return start(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env,
        log,
    )


def manage(args: list[str], env: dict[str, str], log: Path) -> str:
    """``manage.py`` with the environment given; its standard output (its errors go to ``log``)."""
    with log.open("a") as errors:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
        )
    if done.returncode:
        raise AssertionError(f"manage.py {args[0]} failed: {done.stdout[-2000:]} (see {log})")
    return done.stdout
