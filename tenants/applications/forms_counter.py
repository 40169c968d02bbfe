"""Forms of the counter (assisted channel): search, registration from the KTP-el, consent."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shared.citizens.forms import region_choices, wilayah_choices
from shared.citizens.models import OneTimeCode

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def booth_field(booths) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Gerai tempat Anda melayani"),
        required=False,
        choices=[("", _("— pilih gerai —")), *((str(b.pk), str(b)) for b in booths)],
    )


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("NIK atau nomor HP warga"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CitizenRegisterForm(forms.Form):
    """What staff type from the KTP-el in hand, and the address the citizen gives (never
    derived from the NIK: the holder may have moved)."""

    nik = forms.CharField(
        label=_("NIK (dari KTP-el)"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Nama lengkap sesuai KTP-el"), max_length=150)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100)
    birth_date = forms.DateField(label=_("Tanggal lahir sesuai KTP-el"), widget=DATE_WIDGET)
    confirm_birth_date = forms.BooleanField(
        label=_("Tanggal lahir di KTP-el memang berbeda dengan yang tersandi di NIK"),
        required=False,
    )
    address_line = forms.CharField(
        label=_("Alamat tempat tinggal (jalan, nomor, RT/RW)"), max_length=255
    )
    regency_code = forms.ChoiceField(label=_("Kabupaten/kota tempat tinggal"))
    district_code = forms.ChoiceField(label=_("Kecamatan"), required=False)
    village_code = forms.ChoiceField(label=_("Kelurahan/desa"), required=False)
    phone = forms.CharField(label=_("Nomor HP (boleh kosong)"), max_length=20, required=False)

    def __init__(self, *args, booths=(), **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        choices: dict[str, list] = {
            "regency_code": region_choices(),
            "district_code": wilayah_choices(
                source.get("regency_code") or "", _("— pilih kecamatan —")
            ),
            "village_code": wilayah_choices(
                source.get("district_code") or "", _("— pilih kelurahan —")
            ),
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options
        self.fields["district_code"].widget.attrs["data-parent"] = "id_regency_code"
        self.fields["village_code"].widget.attrs["data-parent"] = "id_district_code"
        if booths:
            self.fields["booth"] = booth_field(booths)


class KtpHolderForm(forms.Form):
    """The counter decides a NIK claimed by an unverified account in favour of the KTP-el."""

    ktp_seen = forms.BooleanField(
        label=_("KTP-el asli ada di tangan saya; foto dan data cocok dengan warga di depan saya"),
        required=False,
    )
    reason = forms.CharField(label=_("Catatan penyelesaian"), max_length=200, required=False)


class ConsentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode dari warga"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ConsentSendForm(forms.Form):
    channel = forms.ChoiceField(choices=OneTimeCode.Channel.choices)


class KtpConsentForm(forms.Form):
    """For a citizen without a phone: staff hold the KTP-el."""

    ktp_seen = forms.BooleanField(
        label=_("KTP-el asli ada di tangan saya; foto dan data cocok dengan warga di depan saya"),
        required=False,
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir sesuai KTP-el"), required=False, widget=DATE_WIDGET
    )
    reason = forms.CharField(
        label=_("Alasan akses tanpa kode"),
        max_length=200,
        required=False,
        help_text=_("Misalnya: warga lanjut usia, tidak punya HP."),
    )


class DisputeResolveForm(forms.Form):
    ktp_seen = forms.BooleanField(
        label=_("KTP-el asli ada di tangan saya; foto dan data cocok dengan warga di depan saya"),
        required=False,
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir sesuai KTP-el"), required=False, widget=DATE_WIDGET
    )
    reason = forms.CharField(label=_("Catatan penyelesaian"), max_length=200, required=False)
