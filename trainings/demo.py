"""Demo training sessions for ``make run``: a past session in La Bằng with its
attendance (QR check-ins, a latecomer, one excused, one absent) that completes
the anti-fraud course, and an upcoming online session the demo learner is
invited to. Runs after the courses demo and before certificates, so the
completions it causes get their certificates. Idempotent."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cadres.models import User
from courses.models import CoursePage

from . import tokens
from .models import Attendance, Invitation, TrainingSession
from .services import (
    attendance_check_in,
    attendance_set,
    invitation_decline,
    session_sync_invitations,
)

PAST_TITLE = "Tập huấn phòng chống lừa đảo trực tuyến cho cán bộ Mặt trận xã La Bằng"
UPCOMING_TITLE = "Hội nghị trực tuyến: sử dụng nền tảng “Mặt trận số”"


def _local(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@transaction.atomic
def load() -> None:
    officer = User.objects.filter(username="tochuc.labang").first()
    trainer = User.objects.filter(username="giangvien").first()
    if officer is None or TrainingSession.objects.filter(title=PAST_TITLE).exists():
        return
    la_bang = officer.scope_unit
    anti_fraud = CoursePage.objects.filter(slug="an-toan-thong-tin").first()
    front_digital = CoursePage.objects.filter(slug="mat-tran-so").first()

    past = TrainingSession.objects.create(
        title=PAST_TITLE,
        description=(
            "Nhận diện thủ đoạn lừa đảo, bảo vệ tài khoản và mã OTP; thực hành trên điện thoại."
        ),
        organiser_unit=la_bang,
        mode=TrainingSession.Mode.IN_PERSON,
        venue="Hội trường Ủy ban MTTQ xã La Bằng",
        starts_at=_local(-10, 8),
        ends_at=_local(-10, 11),
        capacity=60,
        counts_for_course=anti_fraud,
        invite_unit=la_bang,
        created_by=officer,
    )
    if trainer is not None:
        past.trainers.add(trainer)
    session_sync_invitations(session=past, by=officer)
    invitations = list(
        Invitation.objects.filter(session=past)
        .select_related("cadre__user")
        .order_by("cadre__sort_key")
    )
    for number, invitation in enumerate(invitations):
        cadre = invitation.cadre
        if number % 7 == 5:
            invitation_decline(invitation=invitation, reason="Đi họp tại tỉnh")
            continue
        if number % 7 == 6:
            attendance_set(session=past, cadre=cadre, status=Attendance.Status.ABSENT, by=officer)
            continue
        # Checked in on the hall's screen: early arrivals present, two latecomers.
        at = past.starts_at + dt.timedelta(minutes=25 if number in (2, 4) else -20 + number)
        window = tokens.window_at(at)
        attendance_check_in(
            session_id=past.pk,
            window=window,
            signature=tokens.signature(past.pk, window),
            cadre=cadre,
            at=at,
        )

    upcoming = TrainingSession.objects.create(
        title=UPCOMING_TITLE,
        description="Hội nghị truyền hình từ phòng họp Ủy ban MTTQ tỉnh tới các xã, phường.",
        organiser_unit=la_bang,
        mode=TrainingSession.Mode.HYBRID,
        venue="Phòng họp trực tuyến Ủy ban MTTQ xã La Bằng",
        meeting_link="https://meet.google.com/abc-defg-hij",
        starts_at=_local(3, 8),
        ends_at=_local(3, 10),
        counts_for_course=front_digital,
        invite_unit=la_bang,
        full_time_only=True,
        created_by=officer,
    )
    if trainer is not None:
        upcoming.trainers.add(trainer)
    session_sync_invitations(session=upcoming, by=officer)
