"""Helpers for the certificate reliability tests and benchmark.

``pending_certificates`` makes many completed courses with pending
certificates in a few bulk queries.
"""


def pending_certificates(
    course, count: int, *, offset: int = 0, with_logins: bool = False
) -> list[int]:
    """``with_logins``: each cadre has an account, so issuing also notifies."""
    from django.utils import timezone

    from cadres.models import Cadre, User
    from certificates import services
    from certificates.models import Certificate
    from courses.models import Completion, Enrolment

    users = [None] * count
    if with_logins:
        users = User.objects.bulk_create(
            User(username=f"hocvien{offset + i}", password="!") for i in range(count)
        )
    cadres = Cadre.objects.bulk_create(
        Cadre(
            family_name="Nguyễn Thị",
            given_name=f"Hồng Nhung {offset + i}",
            sort_key=str(i),
            user=users[i],
        )
        for i in range(count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(cadre=cadre, course=course, source="manual") for cadre in cadres
    )
    now = timezone.now()
    completions = Completion.objects.bulk_create(
        Completion(enrolment=enrolment, completed_at=now, source="manual")
        for enrolment in enrolments
    )
    template = services.template_for(course=course)
    certificates = Certificate.objects.bulk_create(
        Certificate(
            cadre_id=completion.enrolment.cadre_id,
            course=course,
            completion=completion,
            template=template,
            code=services.code_new(),
        )
        for completion in completions
    )
    return [certificate.pk for certificate in certificates]
