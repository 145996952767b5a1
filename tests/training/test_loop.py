"""The training loop, its callbacks, the energy wrapper, and learning on CartPole, tremor
and Pendulum."""

import io
from pathlib import Path

import gymnasium
import numpy as np
import pytest

from memctrl import SpikingController
from memctrl.training import (Callback, ControllerEnergyInfo, MetricsWriter, ProgressBar,
                              StopAfterSteps, TrainContext, evaluate, run_episodes)


def cartpole(seed=0):
    env = gymnasium.make("CartPole-v1")
    return env, SpikingController(env.observation_space, env.action_space, seed=seed)


def with_shipped_settings(env_id, name):
    """The environment and a seed-0 controller with the settings file ``config/<name>``."""
    from memctrl.training.controller_file import load_controller_config
    env = gymnasium.make(env_id)
    config = load_controller_config(Path(__file__).parents[2] / "config" / name)
    return env, SpikingController(env.observation_space, env.action_space, config, seed=0)


class Recorder(Callback):
    def __init__(self):
        self.steps, self.episodes, self.started, self.ended = 0, [], False, False

    def on_start(self, context):
        self.started = isinstance(context, TrainContext)

    def on_step(self, context):
        self.steps += 1
        assert context.step_in_episode >= 1 and context.controller is not None
        return True

    def on_episode_end(self, context, metrics):
        self.episodes.append(metrics)
        return True

    def on_end(self, context):
        self.ended = True


def test_callbacks_see_every_step_and_episode_and_on_step_false_stops():
    env, controller = cartpole()
    recorder = Recorder()
    context = run_episodes(env, controller, 5, [recorder], seed=1)
    assert recorder.started and recorder.ended and len(recorder.episodes) == 5
    assert recorder.steps == context.total_steps == sum(m.length for m in recorder.episodes)
    assert [m.episode for m in recorder.episodes] == [0, 1, 2, 3, 4]
    assert all(m.counters["spikes"] > 0 and m.energy_j > 0 for m in recorder.episodes)
    stopped = run_episodes(env, controller, 50, [StopAfterSteps(30)], seed=2)
    assert stopped.total_steps == 30


def test_progress_bar_and_metrics_writer(tmp_path):
    env, controller = cartpole()
    stream = io.StringIO()
    run_episodes(env, controller, 3, [ProgressBar(3, stream=stream), MetricsWriter(tmp_path)])
    text = stream.getvalue()
    assert "3/3" in text and "mean100" in text and "spikes/step" in text and " J" in text
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    csv_lines = (tmp_path / "metrics.csv").read_text().splitlines()
    assert len(lines) == 3 and len(csv_lines) == 4
    assert csv_lines[0].startswith("episode,return,length,spikes,synaptic_events,"
                                   "programming_pulses,energy_j")


