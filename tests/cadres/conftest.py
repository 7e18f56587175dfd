import pytest
from django.core.cache import cache


@pytest.fixture
def fresh_rate_limits():
    """allauth counts attempts in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()
