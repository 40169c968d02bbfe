"""Pages of the queue: citizens (``citizen``), the kiosk (``kiosk``), the hall display
(``display``), counter staff (``counter``) and the admin console (``console``)."""
