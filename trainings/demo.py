"""Demo training sessions for ``make run`` (``demo_data/sessions.toml``): a past
session in La Bằng with its attendance (QR check-ins, latecomers, one excused,
one absent) that completes the anti-fraud course, and an upcoming online
session the demo learner is invited to. Runs after the courses demo and before
certificates, so the completions it causes get their certificates. Idempotent."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cadres.demo import demo_data
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


def _local(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _session(spec: dict, *, unit, officer: User, trainer: User | None) -> TrainingSession:
    session = TrainingSession.objects.create(
        title=spec["title"],
        description=spec["description"],
        organiser_unit=unit,
        mode=spec["mode"],
        venue=spec["venue"],
        meeting_link=spec.get("meeting_link", ""),
        starts_at=_local(spec["day"], spec["from"]),
        ends_at=_local(spec["day"], spec["to"]),
        capacity=spec.get("capacity"),
        counts_for_course=CoursePage.objects.filter(slug=spec["completes"]).first(),
        invite_unit=unit,
        full_time_only=spec.get("full_time_only", False),
        created_by=officer,
    )
    if trainer is not None:
        session.trainers.add(trainer)
    session_sync_invitations(session=session, by=officer)
    return session


@transaction.atomic
def load() -> None:
    sessions = demo_data("trainings", "sessions")
    officer = User.objects.filter(username="tochuc.labang").first()
    trainer = User.objects.filter(username="giangvien").first()
    if officer is None or TrainingSession.objects.filter(title=sessions["past"]["title"]).exists():
        return
    la_bang = officer.scope_unit
    past = _session(sessions["past"], unit=la_bang, officer=officer, trainer=trainer)
    invitations = list(
        Invitation.objects.filter(session=past)
        .select_related("cadre__user")
        .order_by("cadre__sort_key")
    )
    for number, invitation in enumerate(invitations):
        cadre = invitation.cadre
        if number % 7 == 5:
            invitation_decline(invitation=invitation, reason=sessions["past"]["excuse"])
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
    _session(sessions["upcoming"], unit=la_bang, officer=officer, trainer=trainer)