class FullDisk(io.StringIO):
    """A stream whose writes fail after ``room`` of them, as stderr redirected to a file
    on a full disk does."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def write(self, text: str) -> int:
        if self.room <= 0:
            raise OSError(28, "No space left on device")
        self.room -= 1
        return super().write(text)


@pytest.mark.parametrize("room", [0, 3])
def test_a_progress_stream_that_cannot_be_written_ends_the_bar_not_the_run(tmp_path, room):
    env, controller = cartpole()
    context = run_episodes(env, controller, 4, [ProgressBar(4, stream=FullDisk(room)),
                                                MetricsWriter(tmp_path)])
    assert len(context.history) == 4
    assert len((tmp_path / "metrics.jsonl").read_text().splitlines()) == 4


def test_evaluation_does_not_learn():
    env, controller = cartpole()
    returns = evaluate(env, controller, 3, seed=5)
    assert len(returns) == 3 and controller.counters["programming_pulses"] == 0
    assert controller.learning


def test_the_energy_wrapper_reports_the_controllers_energy_per_step():
    env, controller = cartpole()
    wrapped = ControllerEnergyInfo(env, controller)
    obs, _ = wrapped.reset(seed=0)
    controller.reset()
    start = controller.energy_j
    energies = []
    for _ in range(10):
        obs, reward, terminated, truncated, info = wrapped.step(controller.act(obs))
        energies.append(info["energy_j"])
        controller.learn(reward, terminated, truncated)
        if terminated or truncated:
            break
    assert all(e > 0 for e in energies)
    assert info["energy_total_j"] == pytest.approx(start + sum(energies))


def test_the_defaults_learn_cartpole():
    """The library defaults (no settings file), seed 0: the first 5 episodes average under
    100 steps (a random policy: about 22), episodes 70-100 at least 300 (of 500).

    Measured: 27.8 over the first 5, 369 over episodes 70-100 (462 before the bounded
    dimensions' frame was narrowed after its warm-up, which falls in episode 40 or so
    here: seed 0 solves at episode 100 in the suite, 75 before); about 8 s.
    """
    env, controller = cartpole(seed=0)
    context = run_episodes(env, controller, 100, seed=0)
    returns = np.array([m.episode_return for m in context.history])
    first, last = returns[:5].mean(), returns[70:].mean()
    assert first < 100 and last >= 300, (first, last)


def test_the_cartpole_settings_learn_to_balance_within_fifty_episodes():
    """config/cartpole.yaml (the 1983 boxes with hand-set scales, a refinement file),
    seed 0: episodes 70-100 last at least 3x the first 20 and over 200 steps.

    Measured: 48 -> 383 (8x), about 3 s; the defaults are faster (the test above).
    """
    env, controller = with_shipped_settings("CartPole-v1", "cartpole.yaml")
    context = run_episodes(env, controller, 100, seed=0)
    returns = np.array([m.episode_return for m in context.history])
    first, last = returns[:20].mean(), returns[70:].mean()
    assert last >= max(3 * first, 200), (first, last)


@pytest.mark.parametrize("settings", ["tremor.yaml", None])
def test_the_controller_learns_to_suppress_tremor(settings):
    """config/tremor.yaml (16-neuron push-pull actor) and the library defaults (one neuron
    each), seed 0: after 15 training episodes (45 s of wrist motion) a frozen copy removes
    at least half of the tremor in two new episodes (5.0 and 6.5 Hz; hand-written damping:
    87 and 84 %), at least 40 points more than before training.

    Measured: tremor.yaml -2 % before, 75 % after, about 12 s; the defaults -39 % before,
    78 % after (controller seeds 1 and 2: 78 and 78 % after; 78, 55 and 77 % before the
    Box pair's common mode stopped learning, 2026-12-05), about 15 s.
    """
    import sim_envs  # noqa: F401  (registers memctrl/... ids)
    from sim_envs.tremor import episode_tremor_reduction
    if settings is None:
        env = gymnasium.make("memctrl/TremorSuppression-v0")
        controller = SpikingController(env.observation_space, env.action_space, seed=0)
    else:
        env, controller = with_shipped_settings("memctrl/TremorSuppression-v0", settings)

    def reduction() -> float:
        trained = controller.copy()
        trained.learning = False
        return float(np.mean([episode_tremor_reduction(env, trained.act, seed=7_777_777 + k)
                              for k in range(2)]))

    before = reduction()
    run_episodes(env, controller, 15, seed=0)
    after = reduction()
    assert after >= max(0.5, before + 0.4), (before, after)


def test_the_defaults_start_to_learn_the_pendulum_swing_up():
    """The library defaults on a Box task, seed 0: the mean return of episodes 40-60 is at
    least 150 above that of the first 20 (before the defaults configured themselves from
    the spaces, every block stayed near -1200, see benchmarks/learning_pendulum.py).
    """
    env = gymnasium.make("Pendulum-v1")
    controller = SpikingController(env.observation_space, env.action_space, seed=0)
    context = run_episodes(env, controller, 60, seed=0)
    returns = np.array([m.episode_return for m in context.history])
    first, last = returns[:20].mean(), returns[40:].mean()
    assert last >= first + 150, (first, last)


def test_a_controller_loaded_from_a_checkpoint_goes_on_as_the_run_would_have():
    env, controller = cartpole(seed=1)
    run_episodes(env, controller, 3, seed=0)
    saved = controller.to_bytes()
    going_on = run_episodes(env, controller, 2, seed=0, first_episode=3)
    loaded = SpikingController.from_bytes(saved)
    resumed = run_episodes(env, loaded, 2, seed=0, first_episode=3)
    assert ([m.episode_return for m in resumed.history]
            == [m.episode_return for m in going_on.history])
    for a, b in zip(controller.networks, loaded.networks):
        np.testing.assert_array_equal(a.weights_in(), b.weights_in())


def test_the_energy_of_steps_and_resets_adds_up_to_what_the_controller_spent():
    env, controller = cartpole(seed=2)
    wrapped = ControllerEnergyInfo(env, controller)
    start = controller.energy_j
    reported = 0.0
    for episode in range(3):
        obs, info = wrapped.reset(seed=episode)
        reported += info["energy_j"]
        controller.reset()
        done = False
        while not done:
            obs, reward, terminated, truncated, info = wrapped.step(controller.act(obs))
            reported += info["energy_j"]
            controller.learn(reward, terminated, truncated)   # the last one after the step
            done = terminated or truncated
    _, info = wrapped.reset(seed=3)
    reported += info["energy_j"]
    assert reported == pytest.approx(controller.energy_j - start, rel=1e-12)
    assert controller.counters["programming_pulses"] > 0


def test_checkpoints_fall_on_whole_multiples_of_the_period_also_after_a_resume():
    from memctrl.training import CheckpointCallback
    from memctrl.run_dir import EpisodeMetrics

    saved = []
    callback = CheckpointCallback(lambda context, done: saved.append(done), every=10,
                                  first_episode=12)      # a run resumed after episode 12
    for episode in range(12, 35):
        callback.on_episode_end(None, EpisodeMetrics(episode, 0.0, 1, 0.0, {}, 0.0))
    assert saved == [20, 30]
