"""Random bytes and random rows never cause a 500 or a partial import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadres.errors import RosterImportError
from cadres.models import Cadre, Membership
from cadres.roster import importing as ri
from cadres.roster.importing.writing import roster_plan_apply

from .roster_files import HEADERS, csv_bytes, xlsx

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
cell = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["31/02/1980", "05/03/1988", "0912345678", "x", "La Bằng", "=1+1", "LB001"]),
)


@FUZZ
@given(data=st.binary(max_size=4000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_random_bytes_give_a_message_or_a_sheet(data, name):
    try:
        ri.read_sheet(data, file_name=name)
    except ri.RosterFileError as exc:
        assert str(exc)


@FUZZ
@given(
    rows=st.lists(
        st.lists(cell, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=8
    )
)
def test_random_rows_import_completely_or_not_at_all(coded_tree, hr_la_bang, rows):
    before = (Cadre.objects.count(), Membership.objects.count())
    for data in (xlsx(rows), csv_bytes([[("" if v is None else v) for v in r] for r in rows])):
        try:
            sheet = ri.read_sheet(data, file_name="f")
        except ri.RosterFileError:
            continue
        scope, everywhere = ri.units_in_scope(hr_la_bang)
        plan = ri.plan_import(
            sheet,
            mapping=ri.guess_mapping(sheet.headers),
            unit=coded_tree["la_bang"],
            scope=scope,
            everywhere=everywhere,
        )
        if plan.ok:
            roster_plan_apply(
                plan=plan, unit=coded_tree["la_bang"], by=hr_la_bang, file_name="f", sha256="x"
            )
            created = plan.counts["create"]
            assert Cadre.objects.count() == before[0] + created
        else:
            with pytest.raises(RosterImportError):
                roster_plan_apply(
                    plan=plan, unit=coded_tree["la_bang"], by=hr_la_bang, file_name="f", sha256="x"
                )
            assert (Cadre.objects.count(), Membership.objects.count()) == before
        before = (Cadre.objects.count(), Membership.objects.count())


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_upload_never_gives_a_500(client, coded_tree, hr_la_bang, data):
    client.force_login(hr_la_bang)
    response = client.post(
        reverse("cadres:import_upload"),
        {"file": SimpleUploadedFile("x.xlsx", data), "unit": coded_tree["la_bang"].pk},
    )
    assert response.status_code in (200, 302)
