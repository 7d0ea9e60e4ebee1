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
        if getattr(queryset, "query", None) is None or queryset.query.where:
            return super().count
        # One statement either way: the estimate, or the exact count when the estimate is small (a
        # round trip fewer than asking for the estimate first).
        rows, params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT CASE WHEN reltuples > %s THEN reltuples::bigint
                            ELSE (SELECT COUNT(*) FROM ({rows}) AS listed) END
                FROM pg_class WHERE oid = %s::regclass
                """,
                [self.estimate_above, *params, queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        return row[0] if row else super().count
