"""Real processes for the worker tests and the reliability scripts.

A Celery worker or beat started as a child process, a private Redis on a port of its
own (so a test may stop it without touching anyone else's), and the e-mails that
Django's file-based backend wrote. Nothing here needs pytest: the scripts in
``tests/reliability/`` use it too.
"""

import contextlib
import email
import email.parser
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from celery import _state as celery_state

REPO = Path(__file__).resolve().parent.parent
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"

# Variables of the calling environment a child must not inherit: each test or script
# says exactly which e-mail, Celery and outbox settings its processes run with.
_OWN_SETTINGS = ("EMAIL_", "CELERY_", "OUTBOX_", "DJANGO_ENV", "DEBUG")


class Timeout(Exception):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_env(**settings: str) -> dict[str, str]:
    """The environment for a portal process: this one's, minus the portal settings
    it did not ask for, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_OWN_SETTINGS)}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", PYTHONUNBUFFERED="1", **settings)
    return env


def wait_until(condition: Callable[[], object], *, timeout: float, what: str, step=0.1):
    """Poll ``condition`` until it is true; its last value is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Timeout(f"no {what} within {timeout:g} s")
        time.sleep(step)


def child_pids(pid: int) -> list[int]:
    """The direct children of ``pid`` (a prefork worker's pool processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …; comm may hold spaces and parentheses.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "gone"
    return stat[stat.rindex(")") + 2 :].split()[0]


def freeze(pids: Iterable[int]) -> list[int]:
    """SIGSTOP each process and wait until the kernel has stopped it."""
    pids = list(pids)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)
    wait_until(
        lambda: all(_state(pid) in {"T", "t", "Z", "X", "gone"} for pid in pids),
        timeout=5,
        what="stopped processes",
        step=0.005,
    )
    return pids


def thaw(pids: Iterable[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


class Process:
    """A child process in a session of its own, its output in a log file."""

    def __init__(self, name: str, command: list[str], *, env: dict, log_path: Path, cwd=REPO):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = Path(log_path)
        self.cwd = cwd
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was never started"
        return self.popen.pid

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def children(self) -> list[int]:
        return child_pids(self.pid) if self.alive else []

    def kill(self) -> None:
        """``kill -9`` the process and everything it started (its process group)."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self, timeout: float = 15) -> None:
        """Ask it to stop (SIGTERM), then kill what is left of its group."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGCONT)
                os.kill(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        self.kill()

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""


def celery_worker(
    *,
    env: dict,
    log_path: Path,
    queue: str = "celery",
    pool: str = "solo",
    concurrency: int = 1,
) -> Process:
    """A worker consuming ``queue``. Prefork runs ``concurrency`` pool processes
    (and enforces the tasks' time limits); solo runs tasks in the main process."""
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker",
        f"--pool={pool}", f"--concurrency={concurrency}", "--queues", queue,
        "--hostname", f"{queue}-{os.getpid()}-{time.monotonic_ns()}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    return Process("celery worker", command, env=env, log_path=log_path)


def celery_beat(*, env: dict, log_path: Path, schedule: Path) -> Process:
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "beat",
        "--schedule", str(schedule), "--loglevel=INFO",
    ]  # fmt: skip
    return Process("celery beat", command, env=env, log_path=log_path)


@contextlib.contextmanager
def tasks_sent_to(app, broker_url: str, queue: str | None = None):
    """Inside the block this process sends Celery tasks to ``broker_url`` (the tasks of
    portal, feedback and training to ``queue``) instead of running them in-process."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_routes")}
    routes = (
        {f"{package}.tasks.*": {"queue": queue} for package in ("portal", "feedback", "training")}
        if queue
        else saved["task_routes"]
    )
    app.conf.update(broker_url=broker_url, task_always_eager=False, task_routes=routes)
    _reset_connections(app)
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_connections(app)


def _reset_connections(app) -> None:
    # The app caches its producer pool and router; drop them so new settings apply.
    app.close()
    app.__dict__.pop("amqp", None)
    # close() also forgets the app: a task module first imported after it (once the app
    # is finalized) would not register with it, and its tasks be NotRegistered.
    celery_state._register_app(app)


class RedisServer:
    """A private redis-server (no persistence) on a free port, in ``directory``."""

    def __init__(self, directory: Path, port: int | None = None):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.pidfile = self.directory / "redis.pid"
        self.pid: int | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "RedisServer":
        self.pidfile.unlink(missing_ok=True)
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "yes",
            "--pidfile", str(self.pidfile), "--dir", str(self.directory),
            "--logfile", str(self.directory / "redis.log"),
        ]  # fmt: skip
        subprocess.run(command, check=True)
        wait_until(self.pidfile.exists, timeout=10, what="redis-server pid file")
        self.pid = int(wait_until(lambda: self.pidfile.read_text().strip(), timeout=5, what="pid"))
        wait_until(self.ping, timeout=10, what=f"Redis on port {self.port}")
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server; with no persistence, every queued message is gone."""
        if self.pid is None:
            return
        thaw([self.pid])
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        wait_until(lambda: _state(self.pid) in {"Z", "X", "gone"}, timeout=10, what="Redis exit")
        self.pid = None

    def freeze(self) -> None:
        """The broker hangs: connections are accepted, nothing is answered (SIGSTOP)."""
        assert self.pid is not None
        freeze([self.pid])

    def thaw(self) -> None:
        assert self.pid is not None
        thaw([self.pid])

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def read_messages(mail_dir: Path) -> list[email.message.EmailMessage]:
    """Every e-mail the file-based backend wrote into ``mail_dir``."""
    found = []
    for path in sorted(Path(mail_dir).glob("*.log")):
        for raw in path.read_bytes().split(MAIL_SEPARATOR):
            if raw.strip():
                found.append(email.message_from_bytes(raw, policy=email.policy.default))
    return found


_parsed: dict[Path, tuple[int, list[tuple[str, str]]]] = {}


def _addressed(mail_dir: Path) -> list[tuple[str, str]]:
    """(To, Subject) of every e-mail in ``mail_dir``. Reads headers only, and only the
    files that grew since the last call: cheap enough to poll during a batch of
    thousands."""
    parser = email.parser.BytesHeaderParser(policy=email.policy.default)
    found: list[tuple[str, str]] = []
    for path in Path(mail_dir).glob("*.log"):
        size = path.stat().st_size
        cached = _parsed.get(path)
        if cached is None or cached[0] != size:
            data = path.read_bytes()
            headers = [parser.parsebytes(raw) for raw in data.split(MAIL_SEPARATOR) if raw.strip()]
            cached = _parsed[path] = (
                len(data),
                [(str(h["To"]).strip(), str(h["Subject"]).strip()) for h in headers],
            )
        found.extend(cached[1])
    return found


def subject_counts(mail_dir: Path) -> Counter[str]:
    """How many e-mails were written with each subject."""
    return Counter(subject for _, subject in _addressed(mail_dir))


def addressed_counts(mail_dir: Path) -> Counter[tuple[str, str]]:
    """How many e-mails were written to each (recipient, subject)."""
    return Counter(_addressed(mail_dir))
