"""The baselines of the learning benchmarks: the 1983 ASE/ACE learner and the suite's helpers.

Values worked out by hand from the equations in ``benchmarks/ase_ace.py``.
"""

import json
import sys
from pathlib import Path

import gymnasium
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import ase_ace  # noqa: E402
import learning_suite  # noqa: E402
from memctrl import ControllerConfig  # noqa: E402
from memctrl.sweep import parse_sweep_config  # noqa: E402

UPRIGHT_BOX = 82
"""(x, x', θ, θ') = 0: bins 1, 1, 3 (0 rad is the lower edge of [0°, 1°)) and 1:
((1 * 3 + 1) * 6 + 3) * 3 + 1."""


@pytest.mark.parametrize("observation, box", [
    ((0.0, 0.0, 0.0, 0.0), UPRIGHT_BOX),
    ((-2.0, -1.0, -0.2, -1.0), 0),
    ((2.0, 1.0, 0.2, 1.0), 161),
    ((0.8, 0.0, 0.0, 0.0), ((2 * 3 + 1) * 6 + 3) * 3 + 1),   # an edge belongs to the bin above
    ((0.0, 0.0, np.deg2rad(-3.0), 0.0), ((1 * 3 + 1) * 6 + 1) * 3 + 1),
])
def test_box_index(observation, box):
    assert ase_ace.box_index(observation) == box


def _one_step(agent, terminated, truncated):
    """Act in the upright box, then learn from a step that ends in the same box; returns y."""
    action = agent.act(np.zeros(4))
    agent.learn(np.zeros(4), terminated, truncated)
    return 1.0 if action == 1 else -1.0


def test_a_failure_punishes_the_action_and_clears_the_traces():
    agent = ase_ace.AseAce(seed=0)
    y = _one_step(agent, terminated=True, truncated=False)
    # r̂ = -1 + γ·0 - v·x = -1; e = (1 - δ) y = 0.1 y; x̄ = 1 - λ = 0.2
    assert agent.w[UPRIGHT_BOX] == pytest.approx(1000 * -1 * 0.1 * y)
    assert agent.v[UPRIGHT_BOX] == pytest.approx(0.5 * -1 * 0.2)
    assert np.count_nonzero(agent.w) == np.count_nonzero(agent.v) == 1
    assert not agent.e.any() and not agent.x_bar.any()


def test_truncation_is_not_a_failure_it_bootstraps():
    agent = ase_ace.AseAce(seed=0)
    agent.v[UPRIGHT_BOX] = 1.0
    y = _one_step(agent, terminated=False, truncated=True)
    # r̂ = 0 + 0.95·1 - 1 = -0.05
    assert agent.w[UPRIGHT_BOX] == pytest.approx(1000 * -0.05 * 0.1 * y)
    assert agent.v[UPRIGHT_BOX] == pytest.approx(1.0 + 0.5 * -0.05 * 0.2)
    assert not agent.e.any() and not agent.x_bar.any()


def test_a_step_within_an_episode_decays_the_traces():
    agent = ase_ace.AseAce(seed=0)
    y = _one_step(agent, terminated=False, truncated=False)
    assert not agent.w.any() and not agent.v.any()    # r̂ = 0
    assert agent.e[UPRIGHT_BOX] == pytest.approx(0.1 * y * 0.9)
    assert agent.x_bar[UPRIGHT_BOX] == pytest.approx(0.2 * 0.8)


def test_a_frozen_copy_neither_learns_nor_shares_weights():
    agent = ase_ace.AseAce(seed=0)
    agent.w[UPRIGHT_BOX] = 5.0
    frozen = agent.frozen_copy(seed=1)
    assert frozen.act(np.zeros(4)) == 1
    assert not frozen.e.any()
    frozen.w[UPRIGHT_BOX] = -5.0
    assert agent.w[UPRIGHT_BOX] == 5.0


def test_gap_closed_is_the_fraction_of_the_way_from_random_to_the_line():
    assert learning_suite.gap_closed(237.5, 0.0, 475.0) == pytest.approx(0.5)
    assert learning_suite.gap_closed(-800.0, -1200.0, -400.0) == pytest.approx(0.5)
    assert learning_suite.gap_closed(None, 0.0, 475.0) is None


