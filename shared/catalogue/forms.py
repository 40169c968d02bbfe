from django import forms
from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari layanan"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("mis. buat paspor, akta kelahiran, SIM"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
    )
    agency = forms.ChoiceField(label=_("Instansi"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    life_event = forms.ChoiceField(label=_("Peristiwa hidup"), required=False)
    province = forms.ChoiceField(label=_("Tersedia di provinsi"), required=False)

    def __init__(self, *args, agencies=(), categories=(), life_events=(), provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Semua"))]
        choices = {
            "agency": [(a.code, str(a.name)) for a in agencies],
            "category": [(c.code, c.name) for c in categories],
            "life_event": [(e.code, e.name) for e in life_events],
            "province": [(p.code, p.name) for p in provinces],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = every + options

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas katalog (.json atau .csv)"),
        help_text=_(
            "Gunakan berkas hasil ekspor sebagai contoh. Seluruh berkas diperiksa dulu; bila ada "
            "baris yang salah, tidak ada perubahan yang diterapkan."
        ),
    )
    dry_run = forms.BooleanField(label=_("Hanya periksa, jangan terapkan"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".json", ".csv")):
            raise forms.ValidationError(_("Unggah berkas .json atau .csv."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Berkas paling besar 20 MB."))
        return upload
