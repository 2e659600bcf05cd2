"""The production topology, started locally for `make bench` and `make resilience`: a scratch PostgreSQL database, a
private Redis (its own port, so stopping it never disturbs anybody else), gunicorn, a Celery worker.

Every process is started in its own session (process group) and stopped by group, first politely, then with SIGKILL;
every wait has a deadline. Nothing listens anywhere but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-only-secret-key-never-used-in-production-0123456789-abcdefghij"  # noqa: S105 - loopback bench


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, *, timeout: float, interval: float = 0.2, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


# --- PostgreSQL ---------------------------------------------------------------------------------------------------------
def database_url(name: str) -> str:
    return urlunsplit(urlsplit(PG_ADMIN_URL)._replace(path=f"/{name}"))


def recreate_database(name: str) -> str:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def drop_database(name: str) -> None:
    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn,
    ):
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sql(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute(query, params).fetchall()


def execute_autocommit(url: str, query: str) -> None:
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(query)


def postgres_ready() -> bool:
    with contextlib.suppress(psycopg.Error), psycopg.connect(PG_ADMIN_URL, connect_timeout=2) as conn:
        return conn.execute("SELECT 1").fetchone() == (1,)
    return False


# --- Processes ------------------------------------------------------------------------------------------------------------
class Service:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], logdir: Path):
        self.name, self.args, self.env = name, args, env
        self.logfile = logdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Service:
        handle = self.logfile.open("ab")
        self.proc = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()
        return self

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole group at once: the main process and every child (a worker killed mid-task)."""
        self.signal_group(signal.SIGKILL)
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if self.proc is None:
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        # Children that outlived their parent (e.g. a prefork pool) still belong to the group.
        self.signal_group(signal.SIGKILL)

    def tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        return ""


class Redis:
    """A private redis-server on its own port, without persistence: stopping it loses its data, like a crash."""

    def __init__(self, port: int, workdir: Path):
        self.port, self.workdir = port, workdir
        self.url = f"redis://127.0.0.1:{port}/0"

    def cli(self, *args: str, timeout: float = 5) -> str:
        result = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return result.stdout.strip()

    def ping(self) -> bool:
        return self.cli("ping", timeout=2) == "PONG"

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--logfile", str(self.workdir / f"redis-{self.port}.log"),
             "--pidfile", str(self.workdir / f"redis-{self.port}.pid")],
            check=True, timeout=10,
        )  # fmt: skip
        wait_for(self.ping, timeout=15, what=f"redis on port {self.port}")

    def stop(self) -> None:
        """SHUTDOWN NOSAVE, then the pid file's process if it is still there (only ever our own instance)."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.cli("shutdown", "nosave", timeout=5)
        pidfile = self.workdir / f"redis-{self.port}.pid"
        with contextlib.suppress(Exception):
            wait_for(lambda: not self.ping(), timeout=5, what="redis to stop")
        if self.ping() and pidfile.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pidfile.read_text().strip()), signal.SIGKILL)


# --- Django processes -------------------------------------------------------------------------------------------------------
def django_env(*, database_url: str, redis_url: str, static_root: Path, extra: dict[str, str] | None = None) -> dict:
    """Production settings (DEBUG off, real secret, cached templates, manifest static files) for the loopback bench."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE", "REDIS", "CELERY", "EMAIL", "DJANGO_SETTINGS", "SECURE_", "TESTING"))
    }
    env.update(
        {
            "DEBUG": "0",
            "TESTING": "0",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "BENCH_ENDPOINTS": "1",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "STATIC_ROOT": str(static_root),
            "REGISTRATION_RATE_LIMIT_IP": "100000/h",
            "REGISTRATION_RATE_LIMIT_EMAIL": "100000/h",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def django_shell(env: dict[str, str], code: str, timeout: float = 120) -> str:
    return manage(env, "shell", "--no-imports", "-c", code, timeout=timeout)


def gunicorn(env: dict, port: int, logdir: Path, *, workers: int, threads: int) -> Service:
    args = [str(VENV_BIN / "gunicorn"), "ancilab_portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
            "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"]  # fmt: skip
    if threads > 1:
        args += ["-k", "gthread", "--threads", str(threads)]
    service = Service("gunicorn", args, env, logdir).start()
    wait_for(lambda: http_status(f"http://127.0.0.1:{port}/healthz") in {200, 503}, timeout=60, what="gunicorn")
    return service


def celery_worker(env: dict, logdir: Path, *, concurrency: int = 2, name: str = "worker", app: str = "") -> Service:
    args = [PYTHON, "-m", "celery", "-A", app or "ancilab_portal", "worker", "--pool", "prefork",
            "--concurrency", str(concurrency), "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-n", f"{name}@%h"]  # fmt: skip
    return Service(name, args, env, logdir).start()


def http_status(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def cpu_snapshot(*, pgid: int | None = None, cmdline: str | None = None) -> dict[int, float]:
    """User+system CPU seconds per live process of a process group, or whose command line (for PostgreSQL backends,
    the process title "postgres: user database host state") contains ``cmdline``; read from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    snapshot = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            raw = (entry / "stat").read_text()
            fields = raw[raw.rindex(")") + 2 :].split()
            # fields[2] is the process group; fields[11], fields[12] are utime and stime (man 5 proc, minus 2).
            if pgid is not None and int(fields[2]) != pgid:
                continue
            if cmdline is not None and cmdline not in (entry / "cmdline").read_bytes().decode(errors="replace"):
                continue
            snapshot[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return snapshot


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two snapshots by the processes alive at the end (new ones count from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


@contextlib.contextmanager
def workdir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        keep = os.environ.get("BENCH_KEEP_LOGS")  # a directory: the services' logs are copied there first
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            for log_file in path.glob("*.log"):
                shutil.copy(log_file, Path(keep) / log_file.name)
        shutil.rmtree(path, ignore_errors=True)
