"""Pure rules of the flow app: no database, no clock (checked by import-linter)."""
