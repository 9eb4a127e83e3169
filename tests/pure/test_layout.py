"""The installed app never reaches its test package: the harnesses under key_account_mgmt/tests/ (the
throwaway MariaDB server, the reliability and concurrency drivers, the factories, the browser) are
imported by tests, benchmarks and dev scripts only, so a production site never loads them."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "key_account_mgmt"
TESTS = "key_account_mgmt.tests"


def app_modules():
	for path in sorted(APP.rglob("*.py")):
		relative = path.relative_to(APP)
		if relative.parts[0] == "tests" or path.name.startswith("test_") or path.name == "conftest.py":
			continue
		yield relative, path


def imported_names(tree: ast.AST):
	for node in ast.walk(tree):
		if isinstance(node, ast.Import):
			yield from (alias.name for alias in node.names)
		elif isinstance(node, ast.ImportFrom) and node.module:
			yield node.module
			yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_no_app_module_imports_the_test_package():
	offenders = [
		str(relative)
		for relative, path in app_modules()
		if any(
			name == TESTS or name.startswith(f"{TESTS}.")
			for name in imported_names(ast.parse(path.read_text(), str(path)))
		)
	]
	assert offenders == []


def test_no_hook_points_into_the_test_package():
	hooks = ast.parse((APP / "hooks.py").read_text())
	strings = [
		node.value
		for node in ast.walk(hooks)
		if isinstance(node, ast.Constant) and isinstance(node.value, str)
	]
	assert [value for value in strings if value.startswith(TESTS)] == []


def test_the_harnesses_are_in_the_test_package():
	harnesses = {"mariadb_instance.py", "reliability.py", "concurrency.py", "factories.py"}
	assert harnesses <= {path.name for path in (APP / "tests").glob("*.py")}
	assert not [relative for relative, path in app_modules() if path.name in harnesses]
