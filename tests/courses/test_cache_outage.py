"""A Redis outage costs speed, never a page: the cache answers as no cache.

The cache here is the production backend (config.cache.ResilientRedisCache)
pointed at a Redis that refuses connections, or at a redis-server of the
test's own that it stops and starts.
"""

import logging
import time

import pytest
from django.core.cache import cache
from django.test import Client

from cadres.services import notification_send
from courses import tree_cache
from tests.factories import PASSWORD
from tests.services import dead_redis_cache, own_redis, own_redis_port

from .conftest import lessons_of

LESSON_URL = "/khoa-hoc/khoa-thu/bai-2/"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = dead_redis_cache()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reads_miss_and_writes_are_dropped_while_redis_is_down(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("k", "default") == "default"
        cache.set("k", 1)
        assert cache.add("k", 1) is True
        assert cache.get_or_set("k", lambda: 41) == 41
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        assert cache.delete("k") is False
        with pytest.raises(ValueError):
            cache.incr("k")
    # One line for the outage, not one per call.
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert "cache unreachable" in caplog.records[0].getMessage()


def test_unreachable_redis_is_not_asked_again_at_every_call(redis_down):
    """A blackholed host would cost the connect timeout per call: after one
    failure the cache is skipped for a few seconds."""
    cache.get("warm-up")
    started = time.perf_counter()
    for n in range(200):
        cache.get(f"k{n}")
    assert time.perf_counter() - started < 0.05


def test_pages_answer_while_redis_is_down(redis_down, client, cadre_user, course, enrolment):
    assert client.get("/tai-khoan/login/").status_code == 200
    signed_in = _client(cadre_user)
    response = signed_in.get("/khoa-hoc/khoa-thu/bai-1/")
    assert response.status_code == 200
    assert "Nội dung bài 1" in response.content.decode()
    assert signed_in.get("/khoa-hoc/khoa-thu/").status_code == 200
    assert signed_in.get("/").status_code == 200


def test_pages_show_the_editors_change_while_redis_is_down(
    redis_down, cadre_user, course, enrolment
):
    """Without the shared version token nothing is cached, not even in the
    process's own memory: a change made during the outage shows at once."""
    signed_in = _client(cadre_user)
    assert signed_in.get(LESSON_URL).status_code == 200
    lessons_of(course)[1].unpublish()
    assert signed_in.get(LESSON_URL).status_code == 404


def test_unread_count_comes_from_the_database_while_redis_is_down(
    redis_down, cadre_user, course, enrolment
):
    notification_send(user=cadre_user, kind="test", title="Thông báo thử", email=False)
    html = _client(cadre_user).get("/").content.decode()
    assert '<span class="badge">1<' in html


def test_sign_in_is_refused_with_a_vietnamese_busy_page_while_redis_is_down(
    redis_down, client, cadre_user
):
    response = client.post("/tai-khoan/login/", {"login": "hoa", "password": PASSWORD})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Hệ thống đang bận, vui lòng thử lại sau ít phút." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_works_when_redis_is_up(client, cadre_user):
    response = client.post("/tai-khoan/login/", {"login": "hoa", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cadre_user.pk)


def test_activation_is_refused_while_redis_is_down(redis_down, client, cadre_user):
    response = client.post(
        "/tai-khoan/kich-hoat/",
        {"username": "hoa", "code": "ABCD-EFGH", "password1": "x", "password2": "x"},
    )
    assert response.status_code == 503
    assert "Hệ thống đang bận" in response.content.decode()


def test_activation_form_is_checked_as_usual_when_redis_is_up(client, cadre_user):
    response = client.post(
        "/tai-khoan/kich-hoat/",
        {"username": "hoa", "code": "ABCD-EFGH", "password1": "x", "password2": "x"},
    )
    assert response.status_code == 200


@pytest.mark.services
def test_signed_in_learner_stays_signed_in_across_a_redis_restart(
    settings, cadre_user, course, enrolment
):
    with own_redis(own_redis_port()) as redis_server:
        settings.CACHES = dead_redis_cache()
        settings.CACHES["default"]["LOCATION"] = f"{redis_server.url}/0"
        settings.CACHES["default"]["OPTIONS"]["RETRY_SECONDS"] = 0
        client = Client()
        client.post("/tai-khoan/login/", {"login": "hoa", "password": PASSWORD})
        assert client.get(LESSON_URL).status_code == 200
        redis_server.stop()
        response = client.get(LESSON_URL)
        assert response.status_code == 200, "sessions are kept in the database too"
        redis_server.start()
        assert client.get(LESSON_URL).status_code == 200


@pytest.mark.services
def test_a_change_made_during_the_outage_is_not_hidden_by_the_cache_after_it(
    settings, cadre_user, course, enrolment
):
    """Redis kept its data through the outage (the network, not Redis, failed):
    the version token it still holds predates an unpublish made meanwhile. The
    delete that could not reach it is sent again once it answers."""
    import redis

    with own_redis(own_redis_port()) as redis_server:
        settings.CACHES = dead_redis_cache()
        settings.CACHES["default"]["LOCATION"] = f"{redis_server.url}/0"
        settings.CACHES["default"]["OPTIONS"]["RETRY_SECONDS"] = 0.5
        client = _client(cadre_user)
        assert client.get(LESSON_URL).status_code == 200  # cached under the token
        old_token = cache.get(tree_cache.VERSION_KEY)
        assert old_token
        # Every command blocks for 2 s, past the cache's socket timeout.
        redis.Redis(port=redis_server.port).client_pause(2000, all=True)
        lessons_of(course)[1].unpublish()
        time.sleep(2.2)
        assert cache.get("anything") is None  # answers again: the delete is replayed
        assert cache.get(tree_cache.VERSION_KEY) != old_token
        assert client.get(LESSON_URL).status_code == 404
