"""The report's claims and the book's verdict on each: ``data/published/claims.csv``.

The claims ledger sits beside the values ledger (``report_values.csv``). Every claim of the report's
summary (内容提要), of each chapter's key points (本章观点凝练) and chapter 5's quantitative conclusions
is one row: the report's wording, the book's English rendering, a kind, a verdict and the labels of the
book's sections, tables and figures that carry the evidence. The rules of the verdicts are written once,
in the appendix ``appendices/claims.md``.

Everything up to :func:`table_frame` is plain pandas (testable without Sphinx). The Sphinx part (the
``{report-claims}`` directive and the build hook that writes ``_build/results/claims_summary.csv`` and
checks the claims against the built values ledger) is at the end and registered by :func:`setup`.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from lib.inputs import buildguard, paths
from lib.ledger import ledger

__all__ = ["CLAIMS", "COLUMNS", "KINDS", "VERDICTS", "NOTE_REQUIRED", "SOURCES", "ID_PATTERN", "LABEL_PATTERN",
           "SENTENCE_END", "SUMMARY_CHAPTER", "ClaimsError", "split", "source_of", "sentences", "validate",
           "load", "select", "display_label", "summary", "ledger_problems", "verdicts_of",
           "recommendation_verdicts", "table_frame", "VERDICTS_ZH", "WORDS", "on_env_updated", "setup"]

CLAIMS = paths.DATA / "published" / "claims.csv"
COLUMNS = ["id", "chapter", "section", "page", "quote_zh", "claim_en", "kind", "verdict", "evidence",
           "ledger_ids", "verdict_note", "verdict_note_zh"]
KINDS = ("definition", "judgement", "forecast", "recommendation", "quantitative", "qualitative-empirical")
REPRODUCED, BY_CONSTRUCTION, SOURCE = ("reproduced", "matches by construction",
                                       "consistent with the source the report cites")
NOT_CHECKABLE, CONTRADICTED, NOT_TESTED = ("not checkable without the report's data", "contradicted on open data",
                                           "not tested by the book")
VERDICTS = (REPRODUCED, BY_CONSTRUCTION, SOURCE, NOT_CHECKABLE, CONTRADICTED, NOT_TESTED)
NOTE_REQUIRED = (NOT_CHECKABLE, CONTRADICTED)
# The verdict rules as code (stated in words in appendices/claims.md): the verdicts each kind of claim admits.
# A definition, a forecast or a recommendation is never tested by data: the book restates it. A forecast whose
# end points the book's paths are calibrated to is still 'not tested' (the note says the paths are calibrated
# to it): a match built in proves nothing and is never shown under a 'reproduced' label. A judgement is not
# tested either, unless the report's own numbers contradict it. Only an empirical claim can be reproduced, be
# not checkable for want of the report's data, or match the report by construction (a number only).
ADMITTED = {
    "definition": (NOT_TESTED,),
    "judgement": (NOT_TESTED, CONTRADICTED),
    "forecast": (NOT_TESTED, CONTRADICTED),   # contradicted only by an outturn after the report (its horizon passed)
    "recommendation": (NOT_TESTED,),
    "quantitative": (REPRODUCED, BY_CONSTRUCTION, SOURCE, NOT_CHECKABLE, CONTRADICTED),
    "qualitative-empirical": (REPRODUCED, SOURCE, NOT_CHECKABLE, CONTRADICTED),
}
# where a claim comes from, told by its id: sum-09 (内容提要), kp-5-1 (本章观点凝练), ch5-moran-trend (chapter 5 text)
SOURCES = {"sum": "summary", "kp": "keypoints", "ch5": "conclusions"}
ID_PATTERN = re.compile(r"^(sum|kp|ch5)-[0-9a-z][0-9a-z-]*$")
LABEL_PATTERN = re.compile(r"^(fig|tbl|sec|ch|app|eq)-[0-9A-Za-z-]+$")
SENTENCE_END = re.compile(r"[。！？!?]")
SUMMARY_CHAPTER = "summary"


class ClaimsError(ValueError):
    pass


def split(cell: str) -> list[str]:
    """'a; b;c' -> ['a', 'b', 'c'] (empty cell -> [])."""
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def source_of(claim_id: str) -> str:
    """'sum-09' -> 'summary', 'kp-5-1' -> 'keypoints', 'ch5-moran-trend' -> 'conclusions'."""
    return SOURCES[claim_id.split("-", 1)[0]]


def sentences(text: str) -> int:
    """Number of sentences in a Chinese quote (a last sentence without its full stop counts too)."""
    text = re.sub(r"\s+", "", text)
    ends = len(SENTENCE_END.findall(text))
    return ends + (0 if not text or SENTENCE_END.match(text[-1]) else 1)


def admits(kind: str, verdict: str) -> bool:
    """Whether a claim of this kind may carry this verdict (the rules of appendices/claims.md)."""
    return verdict in ADMITTED.get(kind, ())


def rule_problems(frame: pd.DataFrame) -> list[str]:
    """Claims whose verdict their kind does not admit, one message each (empty when every claim keeps the rules).

    Also: a forecast whose numbers the book's paths hit (it names ledger rows) says so in its note.
    """
    problems = []
    for _, row in frame.iterrows():
        kind, verdict = row["kind"], row["verdict"]
        if kind in ADMITTED and verdict in VERDICTS and not admits(kind, verdict):
            problems.append(f"{row['id']}: a {kind} claim cannot be {verdict!r}; its kind admits "
                            f"{' or '.join(repr(v) for v in ADMITTED[kind])} (rules: appendices/claims.md)")
        if kind == "forecast" and split(row["ledger_ids"]) and "calibrated" not in row["verdict_note"]:
            problems.append(f"{row['id']}: a forecast that names ledger rows needs a note saying the book's "
                            "paths are calibrated to it")
    return problems


def shared_renderings(frame: pd.DataFrame) -> list[str]:
    """Claims whose Chinese differs but whose English is the same: each rendering must translate its own claim's
    words (a summary finding and its key point may differ by a word that changes what is judged)."""
    squeezed = frame["quote_zh"].map(lambda text: re.sub(r"\s+", "", str(text)))
    problems = []
    for english, group in frame.groupby(frame["claim_en"].map(lambda text: " ".join(str(text).split()))):
        if squeezed[group.index].nunique() > 1:
            problems.append(f"{sorted(group['id'])}: the same English for different Chinese: {english[:60]}…")
    return problems


def validate(frame: pd.DataFrame, path: Path = CLAIMS, published_ids=None) -> pd.DataFrame:
    """Check a claims frame; raise ClaimsError naming the file and the rows at fault."""
    problems = []
    if list(frame.columns) != COLUMNS:
        raise ClaimsError(f"{path}: columns must be exactly {COLUMNS}, found {list(frame.columns)}")
    for col in ("id", "chapter", "section", "quote_zh", "claim_en", "kind", "verdict", "evidence"):
        empty = frame.loc[frame[col].str.strip() == "", "id"].tolist()
        if empty:
            problems.append(f"empty {col} in {empty}")
    dupes = frame.loc[frame["id"].duplicated(), "id"].tolist()
    if dupes:
        problems.append(f"duplicate id(s) {dupes}")
    for _, row in frame.iterrows():
        cid = row["id"]
        if not ID_PATTERN.match(cid):
            problems.append(f"{cid}: id must look like sum-09, kp-5-1 or ch5-<name>")
        if row["kind"] not in KINDS:
            problems.append(f"{cid}: kind {row['kind']!r} is not one of {KINDS}")
        if row["verdict"] not in VERDICTS:
            problems.append(f"{cid}: verdict {row['verdict']!r} is not one of {VERDICTS}")
        if row["verdict"] in (*NOTE_REQUIRED, BY_CONSTRUCTION) and not row["verdict_note"].strip():
            problems.append(f"{cid}: verdict {row['verdict']!r} needs a verdict_note naming the data or substitute")
        if bool(row["verdict_note"].strip()) != bool(row["verdict_note_zh"].strip()):
            problems.append(f"{cid}: verdict_note and verdict_note_zh must both be given or both be empty "
                            "(the Chinese pages show verdict_note_zh)")
        if sentences(row["quote_zh"]) > 2:
            problems.append(f"{cid}: quote_zh has more than two sentences")
        if row["chapter"] not in {str(c) for c in range(1, 7)}:
            problems.append(f"{cid}: chapter {row['chapter']!r} is not 1-6")
        bad = [label for label in split(row["evidence"]) if not LABEL_PATTERN.match(label)]
        if bad:
            problems.append(f"{cid}: evidence label(s) {bad} are not fig-/tbl-/sec-/ch-/app- labels")
        if published_ids is not None:
            unknown = [pid for pid in split(row["ledger_ids"]) if pid not in published_ids]
            if unknown:
                problems.append(f"{cid}: ledger id(s) {unknown} not in data/published/report_values.csv")
    problems += rule_problems(frame) + shared_renderings(frame)
    if problems:
        raise ClaimsError(f"{path}:\n  " + "\n  ".join(problems))
    return frame


def check(path: Path = CLAIMS) -> pd.DataFrame:
    """The claims ledger checked against the verdict rules and the values ledger (the build runs this first)."""
    return load(path)


def load(path: Path = CLAIMS, check_ledger: bool = True) -> pd.DataFrame:
    """The claims ledger, validated, every cell a string; indexed 0..n-1 in file order."""
    try:
        frame = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ClaimsError(f"{path}: the claims ledger is missing") from None
    published = None
    if check_ledger:

        published = set(ledger.published().index)
    return validate(frame, path, published)


def select(frame: pd.DataFrame, chapter: str | int | None = None, source: str | None = None) -> pd.DataFrame:
    """Claims of one chapter and/or one source ('summary', 'keypoints', 'conclusions', 'all').

    A chapter without a source means that chapter's key points (its 本章观点凝练 box).
    """
    if source is None:
        source = "keypoints" if chapter is not None else "all"
    if source not in (*SOURCES.values(), "all"):
        raise ClaimsError(f"unknown claims source {source!r}: use one of {sorted(SOURCES.values())} or 'all'")
    keep = pd.Series(True, index=frame.index)
    if source != "all":
        keep &= frame["id"].map(source_of) == source
    if chapter is not None:
        keep &= frame["chapter"] == str(chapter)
    return frame[keep]


def display_label(claim_id: str, section: str = "", page: str = "") -> str:
    """What a reader sees instead of the id: 'Finding 9 · 观点9', 'Key point 5.1 · 观点1', 'Section 5(二)1, p. 93'."""
    head, rest = claim_id.split("-", 1)
    if head == "sum":
        if rest.startswith("def-"):
            return f"Definition {rest[4:]} · 定义{rest[4:]}"
        if rest.startswith("policy-"):
            return f"Recommendations {rest[7:]} · 建议{rest[7:]}"
        number, part = re.match(r"0*(\d+)([a-z]?)$", rest).groups()
        return f"Finding {number}{part} · 观点{number}{part}"
    if head == "kp":
        chapter, number = rest.split("-", 1)
        return f"Key point {chapter}.{number} · 观点{number}"
    return f"Section {section}" + (f", p. {page}" if page else "")


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts by chapter and verdict (summary claims counted under 'summary'); columns chapter, verdict, count."""
    chapter = frame["chapter"].where(frame["id"].map(source_of) != "summary", SUMMARY_CHAPTER)
    counts = (pd.DataFrame({"chapter": chapter, "verdict": frame["verdict"]})
              .groupby(["chapter", "verdict"]).size().rename("count").reset_index())
    order = {v: i for i, v in enumerate(VERDICTS)}
    counts["_c"] = counts["chapter"].map(lambda c: (c == SUMMARY_CHAPTER, c))
    counts["_v"] = counts["verdict"].map(order)
    return counts.sort_values(["_c", "_v"]).drop(columns=["_c", "_v"]).reset_index(drop=True)


