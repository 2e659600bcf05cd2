"""`make lighthouse`: Lighthouse (npm `lighthouse`, pinned) with Debian's Chromium on five page types, mobile and
desktop, against a local production-like server; prints the four scores and writes bench/lighthouse/latest.json and
bench/lighthouse/latest.md.

    .venv/bin/python bench/lighthouse/run.py [--runs 1]

The server: a scratch SQLite database in a temporary directory (migrate, load_demo, demo_upcoming so that a meeting
is open for registration), collectstatic (manifest + precompressed files, as in production), gunicorn with DEBUG=0
on a free loopback port. Lighthouse's default throttling (simulated slow 4G and 4x CPU slowdown on mobile), so the
performance score depends on the machine's load: the load average is recorded with the scores. With --runs N each
page is measured N times and the median performance score is kept.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.lib import topology as topo  # noqa: E402
from bench.lib.topology import log  # noqa: E402

OUT = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]

PICK_PAGES = """
import json
from labs.models import Meeting
from projects.models import Project
meeting = Meeting.objects.open_for_registration().select_related("lab").order_by("starts_at", "pk").first()
project = Project.objects.published().order_by("pk").first()
print(json.dumps({
    "home": "/",
    "lab": meeting.lab.get_absolute_url(),
    "catalogue": "/progetti/",
    "project": project.get_absolute_url(),
    "registration form": f"/incontri/{meeting.pk}/iscrizione/",
}))
"""


def lighthouse(url: str, form_factor: str, report: Path) -> dict[str, int]:
    args = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=60000",
    ]
    if form_factor == "desktop":
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    # Lighthouse now and then fails to record the trace with this Chromium ("NO_NAVSTART… Please run Lighthouse
    # again"): a failed run is run again, twice at most, and the last failure says why.
    for _attempt in range(3):
        result = subprocess.run(args, cwd=ROOT, env=env, check=False, timeout=300, capture_output=True, text=True)
        if result.returncode == 0:
            break
    else:
        raise RuntimeError(f"lighthouse failed on {url} ({form_factor}):\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text())
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


METRICS = {
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "cumulative-layout-shift": "cls",
    "speed-index": "speed_index_ms",
}


def metrics(report: Path) -> dict[str, float]:
    """The performance metrics behind the score (simulated values, as Lighthouse scores them)."""
    audits = json.loads(report.read_text())["audits"]
    return {key: round(audits[audit]["numericValue"], 3 if key == "cls" else 0) for audit, key in METRICS.items()}


def failing_audits(report: Path) -> list[str]:
    """The audits that cost points (score < 1), for the markdown notes."""
    data = json.loads(report.read_text())
    ids = {ref["id"] for name in CATEGORIES for ref in data["categories"][name]["auditRefs"] if ref["weight"] > 0}
    return sorted(
        audit_id
        for audit_id in ids
        if data["audits"][audit_id]["score"] is not None and data["audits"][audit_id]["score"] < 1
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="measurements per page and form factor (median kept)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("node_modules/.bin/lighthouse is missing: run npm ci")

    with tempfile.TemporaryDirectory(prefix="ancilab-lighthouse-") as tmp:
        work = Path(tmp)
        port = topo.free_port()
        env = topo.django_env(
            database_url=f"sqlite:///{work / 'db.sqlite3'}",
            redis_url="",
            static_root=work / "static",
            extra={"SITE_URL": f"http://127.0.0.1:{port}", "BENCH_ENDPOINTS": "0"},
        )
        log("scratch SQLite database: migrate, load_demo, demo_upcoming, collectstatic")
        topo.manage(env, "migrate", "--noinput", "-v", "0")
        topo.manage(env, "load_demo", "-v", "0")
        topo.manage(env, "demo_upcoming", "-v", "0")
        topo.manage(env, "collectstatic", "--noinput", "-v", "0")
        pages = json.loads(topo.django_shell(env, PICK_PAGES).strip().splitlines()[-1])
        server = topo.gunicorn(env, port, work, workers=2, threads=4)
        results = []
        try:
            for form_factor in ("mobile", "desktop"):
                for name, path in pages.items():
                    url = f"http://127.0.0.1:{port}{path}"
                    runs = []
                    for attempt in range(args.runs):
                        report = work / f"{form_factor}-{name.replace(' ', '-')}-{attempt}.json"
                        runs.append((lighthouse(url, form_factor, report), report))
                    runs.sort(key=lambda item: item[0]["performance"])
                    scores, report = runs[len(runs) // 2]
                    row = {
                        "page": name,
                        "path": path,
                        "form_factor": form_factor,
                        **scores,
                        "performance_runs": [run[0]["performance"] for run in runs],
                        **metrics(report),
                        "failing_audits": failing_audits(report),
                    }
                    results.append(row)
                    log(f"{form_factor:7} {name:18} " + " ".join(f"{key}={scores[key]}" for key in CATEGORIES))
        finally:
            server.stop()

    load = os.getloadavg()
    summary = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "lighthouse": subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip(),
        "chromium": subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip(),
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(value, 2) for value in load],
        "runs_per_page": args.runs,
        "results": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "latest.json").write_text(json.dumps(summary, indent=2) + "\n")
    lines = [
        f"# Lighthouse {summary['lighthouse']} ({summary['date']}, {summary['chromium']}, "
        f"{summary['cpus']} CPUs, load average at the end {', '.join(map(str, summary['load_average_at_end']))})",
        "",
        "| page | form factor | performance | accessibility | best practices | SEO | FCP / LCP / TBT (ms), CLS |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results:
        lines.append(
            f"| {row['page']} | {row['form_factor']} | {row['performance']} | {row['accessibility']} | "
            f"{row['best-practices']} | {row['seo']} | "
            f"{row['fcp_ms']:.0f} / {row['lcp_ms']:.0f} / {row['tbt_ms']:.0f}, {row['cls']} |"
        )
    (OUT / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
