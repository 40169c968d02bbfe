"""Page weight bench: every citizen page type loaded in Chromium on a phone viewport, bytes over
the wire with an empty cache (first load) and again with the cache warm (repeat visit), next to
the uncompressed bytes the browser decoded (the baseline that compression and caching improve on).

Runs the browser test ``tests/browser/test_page_weight.py`` (test database, live server, committed
demo data) and reads the figures it writes:

    make bench NAME=pages

Targets: <= 50 KB per page on first load, <= 15 KB on a repeat visit. Ends with
``BENCH pages {json}``; exits non-zero when a target is missed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_LOAD_KB = 50
REPEAT_KB = 15


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "pages.json"
        env = {**os.environ, "MPP_PAGES_REPORT": str(report)}
        env.setdefault("MPP_BROWSER", "/usr/bin/chromium")
        env.setdefault("MPP_ENV", "test")
        cmd = [sys.executable, "-m", "pytest", "tests/browser/test_page_weight.py", "-q", "-s"]
        rc = subprocess.run(cmd, cwd=ROOT, env=env).returncode
        if not report.exists():
            print(f"the weight test wrote no figures (pytest exit {rc})")
            return rc or 1
        rows = json.loads(report.read_text())
    heaviest = max(rows, key=lambda r: r["first_kb"])
    result = {
        "pages": len(rows),
        "max_kb": heaviest["first_kb"],
        "median_kb": round(statistics.median(r["first_kb"] for r in rows), 1),
        "max_repeat_kb": max(r["repeat_kb"] for r in rows),
        "heaviest": heaviest["page"],
        "baseline_uncompressed_max_kb": max(r["decoded_kb"] for r in rows),
        "target_first_kb": FIRST_LOAD_KB,
        "target_repeat_kb": REPEAT_KB,
    }
    print(f"targets: first load <= {FIRST_LOAD_KB} KB, repeat visit <= {REPEAT_KB} KB per page")
    missed = result["max_kb"] > FIRST_LOAD_KB or result["max_repeat_kb"] > REPEAT_KB
    print(f"BENCH pages {json.dumps(result)}")
    return 1 if missed or rc else 0


if __name__ == "__main__":
    sys.exit(main())
