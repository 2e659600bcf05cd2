"""`make bench`: the production topology on bulk data, measured in one run, one table, one JSON file.

    .venv/bin/python bench/run.py [--seconds 10] [--connections 16] [--workers N] [--threads N] [--skip-pdf]

1. A scratch PostgreSQL database (BENCH_DB, default ancilab_bench_run; dropped and recreated, dropped again at the end):
   migrate, query counts per page at 1/25/100 items (bench/lib/querycount.py, in a rolled-back transaction), load_demo,
   seed_bulk (10,000 projects, 300 labs, 100,000 registrations), collectstatic into a temporary STATIC_ROOT.
2. A private Redis on a free port (so the "Redis down" run can really stop it), gunicorn (DEBUG=0, BENCH_ENDPOINTS=1,
   rate limits lifted), a Celery worker.
3. wrk on: the bare view (/bench/bare: same middleware, same server, no query, no template); the filtered catalogue
   (a) with the cache warm (the same URL again and again), (b) as a page never requested before (a new query string
   on each request: no page cache hit, but the cards and filter choices are cached, as they are until the next content
   edit) and (c) with nothing cached at all; the lab page and the home page, as served (page cache) and re-rendered.
   "Nothing cached" and "re-rendered" run on a second gunicorn with the per-process cache tier off
   (CACHE_LOCAL_SECONDS=0) while a background loop increments a version in Redis every millisecond: the content
   version for (c) (every page and fragment key includes it), the seats version for the lab and home pages (pages
   re-rendered, fragments such as the home page's numbers still cached). PostgreSQL's buffers stay warm.
4. Registrations: 200 people load the form, then POST at the same moment on a 20-seat meeting; throughput, p50/p95,
   seats held and overbooking counted in the database. Again on a fresh meeting with Redis stopped.
5. PDF: the lab programme over HTTP (first request renders, the next ones are cached), and bench/pdf_bench.py.

Prints one table; writes bench/results/<UTC timestamp>.json and bench/results/latest.json. Every process is stopped
at the end, whatever happens (process groups, deadlines). Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib import load, report  # noqa: E402
from bench.lib import topology as topo  # noqa: E402
from bench.lib.topology import log  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SEATS, ATTEMPTS = 20, 200

CREATE_MEETING = """
import datetime
from django.utils import timezone
from labs.models import Lab, Meeting, Venue
venue, _ = Venue.objects.get_or_create(slug="bench-venue", defaults={"name": "Sede", "address": "Via Rovello 2"})
lab, _ = Lab.objects.get_or_create(slug="bench-registrations", defaults={"title": "Bench", "edition_year": 2026,
                                   "description": "Carico", "published": True})
start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
meeting = Meeting.objects.create(lab=lab, order=Meeting.objects.filter(lab=lab).count() + 1, title="Bench LABEL",
    starts_at=start, ends_at=start + datetime.timedelta(hours=3), venue=venue, capacity=SEATS)
