"""The real application served over HTTP on loopback, in a thread of the test process, against
the session's database (browser tests and the generated API client use it)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread


@contextmanager
def live_thread() -> Iterator[int]:
    """Serve until the block ends; yields the port. Links the site writes carry that port."""
    thread = LiveServerThread("127.0.0.1", static_handler=StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    old_port = settings.MPP_PUBLIC_PORT
    settings.MPP_PUBLIC_PORT = str(thread.port)
    try:
        yield thread.port
    finally:
        settings.MPP_PUBLIC_PORT = old_port
        thread.terminate()
