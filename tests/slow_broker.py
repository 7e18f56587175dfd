"""A broker that is slow rather than down: it accepts connections and never
answers, as a Redis under a stuck disk or behind a half-open link does. A
publish to it waits for the socket timeout (twice, with the retry)."""

import socket
import struct
import threading
from contextlib import contextmanager

from tests.services import celery_configure, forget_backend


@contextmanager
def broker_silent(monkeypatch):
    """The Celery app publishing to a broker that never answers; on leaving,
    the connections are reset, and what the publishing thread was waiting
    for fails and is logged (so the next test starts with it idle)."""
    from certificates.publisher import publisher
    from config.celery_app import app

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    previous = celery_configure(app, task_always_eager=False, broker_url=url)
    forget_backend(app)
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()
        for connection in accepted:
            # Reset, not a polite close: the waiting read fails at once.
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()
        publisher.flush(timeout=30)
        celery_configure(app, **previous)
        forget_backend(app)
        app.amqp._producer_pool = None
