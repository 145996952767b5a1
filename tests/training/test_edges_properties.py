"""Generated bad input at the training edges: settings files, state.json, CLI arguments.

Every case either works or is refused with a ValueError (the CLI: exit status 2 and
one line naming the file), never another exception, and a refusal changes no file.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from pathlib import Path

import gymnasium
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memctrl.cli import main
from memctrl.controller import ControllerConfig
from memctrl.training.controller_file import check_controller_fits, load_controller_config
from memctrl.training.run import STATE_KEYS

from .conftest import files_in

DEVICE_NAMES = ["mu", "v_dd", "r_leak", "levels", "g_max", "unknown"]
values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.text(max_size=12)
    | st.integers(-3, 400) | st.sampled_from([10**9, 10**15, 2**31 - 1]),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=3),
    max_leaves=12)
settings_documents = st.dictionaries(
    st.sampled_from([field.name for field in dataclasses.fields(ControllerConfig)])
    | st.text(max_size=8),
    values | st.dictionaries(st.sampled_from(DEVICE_NAMES), values, max_size=2),
    max_size=4)


@given(settings_documents)
def test_a_generated_settings_file_loads_or_is_refused_naming_the_file(tmp_path_factory,
                                                                       document):
    path = tmp_path_factory.mktemp("settings") / "controller.yaml"
    path.write_text(yaml.safe_dump(document))
    env = gymnasium.make("CartPole-v1")
    try:
        check_controller_fits(load_controller_config(path), env, str(path))
    except ValueError as error:
        assert str(path) in str(error) and "\n" not in str(error)
        assert len(str(error)) < 1000


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from([key for key, _, _ in STATE_KEYS]),
                               values | st.just("delete"), min_size=1, max_size=2))
def test_a_generated_state_json_is_resumed_or_refused_before_a_file_changes(
        trained_run, capsys, changes):
    with tempfile.TemporaryDirectory() as scratch:
        run = Path(shutil.copytree(trained_run, Path(scratch) / "run"))
        state = json.loads((run / "state.json").read_text())
        for key, value in changes.items():
            state.pop(key) if value == "delete" else state.update({key: value})
        (run / "state.json").write_text(json.dumps(state))
        before = files_in(run)
        code = main(["train", "--resume", str(run), "--episodes", "2", "--eval-episodes", "1",
                     "--no-progress"])
        stderr = capsys.readouterr().err
        assert code in (0, 2)
        if code == 2:
            assert stderr.count("\n") == 1 and str(run) in stderr
            assert files_in(run) == before


arguments = st.lists(st.sampled_from(["--seed", "--episodes", "--run", "-1", "0", "x",
                                      "1e3", "", "--json", "99999999999999999999"]),
                     max_size=6)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arguments)
def test_generated_evaluate_arguments_exit_2_with_a_message(capsys, argv):
    # The run never exists, so every case is refused: by argparse or by evaluate.
    try:
        code = main(["evaluate", "--run", "/nonexistent/run", *argv])
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and err.strip() != "" and "Traceback" not in err
