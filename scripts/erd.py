"""The ER diagrams of cartify, generated from dbt's manifest, never drawn by hand.

Two diagrams: the raw tables (as their staging models, which keep one row per raw
row) and the marts. An entity is a model of that layer; its keys are the columns
the project tests: a primary key is a column with a `unique` test (or a
`unique_combination_of_columns` model test), a foreign key is a column with a
`relationships` test, and each such test is an edge. Column types come from the
model's contract where it has one. Only keys are drawn: every column is in the
docs site.

    python scripts/erd.py --manifest target/manifest.json           # write
    python scripts/erd.py --manifest target/manifest.json --check   # compare

Writes docs/erd.md (Mermaid, shown by GitHub and the docs site) and, when
Graphviz's `dot` is installed, docs/img/erd_<diagram>.svg for the README. `--check`
exits 1 when a committed file differs from what the manifest gives (an SVG is
checked by the hash of its source, embedded in it, so Graphviz versions do not
matter).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DIAGRAMS = {
    "raw": ("Raw tables (staging models)", "staging"),
    "marts": ("Marts", "marts"),
}
HASH_MARK = "cartify-erd-source-sha256:"


@dataclass
class Entity:
    name: str
    description: str
    types: dict[str, str]
    primary_key: list[str] = field(default_factory=list)
    alternate_keys: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)
    not_null: set[str] = field(default_factory=set)
    unique: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Edge:
    parent: str
    parent_column: str
    child: str
    child_column: str


def _layer(node: dict[str, Any]) -> str | None:
    fqn = node.get("fqn", [])
    return fqn[1] if len(fqn) > 2 else None


def _grain(description: str) -> str:
    """The grain sentence a description opens with ("One row per ..."), or ""."""
    text = " ".join(description.split())
    match = re.match(r"(One row per .+?)\.(?=\s+[A-Z(`]|\s*$)", text)
    if not match:
        return ""
    return re.split(r"[:;]| \(", match.group(1))[0]


def read_model(manifest: dict[str, Any], layer: str) -> tuple[list[Entity], list[Edge]]:
    """The entities and relationships of one layer (folder under models/)."""
    models = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and _layer(node) == layer
    }
    entities = {
        unique_id: Entity(
            name=node["name"],
            description=_grain(node.get("description", "")),
            types={
                name: (column.get("data_type") or "")
                for name, column in node.get("columns", {}).items()
            },
            not_null={
                name
                for name, column in node.get("columns", {}).items()
                if any(
                    c["type"] in ("not_null", "primary_key")
                    for c in column.get("constraints", [])
                )
            },
        )
        for unique_id, node in models.items()
    }
    edges: set[Edge] = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or node.get("attached_node") not in entities:
            continue
        metadata = node.get("test_metadata") or {}
        kwargs = metadata.get("kwargs", {})
        entity = entities[node["attached_node"]]
        column = node.get("column_name") or kwargs.get("column_name")
        name = metadata.get("name")
        if name == "unique" and column:
            entity.unique.add(column)
        elif name == "not_null" and column:
            entity.not_null.add(column)
        elif name == "unique_combination_of_columns":
            entity.primary_key = list(kwargs.get("combination_of_columns", []))
        elif name == "relationships" and column:
            parents = [
                n for n in node["depends_on"]["nodes"] if n != node["attached_node"]
            ]
            if len(parents) == 1 and parents[0] in entities:
                edges.add(
                    Edge(
                        entities[parents[0]].name, kwargs["field"], entity.name, column
                    )
                )
    for entity in entities.values():
        if not entity.primary_key and entity.unique:
            entity.primary_key = [_primary(entity)]
        entity.alternate_keys = sorted(entity.unique - set(entity.primary_key))
    for edge in edges:
        child = next(e for e in entities.values() if e.name == edge.child)
        if edge.child_column not in child.foreign_keys:
            child.foreign_keys.append(edge.child_column)
    ordered = sorted(entities.values(), key=lambda e: e.name)
    for entity in ordered:
        entity.foreign_keys.sort()
    return ordered, sorted(edges, key=lambda e: (e.child, e.child_column, e.parent))


def _primary(entity: Entity) -> str:
    """Of several unique columns, the primary key: a never-null one, preferably
    named after the entity (`discount_id` in a model of discounts), else an `_id`."""
    candidates = sorted(entity.unique & entity.not_null) or sorted(entity.unique)
    stem = entity.name.split("__")[-1].removeprefix("dim_").removeprefix("fct_")
    for column in candidates:
        if column.endswith("_id") and stem.startswith(column.removesuffix("_id")):
            return column
    ids = [column for column in candidates if column.endswith("_id")]
    return (ids or candidates)[0]


def _type(raw: str) -> str:
    """A contract type as Mermaid accepts it (a word): `decimal(18, 2)` -> decimal."""
    word = re.sub(r"\(.*\)", "", raw).strip().split(" ")[0]
    return word or "key"


def _key_columns(entity: Entity) -> list[tuple[str, str]]:
    """(column, PK/FK marks) for the entity's keys, primary key first."""
    columns: list[tuple[str, str]] = []
    for column in entity.primary_key:
        marks = "PK, FK" if column in entity.foreign_keys else "PK"
        columns.append((column, marks))
    for column in entity.alternate_keys:
        marks = "UK, FK" if column in entity.foreign_keys else "UK"
        columns.append((column, marks))
    for column in entity.foreign_keys:
        if column not in entity.primary_key and column not in entity.alternate_keys:
            columns.append((column, "FK"))
    return columns


