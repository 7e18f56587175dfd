from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import views as course_views

urlpatterns = [
    path("", course_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("cadres.accounts.urls")),
    path("tai-khoan/", include("allauth.urls")),
    path("quan-tri/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("can-bo/", include("cadres.urls")),
    path("hoc/", include("courses.urls")),
    path("kiem-tra/", include("assessments.urls")),
    path("tap-huan/", include("trainings.urls")),
    path("", include("certificates.urls")),
    path("bao-cao/", include("reports.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the course tree (catalogue, courses, lessons, quizzes).
urlpatterns += [path("khoa-hoc/", include(wagtail_urls))]
