"""``memctrl train`` and ``memctrl evaluate``: run directories, resume, bad input."""

import hashlib
import json
import shutil
from pathlib import Path

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces

from memctrl.cli import main
from memctrl.run_dir import hold_run_lock
from memctrl.run_record import read_run_record
from memctrl.training.run import read_state, train

from .conftest import files_in


class MultiBinaryActions(gymnasium.Env):
    """A Box observation with an action space the controller does not support."""

    observation_space = spaces.Box(-1.0, 1.0, (2,))
    action_space = spaces.MultiBinary(3)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return np.zeros(2, np.float32), {}

    def step(self, action):
        return np.zeros(2, np.float32), 0.0, True, False, {}


class ImageObservations(MultiBinaryActions):
    """Camera images as observations, which the controller does not code."""

    observation_space = spaces.Box(0, 255, (8, 8, 3), np.uint8)
    action_space = spaces.Discrete(2)


for name, env_class in (("MultiBinaryActions", MultiBinaryActions),
                        ("ImageObservations", ImageObservations)):
    if f"test/{name}-v0" not in gymnasium.registry:
        gymnasium.register(f"test/{name}-v0", entry_point=f"{__name__}:{env_class.__name__}")


def run_cli(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_train_writes_a_run_that_evaluate_and_report_read(tmp_path, capsys):
    out = tmp_path / "run"
    code, stdout, stderr = run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "12",
                                   "--seed", "3", "--out", str(out), "--checkpoint-every", "5",
                                   "--eval-episodes", "3", "--json")
    assert code == 0
    result = json.loads(stdout)
    assert set(result) >= {"env", "episodes", "total_steps", "solved_at_episode",
                           "final_eval_mean_return", "energy_j", "wall_s"}
    assert result["env"] == "CartPole-v1" and result["episodes"] == 12
    assert result["solved_at_episode"] is None and result["energy_j"] > 0
    assert "12/12" in stderr and "mean100" in stderr          # the progress bar
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [row["episode"] for row in rows] == list(range(12))
    assert sum(row["length"] for row in rows) == result["total_steps"]
    assert all(row["spikes"] > 0 and row["energy_j"] > 0 for row in rows)
    assert len((out / "metrics.csv").read_text().splitlines()) == 13
    record = read_run_record(out)
    assert record["source"] == "train" and record["ticks"] == result["total_steps"]
    assert record["counters"]["spikes"] == pytest.approx(sum(row["spikes"] for row in rows))
    assert read_state(out)["episodes_done"] == 12

    code, stdout, _ = run_cli(capsys, "evaluate", "--run", str(out), "--episodes", "4", "--json")
    assert code == 0
    evaluation = json.loads(stdout)
    assert evaluation["episodes"] == 4 and evaluation["mean_return"] > 0
    assert evaluation["solved"] is False

    code, stdout, _ = run_cli(capsys, "report", "--run", str(out), "--out",
                              str(tmp_path / "report"), "--json")
    assert code == 0 and json.loads(stdout)["energy_per_step_j"] > 0
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    network = record["network"]
    # the critic reads, then learns: two ticks of 20 x 0.5 ms per control step
    step_s = network["ticks_per_step"] * network["substeps"] * network["dt_s"]
    assert report["scaling"]["device_max_control_rate_hz"] == pytest.approx(1 / step_s)
    # per-episode steps recovered from membrane updates, with critic neurons ticking twice
    episodes = report["episodes"]
    assert episodes["count"] == 12
    leakage = report["energy_breakdown_j"]["static_leakage"]
    # 25 nW per neuron column: NeuRRAM's column periphery (memctrl/energy/constants.py)
    assert leakage == pytest.approx(network["n_neurons"] * 25e-9 * record["emulated_time_s"])


