"""Where a sweep runs: a local Ray instance sized to the machine, or an existing cluster.

On a cluster (``ray://``), Ray Tune's driver runs on the head node: it writes the
sweep's progress there (forwarded to this process by ``log_to_driver``) and
reads and writes ``OUT`` there, as the trials do on every node. ``OUT`` must
therefore be on a file system that this machine and every node share;
:func:`check_shared_directory` refuses one that a node does not see.

Ray is imported here lazily, so that ``import memctrl`` does not pay for it.
"""

from __future__ import annotations

import logging
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
"""How long a cluster may take to answer. Ray's own client retries for 30 s and
more before it gives up on an address where no Ray answers."""


def parse_address(address: str) -> str:
    """``HOST:PORT`` of ``ray://HOST:PORT``; ValueError naming the address otherwise."""
    split = urlsplit(address)
    try:
        port = split.port
    except ValueError:
        port = None
    if split.scheme != "ray" or not split.hostname or port is None:
        raise ValueError(f"--address {address!r}: expected ray://HOST:PORT, the Ray Client "
                         "address of the cluster's head node (port 10001 by default)")
    return f"{split.hostname}:{port}"


def check_reachable(address: str, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """ConnectionError naming ``address`` unless a Ray Client server answers a ping
    there within ``timeout_s``.

    The ping carries no token: a cluster with token authentication (Ray's default)
    answers UNAUTHENTICATED, which is an answer; but then the client must send its
    token too, which it does only with ``RAY_AUTH_MODE=token`` (else ``ray.init``
    waits out its 30 s and reports a timeout).
    """
    import grpc
    from ray.core.generated import ray_client_pb2, ray_client_pb2_grpc

    request = ray_client_pb2.ClusterInfoRequest(type=ray_client_pb2.ClusterInfoType.PING)
    with grpc.insecure_channel(parse_address(address)) as channel:
        try:
            ray_client_pb2_grpc.RayletDriverStub(channel).ClusterInfo(request, timeout=timeout_s)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.UNAUTHENTICATED:
                raise ConnectionError(
                    f"no Ray cluster answers at {address} within {timeout_s:g} s "
                    f"({error.code().name}: {error.details()}); is `ray start --head` running "
                    "there, and is its client port open?") from None
            if os.environ.get("RAY_AUTH_MODE", "").lower() != "token":
                raise ConnectionError(
                    f"the Ray cluster at {address} requires its authentication token: set "
                    "RAY_AUTH_MODE=token, with the head node's token in ~/.ray/auth_token "
                    "(or RAY_AUTH_TOKEN)") from None


def local_cpus() -> int:
    """The cores this process may run on (its CPU affinity, which cgroup cpusets set),
    not every core of the machine."""
    return len(os.sched_getaffinity(0))


def check_local_cpus(cpus_per_trial: float) -> None:
    """ValueError unless one trial's ``cpus_per_trial`` fit the local Ray instance
    (:func:`local_cpus`): Ray would wait for them for ever."""
    cpus = local_cpus()
    if cpus_per_trial > cpus:
        raise ValueError(f"cpus_per_trial: {cpus_per_trial:g} is more than the {cpus} CPU(s) "
                         f"the local Ray instance has (the cores this process may run on); "
                         f"give at most {cpus}, or --address a cluster")


def warn_unless_a_node_fits(cpus_per_trial: float) -> None:
    """Log a warning when no live node of the Ray cluster has ``cpus_per_trial`` CPUs: the
    trials wait, without a word from Ray Tune, until such a node joins (an autoscaler's)."""
    import ray

    most = max((node["Resources"].get("CPU", 0) for node in ray.nodes() if node["Alive"]),
               default=0)
    if cpus_per_trial > most:
        logger.warning("cpus_per_trial: %g is more than any node of the cluster has (at most "
                       "%g CPUs); the trials wait until a node that large joins",
                       cpus_per_trial, most)


@contextmanager
def ray_session(address: str | None = None,
                env_vars: dict[str, str] | None = None) -> Iterator[None]:
    """Ray, started locally on every core this process may use (``address=None``) or
    joined at ``address``; shut down on exit, also after an error or an interrupt.

    On a cluster the workers' output (the progress lines among it) comes back to
    this process's stderr; locally the progress is written here directly.
    ``env_vars`` are set for the cluster's workers (Ray Tune's driver among them).
    """
    import ray

    if address is None:
        # "local": a new instance, even where RAY_ADDRESS or a `ray start` names another.
        # worker_niceness 0: Ray runs its workers at nice 15 by default, so on a busy
        # machine the trials (the sweep's whole work) would wait for everything else.
        ray.init(address="local", num_cpus=local_cpus(), include_dashboard=False,
                 log_to_driver=False, logging_level=logging.WARNING,
                 _system_config={"worker_niceness": 0})
    else:
        check_reachable(address)
        ray.init(address=address, log_to_driver=True, logging_level=logging.WARNING,
                 runtime_env={"env_vars": dict(env_vars or {})})
    logger.info("Ray resources: %s", ray.cluster_resources())
    # A failed trial is reported by the progress lines and the summary, with its
    # error; Ray Tune would also log the traceback of its own machinery.
    logging.getLogger("ray.tune").setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        ray.shutdown()


def nodes_missing(path: Path) -> list[str]:
    """The addresses of the cluster's live nodes on which ``path`` does not exist."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    exists = ray.remote(num_cpus=0)(os.path.exists)
    nodes = [node for node in ray.nodes() if node["Alive"]]
    seen = ray.get([exists.options(scheduling_strategy=NodeAffinitySchedulingStrategy(
        node["NodeID"], soft=False)).remote(str(path)) for node in nodes])
    return [node["NodeManagerAddress"] for node, found in zip(nodes, seen) if not found]


def check_shared_directory(directory: Path) -> None:
    """OSError unless every node of the Ray cluster sees ``directory`` (a file
    written to it here is found there): with ``--address``, ``--out`` must be on a
    shared file system."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    marker = directory / f".memctrl-shared-{uuid.uuid4().hex}"
    marker.touch()
    try:
        missing = nodes_missing(marker)
    finally:
        marker.unlink(missing_ok=True)
    if missing:
        raise OSError(f"--out {directory} is not visible on the cluster's node(s) "
                      f"{', '.join(missing)}: with --address, --out must be a directory on a "
                      "file system that this machine and every node share (e.g. NFS), at the "
                      "same path")
