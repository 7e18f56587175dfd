"""Reproduce the worker crash on a Redis restart (issue 17):

    CRITICAL/MainProcess Unrecoverable error: AttributeError("'NoneType' object
    has no attribute 'hostname'")  — kombu/transport/redis.py _connparams via qos.ack

A worker (prefork, 4 processes) consumes a steady stream of acks_late tasks
from a redis-server of this script's own (port KOMBU_DRILL_PORT, 6394) while
that Redis is restarted ROUNDS times. Reports whether the worker process
survived, whether it consumes again after the last restart, and any
"Unrecoverable error" it logged. Run both ways:

    python -m bench.kombu_restart defaults   # Celery's defaults
    python -m bench.kombu_restart project    # this project's broker settings

The worker imports this module as its app (``-A bench.kombu_restart``); no
database is involved.
"""

import os
import runpy
import subprocess
import sys
import threading
import time
from pathlib import Path

from celery import Celery

from tests.services import OwnRedis

PORT = int(os.environ.get("KOMBU_DRILL_PORT", "6394"))
BROKER = f"redis://127.0.0.1:{PORT}/0"
MODE = os.environ.get("KOMBU_DRILL_MODE", "defaults")
BASE_DIR = Path(__file__).resolve().parent.parent

# Celery reads this before its settings: never the shared broker.
os.environ["CELERY_BROKER_URL"] = BROKER
app = Celery("kombu_drill")
if MODE == "project":
    # The settings file read as a file: importing the ``config`` package would
    # set up the project's own Celery app, configured for production.
    base = runpy.run_path(str(BASE_DIR / "config" / "settings" / "base.py"))
    # The project's CELERY_* settings under Celery's own names (no namespace:
    # mixing it with the overrides below is ambiguous to some Celery versions).
    app.conf.update(
        {
            name.removeprefix("CELERY_").lower(): value
            for name, value in base.items()
            if name.startswith("CELERY_") and name != "CELERY_BEAT_SCHEDULE"
        }
    )
app.conf.update(broker_url=BROKER, result_backend=None, task_default_queue="kombu-drill")


@app.task(name="kombu_drill.tick", acks_late=True)
def tick(n: int) -> int:
    time.sleep(0.01)
    return n


def main(mode: str, rounds: int = 4, down_s: float = 3.0) -> int:
    redis_server = OwnRedis(PORT)
    redis_server.stop()
    redis_server.start()
    log_path = BASE_DIR / "test-artifacts" / f"kombu-restart-{mode}.log"
    log_path.parent.mkdir(exist_ok=True)
    env = {**os.environ, "KOMBU_DRILL_MODE": mode, "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # no Django: Celery's fixup would set it up
    with open(log_path, "w") as log:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "bench.kombu_restart", "worker", "-c", "4",
             "-Q", "kombu-drill", "-l", "INFO", "--without-gossip", "--without-mingle"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        stop = threading.Event()

        def produce():
            n = 0
            while not stop.is_set():
                try:
                    tick.apply_async((n,), retry=False)
                    n += 1
                except Exception:  # noqa: S110 - the broker is down; keep trying
                    pass
                time.sleep(0.005)

        time.sleep(4)
        producer = threading.Thread(target=produce, daemon=True)
        producer.start()
        for number in range(rounds):
            time.sleep(3)
            print(f"restart {number + 1}: Redis down for {down_s:.0f} s", flush=True)
            redis_server.stop()
            time.sleep(down_s)
            redis_server.start()
        offset = len(log_path.read_text(errors="replace"))
        returned = time.monotonic()
        resumed_after = None
        while time.monotonic() - returned < 40 and worker.poll() is None:
            if "succeeded in" in log_path.read_text(errors="replace")[offset:]:
                resumed_after = time.monotonic() - returned
                break
            time.sleep(0.2)
        stop.set()
        producer.join()
        alive = worker.poll() is None
        consuming = resumed_after is not None
        if alive:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        text = log_path.read_text(errors="replace")
    redis_server.stop()
    unrecoverable = [line for line in text.splitlines() if "Unrecoverable error" in line]
    resumed = f"{resumed_after:.1f} s after Redis returned" if consuming else "no"
    print(f"mode={mode} worker_alive={alive} consuming_again={resumed}")
    connected = [line for line in text.splitlines() if "Connected to" in line]
    print("  " + (connected[0] if connected else "never connected"))
    for line in unrecoverable:
        print("  " + line)
    print(f"log: {log_path}")
    return 0 if alive and consuming and not unrecoverable else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "defaults"))
