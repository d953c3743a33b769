"""A local fake gov.cn web (several CMS styles, known reports, known faults) behind a proxy.

    from flows.fakeweb import start_fake_web
    web = start_fake_web()      # HTTP_PROXY=web.proxy_url reaches http://www.*.gov.cn/
"""

from flows.fakeweb.model import ExpectedReport, LoggedRequest
from flows.fakeweb.web import FakeWeb, start_fake_web

__all__ = ["ExpectedReport", "FakeWeb", "LoggedRequest", "start_fake_web"]