def test_resume_continues_to_the_total_and_keeps_one_row_per_episode(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "6", "--out",
                   str(out), "--eval-episodes", "2", "--no-progress")[0] == 0
    steps = read_state(out)["total_steps"]
    # rows of episodes a crash left after the last checkpoint are dropped on resume
    with open(out / "metrics.jsonl", "a") as file:
        file.write(json.dumps({"episode": 6, "return": 1.0}) + "\n")
        file.write('{"episode": 7, "return": 3')          # torn by the crash
    with open(out / "metrics.csv", "a") as file:
        file.write("1")                                    # torn: parses as an old episode
    code, stdout, _ = run_cli(capsys, "train", "--resume", str(out), "--episodes", "10",
                              "--eval-episodes", "2", "--no-progress", "--json")
    assert code == 0
    result = json.loads(stdout)
    assert result["episodes"] == 10 and result["total_steps"] > steps
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [row["episode"] for row in rows] == list(range(10))
    # the summary's training mean covers the whole run, not only the resumed part
    assert result["train_mean_return_last_100"] == pytest.approx(
        np.mean([row["return"] for row in rows]))
    assert read_state(out)["episodes_done"] == 10
    header, *lines = (out / "metrics.csv").read_text().splitlines()
    assert [int(line.split(",")[0]) for line in lines] == list(range(10))
    assert all(line.count(",") == header.count(",") for line in lines)


def test_train_refuses_to_overwrite_a_run(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "2", "--out",
                   str(out), "--eval-episodes", "1", "--no-progress")[0] == 0
    code, _, stderr = run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "2",
                              "--out", str(out), "--no-progress")
    assert code == 2 and "already holds a run" in stderr


def test_a_run_another_process_is_writing_is_refused_and_left_as_it_is(trained_run, tmp_path,
                                                                       capsys):
    """Two runs writing one directory interleaved their rows: the lock refuses the second
    (a resume; a new run that found the directory still empty); once the writer is gone
    the run resumes."""
    busy, new = tmp_path / "busy", tmp_path / "new"
    shutil.copytree(trained_run, busy)
    writers = [hold_run_lock(busy), hold_run_lock(new)]    # as running `memctrl train`s do
    before = files_in(busy)
    code, _, stderr = run_cli(capsys, "train", "--resume", str(busy), "--episodes", "3",
                              "--no-progress")
    assert code == 2 and "being written by another memctrl process" in stderr
    assert files_in(busy) == before
    with pytest.raises(ValueError, match="being written by another memctrl process"):
        train("CartPole-v1", 2, out=new, progress=False)
    assert [path.name for path in new.iterdir()] == [".memctrl.lock"]
    for writer in writers:
        writer.close()
    with pytest.raises(ValueError, match="at least 2") as refused:    # kept alive: its frame
        train(None, 1, resume=busy, progress=False)                   # must not hold the lock
    assert run_cli(capsys, "train", "--resume", str(busy), "--episodes", "3", "--no-progress",
                   "--eval-episodes", "1")[0] == 0
    assert refused.value is not None
    assert run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "1", "--out",
                   str(new), "--no-progress", "--eval-episodes", "1")[0] == 0   # a lock alone
    assert read_state(busy)["episodes_done"] == 3


@pytest.mark.parametrize("argv, message", [
    (["--env", "NoSuchEnv-v9"], "unknown or unavailable environment id 'NoSuchEnv-v9'"),
    (["--env", "test/MultiBinaryActions-v0"], "unsupported action space"),
    (["--env", "test/ImageObservations-v0"], "1-D Box or Discrete, got Box(0, 255, (8, 8, 3)"),
    (["--episodes", "3"], "--env ID is required"),
])
def test_bad_environments_exit_2_with_a_clear_message(tmp_path, capsys, argv, message):
    code, _, stderr = run_cli(capsys, "train", *argv, "--out", str(tmp_path / "run"),
                              "--no-progress")
    assert code == 2 and message in stderr
    assert not (tmp_path / "run" / "state.json").exists()


