"""Dirty mode (``python -m generator --dirty RATE``): a post-pass that spoils a clean
world the way real feeds are spoiled, deterministically by seed, and records every
defect it injected in ``defects.csv`` beside ``manifest.json``.

The clean files are read back, rows are edited, duplicated or appended, and the
files rewritten. Each defect is one row of ``defects.csv``: the table, the file line
it sits on after the pass (line 1 is the header), the row's key, the kind, the column,
the clean and the injected text, and what the warehouse is expected to do with it:
``repair:<how>``, ``quarantine:<reason>`` (the reason code the strict staging layer
gives it) or ``reject:<reason>`` (the contract check refuses the file). About ``RATE``
of each table's rows carry a defect (at least one of each kind), one defect per row.
The kinds are listed in ``KINDS`` and described in docs/raw_data.md (Dirty mode).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .schema import TABLES

DEFECTS_FILE = "defects.csv"
DEFECT_COLUMNS = (
    "table",
    "line",
    "key",
    "kind",
    "column",
    "clean_text",
    "dirty_text",
    "expected",
)
# a random stream of its own, apart from the simulation's (simulate.STREAM)
DIRTY_STREAM = 97
BOM = b"\xef\xbb\xbf"
TIMESTAMP = "%Y-%m-%d %H:%M:%S"
# the incremental lookback (dbt var incremental_lookback_days) a late row exceeds
LATE_DAYS = 30


@dataclass
class Row:
    """One line of a file: its raw fields (quotes kept) and what was done to it."""

    tokens: list[str]
    defects: list[dict[str, str]] = field(default_factory=list)
    tail: str = "\n"  # the line end; the last line of a cut file has none
    duplicates: list[Row] = field(default_factory=list)  # written right after it

    def text(self, column: int) -> str:
        token = self.tokens[column]
        if token.startswith('"'):
            return token[1:-1].replace('""', '"')
        return token

    def encode(self) -> bytes:
        return (",".join(self.tokens) + self.tail).encode("utf-8", "surrogateescape")


def split_tokens(line: str) -> list[str]:
    """The raw fields of one CSV line, quotes kept, so that untouched fields are
    written back byte for byte."""
    tokens: list[str] = []
    current: list[str] = []
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            tokens.append("".join(current))
            current = []
        else:
            current.append(char)
    tokens.append("".join(current))
    return tokens


def cents(text: str) -> int:
    """A money text of the contract (`12.30`) in pence."""
    return round(float(text) * 100)


def quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class Table:
    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        data = path.read_bytes().decode("utf-8", "surrogateescape")
        lines = data.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self.header = lines[0]
        self.columns = [name for name, _ in TABLES[name]]
        self.rows = [Row(split_tokens(line)) for line in lines[1:]]
        self.bom = False
        self.used: set[int] = set()  # rows that already carry a defect

    def col(self, column: str) -> int:
        return self.columns.index(column)

    def key(self, row: Row) -> str:
        pk = "ad_id,stat_date" if self.name == "ad_daily_stats" else self.columns[0]
        return "|".join(row.text(self.col(c)) for c in pk.split(","))

    def write(self) -> list[dict[str, str]]:
        """Rewrite the file; returns its defects with their final line numbers."""
        defects: list[dict[str, str]] = []
        out = io.BytesIO()
        out.write((BOM if self.bom else b"") + (self.header + "\n").encode())
        number = 1
        for row in self.rows:
            for line in (row, *row.duplicates):
                number += 1
                out.write(line.encode())
                for defect in line.defects:
                    defects.append({**defect, "line": str(number)})
        self.path.write_bytes(out.getvalue())
        return defects


class Spoiler:
    """Applies the defects, table by table, from one seeded random stream."""

    def __init__(self, directory: Path, rate: float, seed: int) -> None:
        self.directory = directory
        self.rate = rate
        self.rng = np.random.default_rng(
            np.random.SeedSequence(seed, spawn_key=(DIRTY_STREAM,))
        )
        self.manifest = json.loads((directory / "manifest.json").read_text())
        self.tables: dict[str, Table] = {}
        self.header_defects: list[dict[str, str]] = []

    def table(self, name: str) -> Table:
        if name not in self.tables:
            self.tables[name] = Table(name, self.directory / f"{name}.csv")
        return self.tables[name]

    def count(self, table: Table, kinds_on_table: int) -> int:
        """How many rows a kind spoils: RATE of the table shared by its kinds."""
        return max(1, int(self.rate * len(table.rows) / kinds_on_table))

    def pick(
        self, table: Table, n: int, where: Callable[[Row], bool] | None = None
    ) -> list[int]:
        """Up to ``n`` distinct row indexes not yet spoiled (and matching ``where``)."""
        free = [
            i
            for i in range(len(table.rows))
            if i not in table.used and (where is None or where(table.rows[i]))
        ]
        if not free:
            return []
        chosen = self.rng.choice(len(free), size=min(n, len(free)), replace=False)
        picked = sorted(free[int(i)] for i in chosen)
        table.used.update(picked)
        return picked

    @staticmethod
    def record(
        table: Table,
        row: Row,
        kind: str,
        column: str,
        clean: str,
        dirty: str,
        expected: str,
    ) -> None:
        row.defects.append(
            {
                "table": table.name,
                "key": table.key(row),
                "kind": kind,
                "column": column,
                "clean_text": clean,
                # readable in defects.csv: a byte that is not UTF-8 shows as \xff
                "dirty_text": dirty.encode("utf-8", "surrogateescape").decode(
                    "utf-8", "backslashreplace"
                ),
                "expected": expected,
            }
        )

    def set_field(
        self,
        table: Table,
        index: int,
        column: str,
        text: str,
        kind: str,
        expected: str,
        quoted: bool | None = None,
    ) -> None:
        row = table.rows[index]
        c = table.col(column)
        clean = row.text(c)
        if quoted is None:
            quoted = row.tokens[c].startswith('"') or "," in text
        row.tokens[c] = quote(text) if quoted else text
        self.record(table, row, kind, column, clean, text, expected)

    # ---- defects within one field ---------------------------------------------

    def field_defect(
        self,
        name: str,
        column: str,
        kind: str,
        expected: str,
        spoil: Callable[[str], str],
        n: int,
        where: Callable[[Table, Row], bool] | None = None,
    ) -> None:
        table = self.table(name)
        c = table.col(column)

        def usable(row: Row) -> bool:
            return row.text(c) != "" and (where is None or where(table, row))

        for i in self.pick(table, n, usable):
            self.set_field(
                table, i, column, spoil(table.rows[i].text(c)), kind, expected
            )

    # ---- whole-row defects -----------------------------------------------------

    def duplicate(self, name: str, n: int) -> None:
        """Exact duplicates: the same line again, right after the original."""
        table = self.table(name)
        for i in self.pick(table, n):
            row = table.rows[i]
            copy = Row(list(row.tokens))
            self.record(
                table, copy, "exact_duplicate", "", "", "", "repair:duplicate_collapsed"
            )
            row.duplicates.append(copy)

    def resend(self, name: str, column: str, n: int) -> None:
        """A record sent again at the end of the file, same key, one value changed
        (smaller or larger): neither version can be trusted over the other."""
        table = self.table(name)
        c = table.col(column)
        for i in self.pick(table, n, lambda r: r.text(c) not in ("", "0.00")):
            row = table.rows[i]
            copy = Row(list(row.tokens))
            cents = round(float(row.text(c)) * 100)
            delta = int(self.rng.integers(1, max(2, cents // 2)))
            changed = cents - delta if self.rng.random() < 0.5 else cents + delta
            text = f"{changed / 100:.2f}"
            copy.tokens[c] = text
            self.record(
                table,
                copy,
                "resent_changed",
                column,
                row.text(c),
                text,
                "quarantine:conflicting_resend",
            )
            table.rows.append(copy)

    def truncate_row(self, name: str, n: int) -> None:
        """A row cut short mid-file: its last fields are missing."""
        table = self.table(name)
        for i in self.pick(table, n, lambda r: len(r.tokens) > 3):
            row = table.rows[i]
            keep = len(row.tokens) // 2
            clean = ",".join(row.tokens)
            row.tokens = row.tokens[:keep]
            self.record(
                table,
                row,
                "truncated_row",
                table.columns[keep],
                clean,
                ",".join(row.tokens),
                "quarantine:truncated_row",
            )

    def cut_last_row(self, name: str) -> None:
        """The file ends inside its last field (a copy cut short): `20:00` → `20:0`,
        no final line end."""
        table = self.table(name)
        last = len(table.rows) - 1
        if last < 0 or last in table.used:
            return
        table.used.add(last)
        row = table.rows[last]
        c = len(row.tokens) - 1
        clean = row.text(c)
        row.tokens[c] = row.tokens[c][:-1]
        row.tail = ""
        self.record(
            table,
            row,
            "cut_last_field",
            table.columns[c],
            clean,
            row.text(c),
            "quarantine:bad_timestamp",
        )

    def bom(self, name: str) -> None:
        table = self.table(name)
        table.bom = True
        self.header_defects.append(
            {
                "table": name,
                "line": "1",
                "key": "",
                "kind": "byte_order_mark",
                "column": "",
                "clean_text": "",
                "dirty_text": "U+FEFF",
                "expected": "repair:bom_stripped",
            }
        )

    def late_sessions(self, n: int) -> None:
        """Sessions that arrive long after they happened: new ids (above the
        manifest's next_ids), started more than the incremental lookback before the
        period end, appended at the end of the file."""
        table = self.table("website_sessions")
        started = table.col("started_at")
        end = dt.datetime.fromisoformat(self.manifest["period_end"])
        next_id = int(self.manifest["next_ids"]["session_id"])
        for k, i in enumerate(self.pick(table, n)):
            copy = Row(list(table.rows[i].tokens))
            copy.tokens[0] = str(next_id + k)
            when = end - dt.timedelta(days=LATE_DAYS, hours=int(self.rng.integers(24)))
            copy.tokens[started] = when.strftime(TIMESTAMP)
            self.record(
                table,
                copy,
                "late_row",
                "started_at",
                "",
                copy.tokens[started],
                "quarantine:late_beyond_lookback",
            )
            table.rows.append(copy)

    def clicks_above_impressions(self, n: int) -> None:
        """An ad-day with more clicks than impressions."""
        table = self.table("ad_daily_stats")
        clicks = table.col("clicks")
        for i in self.pick(table, n, lambda r: int(r.text(clicks)) > 0):
            fewer = str(int(table.rows[i].text(clicks)) - 1)
            self.set_field(
                table,
                i,
                "impressions",
                fewer,
                "out_of_range",
                "quarantine:out_of_range",
            )

    # ---- cross-table contradictions ----------------------------------------------

    def refund_above_paid(self, n: int) -> None:
        """A refund above the item's share of what was paid for goods: quantity x
        unit price x (total - shipping) / subtotal, the generator's own refund
        before it is rounded down (lifecycle.refund_amounts)."""
        items = self.table("order_items")
        qty, price = items.col("quantity"), items.col("unit_price")
        orders = self.table("orders")
        paid = {
            r.text(0): (
                cents(r.text(orders.col("total_amount")))
                - cents(r.text(orders.col("shipping_amount"))),
                cents(r.text(orders.col("subtotal"))),
            )
            for r in orders.rows
        }
        share: dict[str, int] = {}
        for r in items.rows:
            goods, subtotal = paid.get(r.text(items.col("order_id")), (0, 0))
            gross = int(r.text(qty)) * cents(r.text(price))
            share[r.text(0)] = gross * goods // max(subtotal, 1)
        refunds = self.table("refunds")
        item_col = refunds.col("order_item_id")
        for i in self.pick(refunds, n, lambda r: r.text(item_col) in share):
            row = refunds.rows[i]
            amount = share[row.text(item_col)] + int(self.rng.integers(100, 5000))
            self.set_field(
                refunds,
                i,
                "refund_amount",
                f"{amount / 100:.2f}",
                "refund_above_paid",
                "quarantine:refund_exceeds_paid",
            )

    def session_customer_mismatch(self, n: int) -> None:
        """A converted session that names no customer, or another one, than its
        order."""
        orders = self.table("orders")
        buyer = {
            r.text(orders.col("session_id")): r.text(orders.col("customer_id"))
            for r in orders.rows
        }
        sessions = self.table("website_sessions")
        customer = sessions.col("customer_id")
        for k, i in enumerate(self.pick(sessions, n, lambda r: r.text(0) in buyer)):
            row = sessions.rows[i]
            other = "" if k % 2 == 0 else str(int(row.text(customer) or 0) % 50 + 1)
            if other == row.text(customer):
                other = ""
            self.set_field(
                sessions,
                i,
                "customer_id",
                other,
                "session_customer_mismatch",
                "quarantine:customer_contradiction",
            )

    # ---- the pass ------------------------------------------------------------------

    def run(self) -> list[dict[str, str]]:
        rng = self.rng
        end = dt.date.fromisoformat(self.manifest["period_end"])

        def n(name: str, kinds: int) -> int:
            return self.count(self.table(name), kinds)

        def money_comma(text: str) -> str:
            return text.replace(".", ",")

        def money_exponent(text: str) -> str:
            return f"{float(text) * 100:g}e-2"

        def money_precision(text: str) -> str:
            return f"{text}{int(rng.integers(1, 10))}"

        def fractional(text: str) -> str:
            return f"{text}.5"

        def negative(text: str) -> str:
            return f"-{text}"

        def iso_t(text: str) -> str:
            return text.replace(" ", "T")

        def day_first(text: str) -> str:
            return dt.datetime.strptime(text, TIMESTAMP).strftime("%d/%m/%Y %H:%M:%S")

        def with_offset(text: str) -> str:
            local = dt.datetime.strptime(text, TIMESTAMP) + dt.timedelta(hours=2)
            return local.strftime("%Y-%m-%dT%H:%M:%S") + "+02:00"

        def future(text: str) -> str:
            return (end + dt.timedelta(days=int(rng.integers(1, 3650)))).isoformat()

        def shout(text: str) -> str:
            return f" {text.upper()} "

        def title(text: str) -> str:
            return f"{text.title()} "

        def bad_utf8(text: str) -> str:
            return text[:1] + "\udcff" + text[1:]  # the byte 0xFF, not UTF-8

        def empty(text: str) -> str:
            return ""

        def orphan(text: str) -> str:
            return str(int(text) + 10_000_000)

        # cross-table contradictions first, while the tables they read are clean
        self.refund_above_paid(n("refunds", 1))
        self.session_customer_mismatch(n("website_sessions", 3))
        # orders: 8 kinds
        k = 8
        self.duplicate("orders", n("orders", k))
        self.resend("orders", "total_amount", n("orders", k))
        self.field_defect(
            "orders",
            "customer_id",
            "empty_required",
            "quarantine:missing_required",
            empty,
            n("orders", k),
        )
        self.field_defect(
            "orders",
            "ordered_at",
            "timestamp_offset",
            "quarantine:bad_timestamp",
            with_offset,
            n("orders", k),
        )
        self.field_defect(
            "orders",
            "shipping_amount",
            "money_exponent",
            "quarantine:bad_money",
            money_exponent,
            n("orders", k),
            lambda t, r: r.text(t.col("shipping_amount")) != "0.00",
        )
        self.field_defect(
            "orders",
            "status",
            "case_whitespace",
            "repair:trimmed_lowercased",
            shout,
            n("orders", k),
        )
        self.field_defect(
            "orders",
            "discount_id",
            "orphan_fk",
            "quarantine:orphan_parent",
            orphan,
            n("orders", k),
        )
        self.truncate_row("orders", n("orders", k))
        # order_items: 6 kinds
        k = 6
        self.duplicate("order_items", n("order_items", k))
        self.field_defect(
            "order_items",
            "unit_price",
            "decimal_comma",
            "quarantine:bad_money",
            money_comma,
            n("order_items", k),
        )
        self.field_defect(
            "order_items",
            "quantity",
            "fractional_integer",
            "quarantine:bad_integer",
            fractional,
            n("order_items", k),
        )
        self.field_defect(
            "order_items",
            "quantity",
            "out_of_range",
            "quarantine:out_of_range",
            negative,
            n("order_items", k),
        )
        self.field_defect(
            "order_items",
            "product_id",
            "orphan_fk",
            "quarantine:orphan_parent",
            orphan,
            n("order_items", k),
        )
        self.field_defect(
            "order_items",
            "status",
            "case_whitespace",
            "repair:trimmed_lowercased",
            title,
            n("order_items", k),
        )
        # products, customers, sessions, pageviews, stats, refunds, reviews
        self.resend("products", "retail_price", n("products", 2))
        self.field_defect(
            "products",
            "cost",
            "money_precision",
            "quarantine:bad_money",
            money_precision,
            n("products", 2),
        )
        self.duplicate("customers", n("customers", 3))
        self.field_defect(
            "customers",
            "birth_date",
            "out_of_range",
            "quarantine:out_of_range",
            future,
            n("customers", 3),
        )
        self.field_defect(
            "customers",
            "first_name",
            "invalid_utf8",
            "quarantine:bad_encoding",
            bad_utf8,
            n("customers", 3),
        )
        self.field_defect(
            "website_sessions",
            "device_type",
            "case_whitespace",
            "repair:trimmed_lowercased",
            shout,
            n("website_sessions", 3),
        )
        self.late_sessions(n("website_sessions", 3))
        self.duplicate("pageviews", n("pageviews", 3))
        self.field_defect(
            "pageviews",
            "viewed_at",
            "timestamp_format",
            "quarantine:bad_timestamp",
            iso_t,
            n("pageviews", 3),
        )
        self.field_defect(
            "pageviews",
            "viewed_at",
            "timestamp_format",
            "quarantine:bad_timestamp",
            day_first,
            n("pageviews", 3),
        )
        self.clicks_above_impressions(n("ad_daily_stats", 2))
        self.field_defect(
            "ad_daily_stats",
            "spend",
            "empty_required",
            "quarantine:missing_required",
            empty,
            n("ad_daily_stats", 2),
        )
        self.field_defect(
            "reviews",
            "order_item_id",
            "orphan_fk",
            "quarantine:orphan_parent",
            orphan,
            n("reviews", 1),
        )
        self.bom("reviews")
        self.cut_last_row("payments")

        defects = list(self.header_defects)
        for table in self.tables.values():
            defects.extend(table.write())
        return defects


def inject_defects(directory: Path, rate: float, seed: int) -> int:
    """Spoil the clean world in ``directory``; write defects.csv; return the count."""
    defects = Spoiler(directory, rate, seed).run()
    defects.sort(key=lambda d: (d["table"], int(d["line"])))
    with (directory / DEFECTS_FILE).open(
        "w", newline="", encoding="utf-8", errors="surrogateescape"
    ) as f:
        writer = csv.DictWriter(f, fieldnames=DEFECT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(defects)
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["dirty"] = {"rate": rate, "defects": DEFECTS_FILE, "count": len(defects)}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return len(defects)
