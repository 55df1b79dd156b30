"""Benchmarks for cartify.

`python -m bench` times the whole pipeline (generate, load, dbt build, dbt tests) at
several scales, and the way the original projects computed the KPIs (raw CSVs loaded
into SQLite with pandas, KPI queries through pandas.read_sql) on the same rows, checking
that both give the same figures. See bench/pipeline.py.
"""
