"""Reads of the cases app, always through the court scope (see the private modules)."""

from zhixing.cases.selectors._cases import PartyDisplay, case_get, party_cases, party_display, party_visible_get

__all__ = ["PartyDisplay", "case_get", "party_cases", "party_display", "party_visible_get"]
