"""An S3-compatible server on loopback (moto's threaded server: real HTTP, real boto3 requests),
and the private storage switched to it exactly as the environment would switch production."""

import socket
import uuid

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, settings, monkeypatch):
    """The "private" storage on a fresh bucket, configured through MPP_STORAGE=s3 and the
    standard AWS credential variables, as a deployment would. Yields (boto3 client, bucket)."""
    import boto3

    import mpp_platform.settings as conf

    bucket = f"mpp-{uuid.uuid4().hex[:12]}"
    for key, value in {
        "MPP_STORAGE": "s3",
        "MPP_S3_BUCKET": bucket,
        "MPP_S3_ENDPOINT_URL": s3_endpoint,
        "MPP_S3_REGION": "ap-southeast-3",
        "AWS_ACCESS_KEY_ID": "mpp-test",
        "AWS_SECRET_ACCESS_KEY": "mpp-test-secret",
    }.items():
        monkeypatch.setenv(key, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="ap-southeast-3",
        aws_access_key_id="mpp-test",
        aws_secret_access_key="mpp-test-secret",
    )
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
    )
    files = conf._file_storage()  # what settings build from these variables
    settings.STORAGES = {**settings.STORAGES, "default": files, "private": files}
    return client, bucket


def object_names(client, bucket: str) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))
