"""`memctrl` when a run fails part-way: a task that raises, an interrupt, a model that
overflows, a fault of memctrl itself. One line on stderr, a clear exit status, and a run
directory that `--resume` continues."""

import json
import math
import shutil

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces
from hypothesis import given
from hypothesis import strategies as st

from memctrl import SpikingController
from memctrl.cli import _json_safe
from memctrl.training.run import read_state

from .conftest import files_in
from .test_cli_train import run_cli


class FailsInEpisodeOne(gymnasium.Env):
    """A task whose second episode fails at its third step (``failure`` is raised)."""

    observation_space = spaces.Box(-1.0, 1.0, (2,))
    action_space = spaces.Discrete(2)
    failure: type[BaseException] | None = RuntimeError

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.episodes = getattr(self, "episodes", -1) + 1
        self.steps = 0
        return np.zeros(2, np.float32), {}

    def step(self, action):
        self.steps += 1
        if self.episodes == 1 and self.steps == 3 and type(self).failure is not None:
            raise type(self).failure("the simulator lost its contact solver")
        return np.zeros(2, np.float32), 1.0, self.steps == 5, False, {}


class InterruptedInEpisodeOne(FailsInEpisodeOne):
    failure = KeyboardInterrupt


class RewardInEpisodeOne(FailsInEpisodeOne):
    """Gives ``reward`` at the third step of its second episode, 1.0 elsewhere."""

    failure = None
    reward: object = 1.0

    def step(self, action):
        observation, reward, terminated, truncated, info = super().step(action)
        if self.episodes == 1 and self.steps == 3:
            reward = type(self).reward
        return observation, reward, terminated, truncated, info


class StepInEpisodeZero(FailsInEpisodeOne):
    """Returns ``observation``, ``terminated`` as set on the class, at its first step
    (when gymnasium's own checker, were it on, would warn first)."""

    failure = None
    observation: object = np.zeros(2, np.float32)
    terminated: object = False

    def step(self, action):
        observation, reward, terminated, truncated, info = super().step(action)
        if self.episodes == 0 and self.steps == 1:
            observation, terminated = type(self).observation, type(self).terminated
        return observation, reward, terminated, truncated, info


class RaisesWhenMade(FailsInEpisodeOne):
    def __init__(self):
        raise RuntimeError("no licence for the physics engine")


class RaisesWhenClosed(FailsInEpisodeOne):
    failure = None

    def close(self):
        raise RuntimeError("the viewer was gone")


for env_class in (FailsInEpisodeOne, InterruptedInEpisodeOne, RewardInEpisodeOne,
                  StepInEpisodeZero, RaisesWhenMade, RaisesWhenClosed):
    if f"test/{env_class.__name__}-v0" not in gymnasium.registry:
        gymnasium.register(f"test/{env_class.__name__}-v0",
                           entry_point=f"{__name__}:{env_class.__name__}")


def train(capsys, out, env_id, episodes="3", *extra):
    return run_cli(capsys, "train", "--env", env_id, "--episodes", episodes, "--out", str(out),
                   "--eval-episodes", "1", "--no-progress", *extra)


def test_a_task_that_raises_exits_2_in_one_line_and_leaves_a_run_to_resume(tmp_path, capsys):
    out = tmp_path / "run"
    code, _, stderr = train(capsys, out, "test/FailsInEpisodeOne-v0")
    assert code == 2 and "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert ("environment test/FailsInEpisodeOne-v0 raised RuntimeError in step 2 of "
            "episode 1: the simulator lost its contact solver") in stderr
    assert read_state(out)["episodes_done"] == 0      # the checkpoint before episode 0
    SpikingController.load(out / "controller.npz")


@pytest.mark.parametrize("reward, shown", [
    (np.array([1.0, 2.0]), "array([1., 2.])"), (None, "None"), ("1", "'1'"),
    (math.nan, "nan"), (1j, "1j"), (np.float32(math.inf), "np.float32(inf)"),
    (10**400, "1000000000"), ([1, [2]], "[1, [2]]"), ({"r": 1.0}, "{'r': 1.0}")])
