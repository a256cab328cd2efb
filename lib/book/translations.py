"""The Chinese edition's message catalogues (``locales/zh_CN/LC_MESSAGES/**.po``, one per page).

    python -m lib.book.translations update   # `make translations`: extract the English messages, update the catalogues
    python -m lib.book.translations check    # list messages that are untranslated, fuzzy or missing (exit 1 if any)

``update`` runs Sphinx's gettext builder on the sources (reusing the English build's executed notebooks, so
the headers of generated tables are extracted too) and merges the templates into the catalogues with Babel:
a new sentence arrives untranslated, an edited one arrives *fuzzy* with its old translation as a draft,
a deleted one is dropped. ``check`` extracts the messages without executing anything and compares.
A translation must keep every role target, glued value and formula of its English message.
"""
from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from lib.book import private
from lib.inputs import paths, tables
from lib.present.formatting import has_chinese

__all__ = ["LANG", "LOCALE_DIR", "GENERATED", "UPDATE_COMMAND", "ROLE_OR_CODE", "MATH", "TITLED", "Problem",
           "protected", "chinese_forms", "GLOSSARY", "glossary_terms", "glossary_problems", "needs_no_translation", "read_catalogue",
           "templates", "catalogue_path", "update", "check",
           "extract", "report", "main"]

LANG = "zh_CN"
LOCALE_DIR = paths.ROOT / "locales"
GENERATED = "generated"
UPDATE_COMMAND = "make translations"
# Roles and inline code spans, scanned left to right, so that `{id:format}` in code is not read as a role.
ROLE_OR_CODE = re.compile(r"\{([a-zA-Z:_-]+)\}`([^`]*)`|`[^`]*`")
MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$]+?)\$")
TITLED = {"ref", "numref", "doc", "download", "eq", "term"}


@dataclass(frozen=True)
class Problem:
    catalogue: str
    msgid: str
    kind: str

    def __str__(self) -> str:
        return f"{self.catalogue}: {self.kind}: {self.msgid[:110]!r}"


def _glue_key(content: str) -> tuple[str, str]:
    """'key:.2f' or 'doc.md::key:.2f' -> (key with its page, format spec)."""
    page, sep, rest = content.strip().rpartition("::")
    key, _, spec = rest.partition(":")
    return page + sep + key, spec


def chinese_forms(text: str) -> set[str]:
    """The glued keys a translation replaces by their Chinese form (``<key>_zh``), e.g. a count in words."""
    return {key.removesuffix("_zh") for role, content in ROLE_OR_CODE.findall(text) if role == "glue:text"
            for key in [_glue_key(content)[0]] if key.endswith("_zh")}


def protected(text: str, words: set[str] = frozenset()) -> Counter:
    """What a translation must keep: roles with their targets (a cross-reference's title may be translated)
    and inline formulas. A glued text may be replaced by its Chinese form, glued as ``<key>_zh``; a key in
    ``words`` (the Chinese forms of the translation, ``chinese_forms``) stands without its number format, so
    that a glued count may be replaced by its Chinese form in words ('没有一种解读')."""
    found = Counter()
    roles = [(m.group(1), m.group(2)) for m in ROLE_OR_CODE.finditer(text) if m.group(1)]
    for role, content in roles:
        if role in TITLED:
            target = re.search(r"<([^<>]+)>\s*$", content)
            content = target.group(1) if target else content
        if role == "glue:text":   # a glued text's Chinese form ('<key>_zh') stands for the key in a translation
            key, spec = _glue_key(content)
            key = key.removesuffix("_zh")
            content = key + (f":{spec}" if spec and key not in words else "")
        found[f"{{{role}}}`{content.strip()}`"] += 1
    for formula in MATH.findall(ROLE_OR_CODE.sub("", text)):
        found[f"${formula.strip()}$"] += 1
    return found


GLOSSARY = paths.DATA / "glossary.csv"


