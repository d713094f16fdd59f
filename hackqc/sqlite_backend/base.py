"""Django's SQLite backend, with database triggers that survive a table rebuild.

SQLite cannot alter most columns in place: Django's schema editor rebuilds the table (a new
table, the rows copied, the old one dropped, the new one renamed). SQLite drops the old
table's triggers with it, and refuses the rename while a trigger of another table names it
(`error in trigger …: no such table`). The rules the site keeps in triggers (a team member
is a registered participant, one role per edition, an append-only audit log) would be lost
or would stop `migrate` in the embedded default. So each rebuild first sets aside every
trigger that names the table, and puts each back once the table is in place.
"""

import re

from django.db.backends.sqlite3 import base, schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _remake_table(self, model, create_field=None, delete_field=None, alter_fields=None):
        triggers = self._triggers_naming(model._meta.db_table)
        for name, _sql in triggers:
            self.execute(f'DROP TRIGGER IF EXISTS "{name}"', None)
        super()._remake_table(
            model, create_field=create_field, delete_field=delete_field, alter_fields=alter_fields
        )
        for _name, sql in triggers:
            self.execute(sql, None)

    def _triggers_naming(self, table) -> list[tuple[str, str]]:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            rows = cursor.fetchall()
        named = re.compile(rf"\b{re.escape(table)}\b", re.IGNORECASE)
        return [(name, sql) for name, sql in rows if sql and named.search(sql)]


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
