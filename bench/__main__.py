"""``make bench``: run the benchmarks in a fresh test database and write
bench/results.json — a list of {"name", "value", "unit", "database", "note"}.

Each ``bench/bench_<topic>.py`` exposes ``run() -> list[dict]``. Names are
stable (the issues give them). ``python -m bench home courses`` runs only those
topics; results for other names already in the file are kept.
"""

import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path

import django

RESULTS = Path(__file__).resolve().parent / "results.json"
# Run only when named: ``make bench-national`` builds a million cadres.
OPT_IN = {"national"}


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    topics = argv or sorted(
        name.removeprefix("bench_")
        for _finder, name, _pkg in pkgutil.iter_modules([str(Path(__file__).parent)])
        if name.startswith("bench_") and name.removeprefix("bench_") not in OPT_IN
    )
    database = connection.vendor
    if os.environ.get("BENCH_DATABASE_NAME"):
        # A shared server: the benchmark's own database name, not test_<name>.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.environ["BENCH_DATABASE_NAME"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    results: list[dict] = []
    try:
        for index, topic in enumerate(topics):
            if index:
                # Each topic builds its own world; start it from an empty database.
                call_command("flush", interactive=False, verbosity=0)
            module = importlib.import_module(f"bench.bench_{topic}")
            print(f"== {topic} ({database})", flush=True)
            for row in module.run():
                row.setdefault("database", database)
                row.setdefault("note", "")
                results.append(row)
                print(f"  {row['name']:<32} {row['value']:>12} {row['unit']:<8} {row['note']}")
    finally:
        if os.environ.get("BENCH_KEEP"):  # keep the world to look into it (psql, EXPLAIN)
            print(f"kept database {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    fresh = {(r["name"], r["database"]) for r in results}
    merged = [r for r in previous if (r["name"], r["database"]) not in fresh] + results
    RESULTS.write_text(json.dumps(merged, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