def test_resume_and_evaluate_of_a_broken_run_fail_clearly(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "2", "--out",
                   str(out), "--eval-episodes", "1", "--no-progress")[0] == 0
    checkpoint = out / "controller.npz"
    checkpoint.write_bytes(checkpoint.read_bytes()[:100])           # a truncated checkpoint
    code, _, stderr = run_cli(capsys, "evaluate", "--run", str(out))
    assert code == 2 and "controller.npz: not the checkpoint" in stderr
    state = json.loads((out / "state.json").read_text())              # ... even if committed
    state["controller_sha256"] = hashlib.sha256(checkpoint.read_bytes()).hexdigest()
    (out / "state.json").write_text(json.dumps(state))
    code, _, stderr = run_cli(capsys, "evaluate", "--run", str(out))
    assert code == 2 and "controller.npz: not a valid memctrl-controller/4 checkpoint" in stderr
    code, _, stderr = run_cli(capsys, "train", "--resume", str(out), "--episodes", "4")
    assert code == 2 and "controller.npz" in stderr
    code, _, stderr = run_cli(capsys, "evaluate", "--run", str(tmp_path / "nothing"))
    assert code == 2 and "no training state" in stderr


def test_a_resume_that_contradicts_its_run_or_a_foreign_checkpoint_is_refused(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "2", "--seed", "4",
                   "--out", str(out), "--eval-episodes", "1", "--no-progress")[0] == 0
    for flag, value in (("--env", "Acrobot-v1"), ("--seed", "5")):
        code, _, stderr = run_cli(capsys, "train", "--resume", str(out), "--episodes", "4",
                                  flag, value, "--no-progress")
        assert code == 2 and f"{flag} " in stderr and value in stderr
    other = tmp_path / "acrobot"
    assert run_cli(capsys, "train", "--env", "Acrobot-v1", "--episodes", "1", "--out",
                   str(other), "--eval-episodes", "1", "--no-progress")[0] == 0
    state = json.loads((out / "state.json").read_text())
    for foreign in ((other / "controller.npz").read_bytes(), b"\x80garbage"):
        (out / "controller.npz").write_bytes(foreign)        # committed, yet not for this env
        state["controller_sha256"] = hashlib.sha256(foreign).hexdigest()
        (out / "state.json").write_text(json.dumps(state))
        code, _, stderr = run_cli(capsys, "evaluate", "--run", str(out), "--episodes", "1")
        assert code == 2
        assert ("controller.npz: trained for" in stderr and "CartPole-v1" in stderr
                if foreign[:2] == b"PK" else "not an .npz archive" in stderr)


def test_a_crash_inside_a_checkpoint_resumes_from_a_consistent_pair(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "3", "--out",
                   str(out), "--eval-episodes", "1", "--no-progress")[0] == 0
    committed = (out / "controller.npz").read_bytes()
    # crash before the commit: a newer controller that state.json does not name; an
    # evaluation reads the committed one and changes no file (a trainer may be running)
    (out / "controller-next.npz").write_bytes(b"PK\x03\x04 newer weights")
    before = files_in(out)
    assert run_cli(capsys, "evaluate", "--run", str(out), "--episodes", "1")[0] == 0
    assert files_in(out) == before
    # crash after the commit: the committed file still waits under its next name
    (out / "controller.npz").write_bytes(b"PK\x03\x04 older weights")
    (out / "controller-next.npz").write_bytes(committed)
    before = files_in(out)
    assert run_cli(capsys, "evaluate", "--run", str(out), "--episodes", "1")[0] == 0
    assert files_in(out) == before
    # the resume (which holds the run) finishes the commit and trains on from it
    assert run_cli(capsys, "train", "--resume", str(out), "--episodes", "4",
                   "--no-progress", "--eval-episodes", "1")[0] == 0
    assert not (out / "controller-next.npz").exists()
    assert read_state(out)["episodes_done"] == 4
    # a controller that is not the committed one is refused, not trained on
    (out / "controller.npz").write_bytes(b"PK\x03\x04 other weights")
    code, _, stderr = run_cli(capsys, "train", "--resume", str(out), "--episodes", "4",
                              "--no-progress")
    assert code == 2 and "not the checkpoint" in stderr


