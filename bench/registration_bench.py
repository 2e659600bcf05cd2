"""Registration throughput, p95 latency and overbooking under a burst, with Redis up and with Redis down.

    .venv/bin/python bench/registration_bench.py [--attempts 200] [--seats 20] [--concurrency 20] [--workers N]

For each scenario the script starts its own gunicorn on a free loopback port against a scratch PostgreSQL database
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/ancilab_bench, dropped and recreated) and a scratch
Redis database (BENCH_REDIS_URL, default redis://127.0.0.1:6379/12, flushed at the end). "Redis down" points
REDIS_URL at a closed loopback port: the cache and the Celery broker are both unreachable. Rate limits are lifted
through the environment. Each person first loads the form (untimed: it gives the CSRF cookie and token), then all
POSTs are fired with `--concurrency` in flight; only the POST is timed. Nothing leaves 127.0.0.1, and every step has a
timeout, so the script always ends by itself.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ancilab_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
STATIC_ROOT = "/tmp/ancilab-bench-static"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(redis_url: str, workers: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE", "REDIS", "CELERY"))}
    env.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_ROOT": STATIC_ROOT,
            "REGISTRATION_RATE_LIMIT_IP": "off",
            "REGISTRATION_RATE_LIMIT_EMAIL": "off",
            "AXES_ENABLED": "0",
            "LOG_LEVEL": "ERROR",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # Enough pooled connections for every gunicorn thread (2 per worker).
            "DATABASE_POOL_MAX": "4",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def recreate_database() -> None:
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    parts = urlsplit(DATABASE_URL)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


CREATE_MEETING = """
import datetime
from django.utils import timezone
from labs.models import Lab, Meeting, Venue
venue, _ = Venue.objects.get_or_create(slug="bench", defaults={"name": "Sede", "address": "Via Rovello 2"})
lab, _ = Lab.objects.get_or_create(slug="bench", defaults={"title": "Bench", "edition_year": 2026, "description": "x"})
start = timezone.now() + datetime.timedelta(days=20)
meeting = Meeting.objects.create(lab=lab, title="Bench LABEL", starts_at=start,
    ends_at=start + datetime.timedelta(hours=3), venue=venue, capacity=SEATS)
print(meeting.pk)
"""

COUNT = """
from registrations.models import Registration, OutboundEmail
rows = Registration.objects.filter(meeting_id=PK)
print(rows.filter(status__in=["pending", "confirmed"]).count(), rows.filter(status="waitlisted").count(),
      OutboundEmail.objects.filter(registration__meeting_id=PK).count())
"""


def wait_until_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} in time")


def prepare(url: str, n: int) -> tuple[requests.Session, dict[str, str]]:
    session = requests.Session()
    html = session.get(url, timeout=30).text
    token = CSRF_RE.search(html).group(1)
    data = {
        "csrfmiddlewaretoken": token,
        "first_name": "Persona",
        "last_name": f"Bench{n}",
        "email": f"bench{n}@comune.example.it",
        "organization": "Comune di Bergamo",
        "organization_type": "comune",
        "privacy": "on",
    }
    return session, data


def fire(url: str, prepared: tuple[requests.Session, dict[str, str]]) -> tuple[float, int]:
    session, data = prepared
    started = time.perf_counter()
    try:
        status = session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=30).status_code
    except requests.RequestException:
        status = 0
    return time.perf_counter() - started, status


def scenario(label: str, redis_url: str, args: argparse.Namespace) -> dict:
    env = base_env(redis_url, args.workers)
    script = CREATE_MEETING.replace("LABEL", label).replace("SEATS", str(args.seats))
    pk = int(manage(env, "shell", "--no-imports", "-c", script).split()[-1])
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "ancilab_portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--threads", "2",
         "--timeout", "60", "--log-level", "error"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/incontri/{pk}/iscrizione/"
        wait_until_up(url, time.monotonic() + 60)
        with ThreadPoolExecutor(max_workers=min(args.concurrency, 50)) as pool:
            prepared = list(pool.map(lambda n: prepare(url, n), range(args.attempts)))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(lambda p: fire(url, p), prepared))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    holding, waitlisted, emails = (
        int(x) for x in manage(env, "shell", "--no-imports", "-c", COUNT.replace("PK", str(pk))).split()[-3:]
    )
    latencies = sorted(t for t, _status in results)
    return {
        "label": label,
        "ok": sum(1 for _t, status in results if status == 302),
        "errors": sum(1 for _t, status in results if status != 302),
        "throughput": len(results) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "holding": holding,
        "waitlisted": waitlisted,
        "overbooked": max(holding - args.seats, 0),
        "emails": emails,
    }


def closed_port_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=20, help="POSTs in flight at once")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (2 threads each)")
    args = parser.parse_args()

    recreate_database()
    env = base_env(REDIS_URL, args.workers)
    manage(env, "migrate", "--noinput")
    if not (Path(STATIC_ROOT) / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput")
    try:
        rows = [scenario("Redis up", REDIS_URL, args), scenario("Redis down", closed_port_url(), args)]
    finally:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
        drop_database()

    print(
        f"\n{args.attempts} registration attempts on {args.seats} seats, {args.concurrency} in flight, "
        f"gunicorn {args.workers} workers x 2 threads, {os.cpu_count()} CPUs\n"
    )
    print(f"{'scenario':<11} {'ok':>4} {'err':>4} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'seats held':>10} {'waitlist':>8} {'overbooked':>10} {'outbox rows':>11}")  # fmt: skip
    for r in rows:
        print(
            f"{r['label']:<11} {r['ok']:>4} {r['errors']:>4} {r['throughput']:>7.1f} {r['p50']:>7.0f} {r['p95']:>7.0f} "
            f"{r['holding']:>10} {r['waitlisted']:>8} {r['overbooked']:>10} {r['emails']:>11}"
        )
    up, down = rows
    print(f"\np95 Redis down / Redis up: {down['p95'] / up['p95']:.2f}x")


if __name__ == "__main__":
    main()
