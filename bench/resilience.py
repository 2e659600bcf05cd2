"""`make resilience`: failure scenarios on the production topology; each prints registrations committed, emails
delivered, duplicates and HTTP 500s.

    .venv/bin/python bench/resilience.py [--only redis,worker,smtp,postgres] [--redis-outage 60] [--skip-postgres]

Topology: a scratch PostgreSQL database (ancilab_resilience), a private Redis on port 6390 (cache and broker; the
scenarios stop it, nobody else uses it), gunicorn, a Celery worker, Celery beat with the outbox sweeper every 5 s (the
production schedule says 60 s; only the period is shortened), and a local SMTP server (bench/lib/smtp_sink.py) that
counts accepted messages per Message-ID and recipient and can answer 4xx, 5xx, or slowly. Rows "sending" for more
than 20 s are treated as abandoned (OUTBOX_STALE_SECONDS; production: 120 s).

Scenarios, each on its own meeting:
  redis     Redis stopped for 60 s in the middle of a registration burst, then started again (empty: it has no
            persistence, like a crash).
  worker    the SMTP server made slow; the Celery worker (main process and pool) killed with SIGKILL while a send is in
            flight; a new worker started.
  smtp-4xx  the SMTP server answers 451 for 20 s, then recovers (retries follow the outbox backoff: 60 s first).
  smtp-5xx  the SMTP server answers 550: those rows end "failed" (permanent), shown, not retried.
  postgres  PostgreSQL restarted in the middle of a registration burst (skipped while another test run uses it).

Expected: delivered == committed - permanently failed, 0 duplicates, 0 HTTP 500.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib import load  # noqa: E402
from bench.lib import topology as topo  # noqa: E402
from bench.lib.smtp_sink import SmtpServer  # noqa: E402
from bench.lib.topology import log  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DB_NAME = "ancilab_resilience"
REDIS_PORT = 6390
STALE_SECONDS = 20
OUTBOX_ID = re.compile(r"<outbox-(\d+)-")
SCENARIOS = ["redis", "worker", "smtp-4xx", "smtp-5xx", "postgres"]

BEAT_APP = """
from ancilab_portal.celery import app

# The production schedule, with the outbox sweeper every 5 s instead of 60 s so a scenario converges quickly.
app.conf.beat_schedule = {"registrations-sweep-outbox": {"task": "registrations.sweep_outbox", "schedule": 5.0}}
"""

CREATE_MEETING = """
import datetime
from django.utils import timezone
from labs.models import Lab, Meeting, Venue
venue, _ = Venue.objects.get_or_create(slug="resilience", defaults={"name": "Sede", "address": "Via Rovello 2"})
lab, _ = Lab.objects.get_or_create(slug="resilience", defaults={"title": "Resilienza", "edition_year": 2026,
                                   "description": "Prove di guasto"})
start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
meeting = Meeting.objects.create(lab=lab, order=Meeting.objects.filter(lab=lab).count() + 1, title="Scenario LABEL",
    starts_at=start, ends_at=start + datetime.timedelta(hours=3), venue=venue, capacity=1000)
