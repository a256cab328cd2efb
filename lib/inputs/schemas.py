"""Schemas of the files the editors author in ``data/``, checked before anything runs.

* Tables (CSV): Frictionless Table Schemas in ``data/schemas/<name>.yaml``, gathered in the Data Package
  ``data/datapackage.yaml`` (types, required values, unique keys, allowed values, ranges, foreign keys), so
  ``frictionless validate data/datapackage.yaml`` checks them without the book. Rules Table Schema cannot
  state are declared beside the fields as ``x-rules`` and checked here: ``formula`` (a row constraint such
  as ``r_low <= r_high``), ``list-pattern`` and ``list-reference`` (items of a ';'-separated list) and
  ``mentions`` (a table or figure named in free text exists).
* YAML specifications: JSON Schemas ``data/schemas/figure_spec.yaml`` (``data/figures/*.yml``) and
  ``data/schemas/report_table.yaml`` (``data/report_tables/*.yml``); an unknown key is an error. Then
  the references: labels in the report's list, ``{ID:format}`` placeholders in the values ledger, arrows
  between existing boxes, coded scores and positions that fit their figure's specification.
* Every file: UTF-8 without a byte-order mark, not empty, and described by one of the above.

``problems()`` lists every problem (file, row, column, value, rule); ``check()`` raises ``SchemaError``
with one line per problem; ``python -m lib.inputs.schemas`` prints them (``make data-check``). The book's Sphinx
extension calls ``check()`` first thing in every build. ``data/catalogue.yml`` (external inputs) keeps its
own checks in ``lib/inputs/data.py``.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import sys
import warnings
from pathlib import Path

import pandas as pd
import yaml

from lib.inputs import paths, strict_csv

__all__ = ["PACKAGE", "SPEC_SCHEMAS", "NOT_HERE", "TABLE_SUFFIXES", "HEADER_ERRORS", "SchemaError", "Problem",
           "LOADER", "package_descriptor", "table_schemas", "spec_schema", "authored_files", "LABEL", "SOURCES",
           "book_labels", "PLACEHOLDER", "problems", "digest", "check", "main", "TYPE_WORDS", "dictionary",
           "spec_dictionary"]

PACKAGE = "datapackage.yaml"
SPEC_SCHEMAS = {"figures/*.yml": "schemas/figure_spec.yaml", "report_tables/*.yml": "schemas/report_table.yaml"}
# Files under data/ that no schema here describes, on purpose: the external-input catalogue (checked by
# lib/inputs/data.py) and the schema files themselves.
NOT_HERE = ("catalogue.yml", PACKAGE)
TABLE_SUFFIXES = (".csv", ".tsv", ".yml", ".yaml", ".json")
HEADER_ERRORS = ("missing-label", "extra-label", "duplicate-label", "blank-label", "incorrect-label")


class SchemaError(ValueError):
    """An authored data file breaks its schema."""


@dataclasses.dataclass(frozen=True)
class Problem:
    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        spec = self.file.endswith((".yml", ".yaml"))  # YAML: a line and a key path rather than a row and a column
        where = [self.file]
        if self.row is not None:
            where.append(f"{'line' if spec else 'row'} {self.row}")
        if self.column:
            where.append(f"{'key' if spec else 'column'} {self.column}")
        value = "" if self.value is None else f"value {_show(self.value)}: "
        return f"{', '.join(where)}: {value}{self.rule}"


def _show(value) -> str:
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


# ----------------------------------------------------------------------------------------------------------
# reading the schemas

def _data_dir(root: Path | None) -> Path:
    return Path(root) / "data" if root else paths.DATA


def _rel(path: Path, data: Path) -> str:
    return f"data/{path.relative_to(data).as_posix()}"


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster than the pure-Python parser


@functools.lru_cache(maxsize=None)
def _load_yaml_cached(path: str, mtime_ns: int):
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=LOADER)


def _load_yaml(path: Path):
    return _load_yaml_cached(str(path), path.stat().st_mtime_ns)


def package_descriptor(root: Path | None = None) -> dict:
    """The Data Package descriptor with each resource's schema read in (a fresh dict)."""
    data = _data_dir(root)
    package = dict(_load_yaml(data / PACKAGE))
    resources = []
    for resource in package["resources"]:
        resource = dict(resource)
        if isinstance(resource.get("schema"), str):
            resource["schema"] = dict(_load_yaml(data / resource["schema"]))
        resources.append(resource)
    package["resources"] = resources
    return package


