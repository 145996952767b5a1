"""The package as installed: the compiled core, ROS 2 and the ament metadata.

These imports are the product; a missing one fails the suite rather than skipping.
"""

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_compiled_core_is_built():
    import memctrl._core

    assert hasattr(memctrl._core, "CompiledNetwork")


def test_ros2_client_and_message_packages_import():
    import diagnostic_msgs.msg
    import geometry_msgs.msg
    import rclpy
    import sensor_msgs.msg
    import std_msgs.msg
    import std_srvs.srv

    rclpy.init()
    try:
        node = rclpy.create_node("memctrl_import_check")
        assert node.get_name() == "memctrl_import_check"
        node.destroy_node()
    finally:
        rclpy.shutdown()
    assert std_msgs.msg.Float64MultiArray and sensor_msgs.msg.JointState
    assert geometry_msgs.msg.Twist and diagnostic_msgs.msg.DiagnosticArray
    assert std_srvs.srv.Trigger and std_srvs.srv.SetBool


def test_package_xml_declares_an_ament_python_package():
    root = ElementTree.parse(ROOT / "package.xml").getroot()
    assert root.get("format") == "3"
    assert root.findtext("name") == "memctrl"
    assert root.find("export/build_type").text == "ament_python"
    exec_deps = {element.text for element in root.findall("exec_depend")}
    assert {"rclpy", "std_msgs", "sensor_msgs", "geometry_msgs", "diagnostic_msgs",
            "std_srvs"} <= exec_deps
    assert (ROOT / "resource" / "memctrl").is_file()


def test_the_memctrl_command_is_installed():
    command = shutil.which("memctrl", path=str(Path(sys.executable).parent))
    assert command is not None
    result = subprocess.run([command, "--help"], capture_output=True, text=True, check=True)
    assert "characterize" in result.stdout and "bench" in result.stdout


def test_rclpy_is_imported_only_under_memctrl_ros():
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "memctrl").rglob("*.py")
                 if "ros" not in path.relative_to(ROOT / "memctrl").parts[:1]
                 and any(line.strip().startswith(("import rclpy", "from rclpy"))
                         for line in path.read_text().splitlines())]
    assert offenders == []


def test_no_ros_logging_call_uses_the_deprecated_warn():
    # rclpy's deprecated warn() wrapper makes every warn() in a process one call site:
    # a throttled warning and another one then raise, and the node dies.
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in (ROOT / "memctrl").rglob("*.py")
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if ".warn(" in line]
    assert offenders == []
