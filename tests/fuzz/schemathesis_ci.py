"""Schemathesis against the live schema, as CI runs it (issue 6.11).

Seeds a fresh PostgreSQL database with the demo, serves it with gunicorn, takes an API
key for a frontline member of staff, a manager scoped to Riyadh and an administrator,
and runs schemathesis as each of them with a fixed seed: no server error, every
response conforms to its schema, no undocumented status code. Prints the number of
cases and exits non-zero on any failure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m tests.fuzz.schemathesis_ci [--examples 12] [--seed 2026]
"""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "demo-password-2026"
ROLES = {"frontline": "frontline", "manager": "manager.riyadh", "admin": "admin"}
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def psql(url: str, sql: str) -> None:
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=12, help="cases per operation")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    name = "fv_schemathesis"
    url = database_url(name)
    psql(url, f"DROP DATABASE IF EXISTS {name}")
    psql(url, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "EMAIL_"))},
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # The fuzzer tries many passwords: the per-address limit must not pause the
        # whole run (it is tested on its own); the token throttle still applies.
        "LOGIN_ADDRESS_FAILURE_LIMIT": "100000",
        "AXES_FAILURE_LIMIT": "100000",
    }
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--scale", "small", "--password", PASSWORD],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "portal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    total_cases = 0
    failed = []
    try:
        wait_for(f"{base}/healthz")
        tokens = {
            role: post_json(
                f"{base}/api/v1/auth/token/", {"username": username, "password": PASSWORD}
            )["token"]
            for role, username in ROLES.items()
        }
        for role, token in tokens.items():
            with tempfile.TemporaryDirectory() as reports:
                command = [
                    str(BIN / "st"), "run", f"{base}/api/schema/?format=json",
                    "--header", f"Authorization: Token {token}",
                    "--checks", CHECKS,
                    "--seed", str(args.seed),
                    "--max-examples", str(args.examples),
                    "--phases", "examples,fuzzing",
                    "--generation-database", "none",
                    "--workers", "2",
                    "--request-timeout", "30",
                    # Revoking its own key would end the run's authentication.
                    "--exclude-path", "/api/v1/auth/token/",
                    "--report", "junit", "--report-dir", reports,
                    "--no-color",
                ]  # fmt: skip
                result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
                output = result.stdout + result.stderr
                cases = sum(
                    int(n) for n in re.findall(r"(\d+) generated", output)
                ) or _cases_from_junit(Path(reports))
                total_cases += cases
                print(f"schemathesis as {role}: {cases} cases, exit {result.returncode}")
                if result.returncode != 0:
                    failed.append(role)
                    print(output[-12000:])
                    Path(f"/tmp/st-{role}.log").write_text(output)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"schemathesis: {total_cases} cases in all; failed as: {failed or 'nobody'}")
    return 1 if failed or total_cases < 1000 else 0


def _cases_from_junit(folder: Path) -> int:
    total = 0
    for report in folder.glob("*.xml"):
        total += sum(int(n) for n in re.findall(r'tests="(\d+)"', report.read_text())[:1])
    return total


if __name__ == "__main__":
    sys.exit(main())
