"""Which template a new certificate is drawn with."""

from django.db import IntegrityError, transaction

from courses.models import CoursePage, Programme

from ..models import CertificateTemplate, TemplateAssignment


def template_for(*, course: CoursePage | None = None, programme: Programme | None = None):
    assignment = (
        (
            TemplateAssignment.objects.filter(course=course)
            if course is not None
            else TemplateAssignment.objects.filter(programme=programme)
        )
        .select_related("template")
        .first()
    )
    if assignment is not None:
        return assignment.template
    return template_default()


def template_default() -> CertificateTemplate:
    """The default template; the first migration creates it, and should it ever
    be gone, it is created again with the shipped defaults rather than leave a
    completion without its certificate."""
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            return CertificateTemplate.objects.create(name="Mẫu mặc định", is_default=True)
    except IntegrityError:
        return CertificateTemplate.objects.get(is_default=True)