def glossary_terms(path: Path = GLOSSARY) -> list[tuple[str, re.Pattern, str]]:
    """(English term, its pattern as a phrase, case-sensitive; the report's Chinese term) per glossary row."""
    if not path.exists():
        return []
    frame = tables.glossary(path)
    return [(en, re.compile(rf"(?<![A-Za-z-]){re.escape(en)}s?(?![A-Za-z])"), zh)
            for en, zh in zip(frame["term_en"], frame["term_zh"])]


def glossary_problems(msgid: str, msgstr: str, terms: list[tuple[str, re.Pattern, str]]) -> list[str]:
    """The glossary terms a translation renders with anything but the report's term: a message whose English
    contains the term (outside roles, code, formulas and quotation marks) must contain the report's Chinese term."""
    english = re.sub(r'"[^"]*"|“[^”]*”', " ", MATH.sub(" ", ROLE_OR_CODE.sub(" ", msgid)))  # quoted names: others' words
    return [f"'{en}' must read {zh}" for en, pattern, zh in terms if pattern.search(english) and zh not in msgstr]


def needs_no_translation(msgid: str, catalogue: str) -> bool:
    """A display formula (no words outside LaTeX commands and braces), or a generated table's header that
    is already bilingual (it has Chinese in it) or has no Latin letter (a year, a symbol): copied as it is."""
    if catalogue == GENERATED:
        return has_chinese(msgid) or not re.search(r"[A-Za-z]", msgid)
    words = re.sub(r"\\[a-zA-Z]+|\{[^{}]*\}|\\.", " ", msgid)
    return msgid.startswith("\n") and not re.search(r"[A-Za-z]{4,}", words)


def _read(path: Path):
    """A .po or .pot file as a babel catalogue: the one .po reader of lib."""
    with path.open("rb") as handle:
        return read_po(handle, locale=LANG if path.suffix == ".po" else None)


def read_catalogue(path: Path) -> dict[str, str]:
    """msgid -> msgstr of the translated, non-fuzzy messages of a .po file (none when it does not exist)."""
    if not path.exists():
        return {}
    return {m.id: m.string for m in _read(path) if m.id and m.string and not m.fuzzy}


def _write(path: Path, catalogue) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0, omit_header=False, ignore_obsolete=True, include_lineno=False,
                 sort_output=False)


def templates(pot_dir: Path) -> dict[str, Path]:
    """Catalogue name ('chapters/05_macro_value') -> .pot file."""
    return {p.relative_to(pot_dir).with_suffix("").as_posix(): p for p in sorted(pot_dir.rglob("*.pot"))}


def catalogue_path(name: str, locale_dir: Path = LOCALE_DIR, lang: str = LANG) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{name}.po"


def update(pot_dir: Path, locale_dir: Path = LOCALE_DIR, lang: str = LANG) -> dict[str, Counter]:
    """Merge the templates into the catalogues; returns per catalogue the count of messages by state."""
    summary = {}
    for name, pot in templates(pot_dir).items():
        template = _read(pot)
        path = catalogue_path(name, locale_dir, lang)
        if path.exists():
            catalogue = _read(path)
            catalogue.update(template, no_fuzzy_matching=False, update_header_comment=False)
        else:
            catalogue = Catalog(locale=lang, project=template.project, version=template.version,
                                fuzzy=False)
            catalogue.update(template, no_fuzzy_matching=True)
        catalogue.fuzzy = False
        for message in catalogue:
            if message.id and not message.string and needs_no_translation(message.id, name):
                message.string = message.id
        _write(path, catalogue)
        states = Counter("fuzzy" if m.fuzzy else "translated" if m.string else "untranslated"
                         for m in catalogue if m.id)
        summary[name] = states
    return summary


