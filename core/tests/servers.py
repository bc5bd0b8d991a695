"""Real servers a fault test may stop: its own redis-server on a port of its own, never the shared one."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """``redis-server`` on 127.0.0.1:``port`` without persistence, which the test may stop and start again."""

    def __init__(self, port: int, directory: Path) -> None:
        self.port = port
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        if _answers(self.port):
            raise RuntimeError(f"port {self.port} is in use by another server")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _answers(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        deadline = time.monotonic() + 5
        while _answers(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)


class SlowSmtpSink:
    """A minimal SMTP server on 127.0.0.1 (an ephemeral port) that takes ``delay`` seconds per message.

    It records each message's recipients when the message's data is complete, as a real server that has
    accepted it would, and answers only after the delay: a worker killed in that moment has handed the copy
    over without hearing back.
    """

    def __init__(self, delay: float = 0.05) -> None:
        import socketserver
        import threading

        self.delay = delay
        self.received: list[str] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"220 sink ESMTP\r\n")
                recipients: list[str] = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    command = line.decode("ascii", "replace").strip()
                    verb = command.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
                    elif verb == "MAIL":
                        recipients = []
                        self.wfile.write(b"250 OK\r\n")
                    elif verb == "RCPT":
                        recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                        self.wfile.write(b"250 OK\r\n")
                    elif verb == "DATA":
                        self.wfile.write(b"354 go ahead\r\n")
                        while self.rfile.readline() not in (b".\r\n", b".\n", b""):
                            pass
                        with sink._lock:
                            sink.received.extend(recipients)
                        time.sleep(sink.delay)
                        self.wfile.write(b"250 queued\r\n")
                    elif verb == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:  # RSET, NOOP
                        self.wfile.write(b"250 OK\r\n")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def addresses(self) -> list[str]:
        with self._lock:
            return list(self.received)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel's choice), for a server of the test's own."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AiosmtpdSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that is slow, and may drop the connection during DATA.

    It records a message (recipients and Message-ID) the moment it accepts it, then waits ``delay`` seconds
    before answering 250: a client killed in that moment handed the copy over without hearing back. Every
    ``drop_every``-th DATA is dropped instead: the data arrived, the connection is closed before any answer,
    and nothing is recorded (the server did not take it).
    """

    def __init__(self, delay: float = 0.05, drop_every: int = 0) -> None:
        import threading

        from aiosmtpd.controller import Controller

        self.delay = delay
        self.drop_every = drop_every
        self.received: list[tuple[str, str]] = []
        self.dropped = 0
        self._datas = 0
        self._lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import asyncio
                from email import message_from_bytes

                with sink._lock:
                    sink._datas += 1
                    drop = bool(sink.drop_every) and sink._datas % sink.drop_every == 0
                    if drop:
                        sink.dropped += 1
                if drop:
                    server.transport.close()
                    return "421 closing"
                message_id = message_from_bytes(envelope.content).get("Message-ID", "")
                with sink._lock:
                    sink.received.extend((address, message_id) for address in envelope.rcpt_tos)
                await asyncio.sleep(sink.delay)
                return "250 OK queued"

        self.port = free_port()
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def addresses(self) -> list[str]:
        with self._lock:
            return [address for address, _message_id in self.received]

    def messages(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self.received)

    def close(self) -> None:
        self._controller.stop()


# The EICAR anti-virus test file: harmless, and what every scanner is meant to find.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class ClamdServer:
    """A real ``clamd`` on a Unix socket in ``directory``, with a signature database of the test's own.

    No downloaded database (no network): one body signature (``.ndb``) that finds the EICAR text anywhere in a
    file, so a valid PDF carrying it is infected, as a file with a real virus inside would be.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket = str(directory / "clamd.sock")
        self.process: subprocess.Popen | None = None

    def start(self) -> ClamdServer:
        import shutil

        database = self.directory / "db"
        database.mkdir(parents=True, exist_ok=True)
        (database / "test.ndb").write_text(f"Ambassadeurs.Test.EICAR:0:*:{EICAR.hex()}\n")
        config = self.directory / "clamd.conf"
        config.write_text(
            f"LocalSocket {self.socket}\nDatabaseDirectory {database}\nForeground yes\n"
            f"TemporaryDirectory {self.directory}\nLogFile {self.directory / 'clamd.log'}\n"
        )
        self.process = subprocess.Popen(
            [shutil.which("clamd") or "clamd", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("clamd did not start: " + (self.directory / "clamd.log").read_text())
            time.sleep(0.1)
        return self

    def answers(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(1)
                sock.connect(self.socket)
                sock.sendall(b"zPING\0")
                return sock.recv(16).startswith(b"PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb, pg_ctl) on 127.0.0.1:``port``, which it may stop and start.

    Never the shared cluster on 5432. As root (CI, this machine) the server runs as the ``postgres`` user, since
    initdb and postgres refuse root. No fsync: a test's data need not survive a power cut.
    """

    def __init__(self, port: int) -> None:
        import glob
        import tempfile

        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if not versions:
            raise FileNotFoundError("initdb (apt-get install postgresql)")
        self.bin = Path(versions[-1]).parent
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="amb-pg-"))
        self.data = self.directory / "data"
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam("postgres")
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
            self._as_postgres = ["runuser", "-u", "postgres", "--"]

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_postgres, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def init(self) -> PostgresCluster:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        return self

    def start(self) -> PostgresCluster:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.directory / "log"), "-w",
            "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        """A fast shutdown, as a restart by an operator or a failover does: every open connection is cut."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def createdb(self, name: str) -> None:
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def copy_database(self, source: dict, name: str) -> None:
        """A copy of another server's database (a Django connection's settings) as ``name`` here: pg_dump, pg_restore."""
        self.createdb(name)
        dump = subprocess.Popen(
            [
                str(self.bin / "pg_dump"), "-Fc", "--no-owner", "-h", source["HOST"] or "127.0.0.1", "-p",
                str(source["PORT"] or 5432), "-U", source["USER"], source["NAME"],
            ],
            stdout=subprocess.PIPE,
            env={**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""},
        )  # fmt: skip
        subprocess.run(
            [str(self.bin / "pg_restore"), "--no-owner", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", name],
            stdin=dump.stdout, check=True, stderr=subprocess.PIPE,
        )  # fmt: skip
        dump.stdout.close()
        if dump.wait() != 0:
            raise RuntimeError("pg_dump failed")

    def remove(self) -> None:
        import shutil

        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
