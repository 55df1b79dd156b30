"""The project's generic tests and macros, proved on tiny fixtures.

One `dbt build` runs in a throwaway dbt project under a tmp dir that copies
macros/, tests/generic/ and tests/macros/ from the repository, with seeds of
good and bad rows written below. So these tests do not depend on the main
project parsing (other models may be mid-edit), and failing rows never reach
the main project. Each generic test must pass on good rows and fail, with the
expected failure count, on bad rows. The copy of macros/_macros.yml is parsed
with `validate_macro_args` and its warnings made errors, so the docs must match
every macro's signature.

dbtRunner is not safe to run concurrently in one process: the build happens
once, in a module-scoped fixture, and the tests read its results.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from dbt.cli.main import dbtRunner
from dbt_common.events.base_types import EventMsg

REPO = Path(__file__).resolve().parents[2]
SIGNATURE = re.compile(r"{%-?\s*(macro|test)\s+(\w+)\s*\((.*?)\)\s*-?%}", re.DOTALL)
GENERIC_TESTS = (
    "expression_is_true",
    "accepted_range",
    "recency",
    "unique_combination_of_columns",
    "equal_rowcount",
    "equal_sum",
)

DBT_PROJECT = """\
name: cartify  # the dispatch namespace of every macro is 'cartify'
version: "0.1.0"
config-version: 2
profile: cartify_generic_tests
macro-paths: ["macros"]
test-paths: ["tests"]
seed-paths: ["seeds"]
model-paths: ["models"]
flags:
  send_anonymous_usage_stats: false
  validate_macro_args: true
vars:
  as_of_date: 2024-12-31  # unquoted: YAML makes it a date object
"""

PROFILES = """\
cartify_generic_tests:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{path}"
      threads: 4
      schema: main
"""

ORDER_COLUMNS = (
    "order_id,customer_id,order_date,ordered_at,subtotal,discount_amount,"
    "total_amount,rating"
)

# total = subtotal - discount everywhere; order 4's discount and rating are null
# (a null expression and a null value pass); ratings 1 and 5 sit on the bounds;
# (customer_id, order_date) is unique; the latest ordered_at is 2024-12-30 12:00.
ORDERS_GOOD = f"""\
{ORDER_COLUMNS}
1,10,2024-12-28,2024-12-28 09:00:00,100.00,10.00,90.00,1
2,10,2024-12-29,2024-12-29 10:00:00,50.00,0.00,50.00,5
3,11,2024-12-29,2024-12-29 11:30:00,20.00,5.00,15.00,3
4,12,2024-12-30,2024-12-30 12:00:00,80.00,,80.00,
"""

# total wrong on orders 1 and 3; discount > subtotal on order 2; rating out of
# 1-5 on orders 1 (0) and 2 (6); (customer_id, order_date) duplicated for
# (10, 12-01) x3, (11, 12-02) x2 and (null, 12-03) x2; 7 rows; latest 12-03.
ORDERS_BAD = f"""\
{ORDER_COLUMNS}
1,10,2024-12-01,2024-12-01 09:00:00,100.00,10.00,95.00,0
2,10,2024-12-01,2024-12-01 10:00:00,50.00,60.00,-10.00,6
3,10,2024-12-01,2024-12-01 11:00:00,20.00,5.00,16.00,5
4,11,2024-12-02,2024-12-02 08:00:00,30.00,0.00,30.00,1
5,11,2024-12-02,2024-12-02 09:00:00,30.00,0.00,30.00,3
6,,2024-12-03,2024-12-03 10:00:00,10.00,0.00,10.00,2
7,,2024-12-03,2024-12-03 11:00:00,10.00,0.00,10.00,2
"""

# one payment per good order, amounts = the good orders' totals (sum 235.00)
PAYMENTS_GOOD = """\
payment_id,order_id,amount
1,1,90.00
2,2,50.00
3,3,15.00
4,4,80.00
"""

ORDER_COLUMN_TYPES = """\
      column_types:
        order_id: integer
        customer_id: integer
        order_date: date
        ordered_at: timestamp
        subtotal: decimal(12,2)
        discount_amount: decimal(12,2)
        total_amount: decimal(12,2)
        rating: integer
"""

# Every test is named: (name, expected status, expected failure count).
SEEDS_YML = f"""\
version: 2

