"""The suite's own guard: a test cannot open a connection that leaves this machine."""

from __future__ import annotations

import socket

import pytest


def test_a_connection_to_the_outside_is_refused() -> None:
    with socket.socket() as s, pytest.raises(OSError, match="may not leave this machine"):
        s.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
