"""Pages of a region's MPP: the public site (``public``) and the admin console (``console_*``)."""
