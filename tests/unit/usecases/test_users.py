"""Admins manage people (#12) on the fakes: a wrong team creates no account; changes keep what they do not
name (skills keep the probation end, disabling keeps the teams)."""

from __future__ import annotations

from datetime import date

import pytest

from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.usecases import teams, users
from tests.unit.fakes import fakes

ADMIN = Agent(email="admin@heard.local", groups=frozenset({"admin"}))


def test_a_wrong_team_creates_no_account():
    f = fakes()
    with pytest.raises(InvalidInput, match="unknown team"):
        users.invite(f.deps, ADMIN, "new@heard.local", "agent", ["nowhere"])
    assert f.users.users() == []


def test_changes_keep_what_they_do_not_name():
    f = fakes()
    team = f.config.get().teams[0].id
    users.invite(f.deps, ADMIN, "New@heard.local", "trainee", [team], ["spanish"], date(2027, 1, 31))
    # When a supervisor sets the skills through the Teams view, and an admin disables the account
    teams.set_person(f.deps, ADMIN, "new@heard.local", [team], ["spanish", "billing"])
    after = users.change(f.deps, ADMIN, "new@heard.local", {"enabled": False})
    # Then the probation end and the teams are still there
    assert after["probation_until"] == date(2027, 1, 31) and after["teams"] == [team]
    assert after["skills"] == ["billing", "spanish"] and after["enabled"] is False
    # and ending probation (null) keeps the skills
    ended = users.change(f.deps, ADMIN, "new@heard.local", {"probation_until": None})
    assert ended["probation_until"] is None and ended["skills"] == ["billing", "spanish"]


def test_an_admin_cannot_lock_themselves_out():
    f = fakes()
    users.invite(f.deps, ADMIN, ADMIN.email, "admin", [])
    with pytest.raises(InvalidInput, match="yourself"):
        users.change(f.deps, ADMIN, ADMIN.email, {"role": "agent"})
