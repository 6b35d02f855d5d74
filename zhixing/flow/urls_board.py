"""Supervision pages: the battle chart, the 超6个月 ledger, the routing model and the node settings."""

urlpatterns: list = []
