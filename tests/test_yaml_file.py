"""The YAML reader of settings, sweep and parameter files: plain, small, shallow."""

import os
import threading

import pytest

from memctrl.yaml_file import MAX_BYTES, read_yaml


def _alias_bomb() -> str:
    """Nine levels of nine aliases each: a few hundred bytes, 9**9 values expanded."""
    names = "abcdefghi"
    lines = ["  - &a [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"  - &{name} [" + ", ".join([f"*{previous}"] * 9) + "]"
              for previous, name in zip(names, names[1:])]
    return "scales:\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, message", [
    (_alias_bomb(), "anchors and aliases (&name, *name) are not accepted at line 2"),
    ("a: &x 1\nb: 2\n", "anchors and aliases"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than 32 levels"),
    ("a: 1\n" + "#" * MAX_BYTES, f"larger than {MAX_BYTES} bytes"),
    ("a: [1, 2\n", "at line 2, column 1"),
    ("grid_tilings: 8\ngrid_tilings: 4\n", "the key 'grid_tilings' is given twice at line 2"),
    ("memctrl_node:\n  ros__parameters:\n    env_id: a\n    seed: 1\n    env_id: b\n",
     "the key 'env_id' is given twice at line 5"),
])
def test_what_is_not_small_plain_yaml_is_refused_in_one_line(tmp_path, text, message):
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    with pytest.raises(ValueError) as error:
        read_yaml(path, "settings")
    assert str(error.value).startswith(f"{path}: cannot read the settings (")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_plain_yaml_nested_up_to_the_limit_is_read(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("a: {b: [1, [2.5, c]]}\nd: " + "[" * 31 + "]" * 31 + "\n")
    document = read_yaml(path, "settings")
    assert document["a"] == {"b": [1, [2.5, "c"]]}


def test_a_settings_path_that_is_not_a_regular_file_is_refused_without_waiting(tmp_path):
    """A named pipe blocked the reader for good; were it read, its writer's text would
    fail the match instead of hanging the test."""
    pipe = tmp_path / "settings.yaml"
    os.mkfifo(pipe)

    def write_text():
        with open(pipe, "w") as writer:
            writer.write("a: 1\n")
    threading.Thread(target=write_text, daemon=True).start()
    for path in (pipe, tmp_path):
        with pytest.raises(ValueError, match=f"{path}: cannot read the settings "
                                             r"\(not a regular file\)"):
            read_yaml(path, "settings")
