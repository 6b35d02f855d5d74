"""
Periodic jobs, registered by each app in its ``jobs.py``.

One registry feeds both ways of running them: ``manage.py runjobs`` (the embedded default, a loop in
its own process) and Celery beat (production), which sends ``zhixing.core.tasks.job_run_task``.
A job is a function taking ``at`` (the moment, read once by the runner) and returning a short summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """A periodic job: what runs, how often, and a label for the console."""

    name: str
    every: timedelta
    run: Callable[..., object]
    label: str


_REGISTRY: dict[str, Job] = {}


def job(*, name: str, every: timedelta, label: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register the decorated function (keyword ``at``) as the periodic job ``name``."""

    def decorate(func: Callable[..., object]) -> Callable[..., object]:
        if name in _REGISTRY and _REGISTRY[name].run is not func:
            raise ValueError(f"periodic job {name!r} registered twice")
        _REGISTRY[name] = Job(name=name, every=every, run=func, label=label)
        return func

    return decorate


def discover() -> None:
    """Import the ``jobs`` module of every installed app, so that each registers its jobs."""
    for config in apps.get_app_configs():
        if config.name.startswith("zhixing."):
            try:
                import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.jobs":
                    raise


def registered_jobs() -> dict[str, Job]:
    """Return every registered job by name (after discovery)."""
    discover()
    return dict(_REGISTRY)


def job_run(*, name: str, at: datetime) -> object:
    """Run the job ``name`` once at ``at`` and return its summary."""
    return registered_jobs()[name].run(at=at)


def beat_schedule() -> dict[str, dict[str, object]]:
    """Return the Celery beat schedule: one entry per registered job."""
    return {
        name: {"task": "zhixing.core.tasks.job_run_task", "schedule": spec.every, "kwargs": {"name": name}}
        for name, spec in registered_jobs().items()
    }
