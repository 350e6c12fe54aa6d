"""Customer-satisfaction survey data: importing responses (CSV, XLSX, JSON) fast,
idempotently and all-or-nothing, keeping the daily rollup the analytics read in step.

* ``readers`` – rows out of CSV / XLSX / JSON, streamed;
* ``validation`` – one row checked (codes, ranges, dates, scope);
* ``staging`` / ``rollups`` – the set-based write and the rollup kept equal to a recount;
* ``importing`` – the one import service behind every entry point;
* ``jobs`` – background import jobs (Celery, outbox lease, sweeper);
* ``selectors`` – who sees which responses, rollups and imports.
"""
