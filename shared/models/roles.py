"""The five roles (Cognito groups) and what they may do — one list for the API, the CDK user pool and the
local stack's seeded users."""

ROLES: tuple[str, ...] = ("agent", "trainee", "reviewer", "supervisor", "admin")
WRITERS = frozenset({"agent", "trainee", "supervisor", "admin"})  # may claim, reply, resolve
SUPERVISORS = frozenset({"supervisor", "admin"})  # reports, crises, configuration
