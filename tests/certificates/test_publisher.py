"""Issue tasks are published by a thread of the web process: a request that
completed a course never waits for the broker, even a slow one."""

import threading
import time

import pytest

from certificates import publisher as publishing
from certificates.models import Certificate
from tests.factories import make_cadre
from tests.slow_broker import broker_silent


def test_publisher_runs_what_it_is_given_in_order_on_another_thread():
    ran = []
    publisher = publishing.Publisher()
    caller = threading.get_ident()
    for number in range(3):
        assert publisher.submit(lambda n=number: ran.append((n, threading.get_ident())))
    assert publisher.flush(timeout=5)
    assert [n for n, _thread in ran] == [0, 1, 2]
    assert all(thread != caller for _n, thread in ran)


def test_publisher_refuses_more_than_it_may_hold_and_runs_none_of_the_extra(monkeypatch):
    monkeypatch.setattr(publishing, "MAX_WAITING", 2)
    publisher = publishing.Publisher()
    gate, ran = threading.Event(), []
    assert publisher.submit(gate.wait)  # taken by the thread, which then waits
    time.sleep(0.2)
    assert publisher.submit(lambda: ran.append(1))
    assert publisher.submit(lambda: ran.append(2))
    assert not publisher.submit(lambda: ran.append(3))
    gate.set()
    assert publisher.flush(timeout=5)
    assert ran == [1, 2]


@pytest.mark.django_db
def test_completing_a_course_does_not_wait_for_a_broker_that_never_answers(
    tree, course, complete, monkeypatch
):
    cadre = make_cadre(tree["la_bang"])
    with broker_silent(monkeypatch):
        started = time.perf_counter()
        complete(cadre, course)
        elapsed = time.perf_counter() - started
        # Still pending: the sweep issues it once the broker answers again.
        assert Certificate.objects.get(cadre=cadre).status == Certificate.Status.PENDING
    assert elapsed < 2, f"completion took {elapsed:.1f} s with a silent broker"
