"""Pages about one case and one person's work: the progress table and its actions, alerts, approvals."""

urlpatterns: list = []
