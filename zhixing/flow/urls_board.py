"""Supervision pages: the battle chart, the 超6个月 ledger, the routing model and the node settings."""

from django.urls import path

from zhixing.flow import views_board, views_model

urlpatterns = [
    path("board/", views_board.board, name="board"),
    path("board/target/", views_board.board_target, name="board_target"),
    path("ledger/", views_board.ledger, name="ledger"),
    path("ledger/export.xlsx", views_board.ledger_export_xlsx, name="ledger_export"),
    path("ledger/<int:entry_id>/review/", views_board.ledger_review, name="ledger_review"),
    path("model/", views_model.model, name="model"),
    path("model/preset/", views_model.model_load_preset, name="model_load_preset"),
    path("model/edit/", views_model.model_edit, name="model_edit"),
    path("nodes/", views_model.nodes, name="nodes"),
    path("nodes/<str:code>/setting/", views_model.node_setting, name="node_setting"),
]
