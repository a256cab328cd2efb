"""Every figure in the page's language from one execution: the Chinese strings of the figures' text.

``charts.glue_figure`` draws a figure once, saves it (English), then relabels the same figure's text artists (titles,
axis labels, tick labels that are words, legends, annotations, diagram boxes, map legends, the kind stamp) through
``to_chinese`` and saves it again (the Chinese edition's image): nothing is recomputed.

The one source of the Chinese strings is ``data/figure_text.csv`` (columns ``en``, ``zh``). A string is looked up
as a *template*: each number in it is replaced by ``{0}``, ``{1}``, ... (in order), so a figure whose numbers move
with an assumption needs no new row; ``\\n`` in the file stands for a line break. A text without Latin letters
(numbers, Chinese) is kept as it is. A text with Latin letters and no row stops the execution of its page
(``FigureTextMissing``, naming each missing template and the file): a Chinese figure never shows an English string
by accident. ``BOOK_FIGURE_TEXT_MISSING=<file>`` collects the missing templates there instead (for editors adding
rows).
"""
from __future__ import annotations

import functools
import os
import re

import pandas as pd
from matplotlib.text import Text
from matplotlib.ticker import Formatter

from lib.inputs import paths

__all__ = ["FILE", "NUMBER", "PROPER_NAMES", "english_words", "FigureTextMissing", "template", "catalogue", "needs_translation", "translate",
           "to_chinese", "figure_texts"]

FILE = paths.DATA / "figure_text.csv"
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[A-Za-z]{4,}")
# Names a Chinese figure may show in Latin letters, as the report and Chinese economics texts write them: technology
# acronyms, statistics named after people, data sets by their acronyms. Any other word of four or more Latin letters
# in a Chinese figure is an untranslated English word (tests/test_figure_text.py, tests/test_figures_site.py).
PROPER_NAMES = frozenset({"IaaS", "PaaS", "SaaS", "BaaS", "DaaS", "KaaS", "Moran", "LISA", "Geary", "Getis",
                          "Cobb", "Douglas", "DFIIC", "COSMOPlat", "FusionPlant", "HOPE", "WeCity", "WeMake",
                          "Covisint", "Exostar", "SupplyOn", "Queen", "Rook"})


class FigureTextMissing(KeyError):
    def __str__(self):
        return self.args[0]


def template(text: str) -> tuple[str, list[str]]:
    """A text as its catalogue key (numbers replaced by ``{0}``, ``{1}``, ...; line breaks as ``\\n``) and its numbers."""
    numbers = NUMBER.findall(text)
    counter = iter(range(len(numbers)))
    key = NUMBER.sub(lambda m: "{" + str(next(counter)) + "}", text)
    return key.replace("\n", "\\n"), numbers


@functools.lru_cache(maxsize=1)
def _read(stamp: int) -> dict[str, str]:
    frame = pd.read_csv(FILE, comment="#", dtype=str, keep_default_na=False, encoding="utf-8")
    return dict(zip(frame["en"], frame["zh"]))


def catalogue() -> dict[str, str]:
    """English template -> Chinese template, from ``data/figure_text.csv`` (read again when the file changes)."""
    return _read(FILE.stat().st_mtime_ns)


def english_words(text: str) -> list[str]:
    """Words of four or more Latin letters in ``text`` that are not in ``PROPER_NAMES``."""
    return [w for w in _WORD.findall(text) if w not in PROPER_NAMES]


def needs_translation(text: str) -> bool:
    return bool(_LATIN.search(text))


def translate(text: str, missing: set | None = None) -> str:
    """The Chinese form of one figure text; a text not in the catalogue is added to ``missing`` (or raises)."""
    if not needs_translation(text):
        return text
    key, numbers = template(text)
    zh = catalogue().get(key)
    if zh is None:
        if missing is None:
            raise FigureTextMissing(f"{FILE.relative_to(paths.ROOT)}: no Chinese for the figure text {key!r}")
        missing.add(key)
        return text
    return re.sub(r"\{(\d+)\}", lambda m: numbers[int(m[1])], zh).replace("\\n", "\n")


class _Translated(Formatter):
    """An axis formatter whose labels are the wrapped formatter's, translated (tick labels that are words)."""

    def __init__(self, inner: Formatter, missing: set):
        self.inner, self.missing = inner, missing

    def set_axis(self, axis):
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def __call__(self, x, pos=None):
        return translate(self.inner(x, pos), self.missing)

    def format_ticks(self, values):
        return [translate(label, self.missing) for label in self.inner.format_ticks(values)]

    def get_offset(self):
        return self.inner.get_offset()

    def set_locs(self, locs):
        self.inner.set_locs(locs)


def figure_texts(fig) -> list[str]:
    """The texts a drawn figure shows (visible, not empty), tick labels included (as its last drawing made them)."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def to_chinese(fig) -> None:
    """Relabel a drawn figure in Chinese, in place: every text artist and every axis' tick labels.

    Raises ``FigureTextMissing`` naming every text the catalogue lacks (or, with ``BOOK_FIGURE_TEXT_MISSING`` set,
    appends them to that file and keeps them in English)."""
    missing: set = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for minor in (False, True):
                inner = axis.get_minor_formatter() if minor else axis.get_major_formatter()
                if not isinstance(inner, _Translated):
                    wrapped = _Translated(inner, missing)
                    (axis.set_minor_formatter if minor else axis.set_major_formatter)(wrapped)
    ticks = {id(label) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.get_major_ticks() + axis.get_minor_ticks() for label in (tick.label1, tick.label2)}
    for text in fig.findobj(Text):
        if id(text) not in ticks and text.get_text():
            text.set_text(translate(text.get_text(), missing))
    fig.draw_without_rendering()   # tick labels are made by the formatters while drawing (no pixels needed)
    if missing:
        collect = os.environ.get("BOOK_FIGURE_TEXT_MISSING")
        if collect:
            with open(collect, "a", encoding="utf-8") as out:
                out.writelines(key + "\n" for key in sorted(missing))
            return
        raise FigureTextMissing(f"{FILE.relative_to(paths.ROOT)}: no Chinese for the figure text(s) "
                                + "; ".join(repr(k) for k in sorted(missing))
                                + " (add a row: en, zh; numbers as {0}, {1}, ...)")
