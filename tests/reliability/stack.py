"""What every reliability script stands on, all of it private to the script.

A PostgreSQL cluster of its own (``initdb`` into a temporary directory, run as the
``postgres`` user when the script runs as root) and a Redis of its own, each on a
free port, so a script may stop or restart them without touching the machine's
services; the portal's processes (gunicorn, Celery worker and beat) against them;
and Django set up in the script itself to prepare data and count rows. Everything
is torn down when the script ends, also when it fails or is interrupted.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.workers import (
    Process,
    RedisServer,
    child_env,
    free_port,
    wait_until,
)

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

# Leases of seconds instead of minutes, so an abandoned claim is taken over within
# the script's time bound. They keep the order the settings check (portal.settings):
# e-mail soft < hard limit < lease; task soft < hard limit < visibility timeout < 1 h;
# retry back-off < visibility timeout.
SHORT_LEASES = {
    "OUTBOX_LEASE_SECONDS": "8",
    "EMAIL_TASK_SOFT_TIME_LIMIT": "4",
    "EMAIL_TASK_TIME_LIMIT": "6",
    "OUTBOX_SWEEP_SECONDS": "2",
    # A sweep re-queues up to 2,000 rows: seconds on a busy machine.
    "CELERY_TASK_SOFT_TIME_LIMIT": "20",
    "CELERY_TASK_TIME_LIMIT": "25",
    "CELERY_VISIBILITY_TIMEOUT": "30",
    "CELERY_RETRY_BACKOFF_MAX": "10",
}


class PostgresCluster:
    """A throw-away PostgreSQL cluster listening on 127.0.0.1:``port``."""

    def __init__(self, directory: Path, port: int | None = None):
        self.directory = Path(directory)
        self.data = self.directory / "data"
        self.port = port or free_port()

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        # PostgreSQL refuses to run as root.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # From a directory the postgres user may enter (the repository may not be one).
        result = subprocess.run(
            [*prefix, *command],
            cwd=self.directory,
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
        return result

    def init(self) -> "PostgresCluster":
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        return self

    def start(self) -> None:
        # fsync off is safe here (the machine does not crash, only the server does);
        # synchronous_commit stays on: without it an immediate stop loses commits that
        # were already answered.
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.directory / "postgres.log"), "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends every session cleanly; ``immediate`` is a crash."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        result = self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status", check=False)
        return result.returncode == 0

    def ready(self) -> bool:
        result = subprocess.run(
            [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
            check=False,
        )
        return result.returncode == 0

    def createdb(self, name: str) -> str:
        """Create a UTF-8 database; returns its URL."""
        command = [
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "-E", "UTF8", "-T", "template0", name,
        ]  # fmt: skip
        subprocess.run(command, check=True)
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self) -> None:
        if self.data.exists() and self.running():
            self._run(
                str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop",
                check=False,
            )  # fmt: skip


@dataclass
class Tally:
    """What a script checked: ``expected`` items, how many arrived, how many twice."""

    name: str
    expected: int
    delivered: int
    duplicated: int
    details: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.expected - self.delivered

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and not self.failures

    def report(self) -> int:
        """Print the result; the exit status for the script (0 when nothing was lost,
        doubled or otherwise wrong)."""
        verdict = "PASS" if self.ok else "FAIL"
        print(
            f"{verdict} {self.name}: delivered {self.delivered} / expected {self.expected}"
            f" / duplicated {self.duplicated}",
            flush=True,
        )
        for line in self.details:
            print(f"    {line}", flush=True)
        for line in self.failures:
            print(f"    FAILED: {line}", flush=True)
        return 0 if self.ok else 1


class Stack(contextlib.ExitStack):
    """The private services and processes of one script, torn down on exit."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.started = time.monotonic()
        self.directory = Path(tempfile.mkdtemp(prefix=f"fv-{name}-"))
        # The postgres user runs the cluster below it.
        self.directory.chmod(0o711)
        self.mail_dir = self.directory / "mail"
        self.mail_dir.mkdir()
        if os.environ.get("RELIABILITY_KEEP"):
            # For a post-mortem: logs, e-mails and the cluster's files stay.
            self.callback(print, f"kept {self.directory}", flush=True)
        else:
            self.callback(shutil.rmtree, self.directory, ignore_errors=True)
        self.processes: list[Process] = []
        # A CI time-out sends SIGTERM: tear down as for any other failure.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None and not issubclass(exc_type, KeyboardInterrupt):
            # The temporary directory, logs included, goes with the stack.
            print(self.logs(), file=sys.stderr, flush=True)
        return super().__exit__(exc_type, exc, traceback)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def say(self, message: str) -> None:
        print(f"[{self.name} {self.elapsed():6.1f}s] {message}", flush=True)

    def postgres(self) -> PostgresCluster:
        cluster = PostgresCluster(self.directory / "postgres").init()
        self.callback(cluster.destroy)
        cluster.start()
        self.say(f"PostgreSQL on port {cluster.port}")
        return cluster

    def redis(self) -> RedisServer:
        server = RedisServer(self.directory / "redis")
        self.callback(server.stop)
        return server.start()

    def environment(self, *, database_url: str, broker_url: str, **settings: str) -> dict:
        """The environment of every portal process of this script."""
        defaults = {
            "DJANGO_ENV": "development",
            # As in production: a fault answers the error pages, never a traceback.
            "DEBUG": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "AXES_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
        return child_env(
            DATABASE_URL=database_url,
            CELERY_BROKER_URL=broker_url,
            **{**defaults, **settings},
        )

    def migrate(self, env: dict) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            check=True,
        )
        self.say("migrated")

    def start(self, process: Process) -> Process:
        """Start ``process``; it is stopped when the stack closes."""
        self.processes.append(process)
        self.callback(process.stop)
        return process.start()

    def log_path(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def gunicorn(
        self, env: dict, *, workers: int = 3, name: str = "gunicorn", access_log: Path | None = None
    ) -> str:
        """Serve the portal with gunicorn; returns its base URL once it answers. With
        ``access_log``, each request is logged there as ``METHOD PATH STATUS µs``, the
        time being the worker's (from the request read to the response sent)."""
        port = free_port()
        command = [
            sys.executable, "-m", "gunicorn", "portal.wsgi",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--graceful-timeout", "5", "--log-level", "warning",
        ]  # fmt: skip
        if access_log is not None:
            command += ["--access-logfile", str(access_log)]
            command += ["--access-logformat", "%(m)s %(U)s %(s)s %(D)s"]
        process = self.start(Process(name, command, env=env, log_path=self.log_path(name)))
        base_url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            if not process.alive:
                raise RuntimeError(f"gunicorn exited:\n{process.log()}")
            try:
                import requests

                return requests.get(f"{base_url}/accounts/login/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(answers, timeout=30, what="gunicorn", step=0.2)
        return base_url

    def logs(self) -> str:
        return "\n".join(
            f"--- {process.name} ({process.log_path.name}) ---\n{process.log(3000)}"
            for process in self.processes
        )


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def setup_django(env: dict) -> None:
    """Set up Django in this process against the script's database and broker."""
    os.environ.update(env)
    import django

    django.setup()


def run(main) -> None:
    """Run a script's ``main() -> Tally``: exit 0 when it passed, 1 when it did not,
    2 when it could not run (the traceback and the processes' logs are printed)."""
    try:
        tally = main()
    except Exception:
        import traceback

        traceback.print_exc()
        sys.exit(2)
    sys.exit(tally.report())
