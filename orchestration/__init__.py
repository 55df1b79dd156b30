"""The weekly cartify pipeline on Dagster.

Dagster is an optional extra: `pip install -e '.[orchestration]'`.

Assets, upstream to downstream:

- `raw/<table>`: the generator's CSVs (one asset per raw table, all produced by one
  run of the generator: a full world the first time, then a weekly batch);
- the load: dbt seeds and the staging models, which read those CSVs;
- the warehouse: every other dbt model (intermediate and marts), their dbt tests as
  asset checks.

A job, `cartify_weekly`, materialises the whole chain; a schedule runs it every Monday
at 06:00 UTC. `dagster dev -m orchestration.definitions` serves the UI. The definitions
are built by `orchestration.assets.build_definitions`, so tests can build their own
against a temporary world; importing this package builds nothing.
"""
