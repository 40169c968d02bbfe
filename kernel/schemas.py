"""Schema names: checked before any SQL touches one.

Region schemas are ``mpp_<province>_<regency>``, from the Kemendagri code; the template schema that
new regions are cloned from is ``mpp_template``. Nothing else is ever a schema name.
"""

import re

SCHEMA_NAME_RE = re.compile(r"^mpp_(?:[0-9]{2}_[0-9]{2}|template)$")
TEMPLATE_SCHEMA = "mpp_template"
PUBLIC_SCHEMA = "public"


class InvalidSchemaName(ValueError):
    pass


def validate_schema_name(name: str) -> str:
    """Checked before any SQL touches a schema name."""
    if not isinstance(name, str) or not SCHEMA_NAME_RE.fullmatch(name):
        raise InvalidSchemaName(f"invalid schema name: {name!r}")
    return name


def schema_name_for_code(code: str) -> str:
    """The schema of the region with Kemendagri code ``code`` ("35.10" → "mpp_35_10")."""
    return validate_schema_name("mpp_" + code.replace(".", "_"))
