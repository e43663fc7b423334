"""Unit tests are pure: the network is blocked."""

import pytest


@pytest.fixture(autouse=True)
def _no_network(socket_disabled):  # provided by pytest-socket
    yield
