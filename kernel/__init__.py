"""The ground floor: code every app may import and that imports no app of ours.

Errors, audit, region tasks, host routing, idempotent writes, the app layout, schema names and
the typed request/connection. Anything that needs a model reaches it through Django's app
registry or django-tenants' settings (``get_tenant_model``), never through an import, so the
import-linter ``layers`` contract can forbid every upward edge.
"""