seeds:
  - name: payments_good
    config:
      column_types:
        payment_id: integer
        order_id: integer
        amount: decimal(12,2)

  - name: orders_good
    config:
{ORDER_COLUMN_TYPES}
    data_tests:
      - expression_is_true:
          name: expression_is_true__good
          arguments:
            expression: total_amount = subtotal - discount_amount
      - recency:
          name: recency__good
          arguments:
            field: ordered_at
            datepart: day
            interval: 1
            as_of: "2024-12-31"
      - recency:
          name: recency__as_of_from_date_var
          arguments:
            field: ordered_at
            datepart: day
            interval: 1
            as_of: "{{{{ var('as_of_date') }}}}"
      - recency:
          name: recency__as_of_expression
          arguments:
            field: ordered_at
            datepart: day
            interval: 1
            as_of: "cast('2024-12-31' as date)"
      - recency:
          name: recency__interval_as_string
          arguments:
            field: ordered_at
            datepart: day
            interval: "1"
            as_of: "2024-12-31"
      - recency:
          name: recency__date_field
          arguments:
            field: order_date
            datepart: day
            interval: 1
            as_of: "2024-12-31 00:00:00"
      - recency:
          name: recency__hours_on_the_boundary
          arguments:
            field: ordered_at
            datepart: hour
            interval: 12
            as_of: "2024-12-31 00:00:00"
      - recency:
          name: recency__hours_one_short
          arguments:
            field: ordered_at
            datepart: hour
            interval: 11
            as_of: "2024-12-31 00:00:00"
      - recency:
          name: recency__stale_against_later_as_of
          arguments:
            field: ordered_at
            datepart: day
            interval: 1
            as_of: "2025-01-10"
      - recency:
          name: recency__default_as_of_is_now
          arguments:
            field: ordered_at
            datepart: day
            interval: 30
      - recency:
          name: recency__no_rows
          arguments:
            field: ordered_at
            datepart: day
            interval: 1
            as_of: "2024-12-31"
          config:
            where: "1 = 0"
      - recency:
          name: recency__bad_interval
          arguments:
            field: ordered_at
            datepart: day
            interval: "a week"
            as_of: "2024-12-31"
      - unique_combination_of_columns:
          name: unique_combination_of_columns__good
          arguments:
            combination_of_columns: [customer_id, order_date]
      - unique_combination_of_columns:
          name: unique_combination_of_columns__string_argument
          arguments:
            combination_of_columns: customer_id
      - equal_rowcount:
          name: equal_rowcount__good
          arguments:
            compare_model: ref('payments_good')
      - equal_sum:
          name: equal_sum__good
          arguments:
            column_name: total_amount
            compare_model: ref('payments_good')
            compare_column: amount
    columns:
      - name: rating
        data_tests:
          - accepted_range:
              name: accepted_range__good
              arguments:
                min_value: 1
                max_value: 5
          - accepted_range:
              name: accepted_range__exclusive_rejects_bounds
              arguments:
                min_value: 1
                max_value: 5
                inclusive: false
          - accepted_range:
              name: accepted_range__no_bounds
      - name: subtotal
        data_tests:
          - accepted_range:
              name: accepted_range__min_only_good
              arguments:
                min_value: 0
                inclusive: false
      - name: total_amount
        data_tests:
          - equal_sum:
              name: equal_sum__default_compare_column
              arguments:
                compare_model: ref('orders_good')
          - equal_sum:
              name: equal_sum__where_filters_model_only
              arguments:
                compare_model: ref('orders_good')
              config:
                where: "order_id <> 4"

  - name: orders_bad
    config:
{ORDER_COLUMN_TYPES}
    data_tests:
      - expression_is_true:
          name: expression_is_true__bad
          arguments:
            expression: total_amount = subtotal - discount_amount
      - expression_is_true:
          name: expression_is_true__bad_where
          arguments:
            expression: total_amount = subtotal - discount_amount
          config:
            where: "order_id <> 1"
      - recency:
          name: recency__bad
          arguments:
            field: ordered_at
            datepart: day
            interval: 1
            as_of: "2024-12-31"
      - unique_combination_of_columns:
          name: unique_combination_of_columns__bad
          arguments:
            combination_of_columns: [customer_id, order_date]
      - equal_rowcount:
          name: equal_rowcount__bad
          arguments:
            compare_model: ref('payments_good')
      - equal_rowcount:
          name: equal_rowcount__where_filters_model_only
          arguments:
            compare_model: ref('payments_good')
          config:
            where: "order_id <= 4"
      - equal_sum:
          name: equal_sum__bad
          arguments:
            column_name: total_amount
            compare_model: ref('payments_good')
            compare_column: amount
    columns:
      - name: discount_amount
        data_tests:
          - expression_is_true:
              name: expression_is_true__column_bad
              arguments:
                expression: "<= subtotal"
          - accepted_range:
              name: accepted_range__max_is_a_column_bad
              arguments:
                max_value: subtotal
      - name: rating
        data_tests:
          - accepted_range:
              name: accepted_range__bad
              arguments:
                min_value: 1
                max_value: 5
          - accepted_range:
              name: accepted_range__bad_severity_warn
              arguments:
                min_value: 1
                max_value: 5
              config:
                severity: warn
