"""Migration helpers for what Django 5.2 cannot declare: ``ON DELETE`` actions in the database itself."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

_SWAP_FK = """
DO $$
DECLARE constraint_name text;
BEGIN
    SELECT con.conname INTO STRICT constraint_name
    FROM pg_constraint con
    JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
    WHERE con.conrelid = '{table}'::regclass AND con.contype = 'f'
      AND array_length(con.conkey, 1) = 1 AND att.attname = '{column}';
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', '{table}', constraint_name);
    EXECUTE format(
        'ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES %I (%I) {on_delete} '
        'DEFERRABLE INITIALLY DEFERRED',
        '{table}', constraint_name, '{column}', '{to_table}', '{to_column}'
    );
END $$;
"""


def on_delete_in_database(
    table: str, column: str, to_table: str, action: str, to_column: str = "id"
) -> migrations.RunSQL:
    """Give the foreign key ``table.column`` an ``ON DELETE <action>`` in the database (a raw DELETE
    applies it). The constraint name is looked up, never hard-coded, and kept; the reverse restores
    Django's plain FK."""

    def swap(on_delete: str) -> str:
        return _SWAP_FK.format(
            table=table, column=column, to_table=to_table, to_column=to_column, on_delete=on_delete
        )

    return migrations.RunSQL(swap(f"ON DELETE {action}"), reverse_sql=swap(""), elidable=False)


def cascade_on_delete(table: str, column: str, to_table: str, to_column: str = "id") -> migrations.RunSQL:
    return on_delete_in_database(table, column, to_table, "CASCADE", to_column)


def index_renamed_in_place(
    old_name: str, new_name: str, *state_operations
) -> migrations.SeparateDatabaseAndState:
    """Give an index Django made under a generated name (a foreign key's ``db_index``) the name a
    specification uses, renamed in place: no rebuild of a large table's index, and no ``AlterField`` of the
    foreign key in the database (Django would drop and re-create its constraint, without the ``ON DELETE``
    the database holds). ``state_operations`` say the same in Django's terms: the field without
    ``db_index``, and the named index."""
    return migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL(
                f'ALTER INDEX "{old_name}" RENAME TO "{new_name}"',
                reverse_sql=f'ALTER INDEX "{new_name}" RENAME TO "{old_name}"',
            )
        ],
        state_operations=list(state_operations),
    )


class ExtensionKeptOnReverse(CreateExtension):
    """``CreateExtension`` whose reverse keeps the extension: unapplying an app's migrations removes the
    app's tables, not a database-wide extension other objects may use (the Delight specification asks
    this of ``vector``)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Creates extension {self.name} (kept when unapplied)"
