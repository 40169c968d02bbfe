"""Region jobs of the MPP administration app."""

from kernel.tasks import region_task


@region_task(name="mpp.availability_resync")
def availability_resync(*, schema_name: str) -> int:
    """Runs in one region's schema: rebuild its rows of the national availability index.

    Offering changes keep the index current on commit; this repairs what they cannot see, such
    as a national change of channels on an offering that follows them. Fan it out nightly with
    ``dispatch_to_live_regions("mpp.availability_resync")``.
    """
    from tenants.mpp.availability import availability_resync as resync

    return resync()