def ledger_problems(frame: pd.DataFrame, comparison: pd.DataFrame) -> list[str]:
    """Claims whose verdict the built values ledger does not bear out.

    A quantitative claim marked *reproduced* needs every one of its ledger rows *reproduced*; a claim
    marked *matches by construction* needs its rows to match by construction; a forecast's rows are never
    *reproduced*; no *reproduced* claim rests on a row that *matches on a substitute*; every
    ledger id a claim names must be in the comparison.
    """
    status = comparison.set_index("published_id")["status"]
    problems = []
    for _, row in frame.iterrows():
        ids = split(row["ledger_ids"])
        missing = [pid for pid in ids if pid not in status.index]
        if missing:
            problems.append(f"{row['id']}: ledger id(s) {missing} not in the comparison")
            continue
        if row["kind"] == "quantitative" and row["verdict"] == "reproduced":
            if not ids:
                problems.append(f"{row['id']}: a quantitative claim marked reproduced names no ledger rows")
            off = {pid: status[pid] for pid in ids if status[pid] != "reproduced"}
            if off:
                problems.append(f"{row['id']}: marked reproduced, but ledger rows are {off}")
        if row["verdict"] == "reproduced":   # a match on a substitute input is not a reproduction
            off = {pid: status[pid] for pid in ids if status[pid] == "matches on a substitute"}
            if off:
                problems.append(f"{row['id']}: marked reproduced, but ledger rows match only on a substitute: {off}")
        if row["verdict"] == BY_CONSTRUCTION:
            off = {pid: status[pid] for pid in ids if status[pid] != "matches by construction"}
            if off:
                problems.append(f"{row['id']}: marked matches by construction, but ledger rows are {off}")
        if row["kind"] == "forecast" and ids:
            off = {pid: status[pid] for pid in ids if status[pid] == "reproduced"}
            if off:
                problems.append(f"{row['id']}: a forecast's ledger rows cannot be reproduced: {off}")
    return problems


