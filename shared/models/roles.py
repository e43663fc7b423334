"""The six roles (Cognito groups) and what they may do — one list for the API, the CDK user pool and the
local stack's seeded users."""

ROLES: tuple[str, ...] = ("agent", "trainee", "reviewer", "supervisor", "admin", "auditor")
WRITERS = frozenset({"agent", "trainee", "supervisor", "admin"})  # may claim, reply, resolve
SUPERVISORS = frozenset(
    {"supervisor", "admin"}
)  # reports, crises, configuration, approving trainees' replies
REVIEWERS = frozenset({"reviewer", "supervisor", "admin"})  # blind empathy review of first replies (R11)
# The audit trail: admins, and auditors, who may read it and nothing else (read-only; R25, R27).
AUDITORS = frozenset({"admin", "auditor"})
ADMINS = frozenset({"admin"})  # brands and connected accounts (issue #16), the configuration
ON_PROBATION = "trainee"  # new agents: their replies wait for a supervisor's approval (R12)


def needs_approval(groups: frozenset[str]) -> bool:
    """A trainee's reply goes public only once approved (R12); a supervisor or admin is never on probation."""
    return ON_PROBATION in groups and not groups & SUPERVISORS
