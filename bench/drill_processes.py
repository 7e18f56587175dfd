"""The fault drill's processes: Celery workers supervised as systemd would
(restarted when they exit), and the drill's log and wait helpers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"  [drill {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Workers:
    """Two Celery workers, each restarted when it exits (Restart=always)."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs = env, logs
        self.processes: dict[str, subprocess.Popen] = {}
        self.unexpected_exits: list[str] = []
        self._killed: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._supervise, daemon=True)

    def start(self, name: str) -> None:
        log = open(self.logs / f"drill-worker-{name}.log", "a")  # noqa: SIM115
        self.processes[name] = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-c",
                "1",
                "-n",
                f"drill-{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def supervise(self) -> None:
        self._thread.start()

    def _supervise(self) -> None:
        while not self._stop.wait(0.5):
            for name, process in list(self.processes.items()):
                if process.poll() is None:
                    continue
                if name in self._killed:
                    self._killed.discard(name)
                    time.sleep(1.0)  # RestartSec=1
                else:
                    self.unexpected_exits.append(f"{name} exited {process.returncode}")
                    log(f"worker {name} exited ({process.returncode}); restarting it")
                self.start(name)

    def kill(self, name: str) -> None:
        self._killed.add(name)
        os.killpg(self.processes[name].pid, signal.SIGKILL)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def wait_for(predicate, *, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"drill: timed out waiting for {what}")
        time.sleep(step)
