"""Load generation: wrk for page throughput, and a thread burst (http.client) for registrations."""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.lib.topology import log

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def ensure_wrk() -> str:
    """wrk from the system; installed with apt when missing (the bench machine is a throwaway CI box)."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: apt-get install -y wrk")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, timeout=300, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and apt-get could not install it")
    return found


@dataclass
class WrkResult:
    url: str
    rps: float
    requests: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    non_2xx: int
    errors: int
    raw: str = field(repr=False, default="")


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()
    return float(number) * UNITS[unit]


def parse_wrk(url: str, output: str) -> WrkResult:
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        url=url,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        p50_ms=_ms(percentiles["50"]),
        p90_ms=_ms(percentiles["90"]),
        p99_ms=_ms(percentiles["99"]),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(x) for x in errors.groups()) if errors else 0,
        raw=output,
    )


def wrk(url: str, *, seconds: int, connections: int, threads: int = 1, script: Path | None = None) -> WrkResult:
    args = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", str(script)]
    result = subprocess.run([*args, url], capture_output=True, text=True, timeout=seconds + 60, check=False)
    if result.returncode != 0 or "Requests/sec" not in result.stdout:
        raise RuntimeError(f"wrk failed on {url}: {result.stdout}\n{result.stderr}")
    return parse_wrk(url, result.stdout)


# --- Registration burst ---------------------------------------------------------------------------------------------------
@dataclass
class Attempt:
    status: int = 0
    seconds: float = 0.0
    error: str = ""
    at: float = 0.0  # start, in seconds from the beginning of the run (trickle only)


def _request(port: int, method: str, path: str, *, body: str = "", headers: dict | None = None, timeout: float = 60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


class HTTPStatusError(Exception):
    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


def prepare_form(port: int, path: str) -> tuple[str, str]:
    """GET the form: the CSRF cookie and the token of its hidden input (untimed, like a person reading the page)."""
    status, headers, body = _request(port, "GET", path)
    if status != 200:
        raise HTTPStatusError(status)
    cookie = next(
        value.split(";")[0] for name, value in headers if name.lower() == "set-cookie" and "csrftoken" in value
    )
    return cookie, CSRF_INPUT.search(body.decode()).group(1)


def registration_form(n: int, token: str, tag: str) -> str:
    return urlencode(
        {
            "csrfmiddlewaretoken": token,
            "first_name": "Persona",
            "last_name": f"Carico {n}",
            "email": f"{tag}-{n}@comune.example.it",
            "organization": "Comune di Bergamo",
            "organization_type": "comune",
            "privacy": "on",
        }
    )


def prepare_forms(port: int, path: str, attempts: int) -> list[tuple[str, str]]:
    """``attempts`` people load the form (CSRF cookie and token each), 20 at a time."""
    prepared: list[tuple[str, str]] = [("", "")] * attempts

    def load(i: int) -> None:
        prepared[i] = prepare_form(port, path)

    _run_threads(load, attempts, width=20)
    return prepared


def registration_burst(
    port: int, path: str, prepared: list[tuple[str, str]], *, tag: str, concurrency: int | None = None
) -> dict:
    """Everybody POSTs together (released by a barrier), ``concurrency`` at a time (default: all at once). Only the
    POST is timed. Returns counts by status and latency figures."""
    attempts = len(prepared)
    results = [Attempt() for _ in range(attempts)]
    concurrency = concurrency or attempts
    gate = threading.Semaphore(concurrency)
    barrier = threading.Barrier(attempts, timeout=120)

    def post(i: int) -> None:
        cookie, token = prepared[i]
        body = registration_form(i, token, tag)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{port}{path}",
        }
        barrier.wait()
        with gate:
            started = time.perf_counter()
            try:
                status, _headers, _body = _request(port, "POST", path, body=body, headers=headers)
                results[i] = Attempt(status, time.perf_counter() - started)
            except Exception as exc:  # noqa: BLE001 - a failed attempt is a result, counted below
                results[i] = Attempt(0, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")

    started = time.perf_counter()
    _run_threads(post, attempts, width=attempts)
    elapsed = time.perf_counter() - started
    latencies = sorted(a.seconds * 1000 for a in results)
    by_status: dict[str, int] = {}
    for attempt in results:
        by_status[str(attempt.status)] = by_status.get(str(attempt.status), 0) + 1
    return {
        "attempts": attempts,
        "concurrency": concurrency,
        "elapsed_s": round(elapsed, 3),
        "throughput_rps": round(attempts / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "max_ms": round(latencies[-1], 1),
        "by_status": by_status,
        "http_500": sum(1 for a in results if a.status == 500),  # an unhandled error; 503 is a handled outage
        "errors": [a.error for a in results if a.error][:5],
    }


def _run_threads(function, count: int, *, width: int) -> None:
    """Run function(i) for i in range(count), at most ``width`` threads alive at once; all joined with a deadline."""
    pending = list(range(count))
    while pending:
        batch, pending = pending[:width], pending[width:]
        threads = [threading.Thread(target=function, args=(i,), daemon=True) for i in batch]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 180
        for thread in threads:
            thread.join(timeout=max(deadline - time.monotonic(), 0.1))


def registration_trickle(
    port: int, path: str, *, attempts: int, seconds: float, tag: str, workers: int = 4, on_tick=None
) -> dict:
    """``attempts`` registrations spread evenly over ``seconds`` (form GET then POST each), ``workers`` threads.
    ``on_tick(elapsed)`` is called about every 0.5 s from the pacing thread (to stop/start services on cue)."""
    results: list[Attempt] = []
    lock = threading.Lock()
    start = time.monotonic()
    interval = seconds / max(attempts, 1)
    gate = threading.Semaphore(workers)

    def attempt(i: int) -> None:
        with gate:
            began = time.perf_counter()
            at = round(time.monotonic() - start, 2)
            try:
                cookie, token = prepare_form(port, path)
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
                status, _h, _b = _request(port, "POST", path, body=registration_form(i, token, tag), headers=headers)
                outcome = Attempt(status, time.perf_counter() - began)
            except HTTPStatusError as exc:  # the form page itself failed
                outcome = Attempt(exc.status, time.perf_counter() - began, f"form page: {exc}")
            except Exception as exc:  # noqa: BLE001 - counted as a failed attempt
                outcome = Attempt(0, time.perf_counter() - began, f"{type(exc).__name__}: {exc}")
            outcome.at = at
            with lock:
                results.append(outcome)

    threads = []
    next_tick = 0.0
    for i in range(attempts):
        due = start + i * interval
        while time.monotonic() < due:
            if on_tick and time.monotonic() - start >= next_tick:
                on_tick(time.monotonic() - start)
                next_tick += 0.5
            time.sleep(min(0.05, max(due - time.monotonic(), 0)))
        thread = threading.Thread(target=attempt, args=(i,), daemon=True)
        thread.start()
        threads.append(thread)
    while on_tick and time.monotonic() - start < seconds:
        on_tick(time.monotonic() - start)
        time.sleep(0.5)
    deadline = time.monotonic() + 120
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0.1))
    by_status: dict[str, int] = {}
    for outcome in results:
        by_status[str(outcome.status)] = by_status.get(str(outcome.status), 0) + 1
    latencies = sorted(a.seconds * 1000 for a in results) or [0.0]
    return {
        "attempts": attempts,
        "by_status": by_status,
        "http_500": sum(1 for a in results if a.status == 500),  # an unhandled error; 503 is a handled outage
        "failed_connections": sum(1 for a in results if a.status == 0),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "errors": sorted({a.error for a in results if a.error})[:5],
        # When the failed attempts started (seconds from the beginning): inside the outage window, or after it?
        "failed_at_s": sorted(a.at for a in results if a.status != 302),
    }
