"""The local HTTP server that plays the WhatsApp/SMS provider (the contract of
shared.messaging.gateway), and the settings that point the HTTP gateway at it with Celery eager."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SECRET = "rahasia-callback"
TOKEN = "token-penyedia"


class FakeProvider:
    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: list[int] = []  # then 202
        self.delay = 0.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.received.append({"auth": self.headers["Authorization"], **body})
                time.sleep(fake.delay)
                code = fake.answers.pop(0) if fake.answers else 202
                payload = {"id": f"wa-{len(fake.received)}"} if code < 300 else {"error": "x"}
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def provider(settings):
    from mpp_platform.celery import app

    fake = FakeProvider()
    settings.MPP_MESSAGING_URL = fake.url
    settings.MPP_MESSAGING_TOKEN = TOKEN
    settings.MPP_MESSAGING_CALLBACK_SECRET = SECRET
    settings.MPP_MESSAGING_GATEWAY = "shared.messaging.gateway.HttpGateway"
    settings.MPP_MESSAGING_RETRY_BASE_SECONDS = 0
    settings.MPP_MESSAGING_TIMEOUT = 0.5
    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield fake
    app.conf.task_always_eager, app.conf.task_eager_propagates = old
    fake.server.shutdown()
    fake.server.server_close()
