"""Shared library of the executable edition of the 2022 Tsinghua industrial-internet report.

Five layers, each importing only the layers before it (checked by import-linter, ``pyproject.toml``):
``inputs`` -> ``analysis`` -> ``ledger`` -> ``present`` -> ``book``. Chapters import the modules they need:
``from lib.present import charts``.
"""
