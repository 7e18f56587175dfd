from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cadres.paging import page_number
from cadres.private_files import private_file_response
from cadres.selectors import unit_get_for_user, units_visible_to
from cadres.services import file_sha256
from cadres.text import nfc

from . import exports, selectors, services
from .forms import FileCheckForm, LookupForm, UnitForm
from .models import Certificate
from .ratelimit import over_limit


def _not_found(request):
    # Unknown, malformed and never-issued look the same.
    return render(request, "certificates/not_found.html", {"form": LookupForm()}, status=404)


def _limited(request):
    return render(request, "certificates/limited.html", status=429)


def _show(request, certificate, *, form=None, file_matches=None, by_code=True):
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "form": form or FileCheckForm(),
            "file_matches": file_matches,
            "by_code": by_code,
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request, code: str):
    if over_limit(request, "verify"):
        return _limited(request)
    canonical = services.code_normalise(code)
    certificate = selectors.certificate_public(code=canonical) if canonical else None
    if certificate is None:
        return _not_found(request)
    if canonical != code:
        return redirect("certificates:verify", code=canonical)
    if request.method == "POST":
        form = FileCheckForm(request.POST, request.FILES)
        if form.is_valid():
            digest = _upload_sha256(form.cleaned_data["file"])
            return _show(request, certificate, form=form, file_matches=digest == certificate.sha256)
        return _show(request, certificate, form=form)
    return _show(request, certificate)


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Check by a number or code typed by hand, or by uploading the PDF."""
    if request.method == "POST":
        if over_limit(request, "verify"):
            return _limited(request)
        file_form = FileCheckForm(request.POST, request.FILES)
        if not file_form.is_valid():
            return render(
                request, "certificates/lookup.html", {"form": LookupForm(), "file_form": file_form}
            )
        digest = _upload_sha256(file_form.cleaned_data["file"])
        certificate = selectors.certificate_public_by_hash(digest)
        if certificate is None:
            return _not_found(request)
        return _show(request, certificate, file_matches=True)
    form = LookupForm(request.GET or None)
    if not request.GET:
        return render(
            request, "certificates/lookup.html", {"form": form, "file_form": FileCheckForm()}
        )
    if over_limit(request, "verify"):
        return _limited(request)
    if not form.is_valid():
        return _not_found(request)
    text = nfc(form.cleaned_data["q"])
    code = services.code_normalise(text)
    if code and (certificate := selectors.certificate_public(code=code)):
        return redirect("certificates:verify", code=certificate.code)
    if not form.cleaned_data["name"].strip():
        form.add_error(
            "name", _("To check by number, type the holder's name as printed on the certificate.")
        )
        return render(
            request, "certificates/lookup.html", {"form": form, "file_form": FileCheckForm()}
        )
    certificate = selectors.certificate_public_number_match(
        number=text.upper(), holder_name=form.cleaned_data["name"]
    )
    if certificate is None:  # unknown number and another name look the same
        return _not_found(request)
    # Only whether it matches, and the certificate's state: not the holder as
    # stored, nor the code (the key to the QR page).
    return render(request, "certificates/number_match.html", {"certificate": certificate})


def _upload_sha256(upload) -> str:
    return file_sha256(upload.read())  # the form caps uploads at 5 MB


@login_required
def mine(request):
    certificates = (
        selectors.certificates_of(request.user)
        .select_related("superseded_by")
        .order_by("-issued_at", "-pk")
    )
    return render(request, "certificates/mine.html", {"certificates": certificates})


@login_required
def download(request, pk: int):
    certificate = selectors.certificate_get_for_user(request.user, pk)
    return private_file_response(
        certificate.pdf.storage,
        certificate.pdf.name,
        filename=exports.zip_member_name(certificate, set()),
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_certificates(request):
    units = units_visible_to(request.user).order_by("path")
    if not (request.user.is_hr_officer or request.user.is_administrator):
        raise Http404
    default = request.user.scope_unit or units.first()
    form = UnitForm(request.GET or None, units=units, initial={"unit": default})
    unit = form.cleaned_data["unit"] if form.is_valid() else default
    if unit is None:
        raise Http404
    if request.method == "POST":
        unit = unit_get_for_user(request.user, request.POST.get("unit"))
        export = exports.certificate_export_create(unit=unit, by=request.user)
        return redirect("certificates:export", pk=export.pk)
    from django.core.paginator import Paginator

    certificates = (
        selectors.certificates_of_unit(unit)
        .select_related("superseded_by")
        .order_by("holder_name", "pk")
    )
    page = Paginator(certificates, 50).get_page(page_number(request))
    return render(
        request,
        "certificates/unit.html",
        {"form": form, "unit": unit, "page": page, "Status": Certificate.Status},
    )


@login_required
def export_status(request, pk: int):
    export = selectors.export_get_for_user(request.user, pk)
    return render(request, "certificates/export.html", {"export": export})


@login_required
def export_download(request, pk: int):
    export = selectors.export_get_for_user(request.user, pk)
    if not export.file:
        raise Http404
    return private_file_response(
        export.file.storage,
        export.file.name,
        filename=exports.export_download_name(export),
        content_type="application/zip",
    )
