"""Import what the notebooks' kernels import, so that its bytecode is written once, on the idle core.

`make book` starts this in the background beside the English build's start-up (which uses one core to import
and compile Sphinx and its extensions). In a fresh virtualenv nothing is compiled yet: without it the first two
kernels of the execution pool would each compile the same kernel and analysis packages (ipykernel, scipy,
statsmodels, geopandas, PySAL), about 4 s of processor time each. Only bytecode is written (into .venv and
lib/__pycache__); nothing is executed beyond the imports, and a failure here changes nothing (the build reports
any import error itself).
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the kernel's own packages first, then lib's analysis and presentation (what the chapters import), the rest last
FIRST = ["ipykernel.ipkernel", "ipykernel.kernelapp", "lib.analysis", "lib.present"]


def modules() -> list[str]:
    sys.path.insert(0, str(ROOT))
    names = [m.name for m in pkgutil.walk_packages([str(ROOT / "lib")], prefix="lib.")]
    order = {prefix: i for i, prefix in enumerate(FIRST)}
    return FIRST[:2] + sorted(names, key=lambda n: (order.get(".".join(n.split(".")[:2]), len(FIRST)), n))


def main() -> None:
    for name in modules():
        try:
            importlib.import_module(name)
        except Exception:   # noqa: BLE001 - an optimisation only: the build reports its own import errors
            pass


if __name__ == "__main__":
    main()
