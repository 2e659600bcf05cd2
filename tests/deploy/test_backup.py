"""deploy/backup.sh: a backup restored into an empty database gives back the same rows and the same media files.

The script runs for real, as the compose `backup` service runs it, against the test suite's PostgreSQL: `backup`
dumps the test database and archives a media folder, `restore` creates another database from the dump."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from ancilab_portal.celery import app as celery_app
from registrations import tasks  # noqa: F401 - registers the email task the registrations publish on commit
from registrations.models import OutboundEmail, Registration
from registrations.services import registration_create
from tests.factories import MeetingFactory, ProjectFactory
from tests.registrations.conftest import person

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "backup.sh"


def libpq_env(database: str, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(
        PGHOST=db["HOST"] or "localhost",
        PGPORT=str(db["PORT"] or 5432),
        PGUSER=db["USER"] or "postgres",
        PGPASSWORD=db["PASSWORD"] or "",
        PGDATABASE=database,
        **extra,
    )
    return env


def script(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(["sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def table_digests(database: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows, and every sequence's position."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname=database,
    ) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ]
        digests = {}
        for table in tables:
            digests[table] = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608 - names from pg_tables
            ).fetchone()
        for (sequence,) in conn.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"):
            digests[f"sequence {sequence}"] = conn.execute(f'SELECT last_value, is_called FROM "{sequence}"').fetchone()  # noqa: S608
        return digests


def media_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_the_same_data(postgres_only, settings, tmp_path):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "the PostgreSQL client tools are needed"
    meeting = MeetingFactory(capacity=3)
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True  # emails sent in-process
    try:
        for n in range(1, 5):  # three seats held, one on the waiting list; their emails in the outbox
            registration_create(meeting_id=meeting.pk, data=person(n), language="it")
    finally:
        celery_app.conf.task_always_eager = eager
    ProjectFactory.create_batch(3)
    default_storage.save("projects/copertina.png", ContentFile(b"\x89PNG fake image bytes"))
    default_storage.save("pdf/catalogo.pdf", ContentFile(b"%PDF-1.7 fake catalogue"))
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    backups, media = tmp_path / "backups", Path(settings.MEDIA_ROOT)
    before = table_digests(source)
    files_before = media_files(media)
    assert before["registrations_registration"][0] == 4
    assert before["registrations_outboundemail"][0] == OutboundEmail.objects.count() == 4
    assert len(files_before) == 2

    env = libpq_env(source, BACKUP_DIR=str(backups), MEDIA_DIR=str(media))
    out = script("backup", env=env).stdout
    (dump,) = backups.glob("ancilab-*.dump")
    stamp = dump.name.removeprefix("ancilab-").removesuffix(".dump")
    assert f"backup: wrote {dump} (" in out
    assert sorted(path.name for path in backups.iterdir()) == [f"ancilab-{stamp}-media.tar.gz", f"ancilab-{stamp}.dump"]

    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    (restored_media / "stale.txt").write_text("not in the backup")
    env = libpq_env(restored, BACKUP_DIR=str(backups), MEDIA_DIR=str(restored_media))
    try:
        out = script("restore", "latest", env=env).stdout
        assert out.splitlines()[-1] == f"backup: restore of {stamp} done"
        assert table_digests(restored) == before
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", restored], env=env, check=True, timeout=60)
    assert media_files(restored_media) == files_before
    assert Registration.objects.count() == 4  # the source was only read


def write_backup(directory: Path, stamp: str, age_days: float) -> list[Path]:
    paths = [directory / f"ancilab-{stamp}.dump", directory / f"ancilab-{stamp}-media.tar.gz"]
    when = time.time() - age_days * 86400
    for path in paths:
        path.write_bytes(b"old")
        os.utime(path, (when, when))
    return paths


@pytest.mark.postgres
@pytest.mark.django_db
def test_retention_keeps_the_recent_backups_and_check_sees_a_stale_schedule(postgres_only, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    env = libpq_env(connection.settings_dict["NAME"], BACKUP_DIR=str(backups), MEDIA_DIR=str(tmp_path / "none"))
    expired = write_backup(backups, "20200101-023000", age_days=20)
    kept = write_backup(backups, "20200115-023000", age_days=10)
    assert subprocess.run(["sh", str(SCRIPT), "check"], env=env, timeout=30).returncode == 1  # newest is 10 days old
    out = script("backup", env=env | {"BACKUP_KEEP_DAYS": "14"}).stdout
    assert [line for line in out.splitlines() if "deleted" in line] == sorted(
        f"backup: deleted {path} (older than 14 days)" for path in expired
    )
    remaining = sorted(path.name for path in backups.iterdir())
    assert remaining[:2] == [path.name for path in sorted(kept)]
    assert len(remaining) == 3  # the two kept, and today's dump (no media folder here)
    assert subprocess.run(["sh", str(SCRIPT), "check"], env=env, timeout=30).returncode == 0


def test_restore_refuses_a_missing_backup_before_touching_anything(tmp_path):
    env = {"PATH": os.environ["PATH"], "PGDATABASE": "never_created", "BACKUP_DIR": str(tmp_path)}
    result = subprocess.run(["sh", str(SCRIPT), "restore", "20200101-000000"], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == f"backup: no backup {tmp_path}/ancilab-20200101-000000.dump\n"
