"""The reports' plain text (in ../shared/reports, beside the project), for tests that check data against it.

CI sets COMPENDIUM_REQUIRE_SHARED, so a missing folder fails there; elsewhere (a fork without the texts)
those tests are skipped with the reason shown.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("COMPENDIUM_SHARED") or PROJECT_ROOT.parent / "shared")
REPORTS_DIR = SHARED_DIR / "reports"
PRIMARY_DIR = SHARED_DIR / "data" / "primary"
REQUIRE_SHARED = bool(os.environ.get("COMPENDIUM_REQUIRE_SHARED"))
REPORT_FILES = {
    "katwala2017": ["katwala-2017-british-future-integration-national-rhetoric-to-local-reality.txt"],
    "morris2021": ["morris-2021-ippr-strategies-for-promoting-integration-at-city-region-level.txt",
                   "morris-2021-ippr-web-summary.txt"],
    "hartman2023": ["hartman-2023-ucl-policy-lab-lighting-the-way.txt"],
    "mort2026": ["mort-2026-ippr-english-devolution-and-migration.txt"],
}
#: Where a report's text begins before its first heading.
PSEUDO_SECTIONS = {"Opening (before the first heading)"}
#: A section that ends with this is the start of a heading too long to store whole: ten words of a
#: report in a row would be copied text.
SHORTENED = "…"
SKIP_REASON = "the reports' text is not beside this copy (../shared; set COMPENDIUM_SHARED)"


def shared_missing(path: Path) -> bool:
    """True when ``path`` is absent and its absence may be skipped (it may not in CI)."""
    return not path.exists() and not REQUIRE_SHARED


def normalise(text: str) -> str:
    """Fold case, quotes, markup and spacing so that a heading compares equal however it was typed."""
    text = text.replace("’", "'").replace("‘", "'").replace("&", "and").replace("*", "").replace("#", "")
    return re.sub(r"\s+", " ", text).strip().lower()


@cache
def heading_lines(report: str) -> frozenset[str]:
    """Every line of a report's text, normalised: a heading stands on a line of its own."""
    lines = set()
    for name in REPORT_FILES[report]:
        lines.update(normalise(line) for line in (REPORTS_DIR / name).read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line)


def is_heading(section: str, report: str) -> bool:
    """Whether ``section`` is a whole line of the report, or the start of one when it ends with '…'."""
    if section in PSEUDO_SECTIONS:
        return True
    wanted = normalise(section)
    if wanted.endswith(SHORTENED):
        start = wanted.removesuffix(SHORTENED).strip()
        return any(line.startswith(start) for line in heading_lines(report))
    return wanted in heading_lines(report)
