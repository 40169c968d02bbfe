"""The catalogue file format: its name and version, limits, CSV columns, and what a read
file becomes (an ``ImportPlan`` with ``RowError``s).
"""

import re
from dataclasses import asdict, dataclass, field

FORMAT_NAME = "mpp-katalog"
FORMAT_VERSION = 1
MAX_SERVICES = 20_000
MAX_FEE = 10**13
MAX_COMPLETION_DAYS = 730

CSV_COLUMNS = [
    "code",
    "name",
    "agency",
    "agency_name",
    "category",
    "life_events",
    "summary",
    "synonyms",
    "completion_days",
    "completion_note",
    "fee_kind",
    "fee_amount",
    "fee_basis",
    "product",
    "complaint_handling",
    "legal_basis",
    "channels",
    "is_active",
    "requirements",
    "steps",
    "version",
]
CSV_REQUIRED_COLUMNS = {"code", "name", "agency", "product", "complaint_handling"}
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TRUE = {"1", "true", "ya", "y", "yes", "aktif"}
_FALSE = {"0", "false", "tidak", "t", "no", "n", "nonaktif"}


@dataclass
class RowError:
    """One problem in the file: where (section and row), which field, and why."""

    section: str  # "services", "agencies", "document_types", "categories", "life_events", "file"
    row: int  # 1-based: the CSV row as a spreadsheet shows it (header = 1), or the item's position
    code: str
    field: str
    message: str


@dataclass
class ImportPlan:
    """A parsed file: every row in clean, typed form, and every error found."""

    format: str
    agencies: list[dict] = field(default_factory=list)
    document_types: list[dict] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)
    life_events: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def errors_as_dicts(self) -> list[dict]:
        return [asdict(e) for e in self.errors]
