"""Workbench pages of the courts app: login, the home page, courts and teams."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhixing.courts import selectors, services
from zhixing.courts.access import staff_required
from zhixing.courts.rules import Capability


class LoginView(auth_views.LoginView):
    """Log in; django-axes locks a username after repeated failures. A successful login is audited."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(lockout_limit=settings.AXES_FAILURE_LIMIT, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            services.login_record(
                user=form.get_user(), at=timezone.now(), address=self.request.META.get("REMOTE_ADDR", "")
            )
        return response


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires)."""


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    """Show the person's workbench: their court, roles and what needs attention."""
    dashboard = selectors.home_dashboard(scope=request.scope, user=request.user, today=timezone.localdate())
    return render(request, "courts/home.html", {"dashboard": dashboard})


@staff_required(Capability.VIEW_COURT)
def court_list(request: HttpRequest) -> HttpResponse:
    """List the courts the person may read (their own; supervisors, the whole subtree)."""
    return render(request, "courts/court_list.html", {"courts": selectors.court_list(scope=request.scope)})


@staff_required(Capability.VIEW_COURT)
def court_detail(request: HttpRequest, court_id: int) -> HttpResponse:
    """Show a court: lower courts, teams with leaders and members, and staff by role."""
    detail = selectors.court_detail(scope=request.scope, court_id=court_id, today=timezone.localdate())
    return render(request, "courts/court_detail.html", {"detail": detail})


@staff_required(Capability.VIEW_COURT)
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    """Show a team and its members."""
    team, members = selectors.team_detail(scope=request.scope, team_id=team_id, today=timezone.localdate())
    return render(request, "courts/team_detail.html", {"team": team, "members": members})
