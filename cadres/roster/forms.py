from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import importing as ri


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ("— " * max(obj.depth - 1, 0)) + obj.name


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Roster file (.xlsx or .csv)"))
    unit = UnitChoiceField(
        label=_("Unit the cadres belong to (when the file has no unit column)"), queryset=None
    )
    encoding = forms.ChoiceField(
        label=_("Text encoding of a CSV file"),
        required=False,
        choices=[("", _("Detect automatically")), *ri.ENCODINGS.items()],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ri.MAX_FILE_BYTES:
            raise forms.ValidationError(ri.file_too_large_message())
        return upload


class MoveForm(forms.Form):
    unit = UnitChoiceField(label=_("New unit"), queryset=None)
    on = forms.DateField(label=_("From (dd/mm/yyyy)"), initial=timezone.localdate)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DeactivateForm(forms.Form):
    on = forms.DateField(label=_("Left on (dd/mm/yyyy)"), initial=timezone.localdate)


class CodesForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RestructuringForm(forms.Form):
    file = forms.FileField(label=_("Conversion table (.csv)"))
    effective_date = forms.DateField(label=_("Effective date (dd/mm/yyyy)"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ri.MAX_FILE_BYTES:
            raise forms.ValidationError(ri.file_too_large_message())
        return upload
