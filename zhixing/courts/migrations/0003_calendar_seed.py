"""Seed the holiday table with every year the ``chinese_calendar`` package covers (2004–2026 in 1.11.0)."""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from zhixing.core.calendar_package import package_years

    calendar_year = apps.get_model("courts", "CalendarYear")
    calendar_day = apps.get_model("courts", "CalendarDay")
    years = package_years()
    known_years = set(calendar_year.objects.values_list("year", flat=True))
    known_days = set(calendar_day.objects.values_list("day", flat=True))
    now = timezone.now()
    calendar_day.objects.bulk_create(
        [
            calendar_day(day=d.day, kind="holiday" if d.is_holiday else "makeup_workday", name=d.name)
            for year, days in years.items()
            if year not in known_years
            for d in days
            if d.day not in known_days
        ]
    )
    calendar_year.objects.bulk_create(
        [
            calendar_year(year=year, source="package", entered_by=None, entered_at=now, note="国务院办公厅放假安排通知")
            for year in years
            if year not in known_years
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("courts", "0002_team_kinds")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