def check(pot_dir: Path | None, locale_dir: Path = LOCALE_DIR, lang: str = LANG,
          glossary: Path = GLOSSARY) -> list[Problem]:
    """Problems: a message of the sources missing from its catalogue, untranslated, fuzzy, a translation
    that lost a role target, glued value or formula, or one that renders a glossary term with anything but
    the report's term (``data/glossary.csv``). Without ``pot_dir`` only the catalogues are checked."""
    problems = []
    terms = glossary_terms(glossary)
    names = templates(pot_dir) if pot_dir else {}
    existing = {p.relative_to(locale_dir / lang / "LC_MESSAGES").with_suffix("").as_posix(): p
                for p in sorted((locale_dir / lang / "LC_MESSAGES").rglob("*.po"))}
    for name in sorted(set(names) | set(existing)):
        path = existing.get(name)
        catalogue = _read(path) if path else None
        if name in names:
            wanted = [m.id for m in _read(names[name]) if m.id]
            have = {m.id for m in catalogue if m.id} if catalogue else set()
            problems += [Problem(name, msgid, "not in the catalogue") for msgid in wanted if msgid not in have]
        if catalogue is None:
            continue
        for message in catalogue:
            if not message.id:
                continue
            if message.fuzzy:
                problems.append(Problem(name, message.id, "fuzzy (the English changed)"))
            elif not message.string:
                problems.append(Problem(name, message.id, "untranslated"))
            elif protected(message.id, words := chinese_forms(message.string)) != protected(message.string, words):
                lost = protected(message.id, words) - protected(message.string, words)
                added = protected(message.string, words) - protected(message.id, words)
                problems.append(Problem(name, message.id, f"translation changes roles or math: "
                                                           f"missing {sorted(lost)}, extra {sorted(added)}"))
            dropped = _code_spans(message.id) - _code_spans(message.string) if name == GENERATED else set()
            if message.string and dropped:   # a generated cell's value, key or id is the same in either edition
                problems.append(Problem(name, message.id, f"translation drops the code {sorted(dropped)}"))
            exempt = any(c.startswith("glossary:") for c in message.user_comments)  # e.g. the report's own title
            for fault in [] if exempt else glossary_problems(message.id, message.string, terms):
                problems.append(Problem(name, message.id, f"glossary term not in the report's words: {fault}"))
    return problems


def _code_spans(text: str) -> set[str]:
    return set(re.findall(r"`[^`]+`", text))


def extract(out: Path, execute: bool, quiet: bool = True) -> Path:
    """Run Sphinx's gettext builder on the sources; the .pot files land in ``out``.

    ``execute=True`` reuses the English build's executed notebooks (headers of generated tables are then
    extracted too); ``execute=False`` runs nothing (every prose message is extracted all the same)."""
    overrides = {"external_toc_path": str(paths.ROOT / "_toc.yml"), "latex_individualpages": False}
    if execute:
        overrides.update(nb_execution_mode="cache", book_shared_execution=True,
                         nb_execution_cache_path=str(paths.BUILD / ".jupyter_cache"))
    else:
        overrides.update(nb_execution_mode="off", nb_execution_cache_path=str(out.parent / ".jupyter_cache"))
    result = private.build_sphinx(paths.ROOT, out, noconfig=True, path_config=str(paths.ROOT / "_config.yml"),
                          confoverrides=overrides, builder="gettext", doctreedir=str(out.parent / ".doctrees"),
                          quiet=quiet, really_quiet=quiet and not execute, freshenv=True)
    if result != 0:
        raise RuntimeError(f"the gettext builder failed: {result}")
    return out


def report(problems: list[Problem]) -> str:
    lines = [f"{len(problems)} message(s) of the Chinese edition need work:"]
    lines += [f"  {p}" for p in problems[:80]]
    if len(problems) > 80:
        lines.append(f"  ... and {len(problems) - 80} more")
    lines.append(f"Update the catalogues with `{UPDATE_COMMAND}` (after `make book`), then translate the listed "
                 f"messages in {LOCALE_DIR.relative_to(paths.ROOT)}/{LANG}/LC_MESSAGES/ and remove their "
                 "'#, fuzzy' flag.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        out = extract(paths.BUILD / "gettext" / "pot", execute=True)
        for name, states in update(out).items():
            print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
        problems = check(out)
        print(report(problems) if problems else "Every message is translated.")
        return 0
    if command == "check":
        with tempfile.TemporaryDirectory() as tmp:
            problems = check(extract(Path(tmp) / "pot", execute=False))
        print(report(problems) if problems else "Every message is translated.")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
