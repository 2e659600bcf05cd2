"""Health check of the `web` container: GET /healthz on the local gunicorn, as a request the site accepts.

Django refuses a Host that ALLOWED_HOSTS does not list (400 DisallowedHost), so the probe names the first allowed host
instead of 127.0.0.1; /healthz is exempt from the HTTPS redirect. Standard library only: it runs every 10 seconds.
Usage: python deploy/healthcheck.py [base URL, default http://127.0.0.1:8000]
"""

from __future__ import annotations

import http.client
import os
import sys
import urllib.parse


def probe_host(allowed_hosts: str) -> str:
    for entry in allowed_hosts.split(","):
        entry = entry.strip()
        if entry and entry != "*":
            return entry.lstrip(".")  # ".example.it" allows example.it itself
    return "localhost"  # "*" or nothing listed


def main(base_url: str = "http://127.0.0.1:8000") -> int:
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=4)
    try:
        connection.request("GET", "/healthz", headers={"Host": probe_host(os.environ.get("ALLOWED_HOSTS", ""))})
        response = connection.getresponse()
        body = response.read(500).decode("utf-8", "replace")
    except OSError as exc:
        print(f"healthz: {exc}")
        return 1
    finally:
        connection.close()
    print(f"healthz: {response.status} {body}")
    return 0 if response.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