def test_a_resumed_run_learns_exactly_as_the_uninterrupted_one(tmp_path, capsys):
    common = ("--eval-episodes", "2", "--checkpoint-every", "3", "--no-progress")
    whole, split = tmp_path / "whole", tmp_path / "split"
    assert run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "8", "--out",
                   str(whole), *common)[0] == 0
    assert run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "3", "--out",
                   str(split), *common)[0] == 0
    assert run_cli(capsys, "train", "--resume", str(split), "--episodes", "8", *common)[0] == 0

    def returns(run):
        return [json.loads(line)["return"] for line in (run / "metrics.jsonl").read_text()
                .splitlines()]

    assert len(returns(whole)) == 8
    assert returns(split) == returns(whole)
    assert np.array_equal(np.load(split / "controller.npz")["g_pos_0"],
                          np.load(whole / "controller.npz")["g_pos_0"])
    # the modelled energy to the last digit: each population's counters go on from where
    # the checkpoint left them, summed in the same order
    run_json = {run: json.loads((run / "run.json").read_text()) for run in (whole, split)}
    assert run_json[split]["counters"] == run_json[whole]["counters"]

    def energies(run):
        return [json.loads(line)["energy_j"] for line in (run / "metrics.jsonl").read_text()
                .splitlines()]

    assert energies(split) == energies(whole)


def test_train_takes_the_controller_settings_from_a_file_and_resume_keeps_them(tmp_path,
                                                                               capsys):
    from memctrl import SpikingController
    settings = tmp_path / "controller.yaml"
    settings.write_text("grid_bins: [3, 3, 6, 3]\nv_total_v: 2.5\n"
                        "actor_modulation: action_trace\nprogram_threshold_levels: 4.0\n")
    out = tmp_path / "run"
    code, _, _ = run_cli(capsys, "train", "--env", "CartPole-v1", "--episodes", "2", "--out",
                         str(out), "--config", str(settings), "--no-progress")
    assert code == 0
    config = SpikingController.load(out / "controller.npz").config
    assert config.grid_bins == (3, 3, 6, 3) and config.actor_modulation == "action_trace"
    assert config.program_threshold_levels == 4.0
    other = tmp_path / "other.yaml"
    other.write_text("v_total_v: 3.0\n")
    code, _, stderr = run_cli(capsys, "train", "--resume", str(out), "--episodes", "3",
                              "--config", str(other), "--no-progress")
    assert code == 2 and "other controller settings" in stderr
    # the file the run was made with is its settings, as the defaults they leave
    assert run_cli(capsys, "train", "--resume", str(out), "--episodes", "3",
                   "--config", str(settings), "--no-progress")[0] == 0
    assert run_cli(capsys, "train", "--resume", str(out), "--episodes", "4",
                   "--no-progress")[0] == 0


@pytest.mark.parametrize("text, message", [
    ("gird_bins: [3, 3]\n", "unknown controller setting 'gird_bins'"),
    ("max_pulses: 0\n", "max_pulses"),
    ("v_total_v: 1.0e+10\n", "v_total_v must lie in (0, 100] V"),
    ("dt_s: 0.0\n", "dt_s must be > 0, got 0.0"),
    ("synapse_overrides: {g_max: 1.0e+300}\n", "SynapseParams.g_max must be at most 1 S"),
    ("tau_trace_s: -1.0\n", "tau_trace_s must be > 0"),
    ("v_total_v: 1.0e10\n", "YAML reads 1.0e10 as text: write 1.0e+10"),
    ("grid_bins: [3, 3\n", "cannot read the controller settings"),
    ("actor_rate: 1e-1\n", "actor_rate must be a number, got '1e-1'"),
    ("coding: fields\ngrid_bins: [3, 3, 3, 3]\n", "grid_bins needs coding 'tiles'"),
    ("- 1\n- 2\n", "expected a mapping"),
    ("neuron_overrides: {mu: '72'}\n", "neuron_overrides.mu must be a number, got '72'"),
    ("synapse_overrides: [1, 2]\n", "synapse_overrides must be a mapping"),
    ("neuron_overrides: {v_dd: 1.0e+200}\n", "overflow the core"),
    ("actor_population: 100000000\n", "GiB, more than half of this machine's memory"),
    ("coding: fields\nfields_per_dim: 100000000000\n",
     "GiB, more than half of this machine's memory"),
    ("grid_bins: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than 32 levels"),
    ("actor_rate: '" + "x" * 5000 + "'\n", "actor_rate must be a number"),
])
def test_a_bad_settings_file_exits_2_naming_the_file_and_key(tmp_path, capsys, text, message):
    settings = tmp_path / "controller.yaml"
    settings.write_text(text)
    stderr = _refused_in_one_line(capsys, ["train", "--env", "CartPole-v1", "--episodes", "2",
                                           "--out", str(tmp_path / "run"), "--config",
                                           str(settings), "--no-progress"],
                                  message, str(settings))
    assert len(stderr) < 1000                      # never the whole value
    assert not (tmp_path / "run").exists()


