"""Writes of the queue (run inside a region's schema; every one audits): ``capacity`` (slots of
a day, derived), ``bookings``, ``tickets``, ``kiosk``, ``settings`` and ``figures``."""
