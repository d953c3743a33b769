"""pytest fixture `fake_web`: one started fake gov.cn web per test session.

Register with `pytest_plugins = ["tests.fakeweb_fixtures"]`. It sets no environment
variables; pass `fake_web.proxy_url` to the client under test explicitly. Tests that
change the web (set_revision, flaky counters) should call `fake_web.reset()` after.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flows.fakeweb.web import FakeWeb, start_fake_web


@pytest.fixture(scope="session")
def fake_web() -> Iterator[FakeWeb]:
    web = start_fake_web()
    try:
        yield web
    finally:
        web.stop()