def test_a_reward_that_is_not_one_finite_number_is_the_tasks_fault_in_one_line(
        tmp_path, capsys, monkeypatch, reward, shown):
    monkeypatch.setattr(RewardInEpisodeOne, "reward", reward)
    out = tmp_path / "run"
    code, _, stderr = train(capsys, out, "test/RewardInEpisodeOne-v0")
    assert code == 2 and len(stderr.strip().splitlines()) == 1
    assert f"environment test/RewardInEpisodeOne-v0 returned the reward {shown}" in stderr
    assert "in step 2 of episode 1: a reward must be one finite real number" in stderr
    assert read_state(out)["episodes_done"] == 0      # the checkpoint before episode 0


@pytest.mark.parametrize("observation, terminated, told", [
    (np.array([np.nan, 0.0], np.float32), False,
     "returned an observation the controller cannot take in step 0 of episode 0: "
     "observation must be finite"),
    (np.zeros(3, np.float32), False, "returned an observation the controller cannot take "
                                     "in step 0 of episode 0: observation must have shape"),
    (np.zeros(2, np.float32), "False", "returned terminated='False' in step 0 of episode 0: "
                                       "it must be True or False"),
    (np.zeros(2, np.float32), None, "returned terminated=None in step 0"),
    (np.zeros(2, np.float32), 2, "returned terminated=2 in step 0"),
])
def test_an_observation_or_flag_the_task_gets_wrong_is_its_fault_in_one_line(
        tmp_path, capsys, monkeypatch, observation, terminated, told):
    monkeypatch.setattr(StepInEpisodeZero, "observation", observation)
    monkeypatch.setattr(StepInEpisodeZero, "terminated", terminated)
    code, _, stderr = train(capsys, tmp_path / "run", "test/StepInEpisodeZero-v0")
    assert code == 2 and len(stderr.strip().splitlines()) == 1, stderr
    assert f"environment test/StepInEpisodeZero-v0 {told}" in stderr


@pytest.mark.parametrize("terminated", [np.bool_(False), 0, np.int64(1), True])
def test_a_flag_of_any_bool_type_or_0_or_1_is_taken(tmp_path, capsys, monkeypatch,
                                                    terminated):
    monkeypatch.setattr(StepInEpisodeZero, "terminated", terminated)
    assert train(capsys, tmp_path / "run", "test/StepInEpisodeZero-v0", "2")[0] == 0
    rows = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text()
            .splitlines()]
    assert rows[0]["length"] == (1 if terminated else 5)


def test_a_task_that_raises_when_made_or_closed_is_named_in_one_line_exit_2(tmp_path, capsys):
    code, _, stderr = train(capsys, tmp_path / "made", "test/RaisesWhenMade-v0")
    assert code == 2 and stderr.strip().splitlines() == [
        "memctrl train: environment 'test/RaisesWhenMade-v0' raised RuntimeError while it "
        "was made: no licence for the physics engine"]
    code, _, stderr = train(capsys, tmp_path / "closed", "test/RaisesWhenClosed-v0", "2")
    assert code == 2 and stderr.strip().splitlines() == [
        "memctrl train: environment test/RaisesWhenClosed-v0 raised RuntimeError when it "
        "was closed: the viewer was gone"]
    assert read_state(tmp_path / "closed")["episodes_done"] == 2    # the run is saved


@pytest.mark.parametrize("reward", [np.array(2.0), np.array([2.0]), np.int64(2),
                                    np.float32(2.0), True, np.bool_(True), 2])
def test_a_reward_of_any_real_scalar_type_is_learned(tmp_path, capsys, monkeypatch, reward):
    monkeypatch.setattr(RewardInEpisodeOne, "reward", reward)
    out = tmp_path / "run"
    assert train(capsys, out, "test/RewardInEpisodeOne-v0", "2")[0] == 0
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [row["return"] for row in rows] == [5.0, 4.0 + np.asarray(reward).item()]


