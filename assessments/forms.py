from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import QuestionCategory

FORMATS = [
    ("gift", "GIFT (Moodle)"),
    ("aiken", "Aiken (Moodle)"),
    ("xlsx", _("Spreadsheet template (XLSX)")),
    ("csv", _("Spreadsheet template (CSV)")),
]
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class QuestionCategoryForm(WagtailAdminModelForm):
    """Name and place a category; the tree is kept by treebeard, not by a plain save."""

    parent = forms.ModelChoiceField(
        label=_("parent category"),
        queryset=QuestionCategory.objects.with_paths(),
        required=False,
        help_text=_("Empty: a top-level category."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()
            self.fields["parent"].queryset = QuestionCategory.objects.with_paths().exclude(
                path__startswith=self.instance.path
            )

    def save(self, commit=True):
        from .services import category_save

        return category_save(
            category=self.instance,
            parent=self.cleaned_data.get("parent"),
            name=self.instance.name,
            description=self.instance.description,
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("file"))
    format = forms.ChoiceField(label=_("format"), choices=FORMATS)
    category = forms.CharField(
        label=_("into category"),
        max_length=500,
        help_text=_("A path such as “An toàn thông tin/Lừa đảo”; missing categories are created."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ExportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("category"), queryset=QuestionCategory.objects.with_paths()
    )
