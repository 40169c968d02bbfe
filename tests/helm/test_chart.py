"""The Helm chart, checked on every run: linted and rendered by Helm's own Go SDK (the
helm-python-sdk wheel, no helm binary), every rendered object validated against the Kubernetes
API schema (kubernetes-validate ships the schemas: no network), and the properties an operator
relies on asserted: probes, security context, the shared file volume, the body-size limit."""

import re
from pathlib import Path

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "mpp-digital"
KUBERNETES = "1.30.0"  # the oldest minor the chart promises to work with beyond kubeVersion

PRODUCTION_LIKE = {
    "image": {"repository": "registry.mpp.go.id/mpp-digital", "tag": "2026.11.1"},
    "baseDomain": "mpp.go.id",
    "existingSecret": "mpp-prod-env",
    "storage": {
        "type": "filesystem",
        "filesystem": {"storageClassName": "cephfs", "size": "500Gi"},
    },
    "web": {"autoscaling": {"minReplicas": 3, "maxReplicas": 20}},
    "worker": {"concurrency": 4, "autoscaling": {"minReplicas": 2, "maxReplicas": 8}},
    "ingress": {
        "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"},
        "tlsSecretName": "mpp-go-id-wildcard",
    },
    "env": {"LOG_LEVEL": "WARNING", "SENTRY_ENVIRONMENT": "production"},
}
OBJECT_STORAGE = {
    "storage": {
        "type": "s3",
        "s3": {
            "bucket": "mpp-files",
            "endpointUrl": "https://s3.mpp.go.id",
            "region": "id-jkt-1",
        },
    },
    "web": {"autoscaling": {"enabled": False}, "replicas": 4},
}
CASES = {"default": {}, "production-like": PRODUCTION_LIKE, "object-storage": OBJECT_STORAGE}


def render(values: dict, *, upgrade: bool = False) -> list[dict]:
    with helm.Chart.load(str(CHART)) as chart:
        files = chart.render(
            values,
            name="mpp",
            namespace="mpp-digital",
            revision=2 if upgrade else 1,
            is_install=not upgrade,
            is_upgrade=upgrade,
        )
    return [
        doc
        for path, text in sorted(files.items())
        if path.endswith(".yaml")
        for doc in yaml.safe_load_all(text)
        if doc
    ]


def by_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def containers(objects: list[dict]):
    for obj in objects:
        if obj["kind"] in ("Deployment", "Job"):
            pod = obj["spec"]["template"]["spec"]
            for container in pod["containers"]:
                yield obj, pod, container


def env_of(container: dict) -> dict[str, str]:
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def size_in_bytes(quantity: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", quantity.lower()).groups()
    return int(number) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]


@pytest.mark.parametrize("case", CASES)
def test_the_chart_lints_clean(case):
    result = helm.lint(str(CHART), CASES[case], strict=True, namespace="mpp-digital")
    assert result["errors"] == []
    # Severity 1 is informational ("icon is recommended"); nothing worse is allowed.
    assert [m for m in result["messages"] if m["severity"] > 1] == []


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("upgrade", [False, True], ids=["install", "upgrade"])
def test_every_rendered_object_is_valid_kubernetes(case, upgrade):
    objects = render(CASES[case], upgrade=upgrade)
    kinds = sorted({o["kind"] for o in objects})
    assert {"Deployment", "Service", "Ingress", "Job", "PodDisruptionBudget"} <= set(kinds)
    for obj in objects:
        # Strict: an unknown or misspelt field fails too, not only a wrong type.
        kubernetes_validate.validate(obj, KUBERNETES, strict=True)


def test_validation_really_rejects_a_broken_object():
    deployment = by_kind(render({}), "Deployment")["mpp-mpp-web"]
    deployment["spec"]["template"]["spec"]["containers"][0]["securityContxt"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)