def test_an_interrupted_run_exits_130_and_resumes(tmp_path, capsys, monkeypatch):
    out = tmp_path / "run"
    code, _, stderr = train(capsys, out, "test/InterruptedInEpisodeOne-v0")
    assert code == 130 and stderr.strip() == "memctrl train: interrupted"
    monkeypatch.setattr(InterruptedInEpisodeOne, "failure", None)
    code, stdout, _ = run_cli(capsys, "train", "--resume", str(out), "--episodes", "3",
                              "--eval-episodes", "1", "--no-progress", "--json")
    assert code == 0 and json.loads(stdout)["total_steps"] == 15
    assert read_state(out)["episodes_done"] == 3


@pytest.mark.parametrize("argv, message", [
    (["--episodes", "1"], "has trained 2 episodes; --episodes is the total to reach, at "
                          "least 2"),
    (["--episodes", "5", "--out", "elsewhere"], "--out and --resume exclude each other"),
])
def test_a_resume_that_would_do_nothing_or_write_elsewhere_is_refused(trained_run, tmp_path,
                                                                      capsys, argv, message):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    before = files_in(run)
    code, _, stderr = run_cli(capsys, "train", "--resume", str(run), *argv, "--no-progress")
    assert code == 2 and message in stderr
    assert files_in(run) == before and not (tmp_path / "elsewhere").exists()


def test_a_sweeps_trial_is_not_resumed_by_train(trained_run, tmp_path, capsys):
    run = tmp_path / "trial-000"
    shutil.copytree(trained_run, run)
    (run / "trial.json").write_text('{"name": "trial-000"}\n')
    (run / "result.json").write_text('{"episodes": 2}\n')
    before = files_in(run)
    code, _, stderr = run_cli(capsys, "train", "--resume", str(run), "--episodes", "5",
                              "--no-progress")
    assert code == 2 and "is a trial of `memctrl sweep`" in stderr
    assert files_in(run) == before


def test_a_model_that_overflows_stops_at_its_last_finite_checkpoint(tmp_path, capsys):
    settings = tmp_path / "noisy.yaml"
    settings.write_text("neuron_overrides: {noise_sigma: 1.0e+160}\n")
    out = tmp_path / "run"
    code, _, stderr = train(capsys, out, "CartPole-v1", "2", "--config", str(settings))
    assert code == 2 and "no longer finite after episode 2" in stderr
    assert read_state(out)["episodes_done"] == 0
    controller = SpikingController.load(out / "controller.npz")
    assert all(map(math.isfinite, controller.counters.values()))


def test_a_fault_of_memctrl_itself_is_one_line_with_exit_1(tmp_path, capsys, monkeypatch):
    import memctrl.training.run

    def broken(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(memctrl.training.run, "train", broken)
    code, _, stderr = train(capsys, tmp_path / "run", "CartPole-v1")
    assert code == 1 and "Traceback" not in stderr
    assert stderr.strip() == ("memctrl train: internal error, ZeroDivisionError: float "
                              "division by zero (memctrl -v ... shows the traceback)")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


def _finite_leaves(value):
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _finite_leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _finite_leaves(item)]
    return [value] if not (isinstance(value, float) and not math.isfinite(value)) else []


@given(JSON_VALUES)
def test_json_output_is_strict_json_with_every_finite_value_kept(value):
    text = json.dumps(_json_safe(value), allow_nan=False)     # raises on NaN or Infinity
    assert _finite_leaves(json.loads(text)) == _finite_leaves(value)


def test_a_resume_to_the_total_it_has_reached_trains_nothing_and_says_so(trained_run,
                                                                         tmp_path, capsys):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    state = read_state(run)
    code, stdout, _ = run_cli(capsys, "train", "--resume", str(run), "--episodes", "2",
                              "--eval-episodes", "1", "--no-progress", "--json")
    assert code == 0
    result = json.loads(stdout)
    assert result["episodes"] == 2 and result["total_steps"] == state["total_steps"]
    assert read_state(run) == state
