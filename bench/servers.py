"""The processes a load runs against: gunicorn with production settings, a scratch
PostgreSQL database, and how much CPU they (and everything else on the machine) use.

gunicorn runs with DEBUG off, so the session and CSRF cookies are `Secure` and the app
trusts `X-Forwarded-Proto: https` from the TLS proxy it expects in front (settings.py).
Nothing terminates TLS here: clients talk plain HTTP and play the proxy's part themselves
(see `bench.load_client.Browser`). HTTPS redirects are off for the same reason.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
START_TIMEOUT = 30
STOP_TIMEOUT = 15
# As production runs it (Dockerfile, docker-compose.yml): 3 sync workers. On the 2-core
# machine with PostgreSQL beside them, 50 officers' deadline load (bench/deadline_load.py,
# 40 s, quiet machine) gave score-save p95 of 56, 51, 62, 67, 73 ms with 2…6 sync workers
# and 71–82 ms with gthread (2×4, 3×3, 4×2): views are CPU-bound, threads only add GIL
# contention, and more processes than cores + 1 only add context switches.
WORKERS = 3
# nginx's internal location over the media root (deploy/nginx/nginx.conf.template): a
# gunicorn behind `Nginx` answers stored documents with X-Accel-Redirect to it, as
# docker-compose.yml's web does (settings.PARINDEX_ACCEL_REDIRECT).
ACCEL_REDIRECT = "/_media_internal/"


def manage(env: dict[str, str], *command: str) -> None:
    """`manage.py COMMAND` in a process with `env` (a scratch database's settings), quiet."""
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command() -> list[str]:
    script = Path(sys.executable).with_name("gunicorn")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]


