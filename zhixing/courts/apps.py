from django.apps import AppConfig


class CourtsConfig(AppConfig):
    """Courts, their departments and teams, people and roles, and the working-day calendar."""

    name = "zhixing.courts"
    label = "courts"
    verbose_name = "法院与人员"
