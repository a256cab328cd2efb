"""The Chinese catalogues checked before the Chinese build (``make book`` runs ``python -m lib.book.po_check``).

Babel's reader is lenient: ``msgstr 报告的数值…"`` (its opening quote missing) is read as ``告的数值…`` (the first
character silently dropped) and an unterminated string is accepted. So every ``.po`` file is first checked
line by line against the PO grammar (keywords, quoted strings with valid escapes, msgid before msgstr); the
first fault of a file is reported with its line. Only catalogues that pass are then read with Babel and
checked as ``python -m lib.book.translations check`` does, without extracting the sources (which takes a
Sphinx run): no message untranslated or fuzzy, and every role target, glued value and formula of the
English kept in the translation (a dropped ``{glue:text}`` would make a number vanish from the Chinese page).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from lib.book import translations
from lib.inputs import paths

__all__ = ["STRING", "KEYWORD", "CONTINUATION", "syntax_problems", "problems", "main"]

STRING = r'"(?:[^"\\]|\\[\\"ntrabfv0-7x])*"'
KEYWORD = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+{STRING}[ \t]*$")
CONTINUATION = re.compile(rf"^[ \t]*{STRING}[ \t]*$")


def _string_fault(line: str) -> str:
    body = line.split(None, 1)[1] if " " in line or "\t" in line else ""
    body = body.strip()
    if not body.startswith('"'):
        return "the string does not start with a double quote (its opening quote is missing?)"
    if not re.fullmatch(STRING, body):
        if re.fullmatch(r'"(?:[^"\\]|\\.)*"', body):
            return "an unknown escape sequence in the string (write a backslash as \\\\)"
        return "the string is not closed by a double quote on this line (unterminated, or a \" inside it not written as \\\")"
    return "not valid here"


def syntax_problems(path: Path, name: str | None = None) -> list[str]:
    """Faults of one .po file against the PO grammar, each 'file, line N: ...' (at most the first)."""
    name = name or path.as_posix()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        return [f"{name}: not UTF-8 ({err})"]
    previous = None          # the keyword of the entry being read
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            if previous in ("msgid", "msgid_plural", "msgctxt"):
                return [f"{name}, line {number}: the message above has a msgid but no msgstr (a blank or comment "
                        "line cannot come between them)"]
            if not stripped:
                previous = None if previous is None or previous.startswith("msgstr") else previous
            continue
        match = KEYWORD.match(line)
        if match:
            keyword = match.group(1)
            kind = "msgstr" if keyword.startswith("msgstr") else keyword
            if kind == "msgstr" and previous not in ("msgid", "msgid_plural", "msgstr"):
                return [f"{name}, line {number}: {keyword} without a msgid before it"]
            if kind == "msgid" and previous in ("msgid", "msgid_plural"):
                return [f"{name}, line {number}: a msgid follows a msgid (the msgstr of the message above is missing)"]
            previous = kind
            continue
        if CONTINUATION.match(line):
            if previous is None:
                return [f"{name}, line {number}: a string continues nothing (no msgid or msgstr above it)"]
            continue
        word = stripped.split(None, 1)[0]
        if re.fullmatch(r"msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?", word):
            return [f"{name}, line {number}: {word}: {_string_fault(stripped)}: {stripped[:60]!r}"]
        if stripped.startswith('"'):
            return [f"{name}, line {number}: {_string_fault('x ' + stripped)}: {stripped[:60]!r}"]
        return [f"{name}, line {number}: not a PO keyword, comment or quoted string: {stripped[:60]!r}"]
    if previous in ("msgid", "msgid_plural", "msgctxt"):
        return [f"{name}, line {len(lines)}: the last message has a msgid but no msgstr"]
    return []


def problems(locale_dir: Path = translations.LOCALE_DIR, lang: str = translations.LANG) -> list[str]:
    """Syntax faults first (file and line); then, for the catalogues that parse, what needs translating."""
    folder = locale_dir / lang / "LC_MESSAGES"
    out, broken = [], set()
    for path in sorted(folder.rglob("*.po")):
        found = syntax_problems(path, path.relative_to(paths.ROOT).as_posix() if path.is_relative_to(paths.ROOT)
                                else path.as_posix())
        if found:
            out += found
            broken.add(path.relative_to(folder).with_suffix("").as_posix())
    for problem in translations.check(None, locale_dir, lang):
        if problem.catalogue not in broken:
            where = folder.relative_to(paths.ROOT).as_posix() if folder.is_relative_to(paths.ROOT) else folder
            out.append(f"{where}/{problem.catalogue}.po: {problem.kind}: msgid {problem.msgid[:100]!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    found = problems()
    if found:
        for line in found[:80]:   # the first line names the first fault's file (and line)
            print(line, file=sys.stderr)
        if len(found) > 80:
            print(f"... and {len(found) - 80} more", file=sys.stderr)
        print(f"{len(found)} problem(s) in the Chinese catalogues: the Chinese edition is not built. Fix the .po "
              "file(s) (keep every {role}`target`, glued value and $formula$ of the English; remove '#, fuzzy' "
              "once translated), then run make book again.", file=sys.stderr)
        return 1
    print("Chinese catalogues: syntax valid, every message translated, every glued value and target kept")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