def test_a_settings_file_for_another_space_is_refused_before_training(tmp_path, capsys):
    cartpole = Path(__file__).parents[2] / "config" / "cartpole.yaml"
    code, _, stderr = run_cli(capsys, "train", "--env", "Pendulum-v1", "--episodes", "2",
                              "--out", str(tmp_path / "run"), "--config", str(cartpole),
                              "--no-progress")
    assert code == 2 and stderr.count("\n") == 1
    assert ("scales has 4 entries but the observation space (Box of shape (3,)) has 3 "
            "dimensions" in stderr)
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("name, expected", [
    ("cartpole.yaml", {"grid_bins": (3, 3, 6, 3), "max_pulses": 256,
                       "program_threshold_levels": 3.0}),
    ("tremor.yaml", {"fields_per_dim": 10, "scales": (2.5, 1.0, 1.0),
                     "actor_modulation": "action_trace", "lambda_actor": 0.64,
                     "actor_rate": 0.05, "max_pulses": 256, "program_threshold_levels": 3.0,
                     "common_mode_share": 1.0}),
])
def test_the_shipped_settings_load(name, expected):
    from pathlib import Path

    from memctrl.training.controller_file import load_controller_config
    config = load_controller_config(Path(__file__).parents[2] / "config" / name)
    assert {key: getattr(config, key) for key in expected} == expected


def test_benchmark_settings_take_json_changes_and_refuse_unknown_fields():
    from memctrl import ControllerConfig
    from memctrl.training.controller_file import settings_with_changes
    config = settings_with_changes("defaults", {"scales": [2.0, 1.0], "actor_rate": 0.2})
    assert config == ControllerConfig(scales=(2.0, 1.0), actor_rate=0.2)
    with pytest.raises(ValueError, match="unknown controller setting 'actor_rat'"):
        settings_with_changes("defaults", {"actor_rat": 0.2})
    with pytest.raises(ValueError, match="critic_rate"):
        settings_with_changes("defaults", {"critic_rate": -1.0})
    with pytest.raises(ValueError, match="--config: actor_rate must be a number"):
        settings_with_changes("defaults", {"actor_rate": "fast"})


@pytest.fixture
def run_copy(trained_run, tmp_path):
    import shutil
    return Path(shutil.copytree(trained_run, tmp_path / "run"))


def _refused_in_one_line(capsys, argv, *named):
    code, _, stderr = run_cli(capsys, *argv)
    assert code == 2 and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert all(name in stderr for name in named), stderr
    return stderr


@pytest.mark.parametrize("files", [
    {"controller.npz": b"PK\x03\x04 the node's checkpoint", "run.json": b"{}"},  # memctrl_node
    {"metrics.csv": b"someone else's metrics\n"},
])
def test_train_out_refuses_a_directory_that_is_not_an_empty_one(tmp_path, capsys, files):
    out = tmp_path / "out"
    out.mkdir()
    for name, data in files.items():
        (out / name).write_bytes(data)
    _refused_in_one_line(capsys, ["train", "--env", "CartPole-v1", "--episodes", "1",
                                  "--out", str(out), "--no-progress"], str(out), "--resume")
    assert files_in(out) == files


