"""The declared order of SQL steps (warehouse/steps.py) lists every SQL file, and only those."""
from pathlib import Path

from warehouse import steps

SQL = Path(__file__).resolve().parents[1] / "warehouse" / "sql"


def test_every_schema_file_is_declared_once_and_every_declared_file_exists():
    names = [n for n, _ in steps.SCHEMA]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(f.name for f in SQL.glob("*.sql"))


def test_every_reconcile_file_is_declared_once_and_every_declared_file_exists():
    names = [n for n, _ in steps.RECONCILE]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(f.name for f in (SQL / "reconcile").glob("*.sql"))


def test_step_names_say_their_layer():
    assert all(n.startswith(("schema_", "marts_")) for n, _ in steps.SCHEMA)
    assert all(n.startswith(("stg_", "int_")) for n, _ in steps.RECONCILE)


def test_every_migration_is_declared_once_and_every_declared_file_exists():
    names = [n for n, _, _ in steps.MIGRATIONS]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(f.name for f in (SQL / "migrations").glob("*.sql"))
