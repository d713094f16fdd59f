"""Django's SQLite backend, with database triggers that survive a table rebuild.

SQLite cannot alter most columns in place: Django's schema editor rebuilds the table (a new
table, the rows copied, the old one dropped, the new one renamed). SQLite drops the old
table's triggers with it, and refuses the rename while a trigger of another table names it
(`error in trigger …: no such table`). The rules the site keeps in triggers (a team member
is a registered participant, one role per edition, an append-only audit log) would be lost
or would stop `migrate` in the embedded default. So each rebuild first sets aside every
trigger that names the table, and puts each back once the table is in place.

Flushing the database (`manage.py flush`, and the tests that run outside a transaction,
between tests) empties every table. PostgreSQL does it with TRUNCATE, which row triggers do
not see; SQLite deletes row by row, which the audit log's append-only trigger refuses. So a
flush sets the emptied tables' triggers aside in the same way.
"""

import re

from django.db.backends.sqlite3 import base, operations, schema


def triggers(connection, *, naming=None, on=None) -> list[tuple[str, str]]:
    """(name, SQL) of the triggers whose SQL names table `naming`, or defined on one of the
    tables `on`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        rows = cursor.fetchall()
    if naming is not None:
        named = re.compile(rf"\b{re.escape(naming)}\b", re.IGNORECASE)
        return [(name, sql) for name, _table, sql in rows if sql and named.search(sql)]
    tables = {table.lower() for table in on}
    return [(name, sql) for name, table, sql in rows if sql and table.lower() in tables]


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return statements
        kept = triggers(self.connection, on=tables)
        drops = [f'DROP TRIGGER IF EXISTS "{name}"' for name, _sql in kept]
        return [*drops, *statements, *(sql for _name, sql in kept)]


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _remake_table(self, model, create_field=None, delete_field=None, alter_fields=None):
        kept = triggers(self.connection, naming=model._meta.db_table)
        for name, _sql in kept:
            self.execute(f'DROP TRIGGER IF EXISTS "{name}"', None)
        super()._remake_table(
            model, create_field=create_field, delete_field=delete_field, alter_fields=alter_fields
        )
        for _name, sql in kept:
            self.execute(sql, None)


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
    ops_class = DatabaseOperations
