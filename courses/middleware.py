from wagtail.models import Site

from . import tree_cache


class TreeCacheMiddleware:
    """Reads the page tree's cache version once per request, and gives Wagtail
    the request's site from the tree cache: Wagtail would look the site and
    its root page up on every page request (two queries).

    After CommonMiddleware, so the host has passed ALLOWED_HOSTS before it
    becomes part of a cache key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with tree_cache.request_scope():
            host = request.get_host()

            def build() -> Site | None:
                site = Site.find_for_request(request)
                if site is not None:
                    site.root_page = site.root_page.specific
                return site

            request._wagtail_site = tree_cache.cached(f"site:{host}:{request.get_port()}", build)
            return self.get_response(request)
