"""Importing a meeting report writes in batches: the queries do not grow with
the number of participants, and what it completes goes through courses' one
batch completion service (same rules, same transaction, certificates queued
on commit)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Completion
from tests.factories import make_cadre
from trainings.attendee_report import parse
from trainings.models import Attendance, TrainingCompletion
from trainings.services import (
    attendance_check_in,
    attendance_import_commit,
    attendance_import_plan,
    attendance_revoke,
)

from .conftest import make_course, make_session
from .report_files import zoom_csv


def _stamp(session, minutes_after_start: int) -> str:
    moment = timezone.localtime(session.starts_at) + dt.timedelta(minutes=minutes_after_start)
    return moment.strftime("%m/%d/%Y %I:%M:%S %p")


def _online(unit, slug: str, people: int):
    course = make_course(f"Khóa {slug}", slug)
    cadres = [
        make_cadre(unit, family_name="Lê Văn", given_name=f"{slug} {n}", email=f"{slug}{n}@mttq.vn")
        for n in range(people)
    ]
    session = make_session(unit, course=course, mode="truc_tuyen", starts_in=dt.timedelta(hours=-3))
    return session, cadres


def _report(session, cadres, minutes: int = 110) -> list[dict]:
    rows = []
    for cadre in cadres:
        rows.append((cadre.full_name, cadre.email, _stamp(session, 0), _stamp(session, 55), 55))
        rows.append(
            (cadre.full_name, cadre.email, _stamp(session, 60), _stamp(session, 60), minutes - 55)
        )
    return [p.as_json() for p in parse(zoom_csv(rows)).participants]


def _import(session, participants, by, capture):
    plan = attendance_import_plan(session=session, participants=participants)
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        counts = attendance_import_commit(session=session, plan=plan, by=by)
    return counts, len(queries.captured_queries)


def test_import_queries_do_not_grow_with_the_number_of_participants(
    tree, hr_la_bang, requested, django_capture_on_commit_callbacks
):
    small, few = _online(tree["la_bang"], "it", 10)
    large, many = _online(tree["la_bang"], "nhieu", 50)
    counts_few, queries_few = _import(
        small, _report(small, few), hr_la_bang, django_capture_on_commit_callbacks
    )
    counts_many, queries_many = _import(
        large, _report(large, many), hr_la_bang, django_capture_on_commit_callbacks
    )
    assert (counts_few["present"], counts_many["present"]) == (10, 50)
    # Everyone completed, their certificates requested, in both imports.
    assert Completion.objects.filter(enrolment__course=large.counts_for_course).count() == 50
    assert TrainingCompletion.objects.filter(session=large).count() == 50
    completions = Completion.objects.filter(enrolment__course=large.counts_for_course)
    assert set(completions.values_list("pk", flat=True)) <= set(requested())
    # Per batch, not per cadre: only SQLite's limit of 999 parameters a
    # statement may split a bulk insert of wide rows (certificates) in two.
    assert queries_many <= queries_few + 2
    assert max(queries_few, queries_many) <= 40


def test_reimporting_the_same_report_records_and_completes_nothing_twice(
    tree, hr_la_bang, requested, django_capture_on_commit_callbacks
):
    session, cadres = _online(tree["la_bang"], "lai", 5)
    report = _report(session, cadres)
    _import(session, report, hr_la_bang, django_capture_on_commit_callbacks)
    counts, _queries = _import(session, report, hr_la_bang, django_capture_on_commit_callbacks)
    assert counts["present"] == 5
    assert Attendance.objects.filter(session=session).count() == 5
    assert Completion.objects.count() == 5
    assert TrainingCompletion.objects.count() == 5
    assert sorted(requested()) == sorted(Completion.objects.values_list("pk", flat=True))


def test_report_after_a_qr_check_in_keeps_one_row_and_one_completion(
    tree, hr_la_bang, cadre_user, requested, django_capture_on_commit_callbacks
):
    from trainings import tokens

    session, cadres = _online(tree["la_bang"], "qr", 2)
    cadre = cadre_user.cadre
    cadre.email = "hoa@mttq.vn"
    cadre.save()
    window = tokens.window_at()
    # Check-in stays open long enough for a session that started three hours ago.
    session.checkin_close_minutes = 240
    session.save()
    attendance_check_in(
        session_id=session.pk,
        window=window,
        signature=tokens.signature(session.pk, window),
        cadre=cadre,
    )
    _import(
        session,
        _report(session, [*cadres, cadre]),
        hr_la_bang,
        django_capture_on_commit_callbacks,
    )
    hoa = Attendance.objects.get(session=session, cadre=cadre)
    assert (hoa.source, hoa.minutes) == ("meeting", 110)
    assert Attendance.objects.filter(session=session).count() == 3
    assert Completion.objects.filter(enrolment__cadre=cadre).count() == 1
    assert Completion.objects.count() == 3


def test_report_showing_too_short_a_stay_revokes_what_the_earlier_import_completed(
    tree, hr_la_bang, requested, django_capture_on_commit_callbacks
):
    session, cadres = _online(tree["la_bang"], "ngan", 2)
    _import(session, _report(session, cadres), hr_la_bang, django_capture_on_commit_callbacks)
    short = _report(session, cadres[:1], minutes=60) + _report(session, cadres[1:])
    counts, _queries = _import(session, short, hr_la_bang, django_capture_on_commit_callbacks)
    assert (counts["present"], counts["absent"]) == (1, 1)
    live = Completion.objects.filter(revoked_at__isnull=True)
    assert list(live.values_list("enrolment__cadre_id", flat=True)) == [cadres[1].pk]
    assert Completion.objects.get(enrolment__cadre=cadres[0]).revoked_at is not None


def test_reimport_leaves_a_revoked_attendance_revoked(
    tree, hr_la_bang, requested, django_capture_on_commit_callbacks
):
    session, cadres = _online(tree["la_bang"], "thuhoi", 2)
    report = _report(session, cadres)
    _import(session, report, hr_la_bang, django_capture_on_commit_callbacks)
    revoked = Attendance.objects.get(session=session, cadre=cadres[0])
    with django_capture_on_commit_callbacks(execute=True):
        attendance_revoke(attendance=revoked, by=hr_la_bang, reason="Nhờ người khác vào hộ")
    _import(session, report, hr_la_bang, django_capture_on_commit_callbacks)
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None
    live = Completion.objects.filter(revoked_at__isnull=True)
    assert list(live.values_list("enrolment__cadre_id", flat=True)) == [cadres[1].pk]
