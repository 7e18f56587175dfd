"""Revoke and reissue in the Wagtail admin: administrators only."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cadres.private_files import private_file_response

from . import exports, services
from .forms import RevokeForm
from .models import Certificate


def _certificate(request, pk) -> Certificate:
    if not request.user.is_administrator:
        raise Http404
    return get_object_or_404(Certificate, pk=pk)


def _listing():
    return redirect("wagtailsnippets_certificates_certificate:list")


def _action(request, pk, *, title, verb, action):
    certificate = _certificate(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = action(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CertificateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, verb % {"number": result.number or certificate.number})
            return _listing()
    return TemplateResponse(
        request,
        "certificates/admin/action.html",
        {"certificate": certificate, "form": form, "page_title": title, "header_icon": "doc-full"},
    )


def revoke(request, pk):
    return _action(
        request,
        pk,
        title=_("Revoke certificate"),
        verb=_("Certificate %(number)s was revoked."),
        action=services.certificate_revoke,
    )


def reissue(request, pk):
    return _action(
        request,
        pk,
        title=_("Reissue certificate"),
        verb=_("Certificate %(number)s was issued in its place."),
        action=services.certificate_reissue,
    )


def pdf(request, pk):
    certificate = _certificate(request, pk)
    if not certificate.pdf:
        raise Http404
    return private_file_response(
        certificate.pdf.storage,
        certificate.pdf.name,
        filename=exports.zip_member_name(certificate, set()),
        content_type="application/pdf",
        as_attachment=False,
    )