"""


@dataclass(frozen=True)
class Outcome:
    status: str
    failures: int | None
    message: str


@dataclass(frozen=True)
class Build:
    project: Path
    # (macro unique_id, message) of each InvalidMacroAnnotation warning
    macro_annotation_warnings: list[tuple[str, str]]
    outcomes: dict[str, Outcome]


@dataclass
class _MacroAnnotationWarnings:
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def collect(self, event: EventMsg) -> None:
        if event.info.name == "InvalidMacroAnnotation":
            self.warnings.append((event.data.macro_unique_id, event.data.msg))


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = tmp_path_factory.mktemp("generic_tests_project")
    shutil.copytree(REPO / "macros", project / "macros")
    shutil.copytree(REPO / "tests" / "generic", project / "tests" / "generic")
    shutil.copytree(REPO / "tests" / "macros", project / "tests" / "macros")
    (project / "models").mkdir()
    (project / "dbt_project.yml").write_text(DBT_PROJECT)
    (project / "profiles.yml").write_text(
        PROFILES.format(path=project / "generic_tests.duckdb")
    )
    annotations = _MacroAnnotationWarnings()
    seeds = project / "seeds"
    seeds.mkdir()
    (seeds / "orders_good.csv").write_text(ORDERS_GOOD)
    (seeds / "orders_bad.csv").write_text(ORDERS_BAD)
    (seeds / "payments_good.csv").write_text(PAYMENTS_GOOD)
    (seeds / "_seeds.yml").write_text(SEEDS_YML)

    args = [
        "build",
        "--project-dir", str(project),
        "--profiles-dir", str(project),
        "--target-path", str(project / "target"),
        "--log-path", str(project / "logs"),
        "--no-partial-parse",
        "--warn-error-options",
        json.dumps({"error": ["MacroNotFoundForPatch"]}),
    ]  # fmt: skip
    with pytest.MonkeyPatch.context() as env:
        for name in ("DBT_PROFILES_DIR", "DBT_PROJECT_DIR", "DBT_TARGET_PATH",
                     "DBT_LOG_PATH", "DBT_SELECT", "DBT_EXCLUDE"):  # fmt: skip
            env.delenv(name, raising=False)
        result = dbtRunner(callbacks=[annotations.collect]).invoke(args)
    # A failing data test makes success False; a crash or parse error leaves
    # no per-node results at all.
    assert result.exception is None, result.exception
    assert result.result is not None
    return Build(
        project,
        annotations.warnings,
        {
            run.node.name: Outcome(str(run.status), run.failures, run.message or "")
            for run in result.result.results
        },
    )


@pytest.fixture(scope="module")
def outcomes(build: Build) -> dict[str, Outcome]:
    return build.outcomes


# (test name, status, failure count): bad rows fail with exactly this count.
CASES = [
    ("expression_is_true__good", "pass", 0),
    ("expression_is_true__bad", "fail", 2),  # orders 1 and 3
    ("expression_is_true__bad_where", "fail", 1),  # where drops order 1
    ("expression_is_true__column_bad", "fail", 1),  # order 2: 60 > 50
    ("accepted_range__good", "pass", 0),  # 1 and 5 included, null passes
    ("accepted_range__exclusive_rejects_bounds", "fail", 2),  # ratings 1, 5
    ("accepted_range__min_only_good", "pass", 0),
    ("accepted_range__bad", "fail", 2),  # ratings 0 and 6
    ("accepted_range__bad_severity_warn", "warn", 2),
    ("accepted_range__max_is_a_column_bad", "fail", 1),  # order 2
    ("recency__good", "pass", 0),  # latest 12-30 12:00 >= 12-30 00:00
    ("recency__as_of_from_date_var", "pass", 0),
    ("recency__as_of_expression", "pass", 0),
    ("recency__interval_as_string", "pass", 0),
    ("recency__date_field", "pass", 0),
    ("recency__hours_on_the_boundary", "pass", 0),  # threshold 12-30 12:00
    ("recency__hours_one_short", "fail", 1),  # threshold 12-30 13:00
    ("recency__stale_against_later_as_of", "fail", 1),
    ("recency__default_as_of_is_now", "fail", 1),  # 2024 data vs today
    ("recency__no_rows", "fail", 1),  # null latest value fails
    ("recency__bad", "fail", 1),  # latest 12-03
    ("unique_combination_of_columns__good", "pass", 0),
    ("unique_combination_of_columns__bad", "fail", 3),  # 3 duplicated pairs
    ("equal_rowcount__good", "pass", 0),
    ("equal_rowcount__bad", "fail", 3),  # 7 rows vs 4: failures = the gap
    ("equal_rowcount__where_filters_model_only", "pass", 0),
    ("equal_sum__good", "pass", 0),  # 235.00 = 235.00
    ("equal_sum__bad", "fail", 1),
    ("equal_sum__default_compare_column", "pass", 0),
    ("equal_sum__where_filters_model_only", "fail", 1),  # 155.00 vs 235.00
    # the macros' singular tests (tests/macros/), on literal rows
    ("assert_haversine_km_known_distances", "pass", 0),
    ("assert_rounding_macros_agree_across_engines", "pass", 0),
    ("assert_safe_divide_handles_zero_and_null", "pass", 0),
    ("assert_surrogate_key_is_stable_and_null_safe", "pass", 0),
    ("assert_strict_parse_follows_the_contract", "pass", 0),
]


@pytest.mark.parametrize(("name", "status", "failures"), CASES)
def test_generic_test_outcome(
    outcomes: dict[str, Outcome], name: str, status: str, failures: int
) -> None:
    outcome = outcomes[name]
    assert (outcome.status, outcome.failures) == (status, failures), outcome.message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("accepted_range__no_bounds", "set min_value, max_value or both"),
        ("recency__bad_interval", "interval must be an integer"),
        (
            "unique_combination_of_columns__string_argument",
            "must be a non-empty list of columns",
        ),
    ],
)
def test_misuse_is_a_clear_compile_error(
    outcomes: dict[str, Outcome], name: str, message: str
) -> None:
    outcome = outcomes[name]
    assert outcome.status == "error"
    assert message in outcome.message


def test_every_case_is_checked(outcomes: dict[str, Outcome]) -> None:
    """No named fixture test is left without an expectation, or vice versa."""
    tests = {name for name in outcomes if "__" in name or name.startswith("assert_")}
    expected = {case[0] for case in CASES} | {
        "accepted_range__no_bounds",
        "recency__bad_interval",
        "unique_combination_of_columns__string_argument",
    }
    assert tests == expected


def test_every_macro_is_documented(build: Build) -> None:
    """Every cartify macro and generic test has a description in _macros.yml."""
    manifest = json.loads((build.project / "target" / "manifest.json").read_text())
    ours = {
        macro["name"]: macro
        for macro in manifest["macros"].values()
        if macro["package_name"] == "cartify"
    }
    assert {"cartify_surrogate_key", "haversine_km", "safe_divide"} <= set(ours)
    assert {f"test_{name}" for name in GENERIC_TESTS} <= set(ours)
    undocumented = [name for name, macro in ours.items() if not macro["description"]]
    assert undocumented == []


def test_documented_arguments_match_signatures(build: Build) -> None:
    """_macros.yml lists each macro's arguments by name, in signature order.

    dbt checks this itself (validate_macro_args, on in the throwaway project)
    for macros in macros/, but not for generic tests: it does not read the
    arguments of `{% test %}` blocks, so it warns that their documented
    arguments do not match an empty list. Those warnings are expected; any
    other is a real mismatch. The signatures are compared here directly.
    """
    unexpected = [
        (unique_id, message)
        for unique_id, message in build.macro_annotation_warnings
        if not (
            unique_id.startswith("macro.cartify.test_")
            and "number of arguments" in message
        )
    ]
    assert unexpected == []

    signatures = {}
    for path in [*REPO.glob("macros/**/*.sql"), *REPO.glob("tests/generic/*.sql")]:
        for kind, name, params in SIGNATURE.findall(path.read_text()):
            macro = f"test_{name}" if kind == "test" else name
            signatures[macro] = [
                param.split("=")[0].strip() for param in params.split(",")
            ]
    documented = yaml.safe_load((REPO / "macros" / "_macros.yml").read_text())
    for entry in documented["macros"]:
        if "arguments" in entry:
            names = [argument["name"] for argument in entry["arguments"]]
            assert names == signatures[entry["name"]], entry["name"]
