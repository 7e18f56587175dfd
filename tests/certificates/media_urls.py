"""The project's URLs plus MEDIA_ROOT served at /media/, as runserver (DEBUG) and the
production web server's public `location /media/` do: what it serves is public."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import urlpatterns as project_urlpatterns


def _media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", _media), *project_urlpatterns]