def test_bench_out_refuses_a_training_run_and_replaces_only_its_own_record(
        run_copy, tmp_path, capsys):
    before = files_in(run_copy)
    _refused_in_one_line(capsys, ["bench", "--neurons", "10", "--out", str(run_copy)],
                         str(run_copy))
    assert files_in(run_copy) == before
    bench = tmp_path / "bench"
    for _ in range(2):          # a bench record is the bench's own to replace
        assert run_cli(capsys, "bench", "--neurons", "10", "--out", str(bench))[0] == 0
    assert read_run_record(bench)["source"] == "bench"


@pytest.mark.parametrize("name", ["run.json", "metrics.jsonl", "controller.npz"])
def test_resume_refuses_a_run_file_it_could_not_write_before_training(run_copy, capsys, name):
    """A directory in a file's place failed only after training had moved the run on; a
    write-protected file was replaced, the user's protection passed over."""
    path = run_copy / name
    saved = path.read_bytes()
    path.chmod(0o444)
    before = files_in(run_copy)
    argv = ["train", "--resume", str(run_copy), "--episodes", "4", "--no-progress"]
    _refused_in_one_line(capsys, argv, f"{path} is write-protected")
    assert files_in(run_copy) == before
    path.chmod(0o644)
    path.unlink()
    path.mkdir()
    _refused_in_one_line(capsys, argv, f"{path} is not a regular file")
    path.rmdir()
    path.write_bytes(saved)
    assert run_cli(capsys, *argv)[0] == 0


@pytest.mark.parametrize("key, value", [
    ("episodes_done", -5), ("episodes_done", "2"), ("total_steps", None), ("seed", 1.5),
    ("seed", True), ("env", ["CartPole-v1"]), ("controller_sha256", 12),
    ("evaluations", [{"episode": 1}]), ("evaluations", {}), ("solved_at_episode", -1),
    ("reward_threshold", "high"), ("wall_s", -1.0), ("env", None),
])
def test_resume_and_evaluate_refuse_a_bad_state_before_touching_a_file(run_copy, capsys,
                                                                      key, value):
    state_path = run_copy / "state.json"
    state = json.loads(state_path.read_text())
    for changed in ({**state, key: value}, {name: item for name, item in state.items()
                                            if name != key}):
        state_path.write_text(json.dumps(changed))
        before = files_in(run_copy)
        for argv in (["train", "--resume", str(run_copy), "--episodes", "4", "--no-progress"],
                     ["evaluate", "--run", str(run_copy), "--episodes", "1"]):
            _refused_in_one_line(capsys, argv, str(state_path), repr(key))
            assert files_in(run_copy) == before


def test_resume_refuses_metrics_that_are_not_text_and_leaves_the_run_as_it_was(run_copy,
                                                                              capsys):
    (run_copy / "metrics.csv").write_bytes(b"\xff\xfe not text")
    before = files_in(run_copy)
    _refused_in_one_line(capsys, ["train", "--resume", str(run_copy), "--episodes", "4",
                                  "--no-progress"], str(run_copy / "metrics.csv"))
    assert files_in(run_copy) == before


def test_a_resume_removes_the_temporaries_of_an_interrupted_write(trained_run, tmp_path,
                                                                   capsys):
    run = Path(shutil.copytree(trained_run, tmp_path / "run"))
    (run / ".controller-next.npz.k2j4h5g6.tmp").write_bytes(b"PK\x03\x04 half written")
    (run / "notes.tmp").write_text("not ours")
    assert run_cli(capsys, "train", "--resume", str(run), "--episodes", "3",
                   "--eval-episodes", "1", "--no-progress")[0] == 0
    assert not list(run.glob(".*.tmp")) and (run / "notes.tmp").read_text() == "not ours"
