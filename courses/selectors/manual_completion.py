"""Manual completion: whom a trainer, HR officer or administrator may record
and revoke completions for, and what they see of them."""

from django.db.models import QuerySet
from django.http import Http404

from cadres.models import Cadre, User
from cadres.selectors import cadres_visible_to, current_membership

from ..models import Completion, Enrolment


def cadres_manageable_by(user: User) -> QuerySet[Cadre]:
    """Cadres whose completions the user may record or revoke.

    Trainers and administrators: everyone; an HR officer: their unit subtree.
    """
    if not user.is_authenticated:
        return Cadre.objects.none()
    if user.is_administrator or user.is_trainer:
        return Cadre.objects.all()
    if user.is_hr_officer:
        return cadres_visible_to(user)
    return Cadre.objects.none()


def may_manage_completion(user: User, cadre: Cadre) -> bool:
    return cadres_manageable_by(user).filter(pk=cadre.pk).exists()


def cadre_for_manager(user: User, cadre_id) -> Cadre:
    cadre = cadres_manageable_by(user).filter(pk=cadre_id).first()
    if cadre is None:
        raise Http404
    return cadre


def enrolment_for_manager(user: User, enrolment_id) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, cadre__in=cadres_manageable_by(user).values("pk"))
        .select_related("cadre", "course")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def completion_for_manager(user: User, completion_id) -> Completion:
    completion = (
        Completion.objects.filter(
            pk=completion_id, enrolment__cadre__in=cadres_manageable_by(user).values("pk")
        )
        .select_related("enrolment__cadre", "enrolment__course")
        .first()
    )
    if completion is None:
        raise Http404
    return completion


def cadre_enrolments(cadre: Cadre) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(cadre=cadre)
        .select_related("course", "programme")
        .prefetch_related("completions")
        .order_by("enrolled_at", "pk")
    )


def cadre_unit_name(cadre: Cadre) -> str:
    membership = current_membership(cadre)
    return membership.unit.name if membership else ""