class _ActionPaysItself(gymnasium.Env):
    """Five steps; each pays ``1 - (a - best)^2`` for a Box action ``a`` (scalar), and the
    action itself for a Discrete one."""

    def __init__(self, action_space, best=0.0):
        self.action_space, self.best = action_space, best
        self.observation_space = gymnasium.spaces.Box(-1.0, 1.0, (1,))

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.steps = 0
        return np.zeros(1, np.float32), {}

    def step(self, action):
        self.steps += 1
        if isinstance(self.action_space, gymnasium.spaces.Box):
            reward = 1.0 - float(np.sum((np.asarray(action) - self.best) ** 2))
        else:
            reward = float(action)
        return np.zeros(1, np.float32), reward, self.steps == 5, False, {}


@pytest.mark.parametrize("space, best, expected", [
    (gymnasium.spaces.Discrete(3, start=-1), 0.0, 5.0),     # the best action is +1
    (gymnasium.spaces.Discrete(4), 0.0, 15.0),              # the best action is 3
    (gymnasium.spaces.Box(-1.0, 1.0, (2,)), 0.0, 5.0),      # the zero command is the best
    (gymnasium.spaces.Box(-1.0, 1.0, (1,)), 0.5, 3.75),     # zero, not the best constant
    (gymnasium.spaces.Box(0.5, 2.0, (1,)), 0.5, 5.0),       # zero is clipped to 0.5
])
def test_the_constant_action_reference(space, best, expected):
    env = _ActionPaysItself(space, best)
    assert learning_suite.constant_action_return(env) == pytest.approx(expected)


@pytest.mark.parametrize("task", learning_suite.TASKS, ids=lambda task: task.env_id)
def test_each_task_is_a_valid_sweep_of_the_library_defaults(task):
    sweep = parse_sweep_config(learning_suite.sweep_document(task, [0, 1], task.episodes))
    assert sweep.fixed == {"env": task.env_id}
    assert [trial.controller_config() for trial in sweep.trials()] == [
        ControllerConfig()] * 2
    assert np.isfinite(task.threshold)
    assert sweep.success_return == task.stated_threshold


def test_a_finished_task_is_read_back_and_other_seeds_are_refused(tmp_path):
    task = learning_suite.TASKS[0]
    sweep = parse_sweep_config(learning_suite.sweep_document(task, [0], 5)).as_dict()
    (tmp_path / "sweep.json").write_text(json.dumps(sweep))
    (tmp_path / "summary.json").write_text(json.dumps({"trials": ["trial-000"]}))
    assert learning_suite.sweep_records(task, [0], 5, tmp_path, None) == ["trial-000"]
    with pytest.raises(ValueError, match="holds a sweep of other seeds or another budget"):
        learning_suite.sweep_records(task, [0, 1], 5, tmp_path, None)


def test_the_tremor_benchmark_reports_each_evaluation_episode_and_their_mean():
    import tremor_v1

    import sim_envs  # noqa: F401  (registers memctrl/... ids)
    from sim_envs.baselines import TremorDampingController

    env = gymnasium.make("memctrl/TremorSuppression-v3")
    baseline = TremorDampingController.for_env(env)
    seeds = [11, 12, 13]
    summary = tremor_v1.evaluate(env, baseline, baseline.reset, seeds)

    patients, episode_metrics = summary["patients"], summary["episode_metrics"]
    assert [env.reset(seed=seed)[1]["tremor_frequency_hz"] for seed in seeds] == [
        patient["tremor_frequency_hz"] for patient in patients]
    assert summary["tremor_power_reduction"] == pytest.approx(
        np.mean([metrics["tremor_power_reduction"] for metrics in episode_metrics]))
    rows = tremor_v1._episode_rows({"baseline": summary})
    assert len(rows) == 3
    for row, patient, metrics in zip(rows, patients, episode_metrics):
        assert patient["disorder"] in row
        assert f"{metrics['tremor_power_reduction']:.1%}" in row
