"""Run every reliability script, each in its own process and time limit; fail if any
fails.

    .venv/bin/python -m tests.reliability.run_all

Each script starts its own PostgreSQL cluster and Redis on free ports (it never
touches the machine's), prints ``delivered / expected / duplicated`` and exits
non-zero on any loss, duplicate or wrong answer. Needs the PostgreSQL 15 binaries
(``PG_BIN``, default /usr/lib/postgresql/15/bin) and redis-server on PATH; run as
root, the clusters run as the ``postgres`` user.
"""

import signal
import subprocess
import sys
import time

SCRIPTS = ["worker_kill", "broker_outage", "database_restart"]
TIME_LIMIT = 180  # seconds per script; each takes about one minute


def run(name: str) -> tuple[int, float]:
    started = time.monotonic()
    print(f"=== {name}", flush=True)
    process = subprocess.Popen([sys.executable, "-m", f"tests.reliability.{name}"])
    try:
        status = process.wait(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        print(f"FAIL {name}: still running after {TIME_LIMIT} s", flush=True)
        # SIGTERM first: the script then stops its own PostgreSQL, Redis and processes.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        status = 124
    return status, time.monotonic() - started


def main() -> int:
    results = {name: run(name) for name in SCRIPTS}
    print("=== reliability", flush=True)
    for name, (status, seconds) in results.items():
        verdict = "pass" if status == 0 else f"FAIL (exit {status})"
        print(f"{name:18} {verdict:16} {seconds:5.0f} s", flush=True)
    return 0 if all(status == 0 for status, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
