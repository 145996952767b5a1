"""The sweep file: its grid becomes trials; bad files are refused naming the key."""

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from memctrl.cli import main
from memctrl.sweep.config import load_sweep_config, parse_sweep_config

GOOD = {"episodes": 3, "fixed": {"env": "CartPole-v1", "controller.actor_population": 16},
        "grid": {"seed": [0, 1], "neuron.d2d_mu_cv": [0.0, 0.3], "synapse.levels": [32]}}


def test_the_grid_expands_to_every_combination_over_the_fixed_settings():
    sweep = parse_sweep_config(GOOD)
    trials = sweep.trials()
    assert [trial.name for trial in trials] == ["trial-000", "trial-001", "trial-002",
                                                "trial-003"]
    assert [trial.factors for trial in trials] == [
        {"seed": s, "neuron.d2d_mu_cv": d, "synapse.levels": 32}
        for s in (0, 1) for d in (0.0, 0.3)]
    last = trials[-1]
    assert (last.env, last.seed) == ("CartPole-v1", 1)
    assert sweep.train_options == {"episodes": 3, "eval_every": 50, "eval_episodes": 100,
                                   "checkpoint_every": 10}


def test_a_trial_builds_its_controller_config_with_the_device_overrides():
    config = parse_sweep_config(GOOD).trials()[3].controller_config()
    assert config.actor_population == 16
    assert config.neuron_overrides == {"d2d_mu_cv": 0.3}
    assert config.synapse_overrides == {"levels": 32}
    neuron = config.network_config(4, 3, 1, 0.5).neuron
    assert neuron.d2d_mu_cv == 0.3


def test_the_example_config_is_valid_and_sweeps_seeds_against_device_spread():
    path = Path(__file__).resolve().parents[2] / "config" / "sweep.yaml"
    sweep = load_sweep_config(path)
    assert set(sweep.grid) == {"seed", "neuron.d2d_mu_cv"}
    assert len(sweep.trials()) == 15


@pytest.mark.parametrize("change, named", [
    ({"epsiodes": 3}, "'epsiodes'"),
    ({"grid": {"controller.critic_populaton": [16]}}, "'controller.critic_populaton'"),
    ({"grid": {"neuron.d2d_spread": [0.1]}}, "'neuron.d2d_spread'"),
    ({"grid": {"temperature": [1]}}, "'temperature'"),
    ({"grid": {"controller.actor_population": ["big"]}}, "grid.controller.actor_population"),
    ({"grid": {"controller.actor_population": [16.5]}}, "grid.controller.actor_population"),
    ({"grid": {"synapse.c2c_sigma": [True]}}, "grid.synapse.c2c_sigma"),
    ({"grid": {"seed": 3}}, "grid.seed must be a list"),
    ({"grid": {"seed": []}}, "grid.seed: empty list"),
    ({"grid": {"seed": [0, 1, 0]}}, "grid.seed: 0 is listed twice"),
    ({"grid": {}}, "grid: empty search space"),
    ({"grid": None}, "grid: empty search space"),
    ({"episodes": 0}, "episodes"),
    ({"cpus_per_trial": "two"}, "cpus_per_trial"),
    ({"cpus_per_trial": 0.00001}, "cpus_per_trial must be a number from 0.0001 (Ray's"),
    ({"cpus_per_trial": float("inf")}, "cpus_per_trial must be a number from 0.0001"),
    ({"grid": {"seed": list(range(200)), "controller.actor_rate": [0.01 * k + 0.01
                                                                   for k in range(51)]}},
     "grid: 10200 trials, more than 10000; split the sweep"),
    ({"fixed": {"seed": 2}, "grid": {"seed": [0, 1]}}, "grid.seed is also in fixed"),
    ({"fixed": {"controller.actor_population": 16}}, "no environment"),
    ({"success_return": "high"}, "success_return must be a finite number"),
    ({"success_return": float("nan")}, "success_return must be a finite number"),
    ({"success_return": {}}, "success_return: empty mapping"),
    ({"success_return": {"CartPole-v1": "high"}},
     "success_return.CartPole-v1 must be a finite number"),
    ({"success_return": {"Pendulum-v1": -400}},
     "success_return.Pendulum-v1: not an environment of this sweep (CartPole-v1)"),
    ({"grid": {"seed": [0, -1]}}, "grid.seed: -1 is negative; a seed is an integer >= 0"),
    ({"fixed": {"env": "CartPole-v1", "seed": -3}, "grid": {"synapse.levels": [32]}},
     "fixed.seed: -3 is negative"),
    # values the controller refuses
    ({"fixed": {"env": "CartPole-v1", "controller.neuron_preset": "nosuch"}},
     "fixed.controller.neuron_preset: 'nosuch' refused by the controller"),
    ({"grid": {"controller.lambda_actor": [0.05, 1.5]}},
     "grid.controller.lambda_actor: 1.5 refused by the controller (lambda_actor must lie in"),
    ({"grid": {"synapse.levels": [64, -3]}}, "grid.synapse.levels: -3 refused by the controller"),
    ({"grid": {"controller.gamma": [0.9, float("nan")]}},
     "grid.controller.gamma: nan refused by the controller (gamma must be a finite number, "
     "got nan)"),
    # ... or refuses on the environment's spaces
    ({"grid": {"seed": [0], "controller.grid_bins": [[3, 3, 3, 3], [3, 3]]}},
     "grid.controller.grid_bins: [3, 3] on CartPole-v1: grid_bins has 2 entries but the "
     "observation space (Box of shape (4,)) has 4 dimensions"),
    ({"fixed": {}, "grid": {"env": ["CartPole-v1", "Pendulum-v1"],
                            "controller.grid_bins": [[3, 3, 3, 3]]}},
     "grid.controller.grid_bins: [3, 3, 3, 3] on Pendulum-v1: grid_bins has 4 entries"),
    ({"fixed": {"env": "CarRacing-v3"}},
     "fixed.env: 'CarRacing-v3': the observation space must be a 1-D Box or Discrete, got "
     "Box(0, 255, (96, 96, 3), uint8)"),
    ({"fixed": {}, "grid": {"seed": [0], "env": ["CartPole-v1", "CarRacing-v3"]}},
     "grid.env: 'CarRacing-v3': the observation space must be a 1-D Box or Discrete"),
])
def test_a_bad_sweep_file_is_refused_naming_the_key(change, named):
    document = {**GOOD, **change}
    with pytest.raises(ValueError, match=re.escape(named)):
        parse_sweep_config(document)


