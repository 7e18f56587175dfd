"""Listens to cadres' and Wagtail's signals and hands over to services."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cadres.signals import cadre_joined_unit

from . import tree_cache


@receiver(cadre_joined_unit)
def _enrol_joined_cadre(sender, cadre_id, unit_id, **kwargs):
    from .services import programmes_enrol_cadre

    programmes_enrol_cadre(cadre_id=cadre_id)


@receiver(post_save)
@receiver(post_delete)
def _forget_tree_on_save(sender, instance, **kwargs):
    # Every model's saves pass here: only pages, sites and privacy settings count.
    if isinstance(instance, Page | Site | PageViewRestriction):
        tree_cache.changed()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _forget_tree_on_publish(sender, **kwargs):
    tree_cache.changed()
