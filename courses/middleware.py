from wagtail.models import Site

from . import tree_cache


class SiteFromTreeCacheMiddleware:
    """Wagtail looks up the request's site and its root page on every page
    request (two queries); keep both in the tree cache instead.

    After CommonMiddleware, so the host has passed ALLOWED_HOSTS before it
    becomes part of a cache key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.get_host()

        def build() -> Site | None:
            site = Site.find_for_request(request)
            if site is not None:
                site.root_page = site.root_page.specific
            return site

        request._wagtail_site = tree_cache.cached(f"site:{host}:{request.get_port()}", build)
        return self.get_response(request)