@pytest.mark.parametrize("where, env_id", [
    ("fixed.env", "NoSuchEnv-v0"), ("fixed.env", "CartPole-v9"),
    ("fixed.env", "Ant-v2"),        # registered, but its module is not installed
    ("grid.env", "memctrl/Nope-v0")])
def test_an_environment_that_cannot_be_made_is_refused_naming_the_key(where, env_id):
    change = ({"fixed": {"env": env_id}} if where == "fixed.env"
              else {"fixed": {}, "grid": {"seed": [0], "env": ["CartPole-v1", env_id]}})
    with pytest.raises(ValueError, match=rf"^{re.escape(where)}: .*'{re.escape(env_id)}'"):
        parse_sweep_config({**GOOD, **change})


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(max_value=-1))
def test_every_negative_seed_is_refused_naming_it(seed):
    with pytest.raises(ValueError, match=rf"^grid\.seed: {seed} is negative"):
        parse_sweep_config({**GOOD, "grid": {"seed": [0, seed]}})


@settings(max_examples=15, deadline=None)
@given(bins=st.lists(st.integers(2, 5), min_size=1, max_size=6))
def test_grid_bins_are_accepted_exactly_when_they_fit_the_observations(bins):
    document = {**GOOD, "grid": {"seed": [0], "controller.grid_bins": [bins]}}
    if len(bins) == 4:      # CartPole-v1 observes 4 numbers
        parse_sweep_config(document)
    else:
        with pytest.raises(ValueError, match=re.escape(f"grid.controller.grid_bins: {bins} on "
                                                       "CartPole-v1: grid_bins has")):
            parse_sweep_config(document)


def test_memctrl_environments_and_a_success_return_are_accepted():
    sweep = parse_sweep_config({**GOOD, "success_return": 400,
                                "fixed": {"env": "memctrl/LineFollower-v0"}})
    assert sweep.success_return == 400.0
    assert parse_sweep_config(GOOD).success_return is None


def test_a_success_return_per_environment_applies_to_its_own_trials():
    sweep = parse_sweep_config({**GOOD, "fixed": {},
                                "grid": {"env": ["CartPole-v1", "Pendulum-v1"], "seed": [0]},
                                "success_return": {"Pendulum-v1": -400}})
    assert sweep.success_return_for("Pendulum-v1") == -400.0
    assert sweep.success_return_for("CartPole-v1") is None   # its own reward threshold
    assert parse_sweep_config({**GOOD, "success_return": 9}).success_return_for("X") == 9.0


def test_the_cli_refuses_a_bad_file_with_status_2_before_ray_starts(tmp_path, capsys):
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump({**GOOD, "grid": {"synapse.write_noise": [0.1]}}))
    code = main(["sweep", "--config", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}: grid.synapse.write_noise: unknown setting 'synapse.write_noise'" in err
    assert "c2c_sigma" in err                  # the valid synapse settings are listed
    assert not (tmp_path / "out").exists()     # nothing was started


def test_an_unreadable_sweep_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text("grid: [unclosed")
    with pytest.raises(ValueError, match="sweep.yaml: cannot read the sweep file"):
        load_sweep_config(path)
    with pytest.raises(ValueError, match="a sweep file is a mapping"):
        parse_sweep_config(["seed"])
