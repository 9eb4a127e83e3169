"""Every user-facing string of the app has a Chinese translation in translations/zh.csv: DocType
names, labels, options and descriptions from the DocType JSON, and every _("…") / __("…") literal in
Python and JavaScript. Reads files only, so it runs without a site."""

import csv
import json
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "key_account_mgmt"
TRANSLATABLE_OPTIONS = {"Select"}
PYTHON_CALL = re.compile(r"""(?<![\w.])_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
PYTHON_IMPLICIT = re.compile(r"""(?<![\w.])_\(\s*\n?\s*"((?:[^"\\]|\\.)*)"\s*\n\s*"((?:[^"\\]|\\.)*)"\s*\)""")
JS_CALL = re.compile(r"""__\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`$]*)`)""")


def translations() -> dict[str, str]:
	with open(APP / "translations" / "zh.csv", encoding="utf-8") as f:
		return {row[0]: row[1] for row in csv.reader(f) if row}


def doctype_strings() -> set[str]:
	strings = set()
	for path in APP.glob("*/doctype/*/*.json"):
		doctype = json.loads(path.read_text(encoding="utf-8"))
		strings.add(doctype["name"])
		if doctype.get("description"):
			strings.add(doctype["description"])
		for field in doctype["fields"]:
			for key in ("label", "description"):
				if field.get(key):
					strings.add(field[key])
			if field["fieldtype"] in TRANSLATABLE_OPTIONS and field.get("options"):
				strings.update(option for option in field["options"].split("\n") if option)
	return strings


def desk_records() -> set[str]:
	"""The workspace, its cards and charts, and the reports' names."""
	strings = set()
	module = APP / "key_account_management"
	for path in module.glob("workspace/*/*.json"):
		workspace = json.loads(path.read_text(encoding="utf-8"))
		strings.add(workspace["label"])
		strings.update(link["label"] for link in workspace["links"])
		strings.update(shortcut["label"] for shortcut in workspace["shortcuts"])
		for block in json.loads(workspace["content"]):
			if block["type"] == "header":
				strings.add(re.sub(r"<[^>]+>", "", block["data"]["text"]).replace("&amp;", "&"))
	strings.update(json.loads(path.read_text())["label"] for path in module.glob("number_card/*/*.json"))
	strings.update(
		json.loads(path.read_text())["chart_name"] for path in module.glob("dashboard_chart/*/*.json")
	)
	strings.update(json.loads(path.read_text())["name"] for path in module.glob("report/*/*.json"))
	return strings


def named_records() -> set[str]:
	"""Roles, the module and the default tier names are shown to users too."""
	from key_account_mgmt.tiering.core import DEFAULT_BANDS

	roles = json.loads((APP / "fixtures" / "role.json").read_text(encoding="utf-8"))
	modules = (APP / "modules.txt").read_text(encoding="utf-8").split()
	return {role["name"] for role in roles} | {" ".join(modules)} | {band.tier for band in DEFAULT_BANDS}


def code_strings() -> set[str]:
	strings = set()
	for path in APP.rglob("*.py"):
		if "/tests/" in str(path) or path.name.startswith("test_"):
			continue
		text = path.read_text(encoding="utf-8")
		for match in PYTHON_IMPLICIT.finditer(text):
			strings.add(match.group(1) + match.group(2))
		text = PYTHON_IMPLICIT.sub("", text)
		strings.update(
			next(group for group in match.groups() if group is not None)
			for match in PYTHON_CALL.finditer(text)
		)
	templates = [path.read_text(encoding="utf-8") for path in APP.rglob("*.html")]
	templates += [
		json.loads(path.read_text(encoding="utf-8"))["html"] for path in APP.glob("*/print_format/*/*.json")
	]
	for text in templates:
		strings.update(
			next(group for group in match.groups() if group is not None)
			for match in PYTHON_CALL.finditer(text)
		)
	for path in APP.rglob("*.js"):
		text = path.read_text(encoding="utf-8")
		strings.update(
			next(group for group in match.groups() if group is not None) for match in JS_CALL.finditer(text)
		)
	return strings


def test_every_user_facing_string_has_a_chinese_translation():
	missing = sorted(
		(doctype_strings() | named_records() | desk_records() | code_strings()) - set(translations())
	)
	assert not missing, "missing in translations/zh.csv:\n" + "\n".join(missing)


def test_translations_are_not_left_in_english():
	untranslated = [
		source for source, target in translations().items() if not target.strip() or target == source
	]
	assert not untranslated, untranslated


def test_tier_names_use_the_policys_terms():
	zh = translations()
	assert (zh["Ordinary"], zh["Partner"], zh["Strategic"]) == ("普通大客户", "伙伴式大客户", "战略性大客户")
	assert zh["Key Account Manager"] == "大客户经理"
