"""``manage.py serve`` refuses bad input before it touches anything (the full start is in tests/test_make_run.py)."""

import socket

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize("addr", ["8000", "127.0.0.1", "127.0.0.1:http", ":8000"])
def test_a_malformed_address_is_refused(addr):
    with pytest.raises(CommandError) as error:
        call_command("serve", addr=addr)

    assert str(error.value) == f"监听地址“{addr}”格式不正确，应为“主机:端口”，例如 127.0.0.1:8000。"


def test_a_busy_port_is_refused_before_anything_starts():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        with pytest.raises(CommandError) as error:
            call_command("serve", addr=f"127.0.0.1:{port}")

    assert f"无法监听 127.0.0.1:{port}" in str(error.value)
    assert "端口可能已被占用" in str(error.value)
