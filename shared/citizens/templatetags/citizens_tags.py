from django import template
from django.utils.html import format_html

from shared.citizens.formstash import OWNER_FIELD, form_owner_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_owner(context) -> str:
    """Hidden input naming who fills in the form (see formstash: kept across a sign-in)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', OWNER_FIELD, form_owner_token(request.user)
    )
