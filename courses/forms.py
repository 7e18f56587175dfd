from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.slug import SlugInput

from cadres.text import ascii_slug, nfc


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason.")},
    )

    def clean_reason(self) -> str:
        reason = nfc(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class LearnerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, cadre code or phone number"), required=False, max_length=100)


class VideoEventForm(forms.Form):
    event = forms.ChoiceField(choices=[("start", "start"), ("end", "end")])


# Vietnamese letters the admin's slug script would drop ("ư") or spell as
# Serbian ("đ" → "dj"): folded to their base letter before it runs.
_VIETNAMESE_LETTERS = {
    "a": "àáảãạăằắẳẵặâầấẩẫậ",
    "d": "đ",
    "e": "èéẻẽẹêềếểễệ",
    "i": "ìíỉĩị",
    "o": "òóỏõọôồốổỗộơờớởỡợ",
    "u": "ùúủũụưừứửữự",
    "y": "ỳýỷỹỵ",
}
VIETNAMESE_SLUG_FORMATTERS = [
    *((f"[{letters}]", base) for base, letters in _VIETNAMESE_LETTERS.items()),
    *((f"[{letters.upper()}]", base.upper()) for base, letters in _VIETNAMESE_LETTERS.items()),
    # Combining marks of text typed decomposed (NFD).
    ("[\u0300-\u036f]", ""),
]


class AsciiSlugPageForm(WagtailAdminPageForm):
    """Course, lesson and quiz pages get ASCII slugs ("đ" → "d").

    A slug the page already has is kept, so links to existing pages work.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].widget = SlugInput(formatters=VIETNAMESE_SLUG_FORMATTERS)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        if slug and (self.instance.pk is None or slug != self.instance.slug):
            return ascii_slug(slug)
        return slug
