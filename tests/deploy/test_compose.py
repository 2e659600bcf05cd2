"""deploy/docker-compose.yml and the Dockerfile: the production rules of issue 13 that a reader could break in one edit.

(The whole topology was run on a real Docker engine; the note of issue 13 records how. These tests pin the rules.)"""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
APP_SERVICES = ("migrate", "web", "worker", "beat")


def default(value: str) -> str:
    """What docker compose makes of "${NAME:-default}" with nothing set in .env."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def published(service: str) -> list[str]:
    return [default(port) for port in SERVICES[service].get("ports", [])]


def test_only_the_profiles_publish_beyond_loopback_and_the_mail_catcher_is_development_only():
    assert published("web") == ["127.0.0.1:8000:8000"]
    assert published("mailpit") == ["127.0.0.1:8025:8025"]
    assert SERVICES["mailpit"]["profiles"] == ["dev"]
    assert SERVICES["proxy"]["profiles"] == ["proxy"]
    # The host may run its own PostgreSQL and Redis: no host port for the containers' ones.
    assert [name for name, service in SERVICES.items() if "ports" in service] == ["web", "proxy", "mailpit"]


def test_every_long_running_service_has_a_health_check():
    assert sorted(name for name, service in SERVICES.items() if "healthcheck" not in service) == ["migrate"]
    assert SERVICES["migrate"]["restart"] == "no"


def test_one_image_built_once_and_started_with_exec_form_commands():
    assert [name for name, service in SERVICES.items() if "build" in service] == ["migrate"]
    assert {SERVICES[name]["image"] for name in APP_SERVICES} == {"ancilab-portal:latest"}
    assert "command" not in SERVICES["web"]  # the image's CMD: gunicorn as PID 1
    for name in APP_SERVICES:
        assert isinstance(SERVICES[name].get("command", []), list), f"{name}: a shell would be PID 1"
    cmd = json.loads(re.search(r"^CMD (\[.*?\])$", DOCKERFILE.replace("\\\n", ""), re.MULTILINE | re.DOTALL)[1])
    assert cmd[:2] == ["gunicorn", "ancilab_portal.wsgi"]
    assert SERVICES["web"]["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py"]


def test_the_image_carries_its_static_files_and_a_writable_media_folder_and_runs_unprivileged():
    assert "python manage.py collectstatic --noinput" in DOCKERFILE
    assert "mkdir -p /app/var/media" in DOCKERFILE
    assert "chown -R ancilab:ancilab /app/var" in DOCKERFILE
    assert re.findall(r"^USER (\S+)$", DOCKERFILE, re.MULTILINE) == ["ancilab"]
    assert "pip install --require-hashes -r requirements.lock" in DOCKERFILE
    for name in ("web", "worker"):
        assert SERVICES[name]["volumes"] == ["media:/app/var/media"]
    # The postgres image must not hand the media volume its own root-owned /media (see the compose file).
    assert SERVICES["backup"]["volumes"][1] == {
        "type": "volume",
        "source": "media",
        "target": "/media",
        "volume": {"nocopy": True},
    }


def test_the_trusted_proxy_address_belongs_to_the_proxy_and_to_no_other_container():
    network = COMPOSE["networks"]["default"]["ipam"]["config"][0]
    proxy = ipaddress.ip_address(SERVICES["proxy"]["networks"]["default"]["ipv4_address"])
    assert default(SERVICES["web"]["environment"]["TRUSTED_PROXIES"]) == str(proxy)
    assert proxy in ipaddress.ip_network(network["subnet"])
    assert proxy not in ipaddress.ip_network(network["ip_range"])  # dynamic addresses come from here only


def test_backups_run_with_the_servers_own_client_tools():
    assert SERVICES["backup"]["image"] == SERVICES["postgres"]["image"]
    assert SERVICES["backup"]["entrypoint"] == ["sh", "/deploy/backup.sh"]
    assert SERVICES["backup"]["command"] == ["schedule"]


def test_the_image_never_takes_a_dotenv_or_the_backups():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "deploy/.env", "deploy/certs", "deploy/backups"} <= set(ignored)


def test_the_image_copies_every_node_modules_folder_the_static_files_come_from(settings):
    """collectstatic runs at build time: a STATICFILES_DIRS folder under node_modules that the image lacks fails the
    build (found on the engine: Lora's woff2 files referenced by static/css/fonts.css)."""
    folders = [entry[1] if isinstance(entry, tuple) else entry for entry in settings.STATICFILES_DIRS]
    wanted = sorted(str(Path(f).relative_to(settings.BASE_DIR)) for f in folders if "node_modules" in str(f))
    assert wanted == [
        "node_modules/@fontsource/lora/files",
        "node_modules/barcode-detector/dist/iife",
        "node_modules/bootstrap-italia/dist",
        "node_modules/zxing-wasm/dist/reader",
    ]
    for folder in wanted:
        assert f"COPY --from=assets /app/{folder} {folder}\n" in DOCKERFILE


def readme_env_blocks() -> tuple[dict[str, str], dict[str, str]]:
    """The README's first-run deploy/.env (the heredoc) and the lines it says to change for production."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploying with Docker Compose", 1)[1]
    first_run = re.search(r"cat > \.env <<EOF\n(.*?)\nEOF\n", section, re.S).group(1)
    production = re.search(r"For production, .*?```sh\n(.*?)```", section, re.S).group(1)

    def pairs(block: str) -> dict[str, str]:
        lines = (line.split("#", 1)[0].strip() for line in block.splitlines())
        return dict(line.split("=", 1) for line in lines if "=" in line)

    return pairs(first_run), pairs(production)


def test_the_production_lines_replace_every_mail_setting_of_the_first_run():
    """Found by following the README on the engine: the production block left the first run's EMAIL_PORT=1025 and
    EMAIL_USE_TLS=0 in place, so the relay would be reached on Mailpit's port, its password sent unencrypted."""
    first_run, production = readme_env_blocks()
    assert {key for key in first_run if key.startswith("EMAIL_")} <= set(production)
    assert (production["EMAIL_PORT"], production["EMAIL_USE_TLS"]) == ("587", "1")
    assert production["COMPOSE_PROFILES"] == "proxy"