def verdicts_of(ids: list[str], frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of the given claim ids, in that order; a missing id is an error naming it."""
    indexed = frame.set_index("id")
    unknown = [i for i in ids if i not in indexed.index]
    if unknown:
        raise ClaimsError(f"claim id(s) {unknown} not in {CLAIMS}")
    return indexed.loc[ids].reset_index()


def zh_label(cid: str, label: str) -> str:
    """A claim's label on the Chinese pages: '第五章观点3' for a key point, '观点9' / '定义3' for the summary, and for
    a conclusion of chapter 5's text its section as the report numbers it ('第五章（二）1，第93页')."""
    short = label.split(" · ", 1)[-1]
    parts = cid.split("-")
    if parts[0] == "kp":
        return f"第{'一二三四五六'[int(parts[1]) - 1]}章{short}"
    found = SECTION_LABEL.match(label)
    if found:
        chapter, part, rest, page = found.groups()
        return (f"第{'一二三四五六'[int(chapter) - 1]}章（{part}）{rest}"
                + (f"，第{page}页" if page else ""))
    return short


SECTION_LABEL = re.compile(r"^Section ([1-6])\(([一二三四五六七八九十]+)\)(\S*?)(?:, p\. (\d+))?$")


def recommendation_verdicts(recs: pd.DataFrame, frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """For each recommendation (a ``claims`` column of claim ids), the verdicts of the claims it rests on.

    Returns ``rests on (verdict)`` ('Key point 5.3 · 观点3: not checkable …; …') and ``caveat``, which
    names the claims that are contradicted on open data or not checkable (empty when there are none);
    ``lang="zh"``: the same in Chinese ('第五章观点3：缺少报告数据无法核验；…').
    """
    if lang == "zh":
        return _recommendation_verdicts_zh(recs, frame)
    if "claims" not in recs.columns:
        raise ClaimsError("recommendations.csv: missing column 'claims' (ids of data/published/claims.csv)")
    rests_on, caveats = [], []
    for cell in recs["claims"].fillna(""):
        rows = verdicts_of(split(cell), frame)
        if rows.empty:
            raise ClaimsError("recommendations.csv: every recommendation needs at least one claim id")
        labels = [display_label(cid, sec, page) for cid, sec, page in rows[["id", "section", "page"]].itertuples(index=False)]
        rests_on.append("; ".join(f"{label}: {verdict}" for label, verdict in zip(labels, rows["verdict"])))
        parts = [f"{verdict[0].upper()}{verdict[1:]}: "
                 + ", ".join(lab for lab, v in zip(labels, rows["verdict"]) if v == verdict) + "."
                 for verdict in NOTE_REQUIRED[::-1] if verdict in set(rows["verdict"])]
        caveats.append(" ".join(parts))
    return pd.DataFrame({"rests on (verdict)": rests_on, "caveat": caveats}, index=recs.index)


def table_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The display frame: claim, the report's words, the book's rendering, verdict (with note), evidence."""
    return pd.DataFrame({
        "claim": [display_label(*row) for row in frame[["id", "section", "page"]].itertuples(index=False)],
        "the report (中文)": frame["quote_zh"],
        "the book's rendering": frame["claim_en"],
        "verdict": frame["verdict"],
        "note": frame["verdict_note"],
        "note_zh": frame["verdict_note_zh"],
        "evidence": frame["evidence"].map(split),
        "id": frame["id"],   # the Chinese label is made from it (zh_label)
    }).reset_index(drop=True)


def _recommendation_verdicts_zh(recs: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    rests_on, caveats = [], []
    for cell in recs["claims"].fillna(""):
        rows = verdicts_of(split(cell), frame)
        labels = [zh_label(cid, display_label(cid, sec, page))
                  for cid, sec, page in rows[["id", "section", "page"]].itertuples(index=False)]
        rests_on.append("；".join(f"{label}：{VERDICTS_ZH[v]}" for label, v in zip(labels, rows["verdict"])))
        caveats.append("".join(f"{VERDICTS_ZH[verdict]}：" + "、".join(
            lab for lab, v in zip(labels, rows["verdict"]) if v == verdict) + "。"
            for verdict in NOTE_REQUIRED[::-1] if verdict in set(rows["verdict"])))
    return pd.DataFrame({"依据的观点（本书判断）": rests_on, "说明": caveats}, index=recs.index)


# --------------------------------------------------------------------------- Sphinx
def _xref(env, label: str):
    """A cross-reference to a label: {numref} for figures and tables, {ref} for sections and chapters."""

    reftype = "numref" if label.split("-", 1)[0] in ("fig", "tbl") else "ref"
    node = addnodes.pending_xref("", refdomain="std", reftype=reftype, reftarget=label, refexplicit=False,
                                 refwarn=True, refdoc=env.docname)
    node += nodes.inline(label, label, classes=["xref", "std", f"std-{reftype}"])
    return node


def _evidence_paragraph(env, labels: list[str]):

    para = nodes.paragraph()
    separator = "；" if _language(env) == "zh" else "; "
    for i, label in enumerate(labels):
        if i:
            para += nodes.Text(separator)
        para += _xref(env, label)
    return para


# The fixed words of the claims blocks in each edition (the Chinese edition shows the report's own words and
# the verdict and the book's note in Chinese, from the ledger's verdict_note_zh).
VERDICTS_ZH = {"reproduced": "已复现", "matches by construction": "构造性一致",
               "consistent with the source the report cites": "与报告所引来源一致",
               "not checkable without the report's data": "缺少报告数据无法核验",
               "contradicted on open data": "公开数据不支持", "not tested by the book": "本书未检验"}
WORDS = {"en": {"verdict": "Verdict: ", "evidence": "Evidence: ", "note": "", "stop": ". ",
                "box": "The report's key points for chapter {chapter} (本章观点凝练) and the book's verdicts"},
         "zh": {"verdict": "本书判断：", "evidence": "证据：", "note": "说明：", "stop": "。",
                "box": "报告第{chapter}章“本章观点凝练”中的观点及本书的判断"}}


def _language(env) -> str:
    return "zh" if (env.config.language or "en").startswith("zh") else "en"


def _claim_paragraphs(env, row, with_label: bool) -> list:
    """One claim: (its label,) the report's words, the book's rendering (English edition), the verdict with
    its note, and links to the evidence."""

    lang = _language(env)
    words = WORDS[lang]
    out = []
    if with_label:
        label = zh_label(row.id, row.claim) if lang == "zh" else row.claim
        out.append(nodes.paragraph("", "", nodes.strong(label, label), classes=["claim-label"]))
    out.append(nodes.paragraph(text=row[1], classes=["claim-zh"]))
    if lang == "en":
        out.append(nodes.paragraph(text=row[2], classes=["claim-en"]))
    verdict = nodes.paragraph(classes=["claim-verdict"])
    name = VERDICTS_ZH[row.verdict] if lang == "zh" else row.verdict
    verdict += nodes.Text(words["verdict"])
    verdict += nodes.strong(name, name)
    verdict += nodes.Text(words["stop"])
    if lang == "zh" and row.note_zh:
        verdict += nodes.Text(words["note"] + row.note_zh.rstrip("。") + "。")
    elif row.note:
        verdict += nodes.Text(words["note"] + row.note.rstrip(".") + ". ")
    if row.evidence:
        verdict += nodes.Text(words["evidence"])
        verdict.extend(_evidence_paragraph(env, row.evidence).children)
        verdict += nodes.Text(words["stop"].strip())
    out.append(verdict)
    return out


def _list_nodes(env, shown: pd.DataFrame):
    """Claims one after another, each a short block (a table of long bilingual quotes reads badly)."""

    container = nodes.container(classes=["report-claims", "claims-list"])
    for row in shown.itertuples(index=False):
        card = nodes.container(classes=["claim-card"])
        card.extend(_claim_paragraphs(env, row, with_label=True))
        container += card
    return container


def _box_nodes(env, shown: pd.DataFrame, chapter: str):
    """The chapter's key points as a box: each point in Chinese and English, its verdict and evidence."""

    numeral = "一二三四五六"[int(chapter) - 1] if _language(env) == "zh" else chapter
    title = WORDS[_language(env)]["box"].format(chapter=numeral)
    box = nodes.admonition(classes=["tip", "report-claims"])
    box += nodes.title(title, title)
    items = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
    for row in shown.itertuples(index=False):
        item = nodes.list_item()
        item.extend(_claim_paragraphs(env, row, with_label=False))
        items += item
    box += items
    return box


def _directive():

    class ReportClaims(SphinxDirective):
        """``{report-claims}`` with ``:chapter: N`` (that chapter's key points, as a box) and/or
        ``:source: summary|keypoints|conclusions|all`` (a list of claims): claims from the claims ledger with
        the book's verdict on each and links to the evidence."""

        option_spec = {"chapter": directives.unchanged, "source": directives.unchanged,
                       "style": lambda arg: directives.choice(arg, ("box", "list"))}

        def run(self):
            self.env.note_dependency(str(CLAIMS))
            chapter, source = self.options.get("chapter"), self.options.get("source")
            try:
                shown = select(load(), chapter, source)
            except ClaimsError as err:
                raise self.error(str(err)) from None
            if shown.empty:
                raise self.error(f"no claims for chapter={chapter!r}, source={source!r} in {CLAIMS}")
            frame = table_frame(shown)
            style = self.options.get("style") or ("box" if chapter is not None and source in (None, "keypoints")
                                                  else "list")
            node = _box_nodes(self.env, frame, chapter) if style == "box" else _list_nodes(self.env, frame)
            return [node]

    return ReportClaims


def on_env_updated(app, env):
    """Write ``_build/results/claims_summary.csv`` and check the verdicts against the values ledger."""

    logger = logging.getLogger(__name__)
    frame = load()
    results = buildguard.results_dir(Path(app.outdir).parent)   # staged until the build succeeds
    buildguard.atomic_csv(summary(frame), results / "claims_summary.csv", index=False, lineterminator="\n")
    comparison = results / "comparison.csv"
    if comparison.exists():
        for problem in ledger_problems(frame, pd.read_csv(comparison, keep_default_na=False)):
            logger.warning(f"[claims] {CLAIMS.name}: {problem}")
    logger.info(f"[claims] {len(frame)} claims -> {results / 'claims_summary.csv'}")
    return []


def on_builder_inited(app) -> None:
    """Stop the build before anything runs when a claim breaks the verdict rules (or the ledger is malformed)."""
    try:
        check()
    except ClaimsError as err:   # one message, no traceback (lib/inputs/buildguard.py)
        buildguard.stop(f"{err}\nthe claims ledger breaks the verdict rules (appendices/claims.md); "
                        "the build stopped before any page ran")


def setup(app) -> dict:
    """Registered by lib/book/book_extension.py (``app.setup_extension("lib.ledger.claims")``)."""
    app.add_directive("report-claims", _directive())
    app.connect("builder-inited", on_builder_inited)  # beside the schema checks, before any page executes
    app.connect("env-updated", on_env_updated, priority=600)  # after the values ledger writes comparison.csv
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
