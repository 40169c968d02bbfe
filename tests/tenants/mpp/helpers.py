import re


def form_errors(response) -> list[str]:
    """The error messages shown on a page (for assertion messages)."""
    html = response.content.decode()
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
