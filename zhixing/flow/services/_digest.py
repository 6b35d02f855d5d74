"""The daily digest (每日待办摘要): one alert a day per executor with nodes due within 3 days or overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.timezone import localdate

from zhixing.core.services import alerts_insert_select

DIGEST_DAYS = 3


def digest_raise(*, at: datetime) -> int:
    """
    Raise today's digest for every holder of open nodes due by today + 3 days (one statement; once a day).

    Returns how many digests were raised now (0 when today's were raised already).
    """
    today = localdate(at)
    horizon = today + timedelta(days=DIGEST_DAYS)
    select = """
        SELECT n.court_id, NULL, 'flow.daily_digest', 'info', c.executor_id, '',
               %s || CAST(SUM(CASE WHEN n.due_on < %s THEN 1 ELSE 0 END) AS TEXT) || %s
                  || CAST(SUM(CASE WHEN n.due_on >= %s THEN 1 ELSE 0 END) AS TEXT) || %s,
               '', 'flow.digest', %s, %s, %s,
               %s || CAST(c.executor_id AS TEXT) || ':' || %s
          FROM flow_nodeinstance n
          JOIN cases_case c ON c.id = n.case_id
         WHERE n.status = 'open' AND n.paused_on IS NULL AND n.due_on <= %s AND c.executor_id IS NOT NULL
         GROUP BY n.court_id, c.executor_id
    """
    params = [
        "今日待办：已超期节点",
        today,
        "个，三日内到期节点",
        today,
        "个",
        today.isoformat(),
        today,
        at,
        "digest:",
        today.isoformat(),
        horizon,
    ]
    return alerts_insert_select(select_sql=select, params=params)
