"""Role → Django group mapping. Groups carry Wagtail permissions; the role
field on the user is what scoping reads."""

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

ROLE_GROUPS = {
    "trainer": "Giảng viên",
    "hr_officer": "Cán bộ tổ chức",
    "administrator": "Quản trị viên",
}
# Not a role: an administrator adds trainers to it (the user editor's groups).
# Its members approve or send back what trainers submit for review.
REVIEWER_GROUP = "Duyệt nội dung"
ROLE_LABELS = {"trainer": _("Trainer"), "hr_officer": _("HR officer")}


def sync_groups(user) -> None:
    wanted = ROLE_GROUPS.get(user.role)
    groups = Group.objects.filter(name__in=ROLE_GROUPS.values())
    user.groups.remove(*[g for g in groups if g.name != wanted])
    if wanted:
        group, _created = Group.objects.get_or_create(name=wanted)
        user.groups.add(group)
