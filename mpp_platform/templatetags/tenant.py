"""django-tenants' ``tenant`` template library, answering for the national host too.

django-tenants' admin templates (``admin/index.html``, ``admin/app_list.html``) ask
``request.tenant.schema_name`` to tell the public schema from a tenant's. On our national host
``request.tenant`` is ``None`` by design (``kernel.routing``), so every admin page that lists
apps failed with AttributeError. Template libraries of later apps replace earlier ones of the same
name (mpp_platform comes after django_tenants in INSTALLED_APPS), so this copy — identical
except that "no tenant" means the public schema — is the one the admin templates load.
"""

from django import template
from django_tenants.templatetags import tenant as upstream
from django_tenants.utils import get_public_schema_name

register = template.Library()
register.tags.update(upstream.register.tags)
register.filters.update(upstream.register.filters)


@register.simple_tag(takes_context=True)
def is_public_schema(context, app=None):
    tenant = getattr(context.request, "tenant", None)
    return tenant is None or tenant.schema_name == get_public_schema_name()
