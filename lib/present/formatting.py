"""One way to print a number for a reader, used by every glued table and the comparison tables.

* integers without decimals and with thousands separators (``400,000``), years without (``2019``);
* a fixed number of decimals otherwise, never scientific notation (``8.3e-58`` prints as ``0.00``);
* p-values as ``< 0.001`` below a thousandth, else three decimals;
* a true minus sign (−) for negative numbers, and no "−0.00";
* published values exactly as printed: the report's digits and decimals are kept (``88.95`` stays
  ``88.95``, never ``88.950``); only thousands separators are added to long integer parts;
* units belong in column headers, so nothing here appends a unit to a cell.

A format is ``None`` (infer), an ``int`` (that many decimals), ``"int"``, ``"year"``, ``"p"``,
``"pct"`` (decimals as the default, with a % sign, for the rare table mixing units), ``"each"`` (a column of
different quantities, one per row with its own unit: a count prints as an integer, ``70`` and ``400,000``, never
``70.00``, and any other number with the decimals it has, ``2.13``, ``2.2``) or ``"text"``.
"""
from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal, InvalidOperation

import pandas as pd

__all__ = ["CJK", "has_chinese", "MINUS", "P_FLOOR", "YEAR_RANGE", "YEAR_NAME", "P_NAME", "FORMATS", "EACH_MAX_DECIMALS",
           "FormatError", "fixed",
           "p_value", "format_value", "infer_format", "format_column", "format_frame", "decimals_of",
           "at_precision", "printed", "REPOSITORY_FILE", "source_in_words", "zh_numeral", "zh_count", "TRANSLATED", "fact_zh", "seed_facts_zh"]

# Chinese characters (CJK Unified Ideographs and Extension A): the one detector of Chinese text in lib
CJK = re.compile(r"[\u3400-\u9fff]")


def has_chinese(text) -> bool:
    """Whether ``text`` contains a Chinese character."""
    return bool(CJK.search(str(text)))


MINUS = "\u2212"
P_FLOOR = 0.001
YEAR_RANGE = (1900, 2100)
YEAR_NAME = re.compile(r"year|年|period", re.I)
P_NAME = re.compile(r"^(p|p[ -]?value|prob\.?|pr\(>.*\)|p \(.*\)|p-value \(.*\))$", re.I)
FORMATS = ("int", "year", "p", "pct", "each", "text")
EACH_MAX_DECIMALS = 6


class FormatError(ValueError):
    """An unknown format was asked for."""


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA raises or is ambiguous
    except (TypeError, ValueError):
        return True


def _signed(text: str) -> str:
    """'-1,234.50' -> '−1,234.50'; '-0.00' -> '0.00'."""
    if text.startswith("-"):
        if not any(ch in "123456789" for ch in text):
            return text[1:]
        return MINUS + text[1:]
    return text


def fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals and thousands separators, never in scientific notation."""
    if not math.isfinite(value):
        raise FormatError(f"cannot print {value} for a reader")
    return _signed(f"{value:,.{max(int(decimals), 0)}f}")


def p_value(value: float) -> str:
    if value < P_FLOOR:
        return f"< {P_FLOOR:.3f}"
    return f"{value:.3f}"


def format_value(value, fmt=2) -> str:
    """One cell. Text passes through unchanged; missing values print as an empty cell."""
    if isinstance(value, str):
        return value
    if _missing(value):
        return ""
    if not _is_number(value):
        return str(value)
    value = float(value)
    if fmt == "text":
        return str(value)
    if fmt == "int":
        return fixed(round(value), 0)
    if fmt == "year":
        return _signed(f"{value:.0f}")
    if fmt == "p":
        return p_value(value)
    if fmt == "pct":
        return fixed(value, 2) + "%"
    if fmt == "each":   # its own precision: whole numbers without decimals, others without trailing zeros
        text = fixed(value, EACH_MAX_DECIMALS)
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(fmt, numbers.Integral) and not isinstance(fmt, bool):
        return fixed(value, int(fmt))
    raise FormatError(f"unknown number format {fmt!r}; use a number of decimals or one of {FORMATS}")


def infer_format(name, values, digits: int = 2):
    """The format a column gets when none is given: p-value columns by name, years, integers, else ``digits``."""
    nums = [float(v) for v in values if _is_number(v) and not _missing(v)]
    if not nums:
        return "text"
    if P_NAME.match(str(name).strip()):
        return "p"
    if all(math.isfinite(v) and float(v).is_integer() for v in nums):
        in_years = all(YEAR_RANGE[0] <= v <= YEAR_RANGE[1] for v in nums)
        if in_years and (YEAR_NAME.search(str(name)) or len(nums) > 1):
            return "year"
        return "int"
    return digits


def format_column(name, values, fmt=None, digits: int = 2) -> list[str]:
    fmt = infer_format(name, values, digits) if fmt is None else fmt
    return [format_value(v, fmt) for v in values]


def format_frame(frame, formats: dict | None = None, digits: int = 2) -> tuple[list[str], list[list[str]]]:
    """(column names, rows of cell text) for a DataFrame, every column formatted by one rule."""
    formats = dict(formats or {})
    unknown = set(formats) - {str(c) for c in frame.columns}
    if unknown:
        raise FormatError(f"formats given for missing column(s) {sorted(unknown)}; columns: {list(map(str, frame.columns))}")
    columns = [str(c) for c in frame.columns]
    cells = [format_column(name, list(frame.iloc[:, i]), formats.get(name), digits) for i, name in enumerate(columns)]
    return columns, [list(row) for row in zip(*cells)] if cells else []


def decimals_of(text: str) -> int:
    """Decimals printed in a number's text: '88.95' -> 2, '262' -> 0."""
    try:
        exponent = Decimal(str(text).strip().replace(",", "")).as_tuple().exponent
    except InvalidOperation:
        raise FormatError(f"not a printed number: {text!r}") from None
    return max(-int(exponent), 0)


