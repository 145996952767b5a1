"""Joining a cluster: addresses are parsed, and an unreachable one fails within seconds."""

import os
import time
from concurrent import futures

import grpc
import pytest
import ray
from ray.core.generated import ray_client_pb2_grpc

from memctrl.cli import main
from memctrl.sweep.cluster import (check_reachable, check_shared_directory, nodes_missing,
                                   parse_address, ray_session)


def test_a_ray_client_address_is_accepted():
    assert parse_address("ray://head.example:10001") == "head.example:10001"


@pytest.mark.parametrize("address", ["ray://head", "http://head:80", "head:10001",
                                     "ray://head:port", ""])
def test_a_malformed_address_is_refused_naming_it(address):
    with pytest.raises(ValueError, match="--address"):
        parse_address(address)


def test_an_unreachable_cluster_fails_within_seconds_with_a_clear_error(tmp_path, capsys):
    config = tmp_path / "sweep.yaml"
    config.write_text("episodes: 1\nfixed: {env: CartPole-v1}\ngrid: {seed: [0]}\n")
    started = time.perf_counter()
    code = main(["sweep", "--config", str(config), "--out", str(tmp_path / "out"),
                 "--address", "ray://127.0.0.1:1"])
    assert time.perf_counter() - started < 10
    assert code == 2
    err = capsys.readouterr().err
    assert "no Ray cluster answers at ray://127.0.0.1:1" in err and "UNAVAILABLE" in err
    # the directory is not claimed: a corrected sweep file may use it
    assert not (tmp_path / "out" / "sweep.json").exists()
    config.write_text("episodes: 2\nfixed: {env: CartPole-v1}\ngrid: {seed: [0]}\n")
    code = main(["sweep", "--config", str(config), "--out", str(tmp_path / "out"),
                 "--address", "ray://127.0.0.1:1"])
    assert "another configuration" not in capsys.readouterr().err


def test_an_address_where_no_ray_answers_fails_within_the_timeout():
    # TEST-NET-2 (RFC 5737): not routed, or (behind a proxy) not a Ray server
    started = time.perf_counter()
    with pytest.raises(ConnectionError, match="no Ray cluster answers at ray://198.51.100.1"):
        check_reachable("ray://198.51.100.1:10001", timeout_s=0.5)
    assert time.perf_counter() - started < 3


class _TokenRequired(ray_client_pb2_grpc.RayletDriverServicer):
    """A Ray Client server of a cluster with token authentication, as the ping sees it."""

    def ClusterInfo(self, request, context):
        context.abort(grpc.StatusCode.UNAUTHENTICATED, "Invalid or missing authentication token")


@pytest.fixture
def token_cluster():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
    ray_client_pb2_grpc.add_RayletDriverServicer_to_server(_TokenRequired(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"ray://127.0.0.1:{port}"
    server.stop(grace=None)


def test_a_cluster_that_wants_a_token_is_refused_unless_the_token_mode_is_on(
        token_cluster, monkeypatch):
    monkeypatch.delenv("RAY_AUTH_MODE", raising=False)
    with pytest.raises(ConnectionError, match="requires its authentication token: set "
                                              "RAY_AUTH_MODE=token"):
        check_reachable(token_cluster, timeout_s=2)
    monkeypatch.setenv("RAY_AUTH_MODE", "token")
    check_reachable(token_cluster, timeout_s=2)     # it answers: the client may connect


def test_a_local_instance_uses_the_cores_of_the_cpu_affinity_and_shares_the_directory(
        tmp_path):
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})     # as `taskset -c N` or a cgroup cpuset would
    try:
        with ray_session():
            cpus = ray.cluster_resources()["CPU"]
            check_shared_directory(tmp_path)     # a local instance sees what this process sees
            missing = nodes_missing(tmp_path / "not-there")
            nodes = [node["NodeManagerAddress"] for node in ray.nodes()]
    finally:
        os.sched_setaffinity(0, allowed)
    assert cpus == 1
    assert missing == nodes and len(nodes) == 1
    assert list(tmp_path.iterdir()) == []       # the marker file is removed
