"""The run record: written atomically, read back with errors that name the file."""

import json

import numpy as np
import pytest

from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.run_dir import hold_run_lock
from memctrl.run_record import (RUN_FILE, network_record, read_run_record,
                                remove_stale_temporaries, require_own_run, write_run_record)


@pytest.fixture
def record():
    net = Network(NetworkConfig(n_neurons=3, n_inputs=2), w_in=np.full((3, 2), 0.8),
                  seed=0, backend="reference")
    for _ in range(5):
        net.tick(np.array([1.0, 0.5]))
    return network_record(net, "test", ticks=5, neuron_preset="measured",
                          synapse_preset="taox-hfox")


def test_a_record_round_trips(tmp_path, record):
    write_run_record(tmp_path, record)
    back = read_run_record(tmp_path)
    assert back["counters"] == record["counters"]
    assert back["emulated_time_s"] == pytest.approx(5 * 10 * 100e-6)
    assert back["network"]["control_rate_hz"] == pytest.approx(1000.0)
    assert back["kernel"] == "reference"
    assert [p.name for p in tmp_path.iterdir()] == [RUN_FILE]  # no temporary left behind


def test_rewriting_never_leaves_a_partial_file(tmp_path, record, monkeypatch):
    write_run_record(tmp_path, record)
    original = (tmp_path / RUN_FILE).read_text()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("memctrl.run_record.os.replace", fail)
    with pytest.raises(OSError):
        write_run_record(tmp_path, dict(record, ticks=99))
    assert (tmp_path / RUN_FILE).read_text() == original
    assert [p.name for p in tmp_path.iterdir()] == [RUN_FILE]


@pytest.mark.parametrize("corrupt, message", [
    (lambda text: text[: len(text) // 2], "not valid JSON"),
    (lambda text: json.dumps({"format": "other"}), "not a memctrl-run/1"),
    (lambda text: text.replace('"spikes"', '"spikez"'), "'spikes'"),
    (lambda text: text.replace('"ticks": 5', '"ticks": -5'), "'ticks'"),
    (lambda text: text.replace('"ticks": 5', '"ticks": 50'),
     r"contradicts itself: 'ticks' \(50\) at 'network.control_rate_hz' \(1000.0 Hz\) are not "
     r"'emulated_time_s' \(0.005"),
    (lambda text: "[" * 100_000 + "]" * 100_000, "not valid JSON .maximum recursion depth"),
])
def test_corrupt_records_are_named(tmp_path, record, corrupt, message):
    path = write_run_record(tmp_path, record)
    path.write_text(corrupt(path.read_text()))
    with pytest.raises(ValueError, match=message) as error:
        read_run_record(tmp_path)
    assert str(path) in str(error.value)


def test_a_missing_record_is_named(tmp_path):
    with pytest.raises(ValueError, match=r"no run record \(expected a directory written by"):
        read_run_record(tmp_path)


def test_a_run_of_no_step_yet_is_told_from_a_directory_memctrl_did_not_write(tmp_path):
    hold_run_lock(tmp_path).close()   # what train and memctrl_node leave from their start
    with pytest.raises(ValueError, match="no run record yet: the run in .* has saved no "
                                         "control step") as error:
        read_run_record(tmp_path)
    assert "expected a directory written by memctrl" not in str(error.value)


def test_records_are_readable_by_other_users(tmp_path, record):
    path = write_run_record(tmp_path, record)
    assert path.stat().st_mode & 0o777 == 0o644


def test_stale_temporaries_of_an_interrupted_write_are_removed_and_nothing_else(tmp_path):
    ours = [".controller.npz.a1b2c3d4.tmp", ".run.json.zz_9yy8x.tmp"]
    others = ["notes.tmp", ".controller.npz.abc.tmp", ".run.json.a1b2c3d4.tmp.bak",
              "controller.npz", ".hidden"]
    for name in ours + others:
        (tmp_path / name).write_text("x")
    (tmp_path / ".dir.a1b2c3d4.tmp").mkdir()              # not a file: not ours
    (tmp_path / ".link.a1b2c3d4.tmp").symlink_to(tmp_path / "notes.tmp")
    assert remove_stale_temporaries(tmp_path) == sorted(ours)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        others + [".dir.a1b2c3d4.tmp", ".link.a1b2c3d4.tmp"])
    assert remove_stale_temporaries(tmp_path / "missing") == []


@pytest.mark.parametrize("make_record, message", [
    (lambda path: path.mkdir(), "cannot read the run record \\(not a regular file\\)"),
    (lambda path: path.write_bytes(b'{"source": "memctrl_no'),
     "cannot read the run record \\(not readable JSON\\)"),
    (lambda path: path.write_text("[1, 2]"), "holds a run of unknown origin"),
    (lambda path: path.write_text('{"source": "memctrl_train"}'), "holds a run of memctrl_train"),
])
def test_a_run_record_that_is_not_ones_own_or_cannot_be_read_is_refused_by_name(
        tmp_path, make_record, message):
    make_record(tmp_path / RUN_FILE)
    with pytest.raises(ValueError, match=f"{message}.*; give another"):
        require_own_run(tmp_path, "memctrl_node", "give another")
    require_own_run(tmp_path / "absent", "memctrl_node", "give another")      # nothing yet