@pytest.mark.parametrize("case", CASES)
def test_every_pod_is_locked_down_and_bounded(case):
    objects = render(CASES[case])
    seen = set()
    for obj, pod, container in containers(objects):
        seen.add(obj["metadata"]["name"])
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == 1000
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        sc = container["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True
        assert sc["allowPrivilegeEscalation"] is False
        assert sc["capabilities"]["drop"] == ["ALL"]
        # With a read-only root, /tmp is the writable scratch space.
        assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
        assert {"requests", "limits"} <= set(container["resources"])
        assert container["resources"]["limits"]["memory"]
        assert env_of(container)["MPP_ENV"] == "production"
        assert container["envFrom"][0]["secretRef"]["name"]
    assert {"mpp-mpp-web", "mpp-mpp-worker", "mpp-mpp-beat"} <= seen


def test_web_probes():
    web = by_kind(render(PRODUCTION_LIKE), "Deployment")["mpp-mpp-web"]
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    # /readyz answers within a few seconds (two-second timeouts per dependency, cached).
    assert container["readinessProbe"]["timeoutSeconds"] >= 6
    assert container["command"] == ["gunicorn", "--config", "gunicorn.conf.py", "mpp_platform.wsgi"]


def test_the_shared_volume_is_mounted_by_web_and_worker_at_the_same_path():
    objects = render(PRODUCTION_LIKE)
    claim = by_kind(objects, "PersistentVolumeClaim")["mpp-mpp-files"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    assert claim["spec"]["storageClassName"] == "cephfs"
    assert claim["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    mounted = {}
    for obj, pod, container in containers(objects):
        volumes = {v["name"]: v for v in pod["volumes"]}
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        assert env_of(container)["MPP_STORAGE"] == "filesystem"
        if "files" in mounts:
            assert volumes["files"]["persistentVolumeClaim"]["claimName"] == "mpp-mpp-files"
            assert env_of(container)["MPP_PRIVATE_ROOT"] == mounts["files"]
            mounted[obj["metadata"]["name"]] = mounts["files"]
    assert set(mounted) == {"mpp-mpp-web", "mpp-mpp-worker"}
    assert len(set(mounted.values())) == 1


def test_an_existing_claim_is_used_as_is():
    objects = render({"storage": {"filesystem": {"existingClaim": "nfs-mpp"}}})
    assert "PersistentVolumeClaim" not in {o["kind"] for o in objects}
    web = by_kind(objects, "Deployment")["mpp-mpp-web"]["spec"]["template"]["spec"]
    files = next(v for v in web["volumes"] if v["name"] == "files")
    assert files["persistentVolumeClaim"]["claimName"] == "nfs-mpp"


def test_object_storage_needs_no_volume():
    objects = render(OBJECT_STORAGE)
    assert "PersistentVolumeClaim" not in {o["kind"] for o in objects}
    for _obj, pod, container in containers(objects):
        assert "files" not in {v["name"] for v in pod["volumes"]}
        env = env_of(container)
        assert env["MPP_STORAGE"] == "s3"
        assert env["MPP_S3_BUCKET"] == "mpp-files"
        assert env["MPP_S3_ENDPOINT_URL"] == "https://s3.mpp.go.id"
        assert "MPP_PRIVATE_ROOT" not in env
    web = by_kind(objects, "Deployment")["mpp-mpp-web"]
    assert web["spec"]["replicas"] == 4
    assert "mpp-mpp-web" not in by_kind(objects, "HorizontalPodAutoscaler")


def test_object_storage_without_a_bucket_does_not_render():
    with pytest.raises(helm.HelmError, match=r"storage\.s3\.bucket is required"):
        render({"storage": {"type": "s3"}})


def test_the_ingress_accepts_the_largest_upload():
    from onboarding.services import MAX_DOCUMENT_BYTES
    from shared.catalogue.forms import MAX_IMPORT_BYTES
    from shared.citizens.validation import DEFAULT_MAX_BYTES

    ingress = by_kind(render(PRODUCTION_LIKE), "Ingress")["mpp-mpp"]
    annotations = ingress["metadata"]["annotations"]
    limit = size_in_bytes(annotations["nginx.ingress.kubernetes.io/proxy-body-size"])
    # The largest single file, and an application form carrying five 5 MB documents.
    assert limit > max(MAX_IMPORT_BYTES, MAX_DOCUMENT_BYTES, 5 * DEFAULT_MAX_BYTES)
    assert annotations["cert-manager.io/cluster-issuer"] == "letsencrypt"
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts == ["mpp.go.id", "*.mpp.go.id"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) > 60


def test_autoscaling_and_disruption_budgets():
    objects = render(PRODUCTION_LIKE)
    hpas = by_kind(objects, "HorizontalPodAutoscaler")
    assert hpas["mpp-mpp-web"]["spec"]["minReplicas"] == 3
    assert hpas["mpp-mpp-web"]["spec"]["maxReplicas"] == 20
    assert hpas["mpp-mpp-worker"]["spec"]["scaleTargetRef"]["name"] == "mpp-mpp-worker"
    deployments = by_kind(objects, "Deployment")
    # With an HPA the Deployment leaves replicas to it (a fixed count would fight it on upgrade).
    assert "replicas" not in deployments["mpp-mpp-web"]["spec"]
    pdbs = by_kind(objects, "PodDisruptionBudget")
    assert set(pdbs) == {"mpp-mpp-web", "mpp-mpp-worker"}
    for name, pdb in pdbs.items():
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert pdb["spec"]["minAvailable"] >= 1


def test_beat_is_one_replica_that_never_overlaps():
    beat = by_kind(render(PRODUCTION_LIKE), "Deployment")["mpp-mpp-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert "mpp-mpp-beat" not in by_kind(render(PRODUCTION_LIKE), "HorizontalPodAutoscaler")
    assert "mpp-mpp-beat" not in by_kind(render(PRODUCTION_LIKE), "PodDisruptionBudget")


def test_migrations_before_and_set_up_after_every_release():
    objects = render(PRODUCTION_LIKE, upgrade=True)
    jobs = by_kind(objects, "Job")
    migrate, setup = jobs["mpp-mpp-migrate-2"], jobs["mpp-mpp-setup-2"]
    assert migrate["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert setup["metadata"]["annotations"]["helm.sh/hook"] == "post-install,post-upgrade"
    script = setup["spec"]["template"]["spec"]["containers"][0]["command"][-1]
    assert "load_regions" in script
    assert "catalogue_load_starter" in script
    assert "seed_demo" not in script  # never demo data in production
    assert "migrate_regions" in migrate["spec"]["template"]["spec"]["containers"][0]["command"][-1]


def test_the_schemas_ship_inside_the_package():
    from importlib.resources import files

    schemas = files("kubernetes_validate") / "kubernetes-json-schema"
    strict = schemas / f"v{KUBERNETES}-local-strict"
    assert (strict / "deployment-apps-v1.json").is_file()
    assert (strict / "_definitions.json").is_file()


def test_render_and_validate_without_any_network():
    """In a network namespace with no interface but loopback: nothing is downloaded."""
    import shutil
    import subprocess
    import sys

    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rn", "true"], check=False).returncode:
        pytest.skip("this machine cannot create a network namespace")
    code = (
        "import sys; sys.path.insert(0, '.')\n"
        "import kubernetes_validate\n"
        "from tests.helm.test_chart import CASES, KUBERNETES, render\n"
        "objects = [o for case in CASES.values() for o in render(case)]\n"
        "for o in objects: kubernetes_validate.validate(o, KUBERNETES, strict=True)\n"
        "print(len(objects))\n"
    )
    result = subprocess.run(
        [unshare, "-rn", sys.executable, "-c", code],
        cwd=CHART.parents[1],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.split()[-1]) > 20


def test_every_value_is_documented_beside_the_chart():
    readme = (CHART / "README.md").read_text()
    values = yaml.safe_load((CHART / "values.yaml").read_text())

    def leaves(node, path=()):
        if isinstance(node, dict) and node:
            for key, child in node.items():
                yield from leaves(child, (*path, key))
        else:
            yield path

    def documented(path) -> bool:
        # The value itself, or its group: `web.resources`, `env`, `web.autoscaling.…`.
        prefixes = (".".join(path[:n]) for n in range(len(path), 0, -1))
        return any(f"`{p}`" in readme or ("." in p and f"`{p}." in readme) for p in prefixes)

    undocumented = [".".join(path) for path in leaves(values) if not documented(path)]
    assert undocumented == []
