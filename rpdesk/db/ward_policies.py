"""The row-level security statements that keep a PostgreSQL table's rows to the wards a login is granted.

Shared by the migrations that add ward tables (0007, 0011), so every ward table is guarded by the
same four policies over ``rpdesk_ward_ok(ward, writing)`` (defined in migration 0007): read the
rows of the wards a login may read, insert, change and delete only in the wards it may write.
"""

from __future__ import annotations


def ward_policies(table: str, ward: str) -> list[str]:
    """Enable row-level security on ``table``, its rows belonging to the ward the SQL ``ward`` gives."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY rpdesk_read ON {table} FOR SELECT USING (rpdesk_ward_ok({ward}, false))",
        f"CREATE POLICY rpdesk_insert ON {table} FOR INSERT WITH CHECK (rpdesk_ward_ok({ward}, true))",
        f"CREATE POLICY rpdesk_update ON {table} FOR UPDATE USING (rpdesk_ward_ok({ward}, true)) "
        f"WITH CHECK (rpdesk_ward_ok({ward}, true))",
        f"CREATE POLICY rpdesk_delete ON {table} FOR DELETE USING (rpdesk_ward_ok({ward}, true))",
    ]


def drop_ward_policies(table: str) -> list[str]:
    """Undo :func:`ward_policies` on ``table``."""
    drops = [f"DROP POLICY rpdesk_{policy} ON {table}" for policy in ("read", "insert", "update", "delete")]
    return [*drops, f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"]
