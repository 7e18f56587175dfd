import datetime as dt

import factory

from cadres.models import Cadre, Membership, OrgUnit, User

PASSWORD = "mat-khau-dai-10"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    family_name = "Nguyễn Thị"
    given_name = factory.Sequence(lambda n: f"Hoa{n}")
    cadre_code = factory.Sequence(lambda n: f"CB{n:05d}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")


def make_unit(name: str, *, parent: OrgUnit | None = None, kind: str | None = None, **fields):
    kind = kind or OrgUnit.Kind.COMMUNE_COMMITTEE
    if parent is None:
        return OrgUnit.add_root(name=name, kind=kind, **fields)
    return parent.add_child(name=name, kind=kind, **fields)


def make_cadre(
    unit: OrgUnit,
    *,
    user: User | None = None,
    full_time: bool = True,
    position: str = "Phó Chủ tịch",
    since: dt.date = dt.date(2025, 7, 1),
    until: dt.date | None = None,
    **fields,
) -> Cadre:
    cadre = CadreFactory(user=user, **fields)
    Membership.objects.create(
        cadre=cadre,
        unit=unit,
        position=position,
        is_full_time=full_time,
        valid_from=since,
        valid_to=until,
    )
    return cadre
