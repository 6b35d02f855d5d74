"""The flow API under ``/api/v1/flow/`` (namespace ``flow_api``)."""

app_name = "flow_api"

urlpatterns: list = []
