"""A subscriber played by a real HTTP server on 127.0.0.1, and Celery run in this thread."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class FakeSubscriber:
    """Records every POST; answers with the next status in ``answers`` (then ``default``)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: list[int] = []
        self.default = 200
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.received.append({"headers": dict(self.headers), "body": body})
                code = fake.answers.pop(0) if fake.answers else fake.default
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if code < 300 else b"sedang gangguan")

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def subscriber_server():
    fake = FakeSubscriber()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def eager_celery(settings):
    from mpp_platform.celery import app

    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0
    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = old
