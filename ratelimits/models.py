from django.db import models


class RateLimitCounter(models.Model):
    """Hits per bucket per fixed window, counted with one atomic upsert (the default counter store)."""

    pk = models.CompositePrimaryKey("bucket", "window_start")
    bucket = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "rate_limit_counters"
        indexes = [models.Index(fields=["window_start"], name="rate_limit_window_idx")]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.window_start:%Y-%m-%d %H:%M}: {self.hits}"
