"""A local fake gov.cn web (several CMS styles, known reports, known faults) behind a proxy.

    from tests.fakeweb import start_fake_web
    web = start_fake_web()      # HTTP_PROXY=web.proxy_url reaches http://www.*.gov.cn/
"""

from tests.fakeweb.model import ExpectedReport, LoggedRequest
from tests.fakeweb.web import FakeWeb, start_fake_web

__all__ = ["ExpectedReport", "FakeWeb", "LoggedRequest", "start_fake_web"]