print(meeting.pk)
"""


class VersionBumper(threading.Thread):
    """Increments a version key in Redis every millisecond: no request finds a page (or fragment) cached under it."""

    def __init__(self, redis_url: str, key: str):
        super().__init__(daemon=True)
        import redis

        self.client = redis.Redis.from_url(redis_url, socket_timeout=1)
        self.key = key
        self.halt = threading.Event()
        self.bumps = 0

    def run(self) -> None:
        deadline = time.monotonic() + 600
        while not self.halt.is_set() and time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                self.client.incr(self.key)
                self.bumps += 1
            time.sleep(0.001)


@contextlib.contextmanager
def bumping(redis_url: str, key: str):
    bumper = VersionBumper(redis_url, key)
    bumper.start()
    try:
        yield bumper
    finally:
        bumper.halt.set()
        bumper.join(timeout=5)


def pick_targets(db_url: str) -> dict[str, str]:
    area = topo.sql(
        db_url,
        "SELECT a.slug FROM projects_project p JOIN projects_project_areas pa ON pa.project_id = p.id "
        "JOIN projects_area a ON a.id = pa.area_id WHERE p.status = 'ongoing' AND p.published "
        "GROUP BY a.slug ORDER BY count(*) DESC, a.slug LIMIT 1",
    )[0][0]
    lab = topo.sql(
        db_url,
        "SELECT l.slug FROM labs_lab l JOIN labs_meeting m ON m.lab_id = l.id WHERE l.published "
        "AND l.slug NOT LIKE 'bulk-%%' GROUP BY l.slug ORDER BY count(m.id) DESC, l.slug LIMIT 1",
    )[0][0]
    return {"area": area, "lab": lab}


class CpuMeter:
    """CPU seconds spent by gunicorn (its process group) and by the PostgreSQL backends of the bench database."""

    def __init__(self, server: topo.Service, database: str):
        self.pgid, self.database = server.proc.pid, database

    def _snapshots(self) -> tuple[dict, dict]:
        return topo.cpu_snapshot(pgid=self.pgid), topo.cpu_snapshot(cmdline=f" {self.database} ")

    def __enter__(self) -> CpuMeter:
        self.start = self._snapshots()
        return self

    def __exit__(self, *exc) -> None:
        end = self._snapshots()
        self._start_end = (self.start[0], end[0])
        self.gunicorn = topo.cpu_delta(self.start[0], end[0])
        self.postgres = topo.cpu_delta(self.start[1], end[1])

    def worker_split(self) -> list[float]:
        """CPU seconds per gunicorn process during the run, busiest first (the arbiter's ~0 is last)."""
        start, end = self._start_end
        return sorted((seconds - start.get(pid, 0.0) for pid, seconds in end.items()), reverse=True)

    def per_request(self, requests: int) -> dict:
        return {
            "gunicorn_cpu_ms_per_req": round(self.gunicorn * 1000 / max(requests, 1), 2),
            "postgres_cpu_ms_per_req": round(self.postgres * 1000 / max(requests, 1), 2),
        }


def registrations_run(
    env, db_url: str, port: int, server: topo.Service, label: str, attempts: int, concurrency: int | None = None
) -> dict:
    db_name = db_url.rsplit("/", 1)[-1]
    code = CREATE_MEETING.replace("LABEL", label).replace("SEATS", str(SEATS))
    pk = int(topo.django_shell(env, code).split()[-1])
    path = f"/incontri/{pk}/iscrizione/"
    tag = re.sub(r"\W+", "-", label.lower())
    prepared = load.prepare_forms(port, path, attempts)
    with CpuMeter(server, db_name) as meter:  # the POSTs only: loading the forms is not part of the figure
        result = load.registration_burst(port, path, prepared, tag=tag, concurrency=concurrency)
    result.update(meter.per_request(attempts))
    held, waitlisted, outbox = topo.sql(
        db_url,
        "SELECT count(*) FILTER (WHERE status IN ('pending', 'confirmed')), count(*) FILTER (WHERE status = "
        "'waitlisted'), (SELECT count(*) FROM registrations_outboundemail o JOIN registrations_registration r2 "
        "ON r2.id = o.registration_id WHERE r2.meeting_id = %s) FROM registrations_registration WHERE meeting_id = %s",
        (pk, pk),
    )[0]
    result.update(
        label=label, seats=SEATS, seats_held=held, waitlisted=waitlisted, overbooked=max(held - SEATS, 0), outbox=outbox
    )
    return result


def pdf_over_http(port: int, lab: str, repeat: int = 5) -> dict:
    import http.client

    def get() -> tuple[int, float, int]:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", f"/laboratori/{lab}/programma.pdf")
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, (time.perf_counter() - started) * 1000, len(body)

    first = get()
    later = sorted(get()[1] for _ in range(repeat))
    return {"status": first[0], "first_ms": round(first[1], 1), "cached_median_ms": round(later[len(later) // 2], 1),
            "bytes": first[2]}  # fmt: skip


def pdf_bench() -> dict:
    result = subprocess.run(
        [topo.PYTHON, "bench/pdf_bench.py", "--repeat", "1", "--downloads", "10"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS"))},
    )  # fmt: skip
    out = result.stdout
    figures = {"raw": out.strip().splitlines()}
    for key, pattern in {
        "programme_s": r"lab programme, 5 meetings\s+([\d.]+) s",
        "catalogue_20_s": r"catalogue,\s+20 projects\s+([\d.]+) s",
        "catalogue_40_s": r"catalogue,\s+40 projects\s+([\d.]+) s",
        "catalogue_80_s": r"catalogue,\s+80 projects\s+([\d.]+) s",
        "download_uncached_per_s": r"programme download, uncached\s+([\d.]+) /s",
        "download_cached_per_s": r"programme download, cached\s+([\d.]+) /s",
    }.items():
        match = re.search(pattern, out)
        figures[key] = float(match.group(1)) if match else None
    if result.returncode != 0:
        figures["error"] = result.stderr[-1500:]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--attempts", type=int, default=ATTEMPTS, help="registration attempts per burst")
    parser.add_argument("--in-flight", type=int, default=8, help="requests in flight for the paced registration run")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--labs", type=int, default=300)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--settings", default="", help="another settings module, to measure a proposed change")
    parser.add_argument("--no-save", action="store_true", help="print only (for experiments)")
    args = parser.parse_args()

    db_name = os.environ.get("BENCH_DB", "ancilab_bench_run")
    started = time.monotonic()
    load.ensure_wrk()
    if not topo.postgres_ready():
        sys.exit("PostgreSQL does not answer on 127.0.0.1:5432 (see README: make bench needs PostgreSQL and Redis)")
    results: dict = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
        "config": vars(args) | {"seats": SEATS},
    }
    services: list[topo.Service] = []
    redis = None
    with topo.workdir("ancilab-bench-") as work:
        try:
            db_url = topo.recreate_database(db_name)
            redis = topo.Redis(topo.free_port(), work)
            redis.start()
            static_root = work / "static"
            env = topo.django_env(database_url=db_url, redis_url=redis.url, static_root=static_root)
            if args.settings:
                env["DJANGO_SETTINGS_MODULE"] = args.settings
            log(f"scratch database {db_name}: migrate, collectstatic")
            topo.manage(env, "migrate", "--noinput")
            topo.manage(env, "collectstatic", "--noinput", "-v", "0")
            log("query counts at 1, 25 and 100 items (rolled back)")
            counts = subprocess.run(
                [topo.PYTHON, "bench/lib/querycount.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                timeout=300, check=False,
            )  # fmt: skip
            results["query_counts"] = json.loads(counts.stdout) if counts.returncode == 0 else {"error": counts.stderr}
            log(f"load_demo, seed_bulk {args.projects} projects, {args.labs} labs, {args.registrations} registrations")
            topo.manage(env, "load_demo")
            seeded = topo.manage(
                env, "seed_bulk", "--projects", str(args.projects), "--labs", str(args.labs),
                "--registrations", str(args.registrations),
            )  # fmt: skip
            results["data"] = seeded.strip().splitlines()[-1]
            # As autovacuum would have done by now in production: planner statistics for the bulk tables.
            topo.execute_autocommit(db_url, "VACUUM ANALYZE")
            results["versions"] = {
                "postgresql": topo.sql(db_url, "SHOW server_version")[0][0],
                "redis": redis.cli("info", "server").split("redis_version:")[1].split()[0],
            }
            targets = pick_targets(db_url)
            results["targets"] = targets

            port = topo.free_port()
            log(
                f"gunicorn {args.workers} workers x {args.threads} threads on :{port}, celery worker, redis :{redis.port}"
            )
            services.append(topo.gunicorn(env, port, work, workers=args.workers, threads=args.threads))
            services.append(topo.celery_worker(env, work, concurrency=1))
            base = f"http://127.0.0.1:{port}"
            results["server"] = {
                "gunicorn_workers": args.workers,
                "threads": args.threads,
                "wrk_connections": args.connections,
            }

            catalogue = f"{base}/progetti/?stato=ongoing&area={targets['area']}"
            lab_page = f"{base}/laboratori/{targets['lab']}/"
            for url in (f"{base}/bench/bare", catalogue, lab_page, f"{base}/"):
                for _ in range(3):
                    topo.http_status(url, timeout=30)
            wrk_runs, cpu, bumps = {}, {}, {}
            server = services[0]

            def measure(name: str, url: str, on: topo.Service, script: Path | None = None) -> None:
                # wrk opens its connections once and keeps them; gunicorn's gthread workers accept them in a race,
                # and now and then one worker wins all of them while the other idles (seen after the cold catalogue
                # run: the lab page at a third of its rate, one worker at 100 % CPU, the other at 0). Such a run
                # measures the load generator, not the page: it is repeated (up to twice) and the count is recorded.
                for attempt in range(1, 4):
                    time.sleep(1)
                    with CpuMeter(on, db_name) as meter:
                        run = load.wrk(url, seconds=args.seconds, connections=args.connections, script=script)
                    split = meter.worker_split()
                    balanced = args.workers < 2 or len(split) < 2 or split[1] >= 0.25 * split[0]
                    if balanced or attempt == 3:
                        break
                    log(f"  one worker took every connection (CPU s per worker {[round(x, 1) for x in split]}): again")
                wrk_runs[name] = run
                cpu[name] = meter.per_request(run.requests) | {
                    "attempts": attempt,
                    "worker_cpu_s": [round(x, 2) for x in split[: args.workers]],
                }

            log("wrk: bare view")
            measure("bare", f"{base}/bench/bare", server)
            log("wrk: catalogue, cache warm")
            measure("catalogue_warm", catalogue, server)
            log("wrk: catalogue, a page never requested before (cards and choices cached)")
            measure("catalogue_new_page", catalogue, server, script=ROOT / "bench" / "lib" / "unique_query.lua")
            log("wrk: lab page and home page as served")
            measure("lab_page", lab_page, server)
            measure("home", f"{base}/", server)

            # The same pages with nothing to reuse: a second gunicorn without the per-process tier, versions bumped.
            cold_port = topo.free_port()
            log(f"gunicorn without the per-process cache tier on :{cold_port}")
            cold_env = env | {"CACHE_LOCAL_SECONDS": "0", "CACHE_LOCAL_PAGES": "0"}
            cold_server = topo.gunicorn(cold_env, cold_port, work, workers=args.workers, threads=args.threads)
            services.append(cold_server)
            cold_base = f"http://127.0.0.1:{cold_port}"
            cold_catalogue, cold_lab = catalogue.replace(base, cold_base), lab_page.replace(base, cold_base)
            for url in (cold_catalogue, cold_lab, f"{cold_base}/"):
                for _ in range(3):
                    topo.http_status(url, timeout=30)
            log("wrk: catalogue, nothing cached (content version bumped every millisecond)")
            with bumping(redis.url, "ancilab:1:content-version") as bumper:
                measure("catalogue_cold", cold_catalogue, cold_server)
            bumps["catalogue_cold"] = bumper.bumps
            log("wrk: lab page and home page re-rendered (seats version bumped every millisecond)")
            with bumping(redis.url, "ancilab:1:seats-version") as bumper:
                measure("lab_page_uncached", cold_lab, cold_server)
                measure("home_uncached", f"{cold_base}/", cold_server)
            bumps["lab_page_uncached"] = bumps["home_uncached"] = bumper.bumps
            cold_server.stop()
            services.remove(cold_server)
            bare_rps = wrk_runs["bare"].rps
            results["pages"] = {
                name: {
                    "url": run.url.replace(cold_base, "").replace(base, ""),
                    "rps": round(run.rps, 1),
                    "ratio_to_bare": round(run.rps / bare_rps, 3),
                    "p50_ms": round(run.p50_ms, 2),
                    "p90_ms": round(run.p90_ms, 2),
                    "p99_ms": round(run.p99_ms, 2),
                    "requests": run.requests,
                    "non_2xx": run.non_2xx,
                    "socket_errors": run.errors,
                    **cpu[name],
                }
                for name, run in wrk_runs.items()
            }
            for name, count in bumps.items():
                results["pages"][name]["version_bumps"] = count

            log(f"registrations: {args.attempts} at once on {SEATS} seats, Redis up")
            up = registrations_run(env, db_url, port, server, "Redis up", args.attempts)
            log(f"registrations: {args.attempts} attempts, {args.in_flight} in flight, Redis up")
            paced = registrations_run(env, db_url, port, server, "Redis up, paced", args.attempts, args.in_flight)
            log("registrations: Redis stopped")
            redis.stop()
            try:
                down = registrations_run(env, db_url, port, server, "Redis down", args.attempts)
            finally:
                redis.start()
            results["registrations"] = {"redis_up": up, "redis_down": down, "redis_up_paced": paced}

            if not args.skip_pdf:
                log("PDF: lab programme over HTTP, then bench/pdf_bench.py")
                results["pdf"] = {"http_programme": pdf_over_http(port, targets["lab"]), "pdf_bench": pdf_bench()}
        finally:
            for service in reversed(services):
                service.stop()
            if redis is not None:
                redis.stop()
            topo.drop_database(db_name)
    results["duration_s"] = round(time.monotonic() - started, 1)
    results["goals"] = report.goals(results)
    table = report.table(results)
    print("\n" + table)
    results["table"] = table.splitlines()
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        for path in (RESULTS / f"{stamp}.json", RESULTS / "latest.json"):
            path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"saved bench/results/{stamp}.json and bench/results/latest.json")


if __name__ == "__main__":
    main()
