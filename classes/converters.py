from datetime import date


class IsoWeekConverter:
    """`2026-W48` in a URL: the Monday of that ISO week. Impossible weeks do not match (404)."""

    regex = r"[0-9]{4}-W[0-9]{2}"

    def to_python(self, value):
        year, week = int(value[:4]), int(value[6:])
        try:
            return date.fromisocalendar(year, week, 1)
        except ValueError as error:
            raise ValueError(f"no such week: {value}") from error

    def to_url(self, value):
        year, week, _ = value.isocalendar()
        return f"{year:04d}-W{week:02d}"
