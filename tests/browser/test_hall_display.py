"""The hall display read from across the hall: on a 1920x1080 screen the number being called is
very large type, the counter and the recent calls large, and every number stands out from its
background by at least 7:1 (WCAG 2 AAA contrast), opacity and translucent colours included."""

import datetime as dt

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import unique
from tests.browser.pages import REGION, walk_data

pytestmark = pytest.mark.browser

# What each number on the board must reach, in CSS pixels at 1920x1080 (a 1 m wide screen is
# about 2 px per mm: the called number stands ~9 cm tall, readable from 20 m and more).
SIZES = {"now-number": 150, "now-counter": 48, "call": 48, "waiting": 28}
CONTRAST = 7.0

# The colour a text is seen in and the colour behind it, both composited over what lies under
# them (backgrounds of the ancestors, their opacity), then the WCAG 2 contrast ratio.
_MEASURE = """(selector) => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const backdrop = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] === 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
    return o;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(selector)].map((el) => {
    const style = getComputedStyle(el);
    const back = backdrop(el);
    const ink = parse(style.color);
    ink[3] *= opacity(el);
    const seen = over(ink, back);
    const [l1, l2] = [luminance(seen), luminance(back)].sort((a, b) => b - a);
    return {
      text: el.innerText.trim(),
      size: parseFloat(style.fontSize),
      contrast: (l1 + 0.05) / (l2 + 0.05),
      visible: el.getClientRects().length > 0,
    };
  });
}"""


def _board_with_calls():
    """A line of its own with three calls in Banyuwangi: two finished, one being called."""
    from shared.accounts.models import User
    from shared.regions.models import Mpp
    from tenants.mpp.models import Booth, Counter, LocalAgency, Offering, OpeningHours
    from tenants.queue.services.tickets import (
        ticket_call_next,
        ticket_finish,
        ticket_take_walk_in,
    )

    walk = walk_data()
    admin = User.objects.get(email=walk.admin)
    connection.set_tenant(Mpp.objects.get(region__slug=REGION))
    try:
        agency = LocalAgency.objects.create(name=unique("Dinas Layar"))
        booth = Booth.objects.create(local_agency=agency, number=unique("G"))
        offering = Offering.objects.create(
            code=unique("layar"),
            name=unique("Legalisir"),
            local_agency=agency,
            booth=booth,
            channels=["walk_in"],
        )
        for weekday in range(7):
            OpeningHours.objects.create(
                offering=offering, weekday=weekday, opens_at=dt.time(0), closes_at=dt.time(23, 59)
            )
        counter = Counter.objects.create(booth=booth, number="7", ticket_prefix="L")
        counter.offerings.add(offering)
        for _ in range(3):
            ticket_take_walk_in(actor=admin, offering=offering)
        for _ in range(2):
            ticket_call_next(actor=admin, counter=counter)
            ticket_finish(actor=admin, counter=counter)
        return ticket_call_next(actor=admin, counter=counter).number
    finally:
        connection.set_schema_to_public()


def test_hall_display_is_readable_from_across_the_hall(browser, live_site, on_a_working_day):
    number = _board_with_calls()
    context = browser.new_context(locale="id-ID", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_site.region(REGION, "/antrean/layar/"))
    expect(page.locator("#now-number")).to_have_text(number)  # polls from outside (the CSP)
    measured = {
        "now-number": page.evaluate(_MEASURE, "#now-number"),
        "now-counter": page.evaluate(_MEASURE, "#now-counter"),
        "call": page.evaluate(_MEASURE, "#calls li span"),
        "waiting": page.evaluate(_MEASURE, "#queues td.num"),
    }
    context.close()
    assert measured["now-number"][0]["text"] == number
    assert len(measured["call"]) >= 4, "the two finished calls, number and counter each"
    assert measured["waiting"], "the waiting lines"
    problems = [
        f"{kind} {m['text']!r}: {m['size']:.0f}px (>= {SIZES[kind]}), contrast "
        f"{m['contrast']:.2f}:1 (>= {CONTRAST})"
        for kind, items in measured.items()
        for m in items
        if m["visible"] and (m["size"] < SIZES[kind] or m["contrast"] < CONTRAST)
    ]
    assert not problems, "hard to read from a distance:\n" + "\n".join(problems)
