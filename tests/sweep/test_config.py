"""The sweep file: its grid becomes trials; bad files are refused naming the key."""

import re
from pathlib import Path

import pytest
import yaml

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
    ({"fixed": {"seed": 2}, "grid": {"seed": [0, 1]}}, "grid.seed is also in fixed"),
    ({"fixed": {"controller.actor_population": 16}}, "no environment"),
    ({"success_return": "high"}, "success_return must be a finite number"),
    ({"success_return": float("nan")}, "success_return must be a finite number"),
    ({"success_return": {}}, "success_return: empty mapping"),
    ({"success_return": {"CartPole-v1": "high"}},
     "success_return.CartPole-v1 must be a finite number"),
    ({"success_return": {"Pendulum-v1": -400}},
     "success_return.Pendulum-v1: not an environment of this sweep (CartPole-v1)"),
    # registered ids only: refused before Ray starts, not by every trial
    ({"fixed": {"env": "NoSuchEnv-v0"}}, "fixed.env: unknown environment 'NoSuchEnv-v0'"),
    ({"fixed": {"env": "CartPole-v9"}}, "fixed.env: unknown environment 'CartPole-v9'"),
    ({"fixed": {}, "grid": {"seed": [0], "env": ["CartPole-v1", "memctrl/Nope-v0"]}},
     "grid.env: unknown environment 'memctrl/Nope-v0'"),
    # values the controller refuses
    ({"fixed": {"env": "CartPole-v1", "controller.neuron_preset": "nosuch"}},
     "fixed.controller.neuron_preset: 'nosuch' refused by the controller"),
    ({"grid": {"controller.lambda_actor": [0.05, 1.5]}},
     "grid.controller.lambda_actor: 1.5 refused by the controller (lambda_actor must lie in"),
    ({"grid": {"synapse.levels": [64, -3]}}, "grid.synapse.levels: -3 refused by the controller"),
])
def test_a_bad_sweep_file_is_refused_naming_the_key(change, named):
    document = {**GOOD, **change}
    with pytest.raises(ValueError, match=re.escape(named)):
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