def _cardinality(edge: Edge, entities: dict[str, Entity]) -> str:
    """Crow's foot: parent side exactly one (||) when the key is never null, else
    zero or one (|o); child side one (|) when the child column is unique."""
    child = entities[edge.child]
    parent_side = "||" if edge.child_column in child.not_null else "|o"
    unique_child = edge.child_column in child.unique or child.primary_key == [
        edge.child_column
    ]
    child_side = "o|" if unique_child else "o{"
    return f"{parent_side}--{child_side}"


def mermaid(entities: list[Entity], edges: list[Edge]) -> str:
    by_name = {entity.name: entity for entity in entities}
    lines = ["erDiagram"]
    for entity in entities:
        lines.append(f"    {entity.name} {{")
        for column, marks in _key_columns(entity):
            lines.append(
                f"        {_type(entity.types.get(column, ''))} {column} {marks}"
            )
        lines.append("    }")
    for edge in edges:
        label = (
            edge.child_column
            if edge.child_column == edge.parent_column
            else f"{edge.child_column} to {edge.parent_column}"
        )
        lines.append(
            f'    {edge.parent} {_cardinality(edge, by_name)} {edge.child} : "{label}"'
        )
    return "\n".join(lines) + "\n"


def dot(title: str, entities: list[Entity], edges: list[Edge]) -> str:
    """The same diagram for Graphviz: one record-like table per entity."""
    lines = [
        "digraph erd {",
        f'    graph [rankdir=LR, fontname="DejaVu Sans", label="{title}", '
        "labelloc=t, fontsize=18, nodesep=0.3, ranksep=0.8, bgcolor=white];",
        '    node [shape=plain, fontname="DejaVu Sans", fontsize=11];',
        '    edge [color="#555555", arrowhead=crow, arrowtail=tee, dir=both];',
    ]
    for entity in entities:
        rows = "".join(
            f'<tr><td align="left" port="{column}">{column}</td>'
            f'<td align="left"><font color="#777777">'
            f"{_type(entity.types.get(column, ''))} {marks}</font></td></tr>"
            for column, marks in _key_columns(entity)
        )
        lines.append(
            f'    {entity.name} [label=<<table border="0" cellborder="1" '
            f'cellspacing="0" cellpadding="4"><tr><td colspan="2" '
            f'bgcolor="#dbe7f5"><b>{entity.name}</b></td></tr>{rows}</table>>];'
        )
    for edge in edges:
        lines.append(
            f"    {edge.parent}:{edge.parent_column}:e -> "
            f"{edge.child}:{edge.child_column}:w;"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def markdown(diagrams: Iterable[tuple[str, str, list[Entity], list[Edge]]]) -> str:
    parts = [
        "# Entity-relationship diagrams\n",
        "Generated by `python scripts/erd.py --manifest target/manifest.json` from "
        "the project's own tests and contracts (do not edit by hand; `make test` "
        "fails when this file is out of date). Entities are the models of a layer; "
        "PK: a column with a `unique` test (or the columns of a "
        "`unique_combination_of_columns` test), UK: another unique column; FK and "
        "each line: a "
        "`relationships` test. Types come from the model's contract (`key` where "
        "the model has none). Only keys are shown; every column is described in "
        "the docs site (`make docs`).\n",
    ]
    for key, title, entities, edges in diagrams:
        parts.append(f"## {title}\n")
        parts.append(
            f"{len(entities)} models, {len(edges)} relationships tests. "
            f"Image: [img/erd_{key}.svg](img/erd_{key}.svg).\n"
        )
        for entity in entities:
            if entity.description:
                parts.append(f"- `{entity.name}`: {entity.description}.")
        parts.append("")
        parts.append("```mermaid\n" + mermaid(entities, edges) + "```\n")
    return "\n".join(parts)


def _svg(source: str) -> str | None:
    """The diagram rendered by Graphviz, with the source's hash embedded; None
    when `dot` is not installed."""
    if shutil.which("dot") is None:
        return None
    rendered = subprocess.run(
        ["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True
    ).stdout
    digest = hashlib.sha256(source.encode()).hexdigest()
    return rendered.replace("<svg", f"<!-- {HASH_MARK}{digest} -->\n<svg", 1)


def build(manifest_path: Path) -> tuple[str, dict[str, str]]:
    """docs/erd.md's text and each diagram's Graphviz source."""
    manifest = json.loads(manifest_path.read_text())
    diagrams = []
    sources = {}
    for key, (title, layer) in DIAGRAMS.items():
        entities, edges = read_model(manifest, layer)
        diagrams.append((key, title, entities, edges))
        sources[key] = dot(title, entities, edges)
    return markdown(diagrams), sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=REPO / "target/manifest.json")
    parser.add_argument("--docs", type=Path, default=REPO / "docs")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the committed files differ"
    )
    args = parser.parse_args(argv)
    if not args.manifest.is_file():
        print(
            f"error: no manifest at {args.manifest}; run `dbt parse` first",
            file=sys.stderr,
        )
        return 2
    text, sources = build(args.manifest)
    markdown_path = args.docs / "erd.md"
    stale = []
    if args.check:
        committed = markdown_path.read_text() if markdown_path.exists() else ""
        if committed != text:
            sys.stdout.writelines(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    str(markdown_path),
                    "generated",
                )
            )
            stale.append(str(markdown_path))
        for key, source in sources.items():
            svg_path = args.docs / "img" / f"erd_{key}.svg"
            digest = hashlib.sha256(source.encode()).hexdigest()
            if (
                not svg_path.exists()
                or f"{HASH_MARK}{digest}" not in svg_path.read_text()
            ):
                stale.append(str(svg_path))
        if stale:
            print(
                "error: the ERD is out of date (" + ", ".join(stale) + "); "
                "regenerate it: make erd",
                file=sys.stderr,
            )
            return 1
        return 0
    markdown_path.write_text(text)
    for key, source in sources.items():
        svg = _svg(source)
        if svg is None:
            print(
                "error: Graphviz `dot` not found (apt-get install graphviz)",
                file=sys.stderr,
            )
            return 2
        (args.docs / "img").mkdir(exist_ok=True)
        (args.docs / "img" / f"erd_{key}.svg").write_text(svg)
    print(f"wrote {markdown_path} and docs/img/erd_{{{','.join(sources)}}}.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
