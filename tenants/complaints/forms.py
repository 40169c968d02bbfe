"""Forms of the complaint pages. They render and parse; the rules (lengths, links, files,
identity) are the services' and come back onto the fields through
``kernel.errors.apply_domain_error``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shared.complaints.models import ComplaintKind
from tenants.complaints.models import Complexity, Privacy
from tenants.complaints.services.common import MAX_DESCRIPTION, MAX_MESSAGE, MAX_SUBJECT

FILE_ACCEPT = "application/pdf,image/jpeg,image/png"


def _choice(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input; each is checked by the service (type by content,
    size), so here only the list is collected."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": FILE_ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [f for f in data if f]
        return [data] if data else []


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        initial=ComplaintKind.COMPLAINT,
    )
    subject = forms.CharField(
        label=_("Judul singkat"),
        max_length=MAX_SUBJECT + 50,  # the service gives the clear message past the limit
        help_text=_("Misalnya: Antrean tidak dipanggil sesuai nomor."),
    )
    description = forms.CharField(
        label=_("Uraian"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION}),
        max_length=MAX_DESCRIPTION + 500,
        help_text=_("Apa yang terjadi, kapan, di gerai mana. Jangan tulis NIK di sini."),
    )
    privacy = forms.ChoiceField(
        label=_("Identitas Anda"),
        choices=[
            (Privacy.NORMAL, _("Biasa: petugas yang menangani dapat melihat nama Anda")),
            (
                Privacy.CONFIDENTIAL,
                _("Rahasia: hanya pengelola pengaduan MPP yang melihat nama Anda"),
            ),
            (Privacy.ANONYMOUS, _("Anonim: tidak ada petugas yang melihat identitas Anda")),
        ],
        widget=forms.RadioSelect,
        initial=Privacy.NORMAL,
    )
    offering = forms.ChoiceField(label=_("Layanan yang diadukan (opsional)"), required=False)
    attachments = MultipleFileField(
        label=_("Bukti (opsional): PDF, JPEG atau PNG, paling banyak 5 berkas"),
    )

    def __init__(self, *args, offerings=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self.fields["offering"]).choices = [("", _("— tidak memilih —")), *offerings]


class CitizenComplaintForm(ComplaintForm):
    """Filed by a signed-in citizen: may point at their own application or booking."""

    application = forms.ChoiceField(label=_("Permohonan terkait (opsional)"), required=False)
    booking_code = forms.CharField(
        label=_("Kode booking antrean terkait (opsional)"), required=False, max_length=20
    )

    field_order = [
        "kind",
        "subject",
        "description",
        "application",
        "offering",
        "booking_code",
        "privacy",
        "attachments",
    ]

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self.fields["application"]).choices = [("", _("— tidak ada —")), *applications]


class WalkInComplaintForm(ComplaintForm):
    """Filed at a counter on behalf of a walk-in, or at the kiosk without an account."""

    ticket_number = forms.CharField(
        label=_("Nomor antrean hari ini (opsional)"),
        required=False,
        max_length=10,
        help_text=_("Misalnya A-012."),
    )
    name = forms.CharField(label=_("Nama pelapor"), required=False, max_length=150)
    phone = forms.CharField(
        label=_("Nomor HP untuk kabar perkembangan (opsional)"), required=False, max_length=20
    )
    email = forms.CharField(label=_("Email (opsional)"), required=False, max_length=254)

    field_order = [
        "kind",
        "subject",
        "description",
        "offering",
        "ticket_number",
        "privacy",
        "name",
        "phone",
        "email",
        "attachments",
    ]


class CounterComplaintForm(WalkInComplaintForm):
    application_number = forms.CharField(
        label=_("Nomor permohonan terkait (opsional)"), required=False, max_length=30
    )

    field_order = [
        "kind",
        "subject",
        "description",
        "application_number",
        "offering",
        "ticket_number",
        "privacy",
        "name",
        "phone",
        "email",
        "attachments",
    ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Pesan"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_MESSAGE}),
        max_length=MAX_MESSAGE + 500,
    )
    attachments = MultipleFileField(label=_("Lampiran (opsional)"))


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Kode lacak"),
        max_length=40,
        help_text=_("Tertulis pada bukti pengaduan, misalnya ACDEF-GHJKM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RouteForm(forms.Form):
    booth = forms.ChoiceField(label=_("Gerai penanggung jawab"))
    complexity = forms.ChoiceField(
        label=_("Kompleksitas"), choices=Complexity.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Catatan untuk gerai (internal, opsional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, booths=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self.fields["booth"]).choices = [("", _("— pilih gerai —")), *booths]
