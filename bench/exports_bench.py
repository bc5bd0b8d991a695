"""The data-leak register's export under gunicorn: time to the first byte and the worker's peak memory.

Each (format, size) gets a fresh ``gunicorn -w 1`` so the one worker's memory belongs to that download alone:
a warm-up export of no rows in the same format loads every module, then the worker's resident set (VmRSS) is
the baseline, and while the export downloads a thread samples VmRSS every few milliseconds; the worker's CPU
time (user and system, from /proc) over the download is given beside the wall clock, which a busy machine
stretches. The register's 1,000 newest rows (a date filter) and the whole register (10,000 rows at scale 1.0) are compared in one run:
flat memory means the growth over the baseline hardly differs between the two.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.utils import timezone

REGISTER = "/datalekken/register/"
SMALL = 1000
# Growth over the baseline allowed for the whole register beyond that of its 1,000 newest rows.
FLAT_MARGIN_MB = 15.0
# The whole register as XLSX (10,000 rows at scale 1.0) within this much of the worker's CPU time: the download's
# own work, which a busy machine hardly changes, unlike its wall-clock time.
XLSX_CPU_TARGET_MS = 1500


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status_mb(pid: int, key: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user and system, /proc/<pid>/stat): unlike the wall clock, hardly changed by
    other processes on a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command's name: state is field 3, utime and stime are fields 14 and 15 (in clock ticks).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker_pid(master: int, deadline: float) -> int:
    while time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            children = []
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _get(port: int, path: str, cookies: dict[str, str], *, sampler=None) -> dict:
    """GET ``path``; the time until the first body byte, the whole time and the size."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Host": "127.0.0.1"}
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - started
        size = len(first)
        while chunk := response.read(64 * 1024):
            size += len(chunk)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return {
            "ttfb_ms": round(first_byte * 1000, 1),
            "total_ms": round((time.perf_counter() - started) * 1000, 1),
            "bytes": size,
        }
    finally:
        conn.close()


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _status_mb(self.pid, "VmRSS") or 0.0)
            time.sleep(0.005)


def _start(port: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
    command += ["--timeout", "600", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _measure_one(fmt: str, query: dict[str, str], cookies: dict[str, str]) -> dict:
    port = _free_port()
    server = _start(port)
    try:
        deadline = time.monotonic() + 60
        _wait_until_up(port, deadline)
        worker = _worker_pid(server.pid, deadline)
        # Loads the app, the register and the export's modules; a search that matches nothing has no rows.
        _get(port, f"{REGISTER}?" + urllib.parse.urlencode({"export": fmt, "q": "no-such-leak-anywhere"}), cookies)
        baseline = _status_mb(worker, "VmRSS") or 0.0
        sampler = _Sampler(worker)
        sampler.start()
        cpu_before = _cpu_seconds(worker)
        try:
            timing = _get(port, f"{REGISTER}?" + urllib.parse.urlencode({"export": fmt, **query}), cookies)
        finally:
            sampler.done.set()
            sampler.join()
        peak = max(sampler.peak, baseline)
        return {
            **timing,
            "worker_cpu_ms": round((_cpu_seconds(worker) - cpu_before) * 1000),
            "baseline_rss_mb": round(baseline, 1),
            "peak_rss_mb": round(peak, 1),
            "growth_mb": round(peak - baseline, 1),
        }
    finally:
        _stop(server)


def run(user, cookies: dict[str, str]) -> dict:
    """Measure the CSV and XLSX export of ``user``'s register: its 1,000 newest rows and all of it."""
    from incidents.models import DataLeak

    leaks = DataLeak.objects.visible_to(user)
    total = leaks.count()
    newest = list(leaks.order_by("-created_at").values_list("created_at", flat=True)[SMALL - 1 : SMALL])
    sizes: list[tuple[dict[str, str], int]] = []
    if newest:
        start = timezone.localtime(newest[0]).date()
        sizes.append(({"start": start.isoformat()}, leaks.filter(created_at__date__gte=start).count()))
    sizes.append(({}, total))
    rows = []
    for fmt in ("csv", "xlsx"):
        for query, count in sizes:
            rows.append({"format": fmt, "rows": count, **_measure_one(fmt, query, cookies)})
    flat = {}
    for fmt in ("csv", "xlsx"):
        measured = [row for row in rows if row["format"] == fmt]
        if len(measured) == 2:
            flat[fmt] = measured[1]["growth_mb"] - measured[0]["growth_mb"] <= FLAT_MARGIN_MB
    whole_xlsx = [row for row in rows if row["format"] == "xlsx" and row["rows"] == total]
    xlsx_cpu_ms = whole_xlsx[0]["worker_cpu_ms"] if whole_xlsx else None
    return {
        "register_rows": total,
        "measurements": rows,
        "flat": flat,
        "flat_margin_mb": FLAT_MARGIN_MB,
        "xlsx_cpu_ms": xlsx_cpu_ms,
        "xlsx_cpu_target_ms": XLSX_CPU_TARGET_MS,
        "xlsx_within_target": xlsx_cpu_ms is not None and xlsx_cpu_ms <= XLSX_CPU_TARGET_MS,
    }


def markdown(result: dict | None) -> list[str]:
    if not result:
        return []
    lines = [
        "",
        "Data-leak register export under `gunicorn -w 1` (a fresh worker per download; memory is the worker's "
        "resident set, sampled every 5 ms, over its level after a warm-up export of no rows):",
        "",
        "| format | rows | first byte ms | total ms | worker CPU ms | size KB | worker RSS before MB | peak MB "
        "| growth MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["measurements"]:
        lines.append(
            f"| {row['format']} | {row['rows']:,} | {row['ttfb_ms']} | {row['total_ms']} | "
            f"{row.get('worker_cpu_ms', '')} | {row['bytes'] // 1024:,} | "
            f"{row['baseline_rss_mb']} | {row['peak_rss_mb']} | {row['growth_mb']} |"
        )
    verdicts = ", ".join(f"{fmt} {'flat' if ok else 'NOT FLAT'}" for fmt, ok in result["flat"].items())
    lines += ["", f"Memory with 10x the rows (within {result['flat_margin_mb']} MB more growth): {verdicts}."]
    if result.get("xlsx_cpu_ms") is not None:
        lines.append(
            f"The whole register ({result['register_rows']:,} rows) as XLSX: **{result['xlsx_cpu_ms']:,} ms** of the "
            f"worker's CPU (query, rows and file). Target (within {result['xlsx_cpu_target_ms']:,} ms): "
            f"{'met' if result['xlsx_within_target'] else 'MISSED'}."
        )
    return lines
