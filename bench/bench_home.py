"""home_page_ms, home_page_queries: the learner's home page for a logged-in cadre."""

from django.test import Client

from cadres.demo import load as load_demo
from cadres.models import User

from .timing import count_queries, time_requests


def run() -> list[dict]:
    load_demo()
    client = Client()
    client.force_login(User.objects.get(username="hocvien"))

    def get():
        response = client.get("/")
        assert response.status_code == 200

    timing = time_requests(get)
    return [
        {
            "name": "home_page_ms",
            "value": timing["median_ms"],
            "unit": "ms",
            "note": f"median of 300, Django test client; p99 {timing['p99_ms']} ms",
        },
        {"name": "home_page_queries", "value": count_queries(get), "unit": "queries"},
    ]
