"""Pure rules of the cases app: no ORM, no clock (filing, triage)."""
