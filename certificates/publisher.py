"""Issue tasks are published from a thread of the web process, not from the
request that completed a course (a check-in, a lesson, a quiz).

A broker that is down refuses at once (the connection timeout in settings),
but one that is slow — accepting connections, then answering late or never —
held that request for the socket timeout, twice with the retry: 40 seconds
measured against a Redis that accepts and never answers. Here the request
only hands the publish over.

Nothing is lost that the database does not know: a certificate is pending
before its task is published, so whatever is not published (the broker
failed, too many are waiting, the process ended first) is enqueued again by
the sweep.
"""

import logging
import os
import queue
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

# Beyond this many waiting publishes the broker is not keeping up: the rest
# are left to the sweep rather than held in memory.
MAX_WAITING = 10_000


class Publisher:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None

    def submit(self, publish: Callable[[], None]) -> bool:
        """Run ``publish`` on the publishing thread, in submission order.
        False, and not run, when too many are waiting already."""
        try:
            self._started().put_nowait(publish)
        except queue.Full:
            return False
        return True

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything submitted before has run; False on timeout."""
        done = threading.Event()
        try:
            self._started().put(done.set, timeout=timeout)
        except queue.Full:
            return False
        return done.wait(timeout)

    def _started(self) -> queue.Queue:
        with self._lock:
            # A forked process (a gunicorn worker) has the queue but not the thread.
            if self._pid != os.getpid() or self._thread is None or not self._thread.is_alive():
                self._pid = os.getpid()
                self._queue = queue.Queue(maxsize=MAX_WAITING)
                self._thread = threading.Thread(
                    target=self._run, args=(self._queue,), name="task-publisher", daemon=True
                )
                self._thread.start()
            return self._queue

    @staticmethod
    def _run(waiting: queue.Queue) -> None:
        while True:
            publish = waiting.get()
            try:
                publish()
            except Exception:
                logger.exception("publishing a task failed; the sweep will enqueue it")


publisher = Publisher()