class ChildProcess:
    """A server process the tests or a benchmark start (gunicorn, a Celery worker), with its
    log file. `stop` sends SIGTERM (gunicorn's workers finish their request, a Celery worker
    its task: a warm shutdown), then kills what is still there after STOP_TIMEOUT."""

    process: subprocess.Popen | None = None
    log_path: Path

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Gunicorn(ChildProcess):
    """`gunicorn parindex.wsgi` in a subprocess, on a free port of 127.0.0.1."""

    def __init__(
        self,
        log_dir: Path,
        *,
        database_url: str,
        redis_url: str = "",
        media_root: Path | None = None,
        workers: int = WORKERS,
        threads: int = 1,
        access_log: bool = False,
        accel_redirect: bool = False,
        env: dict[str, str] | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        self.access_log_path = log_dir / f"gunicorn-{self.port}-access.log"
        self.media_root = media_root or log_dir / "media"
        self.database_url = database_url
        self.redis_url = redis_url
        self.workers = workers
        self.threads = threads
        self.access_log = access_log
        # Only behind an `Nginx` over the same media root: alone, nothing would follow it.
        self.accel_redirect = accel_redirect
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            # Production settings: not the test settings a pytest parent would pass on.
            if key not in {"PARINDEX_TESTING", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="parindex.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DATABASE_URL=self.database_url,
            PARINDEX_MEDIA_ROOT=str(self.media_root),
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env["PARINDEX_ACCEL_REDIRECT"] = ACCEL_REDIRECT if self.accel_redirect else ""
        env.update(self.extra_env)
        return env

    def command(self) -> list[str]:
        command = [
            *gunicorn_command(),
            "parindex.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ]
        if self.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(self.threads)]
        if self.access_log:
            command += ["--access-logfile", str(self.access_log_path)]
        return command

    def start(self) -> Gunicorn:
        self.media_root.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=REPO,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start:\n{self.log()}")
            time.sleep(0.2)
        # Every worker booted, not just the first to answer.
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.2)
        return self

    def answers(self) -> bool:
        try:
            response = httpx.get(f"{self.url}/dang-nhap/", timeout=2)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def worker_pids(self) -> set[int]:
        """The master's children: the workers serving requests (Linux /proc)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return {int(pid) for pid in children.read_text().split()}
        except (FileNotFoundError, ProcessLookupError):
            return set()

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _postgres_admin():
    import psycopg

    return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True)


def database_create(name: str) -> str:
    """An empty database `name` (dropped first if a failed run left it); its URL."""
    with _postgres_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def database_drop(name: str) -> None:
    with _postgres_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by the whole machine and by this process and its descendants
    (the driver, gunicorn, a worker), from /proc: other work on the machine skews latency."""
    tick = os.sysconf("SC_CLK_TCK")
    machine = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    parents, used = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], used[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    ours, grown = {os.getpid()}, True
    while grown:
        children = {pid for pid, parent in parents.items() if parent in ours} - ours
        ours |= children
        grown = bool(children)
    busy = sum(machine) - machine[3] - machine[4]  # all but idle and iowait
    return busy / tick, sum(used.get(pid, 0) for pid in ours) / tick


def cores_between(start: tuple[float, float, float]) -> dict[str, float]:
    """Average cores in use since `start` = (time.monotonic(), *cpu_seconds())."""
    elapsed = time.monotonic() - start[0]
    machine, ours = cpu_seconds()
    return {
        "machine": round((machine - start[1]) / elapsed, 2),
        "this run": round((ours - start[2]) / elapsed, 2),
        "others (PostgreSQL included)": round((machine - start[1] - ours + start[2]) / elapsed, 2),
    }


NGINX = Path("/usr/sbin/nginx")
NGINX_DIR = REPO / "deploy" / "nginx"


def certificate_create(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl), as (certificate, key)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    return cert, key


class Nginx(ChildProcess):
    """Debian's nginx with deploy/nginx/nginx.conf.template (the one docker-compose.yml
    runs), in front of `upstream` (`host:port`, e.g. a `Gunicorn`), on two free ports of
    127.0.0.1: `url` (HTTPS, self-signed) and `http_url` (redirects to HTTPS). It sends the
    stored files a `Gunicorn(accel_redirect=True)` names from `media_root` (the gunicorn's)."""

    def __init__(
        self, log_dir: Path, *, upstream: str, media_root: Path | None = None, workers: int = 1
    ):
        import string

        self.dir = log_dir / f"nginx-{free_port()}"
        self.dir.mkdir(parents=True)
        self.port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.log_path = self.dir / "error.log"
        self.access_log_path = self.dir / "access.log"
        self.cert, key = certificate_create(self.dir)
        template = string.Template((NGINX_DIR / "nginx.conf.template").read_text())
        self.config_path = self.dir / "nginx.conf"
        self.config_path.write_text(
            template.safe_substitute(
                NGINX_USER=_user_name(),
                NGINX_WORKERS=str(workers),
                NGINX_RUN_DIR=str(self.dir),
                NGINX_LOG_DIR=str(self.dir),
                NGINX_HTTP_LISTEN=f"127.0.0.1:{self.http_port}",
                NGINX_HTTPS_LISTEN=f"127.0.0.1:{self.port}",
                NGINX_SERVER_NAME="127.0.0.1",
                NGINX_CERT=str(self.cert),
                NGINX_CERT_KEY=str(key),
                NGINX_PAGES_DIR=str(NGINX_DIR),
                NGINX_MEDIA_ROOT=str((media_root or log_dir / "media").resolve()),
                PARINDEX_UPSTREAM=upstream,
            )
        )
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [
            str(NGINX), "-p", str(self.dir), "-c", str(self.config_path),
            "-e", str(self.log_path), "-g", "daemon off;",
        ]  # fmt: skip

    def start(self) -> Nginx:
        check = subprocess.run([*self.command(), "-t", "-q"], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx refused its configuration:\n{check.stderr}")
        with open(self.dir / "stdout.log", "ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"nginx did not start:\n{self.log()}")
            time.sleep(0.1)
        return self

    def answers(self) -> bool:
        try:
            # nginx is up once it answers at all (a 502 only says the upstream is not).
            return bool(httpx.get(f"{self.http_url}/", timeout=2).status_code)
        except httpx.HTTPError:
            return False

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _user_name() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name
