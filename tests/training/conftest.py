"""A trained run shared by the tests of the training edges, and a snapshot of a directory."""

from pathlib import Path

import pytest

from memctrl.cli import main


def files_in(directory: Path) -> dict[str, bytes]:
    """Every file of ``directory`` by name, with its bytes: equal snapshots, nothing changed."""
    return {path.name: path.read_bytes() for path in directory.iterdir()}


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory) -> Path:
    """A two-episode run of `memctrl train`, made once; tests work on copies."""
    out = tmp_path_factory.mktemp("trained") / "run"
    assert main(["train", "--env", "CartPole-v1", "--episodes", "2", "--out", str(out),
                 "--eval-episodes", "1", "--no-progress"]) == 0
    return out
