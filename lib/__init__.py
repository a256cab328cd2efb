"""Shared library of the executable edition of the 2022 Tsinghua industrial-internet report.

Chapters import the modules they need: ``from lib import data, ledger, charts``.
"""
