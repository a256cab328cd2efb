"""The report's text (the project's seed 004), whitespace removed, for checking quoted passages."""
import re

import pytest

from lib.inputs import paths

REPORT = paths.ROOT.parent / "shared" / "seeds" / "004_9d214fca4489f417.txt"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def report_text() -> str:
    if not REPORT.exists():
        pytest.skip(f"the report's text is not at {REPORT} (../shared/seeds beside the checkout)")
    return squeeze(REPORT.read_text(encoding="utf-8"))
