"""`python -m flows.fakeweb`: serve the fake gov.cn web in the foreground (Ctrl-C stops)."""

from __future__ import annotations

import argparse
import tempfile
import threading
from pathlib import Path

from flows.fakeweb.web import REGISTRY_FILE_NAME, start_fake_web


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m flows.fakeweb", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="proxy port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--generated", type=int, default=0, help="add N generated sites (benchmarks)")
    parser.add_argument("--registry", type=Path, help=f"where to write the site registry (default: a temp {REGISTRY_FILE_NAME})")
    args = parser.parse_args(argv)
    web = start_fake_web(extra_generated_sites=args.generated, port=args.port)
    registry = web.write_registry(args.registry or Path(tempfile.mkdtemp(prefix="fakeweb-")) / REGISTRY_FILE_NAME)
    print(f"fake gov.cn web: {len(web.sites)} sites, {web.report_count} reports")
    print(f"proxy: {web.proxy_url}")
    print(f"registry: {registry}")
    print(f"try: HTTP_PROXY={web.proxy_url} http_proxy={web.proxy_url} nianbao crawl --sites {registry}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        web.stop()


if __name__ == "__main__":
    main()
