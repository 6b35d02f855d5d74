from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Enforcement cases, their 案号 and their parties."""

    name = "zhixing.cases"
    label = "cases"
    verbose_name = "执行案件"
