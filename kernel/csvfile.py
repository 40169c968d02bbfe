"""CSV uploads: find the first line Python's csv module refuses, before parsing for real.

``csv`` raises (``_csv.Error``) on a field over its 128 KiB limit, a NUL byte or a broken quote;
uploads turn that into a message with the line number instead of a 500.
"""

import csv
import io


def first_csv_error(text: str, *, delimiter: str = ",") -> tuple[int, str] | None:
    """(line number, csv's reason) of the first unreadable line, or None when all read."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for _row in reader:
            pass
    except csv.Error as exc:
        return max(reader.line_num, 1), str(exc)
    return None
