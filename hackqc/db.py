"""Database helpers that make SQLite (the embedded default) answer like PostgreSQL."""

import unicodedata


def _unaccent(value):
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(value))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def register_sqlite_functions(sender, connection, **kwargs):
    """Gives SQLite the UNACCENT function of PostgreSQL's extension, so that the
    `__unaccent` lookups (searches insensitive to accents) work on both databases."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, _unaccent, deterministic=True)
