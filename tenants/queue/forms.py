"""Forms of the queue pages: they parse input; writes go through the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.queue.models import OfferingQueueConfig, QueueSettings
from tenants.queue.services.settings import OFFERING_FIELDS, SETTINGS_FIELDS


class SlotChoiceForm(forms.Form):
    """A date and a slot start, as the booking page posts them."""

    tanggal = forms.DateField(
        label=_("Tanggal"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Tanggal tidak valid."), "required": _("Pilih tanggal.")},
    )
    jam = forms.TimeField(
        label=_("Jam"),
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={"invalid": _("Jam tidak valid."), "required": _("Pilih jam kedatangan.")},
    )


class QueueSettingsForm(forms.ModelForm):
    class Meta:
        model = QueueSettings
        fields = SETTINGS_FIELDS


class OfferingQueueConfigForm(forms.ModelForm):
    class Meta:
        model = OfferingQueueConfig
        fields = OFFERING_FIELDS
        help_texts = {
            "slot_minutes": _("Kosongkan untuk memakai pengaturan MPP."),
            "online_per_slot": _(
                "Dipakai bila layanan tidak punya kuota booking harian. Kosongkan untuk memakai "
                "pengaturan MPP."
            ),
            "service_minutes": _("Kosongkan untuk memakai pengaturan MPP."),
        }


class KioskDeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Nama perangkat"),
        max_length=100,
        help_text=_("Misalnya: Kiosk lobi utama."),
    )