def table_schemas(root: Path | None = None) -> dict[str, dict]:
    """Resource name -> resource descriptor (with its schema), in the package's order."""
    return {r["name"]: r for r in package_descriptor(root)["resources"]}


def spec_schema(name: str, root: Path | None = None) -> dict:
    """The JSON Schema of ``figures`` or ``report_tables`` specifications."""
    pattern = f"{name}/*.yml"
    return _load_yaml(_data_dir(root) / SPEC_SCHEMAS[pattern])


# ----------------------------------------------------------------------------------------------------------
# every file: present, described, readable

def authored_files(data: Path) -> list[Path]:
    return sorted(p for p in data.rglob("*") if p.is_file() and p.suffix in TABLE_SUFFIXES
                  and p.relative_to(data).parts[0] not in ("external", "schemas")
                  and p.relative_to(data).as_posix() not in NOT_HERE)


def _covered(relative: str, resource_paths: set[str]) -> bool:
    return relative in resource_paths or any(Path(relative).match(glob) for glob in SPEC_SCHEMAS)


def _encoding_problem(path: Path, name: str) -> Problem | None:
    raw = path.read_bytes()
    if not raw.strip():
        return Problem(name, "the file is empty (a header row and at least one data row are required)", row=1)
    if raw.startswith(b"\xef\xbb\xbf"):
        return Problem(name, "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM "
                             "(in Excel: 'CSV (comma delimited)' then re-encode, or use a text editor)", row=1)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        return Problem(name, f"not UTF-8 (byte 0x{raw[err.start]:02x} at byte {err.start}; saved as GBK or "
                             "another legacy encoding?): save the file as UTF-8", row=line)
    return None


# ----------------------------------------------------------------------------------------------------------
# tables: Frictionless plus the x-rules