print(meeting.pk)
"""


class Topology:
    def __init__(self, work: Path):
        self.work = work
        self.redis = topo.Redis(REDIS_PORT if _port_free(REDIS_PORT) else topo.free_port(), work)
        self.smtp = SmtpServer(topo.free_port())
        self.db_url = ""
        self.env: dict[str, str] = {}
        self.port = topo.free_port()
        self.gunicorn: topo.Service | None = None
        self.worker: topo.Service | None = None
        self.beat: topo.Service | None = None
        self.workers_started = 0

    def server_errors(self) -> list[str]:
        """The distinct exception lines gunicorn logged (the last ones), to explain any HTTP 500."""
        lines = [
            line for line in self.gunicorn.tail(4000).splitlines() if re.match(r"^\w+(\.\w+)*(Error|Exception)\b", line)
        ]
        return list(dict.fromkeys(lines))[-5:]

    def start(self) -> None:
        self.db_url = topo.recreate_database(DB_NAME)
        self.redis.start()
        self.smtp.start()
        (self.work / "resilience_beat.py").write_text(BEAT_APP)
        self.env = topo.django_env(
            database_url=self.db_url,
            redis_url=self.redis.url,
            static_root=self.work / "static",
            extra={
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.smtp.port),
                "EMAIL_USE_TLS": "0",
                "EMAIL_TIMEOUT": "10",
                "OUTBOX_STALE_SECONDS": str(STALE_SECONDS),
                "OUTBOX_SWEEP_GRACE_SECONDS": "3",
                "PYTHONPATH": f"{topo.ROOT}:{self.work}",
            },
        )
        log(f"scratch database {DB_NAME}: migrate, collectstatic; redis :{self.redis.port}, smtp :{self.smtp.port}")
        topo.manage(self.env, "migrate", "--noinput")
        topo.manage(self.env, "collectstatic", "--noinput", "-v", "0")
        self.gunicorn = topo.gunicorn(self.env, self.port, self.work, workers=2, threads=2)
        self.start_worker()
        self.beat = topo.Service(
            "beat",
            [topo.PYTHON, "-m", "celery", "-A", "resilience_beat", "beat", "--loglevel", "WARNING",
             "-s", str(self.work / "beat-schedule")],
            self.env, self.work,
        ).start()  # fmt: skip

    def start_worker(self) -> None:
        self.workers_started += 1
        self.worker = topo.celery_worker(self.env, self.work, concurrency=2, name=f"worker{self.workers_started}")
        time.sleep(3)  # let it connect to the broker before the scenario counts on it

    def stop(self) -> None:
        for service in (self.beat, self.worker, self.gunicorn):
            if service:
                service.stop()
        self.smtp.stop()
        self.redis.stop()
        topo.drop_database(DB_NAME)

    def meeting(self, label: str) -> tuple[int, str]:
        pk = int(topo.django_shell(self.env, CREATE_MEETING.replace("LABEL", label)).split()[-1])
        return pk, f"/incontri/{pk}/iscrizione/"

    def rows(self, meeting: int) -> dict:
        registrations = topo.sql(self.db_url, "SELECT count(*) FROM registrations_registration WHERE meeting_id = %s",
                                 (meeting,))[0][0]  # fmt: skip
        emails = topo.sql(
            self.db_url,
            "SELECT o.id, o.status FROM registrations_outboundemail o JOIN registrations_registration r "
            "ON r.id = o.registration_id WHERE r.meeting_id = %s",
            (meeting,),
        )
        return {"committed": registrations, "emails": dict(emails)}

    def account(self, meeting: int) -> dict:
        rows = self.rows(meeting)
        ids = set(rows["emails"])
        delivered = {}
        for (message_id, _recipient), times in self.smtp.sink.snapshot().items():
            match = OUTBOX_ID.search(message_id)
            if match and int(match.group(1)) in ids:
                delivered[int(match.group(1))] = delivered.get(int(match.group(1)), 0) + times
        statuses: dict[str, int] = {}
        for status in rows["emails"].values():
            statuses[status] = statuses.get(status, 0) + 1
        failed = statuses.get("failed", 0)
        return {
            "committed": rows["committed"],
            "outbox_rows": len(ids),
            "delivered": len(delivered),
            "duplicates": sum(times - 1 for times in delivered.values()),
            "permanently_failed": failed,
            "outbox_status": statuses,
            "settled": all(status in ("sent", "failed") for status in rows["emails"].values())
            and len(delivered) == statuses.get("sent", 0),
        }

    def converge(self, meeting: int, timeout: float) -> dict:
        """Wait (bounded) until every outbox row of the meeting is sent or failed and the sink has every sent one."""
        deadline = time.monotonic() + timeout
        figures = self.account(meeting)
        while not figures["settled"] and time.monotonic() < deadline:
            time.sleep(2)
            figures = self.account(meeting)
        figures["converged"] = figures["settled"]
        return figures


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def burst(t: Topology, path: str, tag: str, attempts: int, seconds: float, on_tick=None) -> dict:
    return load.registration_trickle(t.port, path, attempts=attempts, seconds=seconds, tag=tag, on_tick=on_tick)


# --- Scenarios --------------------------------------------------------------------------------------------------------------
def scenario_redis(t: Topology, outage: float) -> dict:
    meeting, path = t.meeting("redis")
    lead_in, tail = 10.0, 15.0
    state = {"stopped_at": None, "started_at": None}

    def cue(elapsed: float) -> None:
        if state["stopped_at"] is None and elapsed >= lead_in:
            log(f"  redis: stopping for {outage:.0f} s")
            t.redis.stop()
            state["stopped_at"] = elapsed
        elif state["stopped_at"] is not None and state["started_at"] is None and elapsed >= lead_in + outage:
            t.redis.start()
            state["started_at"] = elapsed
            log("  redis: started again (empty)")

    total = lead_in + outage + tail
    http = burst(t, path, "redis", attempts=int(total), seconds=total, on_tick=cue)
    if state["started_at"] is None:
        t.redis.start()
    worker_alive = t.worker.running
    if not worker_alive:
        log("  the Celery worker exited while Redis was down: starting a new one")
        t.start_worker()
    figures = t.converge(meeting, timeout=90)
    return {"http": http, "worker_survived": worker_alive, **figures}


def scenario_worker(t: Topology) -> dict:
    meeting, path = t.meeting("worker")
    t.smtp.sink.slow_seconds = 4.0
    t.smtp.sink.mode = "slow"
    http = burst(t, path, "worker", attempts=8, seconds=2)
    deadline = time.monotonic() + 30
    while t.smtp.sink.in_flight == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    in_flight = t.smtp.sink.in_flight
    log(f"  worker: SIGKILL with {in_flight} send(s) in flight")
    t.worker.kill()
    time.sleep(1)
    discarded = t.smtp.sink.discarded
    t.smtp.sink.mode = "ok"
    t.start_worker()
    figures = t.converge(meeting, timeout=STALE_SECONDS + 60)
    return {"http": http, "in_flight_at_kill": in_flight, "discarded_by_smtp": discarded, **figures}


def scenario_smtp_4xx(t: Topology, seconds: float = 20) -> dict:
    meeting, path = t.meeting("smtp-4xx")
    t.smtp.sink.mode = "tempfail"
    http = burst(t, path, "smtp4xx", attempts=10, seconds=5)
    time.sleep(max(seconds - 5, 0))
    refused = t.smtp.sink.refused["451"]
    t.smtp.sink.mode = "ok"
    log(f"  smtp: answered 451 {refused} times; recovered (first retry after the 60 s backoff)")
    figures = t.converge(meeting, timeout=150)
    return {"http": http, "refused_451": refused, **figures}


def scenario_smtp_5xx(t: Topology) -> dict:
    meeting, path = t.meeting("smtp-5xx")
    t.smtp.sink.mode = "permfail"
    http = burst(t, path, "smtp5xx", attempts=5, seconds=2)
    figures = t.converge(meeting, timeout=60)
    t.smtp.sink.mode = "ok"
    return {"http": http, "refused_550": t.smtp.sink.refused["550"], **figures}


def other_tests_running() -> list[str]:
    result = subprocess.run(["pgrep", "-af", "pytest"], capture_output=True, text=True, check=False)
    return [line for line in result.stdout.splitlines() if "pgrep" not in line]


def pg_cluster() -> tuple[str, str]:
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False).stdout.split()
    return (clusters[0], clusters[1]) if len(clusters) >= 2 else ("15", "main")


def scenario_postgres(t: Topology) -> dict:
    running = other_tests_running()
    if running:
        return {"skipped": f"another test run uses PostgreSQL: {running[0][:120]}"}
    meeting, path = t.meeting("postgres")
    version, cluster = pg_cluster()
    state = {"restarted": None}

    def restart() -> None:
        log(f"  postgres: pg_ctlcluster {version} {cluster} restart")
        began = time.monotonic()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
                       check=False, timeout=120, capture_output=True)  # fmt: skip
        topo.wait_for(topo.postgres_ready, timeout=60, what="PostgreSQL after restart")
        state["restarted"] = round(time.monotonic() - began, 1)

    def cue(elapsed: float) -> None:
        # In a thread: the registrations keep arriving while PostgreSQL is down.
        if state.get("thread") is None and elapsed >= 5.0:
            state["thread"] = threading.Thread(target=restart, daemon=True)
            state["thread"].start()

    http = burst(t, path, "postgres", attempts=40, seconds=20, on_tick=cue)
    if state.get("thread"):
        state["thread"].join(timeout=120)
    figures = t.converge(meeting, timeout=90)
    window = [5.0, round(5.0 + (state["restarted"] or 0), 1)]
    return {"http": http, "restart_window_s": window, "server_errors": t.server_errors(), **figures}


def verdict(result: dict) -> str:
    if "skipped" in result:
        return "SKIPPED"
    ok = (
        result["converged"]
        and result["delivered"] == result["committed"] - result["permanently_failed"]
        and result["outbox_rows"] == result["committed"]
        and result["duplicates"] == 0
        and result["http"]["http_500"] == 0
    )
    return "PASS" if ok else "FAIL"


def table(results: dict) -> str:
    lines = [
        f"{'scenario':<10} {'attempts':>8} {'HTTP 500':>8} {'other':<16} {'committed':>9} {'emails':>6} "
        f"{'delivered':>9} {'dupl.':>5} {'5xx failed':>10} {'converged':>9}  verdict"
    ]
    for name, r in results.items():
        if "skipped" in r:
            lines.append(f"{name:<10} skipped: {r['skipped']}")
            continue
        other = " ".join(f"{k}:{v}" for k, v in sorted(r["http"]["by_status"].items()) if k not in ("302",))
        lines.append(
            f"{name:<10} {r['http']['attempts']:>8} {r['http']['http_500']:>8} {other or '-':<16} {r['committed']:>9} "
            f"{r['outbox_rows']:>6} {r['delivered']:>9} {r['duplicates']:>5} {r['permanently_failed']:>10} "
            f"{r['converged']!s:>9}  {verdict(r)}"
        )
    lines.append("expected: delivered == committed - 5xx failed, 0 duplicates, 0 HTTP 500 ('other' = non-302 answers)")
    for name, r in results.items():
        failed = r.get("http", {}).get("failed_at_s")
        if failed:
            window = f" (outage window {r['restart_window_s']} s)" if "restart_window_s" in r else ""
            lines.append(f"{name}: failed attempts started at {failed} s{window}")
        for error in r.get("server_errors", []):
            lines.append(f"{name}: server log: {error[:160]}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios")
    parser.add_argument("--redis-outage", type=float, default=60)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    chosen = [name for name in args.only.split(",") if name]
    if args.skip_postgres and "postgres" in chosen:
        chosen.remove("postgres")
    started = time.monotonic()
    results: dict = {}
    with topo.workdir("ancilab-resilience-") as work:
        t = Topology(work)
        watchdog = threading.Timer(1500, lambda: log("resilience: 25 minutes passed, giving up") or t.stop())
        watchdog.daemon = True
        watchdog.start()
        try:
            t.start()
            runners = {
                "redis": lambda: scenario_redis(t, args.redis_outage),
                "worker": lambda: scenario_worker(t),
                "smtp-4xx": lambda: scenario_smtp_4xx(t),
                "smtp-5xx": lambda: scenario_smtp_5xx(t),
                "postgres": lambda: scenario_postgres(t),
            }
            for name in chosen:
                log(f"scenario {name}")
                results[name] = runners[name]()
                results[name]["verdict"] = verdict(results[name])
                log(f"  {name}: {results[name]['verdict']}")
        finally:
            watchdog.cancel()
            t.stop()
    printed = table(results)
    print("\n" + printed + f"\n(whole run {time.monotonic() - started:.0f} s)")
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        payload = {"started_at": stamp, "scenarios": results, "table": printed.splitlines()}
        for path in (RESULTS / f"resilience-{stamp}.json", RESULTS / "resilience-latest.json"):
            path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if any(r.get("verdict") == "FAIL" for r in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
