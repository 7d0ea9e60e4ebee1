from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """Admin paginator for big tables: an unfiltered list uses the planner's row estimate instead of
    a full ``COUNT(*)``; filtered lists (which are narrow) count exactly."""

    estimate_above = 10_000  # below this, an exact count is cheap and nicer to read

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.distinct or query.combinator or query.is_sliced:
            return super().count
        if not _joins_only_parents(query):  # a join to children repeats rows: count what the list holds
            return super().count
        # Unfiltered, joined only to the rows' parents, the list holds every row of its table. One statement either way: the estimate, or the exact count when the estimate is
        # small, a round trip fewer than asking for the estimate first.
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT CASE WHEN reltuples > %s THEN reltuples::bigint ELSE (SELECT count(*) FROM {table}) END
                FROM pg_class WHERE oid = %s::regclass
                """,
                [self.estimate_above, queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        return row[0] if row else super().count


def _joins_only_parents(query) -> bool:
    """Whether every join follows a foreign key from the row to its parent (as ``select_related`` does),
    never from a row to its children, which would repeat the row."""
    for join in query.alias_map.values():
        field = getattr(join, "join_field", None)
        if field is not None and (field.one_to_many or field.many_to_many):
            return False
    return True
