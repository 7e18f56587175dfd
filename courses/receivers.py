"""Listens to cadres' signals and hands over to services."""

from django.dispatch import receiver

from cadres.signals import cadre_joined_unit


@receiver(cadre_joined_unit)
def _enrol_joined_cadre(sender, cadre_id, unit_id, **kwargs):
    from .services import programmes_enrol_cadre

    programmes_enrol_cadre(cadre_id=cadre_id)
