"""The goals of issue 7 checked against a bench result, and the one table `make bench` prints."""

from __future__ import annotations

GOALS = {
    "catalogue_cold_ratio": 0.35,  # catalogue, cache cold, at least this fraction of the bare view's req/s
    "catalogue_warm_ratio": 0.80,
    "registration_p95_ms": 300.0,  # at 200 concurrent attempts
    "redis_down_p95_factor": 1.2,  # p95 with Redis down at most this multiple of p95 with Redis up
}


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def goals(results: dict) -> dict:
    pages = results.get("pages", {})
    regs = results.get("registrations", {})
    out: dict = {}
    if pages:
        cold, warm = pages["catalogue_cold"]["ratio_to_bare"], pages["catalogue_warm"]["ratio_to_bare"]
        out["catalogue_cold_ratio"] = {"value": cold, "goal": f">= {GOALS['catalogue_cold_ratio']}",
                                       "pass": cold >= GOALS["catalogue_cold_ratio"]}  # fmt: skip
        out["catalogue_warm_ratio"] = {"value": warm, "goal": f">= {GOALS['catalogue_warm_ratio']}",
                                       "pass": warm >= GOALS["catalogue_warm_ratio"]}  # fmt: skip
    counts = results.get("query_counts", {})
    if counts and "error" not in counts:
        grown = {page: sizes for page, sizes in counts.items() if len(set(sizes.values())) > 1}
        out["query_counts_flat"] = {"value": grown or "flat", "goal": "same at 1, 25, 100 items",
                                    "pass": not grown}  # fmt: skip
    if regs:
        up, down = regs["redis_up"], regs["redis_down"]
        out["registration_p95_ms"] = {"value": up["p95_ms"], "goal": f"<= {GOALS['registration_p95_ms']:.0f}",
                                      "pass": up["p95_ms"] <= GOALS["registration_p95_ms"]}  # fmt: skip
        factor = round(down["p95_ms"] / up["p95_ms"], 2) if up["p95_ms"] else None
        out["redis_down_p95_factor"] = {"value": factor, "goal": f"<= {GOALS['redis_down_p95_factor']}",
                                        "pass": factor is not None and factor <= GOALS["redis_down_p95_factor"]}  # fmt: skip
        runs = [run for run in regs.values() if run]
        overbooked = sum(run["overbooked"] for run in runs)
        errors = sum(run["http_500"] for run in runs)
        out["no_overbooking"] = {"value": overbooked, "goal": "0", "pass": overbooked == 0}
        out["no_http_500"] = {"value": errors, "goal": "0", "pass": errors == 0}
    return out


def table(results: dict) -> str:
    lines = []
    machine, server = results.get("machine", {}), results.get("server", {})
    lines.append(
        f"AnciLab bench {results.get('started_at', '')}  {machine.get('cpus')} CPUs, load at start "
        f"{machine.get('load_average_at_start')}, gunicorn {server.get('gunicorn_workers')} workers x "
        f"{server.get('threads')} threads, wrk {server.get('wrk_connections')} connections, "
        f"PostgreSQL {results.get('versions', {}).get('postgresql')}, Redis {results.get('versions', {}).get('redis')}"
    )
    lines.append(f"data: {results.get('data', '?')}")
    lines.append("")
    lines.append(
        f"{'page':<34} {'req/s':>8} {'x bare':>7} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
        f"{'app CPU ms/req':>15} {'PG CPU ms/req':>14}"
    )
    names = {
        "bare": "bare view /bench/bare",
        "catalogue_warm": "catalogue filtered, cache warm",
        "catalogue_new_page": "catalogue, page not seen before",
        "catalogue_cold": "catalogue, nothing cached",
        "lab_page": "lab page",
        "lab_page_uncached": "lab page, re-rendered",
        "home": "home page",
        "home_uncached": "home page, re-rendered",
    }
    for key, label in names.items():
        page = results.get("pages", {}).get(key)
        if page:
            lines.append(
                f"{label:<34} {page['rps']:>8.1f} {page['ratio_to_bare']:>7.3f} {page['p50_ms']:>8.1f} "
                f"{page['p90_ms']:>8.1f} {page['p99_ms']:>8.1f} {page['non_2xx']:>8} "
                f"{page.get('gunicorn_cpu_ms_per_req', 0):>15.2f} {page.get('postgres_cpu_ms_per_req', 0):>14.2f}"
            )
    regs = results.get("registrations")
    if regs:
        first = regs["redis_up"]
        lines.append("")
        lines.append(
            f"registrations: {first['attempts']} people load the form, then POST on a {first['seats']}-seat meeting"
        )
        lines.append(
            f"{'scenario':<16} {'in flight':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'HTTP 500':>9} "
            f"{'statuses':<14} {'held':>5} {'waitlist':>9} {'overbooked':>11} {'outbox':>7} {'app CPU ms/req':>15} "
            f"{'PG CPU ms/req':>14}"
        )
        for key in ("redis_up", "redis_down", "redis_up_paced"):
            r = regs.get(key)
            if not r:
                continue
            statuses = " ".join(f"{code}:{n}" for code, n in sorted(r["by_status"].items()))
            lines.append(
                f"{r['label']:<16} {r['concurrency']:>9} {r['throughput_rps']:>7.1f} {r['p50_ms']:>8.0f} "
                f"{r['p95_ms']:>8.0f} {r['max_ms']:>8.0f} {r['http_500']:>9} {statuses:<14} {r['seats_held']:>5} "
                f"{r['waitlisted']:>9} {r['overbooked']:>11} {r['outbox']:>7} "
                f"{r.get('gunicorn_cpu_ms_per_req', 0):>15.2f} {r.get('postgres_cpu_ms_per_req', 0):>14.2f}"
            )
    pdf = results.get("pdf")
    if pdf:
        http = pdf["http_programme"]
        bench = pdf["pdf_bench"]
        lines.append("")
        lines.append(
            f"PDF: lab programme over HTTP first {http['first_ms']:.0f} ms, cached {http['cached_median_ms']:.0f} ms "
            f"(HTTP {http['status']}, {http['bytes']} bytes)"
        )
        if bench.get("programme_s") is not None:
            lines.append(
                f"     render: programme {bench['programme_s']:.2f} s; catalogue 20/40/80 projects "
                f"{bench['catalogue_20_s']:.2f} / {bench['catalogue_40_s']:.2f} / {bench['catalogue_80_s']:.2f} s; "
                f"downloads {bench['download_uncached_per_s']:.1f}/s uncached, {bench['download_cached_per_s']:.0f}/s cached"
            )
    counts = results.get("query_counts")
    if counts and "error" not in counts:
        lines.append("")
        lines.append(f"{'queries per page (cache cold)':<34} {'1 item':>7} {'25':>5} {'100':>5}")
        for page, sizes in counts.items():
            lines.append(f"{page:<34} {sizes.get('1'):>7} {sizes.get('25'):>5} {sizes.get('100'):>5}")
    checked = results.get("goals")
    if checked:
        lines.append("")
        lines.append(f"{'goal':<26} {'value':>10} {'target':>10}  verdict")
        for name, goal in checked.items():
            value = goal["value"] if not isinstance(goal["value"], dict) else "grows"
            lines.append(f"{name:<26} {value!s:>10} {goal['goal']:>10}  {_verdict(goal['pass'])}")
    if "duration_s" in results:
        lines.append(f"\n(whole run {results['duration_s']:.0f} s)")
    return "\n".join(lines)
