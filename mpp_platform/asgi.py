import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")
application = get_asgi_application()

# Behind transaction pooling one region's search_path could serve another's request: refuse.
from mpp_platform.pooler import startup_check  # noqa: E402

startup_check()
