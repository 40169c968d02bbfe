"""Forms of the admin console. They only parse and check input; writes go through services
(``kernel.errors.apply_domain_error`` puts a refusal next to its field)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Role
from shared.catalogue.models import Agency, Channel, DocumentType, LifeEvent
from tenants.mpp.models import (
    Booth,
    Facility,
    FeeKind,
    GeneralInfo,
    LocalAgency,
    Offering,
    Weekday,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def booth_choices_field(*, required: bool = False, label=None) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Booth.objects.filter(is_active=True).select_related("agency", "local_agency"),
        required=required,
        label=label or _("Gerai"),
        empty_label=_("— tanpa gerai —"),
    )


# --- booths --------------------------------------------------------------------------------------


class BoothForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label=_("Instansi nasional"),
        empty_label=_("— pilih instansi —"),
    )
    local_agency = forms.ModelChoiceField(
        queryset=LocalAgency.objects.all(),
        required=False,
        label=_("atau instansi lokal"),
        empty_label=_("— pilih instansi lokal —"),
    )
    new_local_agency = forms.CharField(
        max_length=200,
        required=False,
        label=_("atau tambah instansi lokal baru"),
        help_text=_("Nama instansi yang belum ada di daftar nasional."),
    )
    number = forms.CharField(max_length=20, label=_("Nomor gerai"))
    name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Nama gerai"),
        help_text=_("Kosongkan untuk memakai nama instansi."),
    )
    location = forms.CharField(max_length=200, required=False, label=_("Lokasi"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Keterangan")
    )
    is_active = forms.BooleanField(required=False, initial=True, label=_("Aktif"))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the agency of an existing booth does not change
            for name in ("agency", "local_agency", "new_local_agency"):
                del self.fields[name]

    def clean(self):
        data = super().clean() or {}
        if "agency" in self.fields:
            chosen = [
                bool(data.get("agency")),
                bool(data.get("local_agency")),
                bool((data.get("new_local_agency") or "").strip()),
            ]
            if sum(chosen) != 1:
                raise forms.ValidationError(
                    _("Pilih tepat satu: instansi nasional, instansi lokal, atau instansi baru.")
                )
        return data


class WeeklyHoursForm(forms.Form):
    """Two intervals per weekday (morning and, after a break, afternoon). For a booth or an
    offering, ``follow`` means "no own hours": it follows the booth / MPP."""

    def __init__(self, *args, allow_follow: bool = False, follow_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_follow = allow_follow
        if allow_follow:
            self.fields["follow"] = forms.BooleanField(
                required=False, label=follow_label or _("Ikuti jam layanan MPP")
            )
        for day in Weekday:
            for part in (1, 2):
                for edge, label in (("open", _("buka")), ("close", _("tutup"))):
                    self.fields[f"d{day.value}_{edge}{part}"] = forms.TimeField(
                        required=False,
                        label=f"{day.label} {label} {part}",
                        widget=TimeInput(),
                    )

    @staticmethod
    def initial_from(hours: dict[int, list[tuple[dt.time, dt.time]]], *, follow=False) -> dict:
        initial: dict = {"follow": follow}
        for day, intervals in hours.items():
            for part, (opens, closes) in enumerate(intervals[:2], start=1):
                initial[f"d{day}_open{part}"] = opens
                initial[f"d{day}_close{part}"] = closes
        return initial

    def rows(self):
        """(weekday label, [(open field, close field), …]) for the template."""
        return [
            (
                day.label,
                [(self[f"d{day.value}_open{p}"], self[f"d{day.value}_close{p}"]) for p in (1, 2)],
            )
            for day in Weekday
        ]

    def hours(self) -> dict[int, list[tuple[dt.time | None, dt.time | None]]]:
        """Weekday → intervals as typed (the service checks them again)."""
        if self.allow_follow and self.cleaned_data.get("follow"):
            return {}
        out: dict[int, list[tuple[dt.time | None, dt.time | None]]] = {}
        for day in Weekday:
            for part in (1, 2):
                opens = self.cleaned_data.get(f"d{day.value}_open{part}")
                closes = self.cleaned_data.get(f"d{day.value}_close{part}")
                if opens or closes:
                    out.setdefault(day.value, []).append((opens, closes))
        return out

    def clean(self):
        data = super().clean() or {}
        for day in Weekday:
            for part in (1, 2):
                opens = data.get(f"d{day.value}_open{part}")
                closes = data.get(f"d{day.value}_close{part}")
                if bool(opens) != bool(closes):
                    self.add_error(
                        f"d{day.value}_open{part}",
                        _("%(day)s: isi jam buka dan jam tutup.") % {"day": day.label},
                    )
                elif opens and closes and opens >= closes:
                    self.add_error(
                        f"d{day.value}_open{part}",
                        _("%(day)s: jam buka harus sebelum jam tutup.") % {"day": day.label},
                    )
        return data


class ClosureForm(forms.Form):
    start_date = forms.DateField(label=_("Mulai"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Sampai"), required=False, widget=DateInput(), help_text=_("Kosong = satu hari.")
    )
    reason = forms.CharField(max_length=200, label=_("Alasan"))
    booth = booth_choices_field(label=_("Gerai (kosongkan bila seluruh MPP tutup)"))

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


# --- offerings -----------------------------------------------------------------------------------


class RequirementForm(forms.Form):
    document_type = forms.ModelChoiceField(
        queryset=DocumentType.objects.all(),
        required=False,
        label=_("Jenis dokumen"),
        empty_label=_("— tanpa dokumen —"),
    )
    text = forms.CharField(max_length=300, required=False, label=_("Keterangan"))
    is_mandatory = forms.BooleanField(required=False, initial=True, label=_("Wajib"))
    # A row with neither a document type nor a text is an unused row and is ignored.


RequirementFormSet = forms.formset_factory(RequirementForm, extra=2, max_num=30)


def requirements_from_formset(formset) -> list[dict]:
    out = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("document_type") or (data.get("text") or "").strip():
            out.append(
                {
                    "document_type": data.get("document_type"),
                    "text": data.get("text") or "",
                    "is_mandatory": bool(data.get("is_mandatory")),
                }
            )
    return out


def requirements_initial(offering: Offering) -> list[dict]:
    return [
        {"document_type": r.document_type_id, "text": r.text, "is_mandatory": r.is_mandatory}
        for r in offering.requirements.all()
    ]


CHANNEL_CHOICES = Channel.choices
FEE_KIND_CHOICES = [("", _("Ikuti standar nasional")), *FeeKind.choices]


class QuotaFieldsMixin(forms.Form):
    quota_online = forms.IntegerField(
        min_value=0, max_value=100_000, required=False, label=_("Kuota daring per hari")
    )
    quota_queue = forms.IntegerField(
        min_value=0, max_value=100_000, required=False, label=_("Kuota booking antrean per hari")
    )
    quota_walk_in = forms.IntegerField(
        min_value=0, max_value=100_000, required=False, label=_("Kuota datang langsung per hari")
    )


class OverrideForm(QuotaFieldsMixin):
    field_order = [
        "booth",
        "fee_kind",
        "fee_amount",
        "fee_basis",
        "follow_channels",
        "channels",
        "quota_online",
        "quota_queue",
        "quota_walk_in",
        "local_notes",
    ]
    booth = booth_choices_field()
    fee_kind = forms.ChoiceField(choices=FEE_KIND_CHOICES, required=False, label=_("Jenis biaya"))
    fee_amount = forms.DecimalField(
        min_value=0,
        max_digits=14,
        decimal_places=0,
        required=False,
        label=_("Biaya daerah (Rp)"),
        help_text=_("Kosongkan untuk mengikuti biaya nasional."),
    )
    fee_basis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Dasar biaya/tarif daerah"),
        help_text=_("Mis. Perda retribusi. Kosongkan untuk mengikuti standar nasional."),
    )
    follow_channels = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Ikuti kanal nasional"),
        help_text=_("Hapus centang untuk memilih sendiri kanal di bawah ini."),
    )
    channels = forms.MultipleChoiceField(
        choices=CHANNEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Kanal di MPP ini"),
    )
    local_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Catatan daerah")
    )

    def __init__(self, *args, national_channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        channels = self.fields["channels"]
        assert isinstance(channels, forms.MultipleChoiceField)
        channels.choices = [c for c in CHANNEL_CHOICES if c[0] in national_channels]

    def clean(self):
        data = super().clean() or {}
        if not data.get("follow_channels") and not data.get("channels"):
            self.add_error("channels", _("Pilih sedikitnya satu kanal, atau ikuti kanal nasional."))
        return data


class AdoptSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Cari layanan nasional"))
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label=_("Instansi"),
        empty_label=_("Semua instansi"),
    )


class LocalServiceForm(QuotaFieldsMixin):
    field_order = [
        "name",
        "booth",
        "agency",
        "local_agency",
        "summary",
        "steps",
        "completion_days",
        "completion_note",
        "fee_kind",
        "fee_amount",
        "fee_basis",
        "product",
        "complaint_handling",
        "legal_basis",
        "channels",
        "life_events",
        "quota_online",
        "quota_queue",
        "quota_walk_in",
        "local_notes",
        "is_active",
    ]
    name = forms.CharField(max_length=200, label=_("Nama layanan"))
    booth = booth_choices_field(label=_("Gerai penyelenggara"))
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label=_("Instansi nasional"),
        empty_label=_("— ikut gerai —"),
    )
    local_agency = forms.ModelChoiceField(
        queryset=LocalAgency.objects.all(),
        required=False,
        label=_("atau instansi lokal"),
        empty_label=_("— ikut gerai —"),
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Ringkasan")
    )
    steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Prosedur"),
        help_text=_("Satu langkah per baris, berurutan."),
    )
    completion_days = forms.IntegerField(
        min_value=0, max_value=365, label=_("Jangka waktu (hari kerja)")
    )
    completion_note = forms.CharField(
        max_length=300, required=False, label=_("Keterangan jangka waktu")
    )
    fee_kind = forms.ChoiceField(choices=FeeKind.choices, label=_("Jenis biaya"))
    fee_amount = forms.DecimalField(
        min_value=0,
        max_digits=14,
        decimal_places=0,
        required=False,
        label=_("Biaya (Rp)"),
    )
    fee_basis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Dasar biaya/tarif")
    )
    product = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Produk layanan"))
    complaint_handling = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Penanganan pengaduan")
    )
    legal_basis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Dasar hukum")
    )
    channels = forms.MultipleChoiceField(
        choices=CHANNEL_CHOICES, widget=forms.CheckboxSelectMultiple, label=_("Kanal")
    )
    life_events = forms.ModelMultipleChoiceField(
        queryset=LifeEvent.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Peristiwa hidup"),
    )
    local_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Catatan")
    )
    is_active = forms.BooleanField(required=False, initial=True, label=_("Ditawarkan"))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the provider of an existing local service does not change
            self.fields["agency"].disabled = True
            self.fields["local_agency"].disabled = True

    def clean(self):
        data = super().clean() or {}
        if not data.get("booth") and not data.get("agency") and not data.get("local_agency"):
            self.add_error("booth", _("Pilih gerai atau instansi penyelenggara."))
        if data.get("agency") and data.get("local_agency"):
            self.add_error("local_agency", _("Pilih satu instansi saja."))
        return data

    def step_list(self) -> list[str]:
        return [s.strip() for s in (self.cleaned_data.get("steps") or "").splitlines() if s.strip()]


# --- counters and staff ---------------------------------------------------------------------


class CounterForm(forms.Form):
    booth = booth_choices_field(required=True)
    number = forms.CharField(max_length=20, label=_("Nomor loket"))
    name = forms.CharField(max_length=100, required=False, label=_("Nama loket"))
    ticket_prefix = forms.CharField(
        max_length=1,
        label=_("Huruf antrean"),
        help_text=_("Satu huruf A–Z; tiket loket ini bernomor A-001, A-002 …"),
    )
    offerings = forms.ModelMultipleChoiceField(
        queryset=Offering.objects.active().select_related("service"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Layanan yang dilayani"),
    )
    is_active = forms.BooleanField(required=False, initial=True, label=_("Aktif"))

    def clean_ticket_prefix(self):
        value = (self.cleaned_data.get("ticket_prefix") or "").strip().upper()
        if len(value) != 1 or not ("A" <= value <= "Z"):
            raise forms.ValidationError(_("Huruf antrean harus satu huruf A–Z."))
        return value


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(max_length=150, required=False, label=_("Nama lengkap"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Peran"), initial=Role.OPERATOR)
    booths = forms.ModelMultipleChoiceField(
        queryset=Booth.objects.filter(is_active=True).select_related("agency", "local_agency"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Gerai"),
        help_text=_("Untuk supervisor dan operator. Admin DPMPTSP tidak dibatasi gerai."),
    )


class StaffUpdateForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Peran"))
    booths = StaffInviteForm.base_fields["booths"]


# --- information ------------------------------------------------------------------------------


class GeneralInfoForm(forms.ModelForm):
    facilities = forms.MultipleChoiceField(
        choices=Facility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Fasilitas"),
    )

    class Meta:
        model = GeneralInfo
        fields = [
            "about",
            "address",
            "latitude",
            "longitude",
            "phone",
            "whatsapp",
            "email",
            "website",
            "facilities",
            "facilities_note",
            "open_on_cuti_bersama",
        ]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "facilities_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error(
                "latitude", _("Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")
            )
        return data


class AnnouncementForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Judul"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Isi"))
    publish_from = forms.DateTimeField(
        label=_("Tampil mulai"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("Kosong = sekarang."),
    )
    publish_until = forms.DateTimeField(
        label=_("Tampil sampai"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("Kosong = tanpa batas."),
    )
    is_important = forms.BooleanField(required=False, label=_("Penting (tampil paling atas)"))

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("publish_from"), data.get("publish_until")
        if start and end and end <= start:
            self.add_error("publish_until", _("Waktu akhir tayang harus sesudah waktu mulai."))
        return data
