"""The course catalogue page, the root of the course tree."""

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from ..models import CourseIndexPage


def course_index_ensure(*, title: str = "Danh mục khóa học", slug: str = "khoa-hoc"):
    """The course catalogue page, created if missing, as the root of the default site.

    The page tree is the course tree: the site's root is the catalogue, so
    courses live at ``/khoa-hoc/<course>/`` and lessons one level below.
    """
    index = CourseIndexPage.objects.first()
    root = Page.get_first_root_node()
    if root is None:
        # A database flushed by a transactional test has lost Wagtail's own
        # initial rows; put the tree's root and default locale back.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant("vi"))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    if index is None:
        index = root.add_child(instance=CourseIndexPage(title=title, slug=slug))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=index, is_default_site=True)
    elif site.root_page_id != index.pk:
        welcome = site.root_page
        site.root_page = index
        site.save()
        # Wagtail's placeholder "Welcome" page has no place in the course tree.
        if type(welcome.specific) is Page and welcome.depth == 2 and not welcome.numchild:
            welcome.delete()
    return index