def at_precision(value: float, like: str) -> str:
    """``value`` printed with as many decimals as the published text ``like``."""
    return fixed(float(value), decimals_of(like))


def printed(text: str) -> str:
    """A published value exactly as printed (digits and decimals kept), with thousands separators and a true minus."""
    text = str(text).strip()
    match = re.fullmatch(r"(-?)(\d+)((?:\.\d+)?)", text)
    if not match:
        return text
    sign, whole, frac = match.groups()
    return (MINUS if sign else "") + f"{int(whole):,}" + frac


# a repository file named before a source's description: "seeds/001_840279a2666bc597.txt: MIIT press conference"
REPOSITORY_FILE = re.compile(r"^\s*(?:[\w.-]+/)+[\w.-]+\.[A-Za-z]{2,4}\s*[:;,]\s*")


def source_in_words(text: str) -> str:
    """A table's source as a reader names it: the repository path or seed file name in front of the
    description is dropped ("seeds/001_….txt: MIIT press conference, 2020-09-22" -> "MIIT press conference,
    2020-09-22"); the file stays in the data appendix."""
    return REPOSITORY_FILE.sub("", str(text), count=1)


_ZH_DIGITS = "零一二三四五六七八九"


def zh_numeral(n: int, before_measure: bool = True) -> str:
    """A whole number from 0 to 9999 in Chinese numerals (2 -> '两' before a measure word, else '二'; 12 -> '十二',
    305 -> '三百零五'): the way Chinese prose writes a small count in words."""
    n = int(n)
    if not 0 <= n < 10000:
        raise ValueError(f"no Chinese numeral for {n} (0-9999)")
    if n == 2 and before_measure:
        return "两"
    if n < 10:
        return _ZH_DIGITS[n]
    out, zero = "", False
    for size, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // size % 10
        if digit:
            out += ("零" if zero and out else "") + ("" if (size == 10 and n < 20) else _ZH_DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def zh_count(count: int, measure: str, noun: str = "") -> str:
    """A count as the subject of a Chinese clause, in words: 0 -> '没有一种解读', 2 -> '有两种解读'
    (measure '种', noun '解读'), so that '…中，{count}能复现报告的增速' reads as Chinese for every count."""
    count = int(count)
    return f"没有一{measure}{noun}" if count == 0 else f"有{zh_numeral(count)}{measure}{noun}"


TRANSLATED = "（译文）"   # marks the editors' Chinese rendering of a passage whose original is English


def fact_zh(quote_zh: str, quote_zh_from: str) -> str:
    """A fact's wording on the Chinese page (data/seed_facts.csv): the report's or the source's Chinese as it
    stands, the editors' translation of an English passage marked 译文."""
    return f"{quote_zh}{TRANSLATED}" if quote_zh_from == "translation" else str(quote_zh)


def seed_facts_zh(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts from other sources as the Chinese page shows them (data/seed_facts.csv): the year (a forecast
    marked 预测), the fact in Chinese words, which carry its number, unit and bound ('超过70个…'), and the source."""
    years = [f"{y}年" + ("（预测）" if str(i).endswith("f") else "") for i, y in zip(facts.index, facts["year"])]
    return pd.DataFrame({"年份": years, "事实": list(map(fact_zh, facts["quote_zh"], facts["quote_zh_from"])),
                         "来源": list(facts["source_zh"])})