def _header_row(path: Path, comment: str | None) -> int:
    """Line of the header: the first line that is not a comment (what an editor sees)."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not (comment and line.startswith(comment)) and line.strip():
                return number
    return 1


def _constraint_rule(field: dict, note: str) -> str:
    match = re.search(r'constraint "(\w+)" is "(.*)"', note or "")
    if not match:
        return note or "breaks a constraint"
    name, value = match.groups()
    unit = f" ({field['x-unit']})" if field.get("x-unit") else ""
    constraints = field.get("constraints", {})
    if name == "required":
        return "empty, but a value is required"
    if name == "minimum":
        return f"below the minimum {constraints.get('minimum', value)}{unit}"
    if name == "maximum":
        return f"above the maximum {constraints.get('maximum', value)}{unit}"
    if name == "enum":
        return "not an allowed value; allowed: " + ", ".join(str(v) for v in constraints.get("enum", []))
    if name == "pattern":
        return f"does not match the pattern {constraints.get('pattern', value)}"
    return f"breaks the constraint {name} = {value}"


def _position_of(note: str) -> str:
    match = re.search(r"row at position (\d+)", note or "")
    return f" (first at row {match[1]})" if match else ""


def _frictionless_problem(error, name: str, schema: dict, ref_files: dict[str, str]) -> Problem:
    fields = {f["name"]: f for f in schema.get("fields", [])}
    kind = error.type
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    if kind == "type-error":
        spec = fields.get(field, {})
        what = spec.get("type", "value")
        if what == "list":
            what = f"list of {spec.get('itemType', 'string')}s separated by '{spec.get('delimiter', ',')}'"
        return Problem(name, f"not a valid {what}", row, field, cell)
    if kind == "constraint-error":
        return Problem(name, _constraint_rule(fields.get(field, {}), note), row, field, cell)
    if kind in ("unique-error", "primary-key"):
        key = field or ", ".join(schema.get("primaryKey", []))
        cells = getattr(error, "cells", None) or []
        labels = [f["name"] for f in schema.get("fields", [])]
        value = cell if cell is not None else _key_value(cells, labels, schema.get("primaryKey", []))
        return Problem(name, f"duplicate key ({key} must be unique){_position_of(note)}", row, key, value)
    if kind == "foreign-key":
        names = getattr(error, "field_names", []) or []
        ref = getattr(error, "reference_name", "")
        ref_fields = getattr(error, "reference_field_names", []) or []
        values = getattr(error, "field_cells", []) or []
        return Problem(name, f"not found in {ref_files.get(ref, ref)} column {', '.join(ref_fields)}",
                       row, ", ".join(names), ", ".join(map(str, values)))
    if kind in HEADER_ERRORS:
        row = (getattr(error, "row_numbers", None) or [None])[0]
        label = getattr(error, "label", None) or field
        if kind == "missing-label":
            return Problem(name, f"required column '{field}' is missing", row, field)
        if kind == "extra-label":
            return Problem(name, f"unknown column '{label}' (not in its schema, data/schemas/)", row, label)
        return Problem(name, error.message, row, label)
    if kind == "extra-cell":
        return Problem(name, "more cells than columns (an unquoted comma?)", row, None, cell)
    if kind == "missing-cell":
        return Problem(name, "fewer cells than columns", row, field)
    if kind == "blank-row":
        return Problem(name, "blank row", row)
    return Problem(name, f"{error.title}: {note or error.message}", row, field, cell)


def _key_value(cells, labels, key):
    try:
        return ", ".join(str(cells[labels.index(k)]) for k in key)
    except (ValueError, IndexError):
        return None


LABEL = r"[A-Za-z0-9_-]+"
SOURCES = ("index.md", "chapters/*.md", "appendices/*.md")


def book_labels(root: Path) -> set[str] | None:
    """Labels the book's pages define in their source: ``(label)=`` targets and ``:name:``/``:label:`` options.

    Static: a label made by code would be missed, so only the build can be sure; None without sources.
    """
    files = [p for pattern in SOURCES for p in root.glob(pattern)]
    if not files:
        return None
    found = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(rf"^\(({LABEL})\)=\s*$", text, re.M))
        found |= set(re.findall(rf"^:(?:name|label):\s*({LABEL})\s*$", text, re.M))
    return found


def _rule_problems(name: str, schema: dict, rows: list[tuple[int, dict]], keys: dict,
                   labels: set | None = None) -> list[Problem]:
    """The ``x-rules`` of one table over its typed rows (row number, {field: value or None})."""
    import simpleeval

    out = []
    names = [f["name"] for f in schema.get("fields", [])]
    for rule in schema.get("x-rules", []):
        kind = rule["kind"]
        if kind == "formula":
            evaluator = simpleeval.EvalWithCompoundTypes()
            evaluator.functions = dict(evaluator.functions, all=all, any=any, min=min, max=max, len=len)
            for number, row in rows:
                evaluator.names = {n: row.get(n) for n in names}
                try:
                    ok = evaluator.eval(rule["formula"])
                except Exception:  # a cell that failed its type is reported already
                    continue
                if not ok:
                    out.append(Problem(name, f"{rule['message']} [rule: {rule['formula']}]", number,
                                       ", ".join(rule["fields"]), ", ".join(_plain(row.get(c)) for c in rule["fields"])))
        elif kind in ("list-pattern", "list-reference"):
            field = rule["field"]
            if kind == "list-reference" and rule["resource"] not in keys:
                continue  # the referenced table is absent or unreadable (reported elsewhere)
            allowed = keys.get(rule.get("resource"), set())
            for number, row in rows:
                for item in row.get(field) or []:
                    item = str(item).strip()
                    bad = (not re.fullmatch(rule["pattern"], item)) if kind == "list-pattern" else item not in allowed
                    if bad:
                        out.append(Problem(name, rule["message"], number, field, item))
        elif kind == "list-label":
            if labels is None:
                continue  # no book sources beside this data (a bare copy of data/)
            for number, row in rows:
                for item in row.get(rule["field"]) or []:
                    item = str(item).strip()
                    if re.fullmatch(LABEL, item) and item not in labels:
                        out.append(Problem(name, rule["message"], number, rule["field"], item))
        elif kind == "mentions":
            if rule["resource"] not in keys:
                continue
            for number, row in rows:
                for match in re.finditer(rule["pattern"], str(row.get(rule["field"]) or "")):
                    label = f"{rule['prefixes'][match['prefix']]}-{match['number']}"
                    if label not in keys[rule["resource"]]:
                        out.append(Problem(name, f"{rule['message']} ({label})", number, rule["field"], match[0]))
        else:
            raise SchemaError(f"data/schemas: unknown x-rules kind {kind!r} in the schema of {name}")
    return out


def _plain(value) -> str:
    if isinstance(value, list):
        return ";".join(map(str, value))
    if value is None:
        return ""
    text = str(value)
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def _referenced_keys(schemas: dict) -> dict[str, str]:
    """Resources whose key some x-rule needs: name -> key field."""
    out = {}
    for resource in schemas.values():
        for rule in resource["schema"].get("x-rules", []):
            if "resource" in rule:
                out[rule["resource"]] = rule["key"]
    return out


def _collector(rows: dict):
    """A Frictionless check that keeps every typed row (row number, {field: value}) per resource."""
    from frictionless import Check

    class CollectRows(Check):
        type = "book-collect-rows"

        def validate_row(self, row):
            rows.setdefault(self.resource.name, []).append((row.row_number, row.to_dict()))
            yield from []

    return CollectRows


def _table_problems(data: Path, usable: dict) -> tuple[list[Problem], dict[str, list]]:
    """Frictionless validation of the usable resources, then their x-rules. Also returns typed rows."""
    from frictionless import Checklist, Package

    descriptor = package_descriptor(data.parent)
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in usable]
    for resource in descriptor["resources"]:
        resource["schema"]["foreignKeys"] = [fk for fk in resource["schema"].get("foreignKeys", [])
                                             if fk["reference"]["resource"] in usable]
        dialect = dict(resource.get("dialect") or {})
        dialect["headerRows"] = [_header_row(data / resource["path"], dialect.get("commentChar"))]
        resource["dialect"] = dialect
    ref_files = {r["name"]: f"data/{r['path']}" for r in descriptor["resources"]}
    rows: dict[str, list] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        package = Package(descriptor, basepath=str(data))
        report = package.validate(checklist=Checklist(checks=[_collector(rows)()]))
    problems = [Problem("data/datapackage.yaml", f"invalid descriptor: {e.message}") for e in report.errors]
    schemas = {r["name"]: r["schema"] for r in descriptor["resources"]}
    for task in report.tasks:
        name = ref_files.get(task.name, task.name)
        errors = task.errors
        if any(e.type in HEADER_ERRORS for e in errors):  # cells out of step with a bad header: say it once
            errors = [e for e in errors if e.type not in ("missing-cell", "extra-cell")]
        problems += [_frictionless_problem(e, name, schemas[task.name], ref_files) for e in errors]
    needed = _referenced_keys({r["name"]: r for r in descriptor["resources"]})
    keys = {res: {str(row.get(key)) for _, row in rows[res]} for res, key in needed.items() if res in rows}
    labels = book_labels(data.parent)
    for resource in descriptor["resources"]:
        if resource["name"] in rows:
            problems += _rule_problems(ref_files[resource["name"]], resource["schema"], rows[resource["name"]], keys,
                                       labels)
    return problems, rows


# ----------------------------------------------------------------------------------------------------------
# YAML specifications: JSON Schema, then references

class _Lines:
    """Line numbers of the nodes of a YAML document, by path of keys and indices (parsed when first asked)."""

    def __init__(self, text: str):
        self.text = text

    @functools.cached_property
    def root(self):
        try:
            return yaml.compose(self.text, Loader=LOADER)
        except yaml.YAMLError:
            return None

    def line(self, path) -> int | None:
        node, line = self.root, None
        for part in path:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = self._child(node, part)
        return node.start_mark.line + 1 if node is not None else line

    def key_line(self, path, key) -> int | None:
        node = self.root
        for part in path:
            node = self._child(node, part) if node is not None else None
        if isinstance(node, yaml.MappingNode):
            for k, _ in self._pairs(node):
                if k.value == key:
                    return k.start_mark.line + 1
        return self.line(path)

    def _pairs(self, node):
        for k, v in node.value:
            if k.value == "<<" and isinstance(v, yaml.MappingNode):
                yield from self._pairs(v)
            else:
                yield k, v

    def _child(self, node, part):
        if isinstance(node, yaml.MappingNode):
            found = None
            for k, v in self._pairs(node):
                if k.value == str(part):
                    found = v  # later keys override merged ones
            return found
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            return node.value[part]
        return None


def _schema_message(error) -> tuple[str, str | None]:
    """(rule, unknown key or None) in plain words."""
    match = re.search(r"\('(.+?)' (?:was|were) unexpected\)", error.message)
    if error.validator in ("additionalProperties", "unevaluatedProperties") and match:
        keys = re.findall(r"'([^']+)'", match[0])
        return f"unknown key '{keys[0]}'" + (f" (and {len(keys) - 1} more)" if len(keys) > 1 else ""), keys[0]
    if error.validator == "required":
        return error.message.replace("is a required property", "is required but missing"), None
    if error.validator == "oneOf":
        return f"not a valid {error.schema.get('description', 'value')}", None
    if error.validator == "enum":
        return "not an allowed value; allowed: " + ", ".join(map(str, error.validator_value)), None
    if error.validator == "pattern":
        return f"does not match the pattern {error.validator_value}", None
    return error.message, None


@functools.lru_cache(maxsize=None)
def _validator(path: str, mtime_ns: int):
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_load_yaml(Path(path)))


def _json_schema_problems(doc, schema_path: Path, name: str, lines: "_Lines") -> list[Problem]:
    validator = _validator(str(schema_path), schema_path.stat().st_mtime_ns)
    out = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        for err in error.context if error.validator == "allOf" and error.context else [error]:
            path = list(err.absolute_path)
            rule, key = _schema_message(err)
            line = lines.key_line(path, key) if key else lines.line(path)
            where = ".".join(map(str, path)) or "(top level)"
            value = None if isinstance(err.instance, (dict, list)) else err.instance
            out.append(Problem(name, rule, line, where, value))
    return out


PLACEHOLDER = re.compile(r"\{([A-Z][A-Za-z0-9-]*\.[\w.-]+?)(?::([^}]*))?\}")


def _spec_files(data: Path, folder: str) -> list[Path]:
    return sorted((data / folder).glob("*.yml"))


def _read_spec(path: Path, name: str, problems: list) -> tuple[object, "_Lines"] | None:
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=LOADER), _Lines(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problems.append(Problem(name, f"not valid YAML: {getattr(err, 'problem', err)}",
                                mark.line + 1 if mark else None))
        return None


def _checked_specs(data: Path, files: list[Path], schema: Path, problems: list):
    """(path, name, document, lines, its JSON Schema problems) of each specification file that parses as YAML;
    the parse and schema problems are added to ``problems``."""
    for path in files:
        name = _rel(path, data)
        read = _read_spec(path, name, problems)
        if read is None:
            continue
        doc, lines = read
        found = _json_schema_problems(doc, schema, name, lines)
        problems += found
        yield path, name, doc, lines, found


def _figure_problems(data: Path, files: list[Path], rows: dict, labels: set | None,
                     ledger_ids: set | None) -> tuple[list[Problem], dict]:
    schema = data / SPEC_SCHEMAS["figures/*.yml"]
    problems, specs = [], {}
    for _path, name, doc, lines, found in _checked_specs(data, files, schema, problems):
        if not isinstance(doc, dict):
            continue
        broken = {p.column.split(".")[0] for p in found if p.column}
        if "(top level)" in broken:
            continue
        for label, spec in doc.items():
            if label in broken:
                specs[label] = (name, None, lines)  # reported: later checks leave it alone
                continue
            if label in specs:
                problems.append(Problem(name, f"figure {label} is also specified in {specs[label][0]}",
                                        lines.key_line([], label), label))
                continue
            specs[label] = (name, spec, lines)
            if labels is not None and label not in labels:
                problems.append(Problem(name, "not a figure of data/report_figures_tables.csv",
                                        lines.key_line([], label), label, label))
            nodes = spec.get("nodes", {})
            for i, arrow in enumerate(spec.get("arrows", [])):
                ends = arrow[:2] if isinstance(arrow, list) else [arrow.get("from"), arrow.get("to")]
                for end in ends:
                    if end not in nodes:
                        problems.append(Problem(name, "the arrow names a box that is not in nodes",
                                                lines.line([label, "arrows", i]), f"{label}.arrows.{i}", end))
            for i, event in enumerate(spec.get("events", [])):
                if event["lane"] not in spec.get("lanes", []):
                    problems.append(Problem(name, "the event's lane is not in lanes",
                                            lines.line([label, "events", i, "lane"]), f"{label}.events.{i}.lane",
                                            event["lane"]))
            if ledger_ids is not None:
                for path_, text_ in _strings(spec, [label]):
                    for match in PLACEHOLDER.finditer(text_):
                        if match[1] not in ledger_ids:
                            problems.append(Problem(name, "placeholder names an id that is not in "
                                                          "data/published/report_values.csv",
                                                    lines.line(path_), ".".join(map(str, path_)), match[0]))
    for label, (name, spec, lines) in specs.items():
        refs = (spec or {}).get("scores_from", [])
        for ref in [refs] if isinstance(refs, str) else refs:
            if ref not in specs:
                problems.append(Problem(name, "scores_from names a figure that no specification draws",
                                        lines.line([label, "scores_from"]), f"{label}.scores_from", ref))
    problems += _coded_problems(specs, rows)
    return problems, specs


def _strings(value, path):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + [k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + [i])


def _coded_problems(specs: dict, rows: dict) -> list[Problem]:
    """Coded scores and positions fit the specification of their figure."""
    out = []
    broken = {label for label, (_, spec, _) in specs.items() if spec is None}
    for number, row in rows.get("scores", []):
        if row.get("figure") in broken:
            continue
        spec = specs.get(row.get("figure"), (None, None))[1]
        if spec is None:
            out.append(Problem("data/coded/scores.csv", "no specification in data/figures/ draws this figure",
                               number, "figure", row.get("figure")))
        elif spec["kind"] not in ("radar", "matrix"):
            out.append(Problem("data/coded/scores.csv", f"the figure's specification is of kind {spec['kind']}, "
                                                        "not radar or matrix", number, "figure", row.get("figure")))
        elif row.get("dimension") not in spec.get("dimensions", []):
            out.append(Problem("data/coded/scores.csv", "not a dimension of the figure's specification ("
                               + ", ".join(spec.get("dimensions", [])) + ")", number, "dimension",
                               row.get("dimension")))
    for number, row in rows.get("positions", []):
        if row.get("figure") in broken:
            continue
        spec = specs.get(row.get("figure"), (None, None))[1]
        if spec is None or spec["kind"] != "positions":
            out.append(Problem("data/coded/positions.csv", "no specification of kind positions in data/figures/ "
                                                           "draws this figure", number, "figure", row.get("figure")))
            continue
        for axis in ("x", "y"):
            ticks = spec.get(f"{axis}ticks", [])
            if row.get(axis) is not None and row[axis] >= len(ticks):
                out.append(Problem("data/coded/positions.csv", f"beyond the figure's {len(ticks)} {axis}ticks "
                                   f"(0-{len(ticks) - 1})", number, axis, row[axis]))
    return out


def _report_table_problems(data: Path, files: list[Path], labels: set | None) -> list[Problem]:
    schema = data / SPEC_SCHEMAS["report_tables/*.yml"]
    problems = []
    for path, name, doc, lines, found in _checked_specs(data, files, schema, problems):
        if found:
            continue
        if doc["label"] != path.stem:
            problems.append(Problem(name, f"the label must be the file's name ({path.stem})",
                                    lines.line(["label"]), "label", doc["label"]))
        if labels is not None and doc["label"] not in labels:
            problems.append(Problem(name, "not a table of data/report_figures_tables.csv",
                                    lines.line(["label"]), "label", doc["label"]))
        keys = [c["key"] for c in doc["columns"]]
        for key in {k for k in keys if keys.count(k) > 1}:
            problems.append(Problem(name, "column key declared twice", lines.line(["columns"]), "columns", key))
        for i, row in enumerate(doc["rows"]):
            for key in row:
                if key not in keys:
                    problems.append(Problem(name, "key not among the declared columns (" + ", ".join(keys) + ")",
                                            lines.key_line(["rows", i], key), f"rows.{i}", key))
            for key in keys:
                if key not in row:
                    problems.append(Problem(name, f"row lacks column '{key}'", lines.line(["rows", i]),
                                            f"rows.{i}", key))
    return problems


# ----------------------------------------------------------------------------------------------------------
# all together

def problems(root: Path | None = None) -> list[Problem]:
    """Every problem of the authored files under ``root``/data (default: this repository)."""
    data = _data_dir(root)
    out: list[Problem] = []
    schemas = table_schemas(root)
    resource_paths = {r["path"]: r for r in schemas.values()}
    for path in authored_files(data):
        relative = path.relative_to(data).as_posix()
        if not _covered(relative, set(resource_paths)):
            out.append(Problem(_rel(path, data), "no schema describes this file: add a resource to "
                                                 "data/datapackage.yaml (its Table Schema in data/schemas/)"))
    bad_files = set()
    usable = {}
    for resource in schemas.values():
        path = data / resource["path"]
        if not path.exists():
            out.append(Problem(f"data/{resource['path']}", "file not found (listed in data/datapackage.yaml)"))
            continue
        problem = _encoding_problem(path, f"data/{resource['path']}")
        if problem:
            out.append(problem)
            continue
        if path.suffix == ".csv":   # strictly parsed first: a file that does not parse takes no further part
            parsed = strict_csv.parse_problem(path, f"data/{resource['path']}", resource.get("dialect"),
                                              resource.get("schema"))
            if parsed:
                row, column, value, rule = parsed
                out.append(Problem(f"data/{resource['path']}", rule, row, column, value))
                continue
        usable[resource["name"]] = resource
    spec_files = {folder: _spec_files(data, folder) for folder in ("figures", "report_tables")}
    for path in spec_files["figures"] + spec_files["report_tables"]:
        problem = _encoding_problem(path, _rel(path, data))
        if problem:
            out.append(problem)
            bad_files.add(path)
    table_problems, rows = _table_problems(data, usable) if usable else ([], {})
    out += table_problems
    labels = ({str(r.get("label")) for _, r in rows["report_figures_tables"]}
              if "report_figures_tables" in rows else None)
    ledger_ids = {str(r.get("id")) for _, r in rows["report_values"]} if "report_values" in rows else None
    figure_problems, _ = _figure_problems(data, [p for p in spec_files["figures"] if p not in bad_files],
                                          rows, labels, ledger_ids)
    out += figure_problems
    out += _report_table_problems(data, [p for p in spec_files["report_tables"] if p not in bad_files], labels)
    return list(dict.fromkeys(out))  # a duplicate key breaks both `unique` and `primaryKey`: say it once


def digest(root: Path | None = None) -> str:
    """Digest of everything the result depends on: this module, the schemas and every file under data/."""
    data = _data_dir(root)
    sha = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(p for p in data.rglob("*") if p.is_file() and "external" not in p.relative_to(data).parts
                       and "__pycache__" not in p.parts):
        sha.update(path.relative_to(data).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def check(root: Path | None = None) -> int:
    """Raise ``SchemaError`` listing every problem; return the number of files checked."""
    found = problems(root)
    if found:
        lines = "\n".join(f"  {p}" for p in found)
        raise SchemaError(f"{len(found)} problem(s) in the authored data (schemas: data/datapackage.yaml, "
                          f"data/schemas/):\n{lines}")
    return len(authored_files(_data_dir(root)))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else None
    found = problems(root)
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} problem(s) in the authored data", file=sys.stderr)
        return 1
    print(f"authored data: {len(authored_files(_data_dir(root)))} files valid against their schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ----------------------------------------------------------------------------------------------------------
# the data dictionary (appendices/data_dictionary.md)

TYPE_WORDS = {"string": "text", "integer": "whole number", "number": "number", "list": "list", "boolean": "yes/no"}


def _codes(values) -> str:
    """Values a file holds, each `backquoted`: the data dictionary sets them as code in either edition (a value
    is an identifier, not a word to translate; the Chinese edition glosses it)."""
    return ", ".join(f"`{v}`" for v in values)


def _allowed(field: dict, resource: dict, files: dict[str, str]) -> str:
    c = field.get("constraints", {})
    parts = []
    if "enum" in c:
        parts.append("one of: " + _codes(c["enum"]))
    if "minimum" in c and "maximum" in c:
        parts.append(f"{c['minimum']:g} to {c['maximum']:g}")
    elif "minimum" in c:
        parts.append(f"at least {c['minimum']:g}")
    elif "maximum" in c:
        parts.append(f"at most {c['maximum']:g}")
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`")
    if c.get("unique") or resource["schema"].get("primaryKey") == [field["name"]]:
        parts.append("unique")
    for fk in resource["schema"].get("foreignKeys", []):
        if field["name"] in fk["fields"]:
            parts.append(f"a {_codes(fk['reference']['fields'])} of `{files[fk['reference']['resource']]}`")
    for rule in resource["schema"].get("x-rules", []):
        if rule.get("field") == field["name"] and rule["kind"] == "list-reference":
            parts.append(f"each an `{rule['key']}` of `{files[rule['resource']]}`")
        if rule.get("field") == field["name"] and rule["kind"] == "list-pattern":
            parts.append(f"each matching {rule['pattern']}")   # plain: a long pattern breaks no line as code (PDF)
    return "; ".join(parts)


def dictionary(root: Path | None = None) -> dict[str, dict]:
    """Per authored table: its file, title, description, rules and a frame of its fields (for the data dictionary)."""

    resources = table_schemas(root)
    files = {name: f"data/{r['path']}" for name, r in resources.items()}
    out = {}
    for name, resource in resources.items():
        schema = resource["schema"]
        optional_columns = schema.get("fieldsMatch") == "superset"
        rows = []
        for field in schema["fields"]:
            required = field.get("constraints", {}).get("required", False)
            kind = TYPE_WORDS.get(field["type"], field["type"])
            if field["type"] == "list":
                kind = f"list of {TYPE_WORDS.get(field.get('itemType', 'string'))}, '{field.get('delimiter', ',')}'-separated"
            rows.append({"field": field["name"], "type": kind, "unit": field.get("x-unit", ""),
                         "required": "yes" if required else ("optional column" if optional_columns else "may be empty"),
                         "allowed values": _allowed(field, resource, files),
                         "meaning": " ".join(x for x in (field.get("title", "") + ".", field.get("description", ""))
                                             if x and x != ".")})
        rules = [f"{', '.join(r['fields'])}: {r['message']} (rule: {r['formula']})"
                 for r in schema.get("x-rules", []) if r["kind"] == "formula"]
        rules += [f"{r['field']}: a table or figure it names must be in {files[r['resource']]}"
                  for r in schema.get("x-rules", []) if r["kind"] == "mentions"]
        fields = pd.DataFrame(rows)
        fields.attrs["literal_columns"] = ["field"]   # the file's column names, set as code
        out[name] = {"file": files[name], "title": resource.get("title", name),
                     "description": resource.get("description", ""), "key": schema.get("primaryKey", []),
                     "rules": rules, "fields": fields}
    return out


def _describe(schema: dict, defs: dict) -> str:
    if "$ref" in schema:
        target = schema["$ref"].split("/")[-1]
        if target == "support":   # its values, from the schema
            return _describe(defs["support"]["support"], defs)
        return {"point": "[x, y]", "colour_index": "palette index 0-6", "hex_colour": "colour #rrggbb",
                "text": "text", "fontsize": "font size (pt)",
                "why": "text"}.get(target, target)
    if "enum" in schema:
        return "one of: " + _codes(schema["enum"])
    if "oneOf" in schema:
        return " or ".join(_describe(s, defs) for s in schema["oneOf"])
    kind = schema.get("type", "")
    if kind == "array":
        items = schema.get("items")
        return f"list of {_describe(items, defs)}" if isinstance(items, dict) else "list"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"mapping to {_describe(schema['additionalProperties'], defs)}"
    return TYPE_WORDS.get(kind, kind) if isinstance(kind, str) else " or ".join(TYPE_WORDS.get(k, k) for k in kind)


def spec_dictionary(name: str, root: Path | None = None):
    """Keys of the ``figures`` or ``report_tables`` specifications: where allowed, type, required, meaning."""

    schema = spec_schema(name, root)
    defs = schema.get("$defs", {})
    common = set(schema.get("x-common-properties", {}))
    if name == "figures":
        blocks = [("every figure", {"properties": schema["x-common-properties"], "required": ["kind", "source"]})]
        blocks += [(f"kind `{kind}`", dict(defs[kind], properties={k: v for k, v in defs[kind]["properties"].items()
                                                                 if k not in common}))
                   for kind in ("boxes", "layers", "rings", "positions", "timeline", "radar", "matrix")]
        blocks += [(element, defs[element]) for element in ("node", "arrow", "frame", "note", "layer", "ring", "event")]
    else:
        blocks = [("table", schema), ("column", schema["properties"]["columns"]["items"])]
    rows = []
    for where, block in blocks:
        if "oneOf" in block:
            block = next(b for b in block["oneOf"] if b.get("type") == "object")
        required = set(block.get("required", []))
        for key, spec in block.get("properties", {}).items():
            rows.append({"where": where, "key": key, "type": _describe(spec, defs),
                         "required": "yes" if key in required else "", "meaning": spec.get("description", "")})
    frame = pd.DataFrame(rows)
    frame.attrs["literal_columns"] = ["key"]   # the specification's keys, set as code
    return frame
