"""docs/BACKUP.md, run on this machine: pg_dump -Fc of the database and a copy of the media
directory, pg_restore into a fresh database, then the checks the procedure prescribes
(export_results before and after, row counts, every evidence file's SHA-256)."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from appraisal.services.compute import results_compute
from evidence.models import EvidenceFile, Score
from tests.parindex.years import build_year

REPO = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n% bien ban hop Hoi dong\n%%EOF\n"

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def backup_skip_reason() -> str | None:
    if connection.settings_dict["ENGINE"] != "django.db.backends.postgresql":
        return "needs DATABASE_URL=postgres://…: pg_dump and pg_restore work on PostgreSQL only"
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        return "needs pg_dump and pg_restore (the PostgreSQL client) on PATH"
    return None


def connection_options(database: str) -> dict:
    db = connection.settings_dict
    return {
        "dbname": database,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
    }


def client_args() -> list[str]:
    options = connection_options("")
    return ["-h", str(options["host"]), "-p", str(options["port"]), "-U", options["user"] or ""]


def client_env() -> dict:
    password = connection.settings_dict["PASSWORD"]
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def database_url(name: str) -> str:
    options = connection_options(name)
    credentials = quote(options["user"] or "", safe="")
    if options["password"]:
        credentials += ":" + quote(options["password"], safe="")
    return f"postgres://{credentials}@{options['host']}:{options['port']}/{quote(name, safe='')}"


@pytest.fixture
def scratch_database():
    """A fresh, empty database for the restore, dropped afterwards whatever happens."""
    reason = backup_skip_reason()
    if reason:
        pytest.skip(reason)
    name = f"parindex_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**connection_options("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(**connection_options("postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_a_nightly_dump_and_media_copy_restore_into_a_fresh_database(
    scratch_database, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    year = build_year(2022)
    results_compute(year=year)  # in-process: this test's marker turns eager jobs off
    score = Score.objects.filter(participation__year=year).order_by("pk").first()
    score.evidence.add(
        EvidenceFile.objects.create(
            participation=score.participation,
            file=SimpleUploadedFile("bien-ban.pdf", PDF),
            original_name="bien-ban.pdf",
            kind="pdf",
            size=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
        )
    )
    before = tmp_path / "before.json"
    call_command("export_results", "--year", "2022", "--out", str(before), stdout=io.StringIO())
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        live_counts = table_counts(cursor, tables)

    # The nightly backup: the database in custom format, then the media directory.
    dump = tmp_path / "parindex.dump"
    subprocess.run(
        ["pg_dump", *client_args(), "-Fc", "-d", connection.settings_dict["NAME"], "-f", dump],
        check=True,
        env=client_env(),
        timeout=60,
    )
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as media_copy:
        media_copy.add(settings.MEDIA_ROOT, arcname=".")

    # The restore: into a fresh database, the media copy into an empty directory.
    subprocess.run(
        ["pg_restore", *client_args(), "--no-owner", "--exit-on-error"]
        + ["-d", scratch_database, dump],
        check=True,
        env=client_env(),
        timeout=60,
    )
    restored_media = tmp_path / "restored-media"
    with tarfile.open(tmp_path / "media.tar.gz") as media_copy:
        media_copy.extractall(restored_media, filter="data")

    # The checks: every table's rows, the results document, every evidence file's bytes.
    with psycopg.connect(**connection_options(scratch_database)) as restored:
        with restored.cursor() as cursor:
            assert table_counts(cursor, tables) == live_counts
            cursor.execute("SELECT file, sha256 FROM evidence_evidencefile")
            files = cursor.fetchall()
    assert len(files) == 1
    for name, sha256 in files:
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == sha256
    after = tmp_path / "after.json"
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    subprocess.run(
        [sys.executable, "manage.py", "export_results", "--year", "2022", "--out", str(after)],
        cwd=REPO,
        env={**env, "DATABASE_URL": database_url(scratch_database), "DJANGO_DEBUG": "1"},
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert after.read_bytes() == before.read_bytes()
    assert json.loads(after.read_text())["blocks"][0]["units"][0]["rank"] == 1
