"""The schema class of every API view (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

Kept apart from mpp_platform.api_schema: DRF imports this while drf_spectacular.views is still
loading, so it must not import the views itself.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers

JSON = "application/json"
MULTIPART = "multipart/form-data"


def _uploads_a_file(serializer) -> bool:
    serializer = force_instance(serializer)
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    if not isinstance(serializer, serializers.Serializer):
        return False
    for field in serializer.fields.values():
        child = getattr(field, "child", None)
        if isinstance(field, serializers.FileField) or isinstance(child, serializers.FileField):
            return True
    return False


def _blank_model_choice(field) -> bool:
    """A read-only choice field of a model field that may be blank. DRF drops ``allow_blank``
    from read-only fields, so the schema would promise an enum value where the API can answer
    "" (a client generated from it then fails to read the response)."""
    if not (isinstance(field, serializers.ChoiceField) and field.read_only):
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:  # a property or an annotation: nothing to learn
        return False
    return isinstance(model_field, models.CharField | models.TextField) and model_field.blank


class OneBodyFormatSchema(AutoSchema):
    """Each operation documents one request body format: multipart/form-data when its body
    carries a file, JSON otherwise. The views may parse more (a form post still works), but a
    client generated from a document listing three formats of one body cannot pick one (the
    generator keeps the last: a multipart body for a JSON sign-in)."""

    def map_parsers(self) -> list:
        media_types = super().map_parsers()
        if len(media_types) <= 1:
            return media_types
        preferred = [MULTIPART] if _uploads_a_file(self.get_request_serializer()) else [JSON]
        for media_type in [*preferred, JSON, MULTIPART]:
            if media_type in media_types:
                return [media_type]
        return media_types[:1]

    def get_operation_id(self) -> str:
        # "catalogue_export.csv_retrieve" would name a generated function with a dot in it.
        return super().get_operation_id().replace(".", "_")

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if _blank_model_choice(field):
            field.allow_blank = True  # the schema's own copy of the field: nothing else reads it
        return super()._map_serializer_field(field, direction, bypass_extensions)
