"""Small pieces shared by the model modules."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Callable default: evaluated per row, never once at import."""
    return datetime.now(timezone.utc)


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Trilingual:
    """Mixin for rows that carry name_en / name_ru / name_kk."""

    def name_in(self, lang: str) -> str:
        return getattr(self, f"name_{lang}", None) or self.name_en
