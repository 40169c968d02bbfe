"""Forms of the onboarding console. They only check shapes; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.models import OnboardingDocument, ReadinessIndicator, ReadinessValue
from onboarding.services import MAX_DOCUMENT_BYTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommitmentForm(forms.Form):
    signer_name = forms.CharField(label=_("Nama penanda tangan"), max_length=150)
    signer_title = forms.CharField(
        label=_("Jabatan penanda tangan"),
        max_length=150,
        help_text=_("Misalnya: Bupati Bintan."),
    )
    signed_on = forms.DateField(label=_("Tanggal penandatanganan"), widget=DateInput())
    occasion = forms.CharField(
        label=_("Acara penandatanganan"),
        max_length=255,
        required=False,
        help_text=_("Misalnya: Penandatanganan komitmen MPP Digital, 7 Maret 2024."),
    )
    document = forms.FileField(
        label=_("Dokumen komitmen bertanda tangan (PDF)"),
        required=False,
        help_text=_("PDF, maksimal %(mb)d MB. Boleh diunggah nanti.")
        % {"mb": MAX_DOCUMENT_BYTES >> 20},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis dokumen"),
        choices=[
            (OnboardingDocument.Kind.COMMITMENT, OnboardingDocument.Kind.COMMITMENT.label),
            (OnboardingDocument.Kind.DECREE, OnboardingDocument.Kind.DECREE.label),
        ],
    )
    document = forms.FileField(
        label=_("Berkas PDF"),
        help_text=_("PDF, maksimal %(mb)d MB.") % {"mb": MAX_DOCUMENT_BYTES >> 20},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


def _choice_of(flag: bool | None) -> str:
    return "" if flag is None else ("ya" if flag else "tidak")


class ReadinessForm(forms.Form):
    """One value and one evidence field per active indicator."""

    def __init__(self, *args, indicators, values: dict[int, ReadinessValue], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            current = values.get(indicator.pk)
            name = f"value_{indicator.pk}"
            if indicator.kind == ReadinessIndicator.Kind.PERCENT:
                self.fields[name] = forms.DecimalField(
                    label=indicator.name,
                    required=False,
                    min_value=0,
                    max_value=100,
                    decimal_places=2,
                    help_text=_("Persen; ambang ≥ %(t)s%%.")
                    % {"t": f"{indicator.threshold.normalize():f}"},
                    initial=current.value_number if current else None,
                )
            elif indicator.kind == ReadinessIndicator.Kind.BOOLEAN:
                self.fields[name] = forms.ChoiceField(
                    label=indicator.name,
                    required=False,
                    choices=[("", "—"), ("ya", _("Ya")), ("tidak", _("Tidak"))],
                    initial=_choice_of(current.value_bool if current else None),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=indicator.name,
                    required=False,
                    max_length=255,
                    initial=current.value_text if current else "",
                )
            self.fields[f"evidence_{indicator.pk}"] = forms.CharField(
                label=_("Bukti: %(name)s") % {"name": indicator.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.evidence if current else "",
            )

    def rows(self):
        for indicator in self.indicators:
            yield indicator, self[f"value_{indicator.pk}"], self[f"evidence_{indicator.pk}"]

    def values(self) -> dict[int, dict]:
        return {
            indicator.pk: {
                "value": self.cleaned_data.get(f"value_{indicator.pk}"),
                "evidence": self.cleaned_data.get(f"evidence_{indicator.pk}", ""),
            }
            for indicator in self.indicators
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Wajib; tercatat di log audit."),
    )


class SuspendForm(ReasonForm):
    public_notice = forms.CharField(
        label=_("Pengumuman untuk warga (opsional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_(
            "Tampil di situs MPP daerah selama ditangguhkan. Jangan tulis alasan internal."
        ),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DesignateForm(forms.Form):
    decree_number = forms.CharField(
        label=_("Nomor keputusan"), max_length=100, help_text=_("Misalnya: 457/2024.")
    )
    decree_date = forms.DateField(label=_("Tanggal keputusan"), widget=DateInput())
    admin_email = forms.EmailField(
        label=_("Email admin DPMPTSP"),
        required=False,
        help_text=_("Akun ini dibuat dan diundang saat MPP disiapkan."),
    )
    admin_name = forms.CharField(label=_("Nama admin DPMPTSP"), max_length=150, required=False)


class ProvisionForm(forms.Form):
    admin_email = forms.EmailField(label=_("Email admin DPMPTSP"))
    admin_name = forms.CharField(label=_("Nama admin DPMPTSP"), max_length=150, required=False)


class OffboardForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Ketik nama daerah atau subdomainnya untuk konfirmasi"), max_length=150
    )
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV"),
        help_text=_("Satu baris per daerah; kolom dijelaskan di bawah. Maksimal 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = ReadinessIndicator
        fields = ["code", "name", "description", "kind", "threshold", "position", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"threshold": _("Hanya untuk indikator persentase (0–100).")}
