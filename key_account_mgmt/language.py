"""Messages written in their reader's language, for notices the app sends to other users.

frappe.translate is imported when called, not when this app's modules load: on Frappe 15.12 a process
that imports it before frappe.model has loaded (a fresh worker running a scheduled job) fails with a
circular import."""

from contextlib import contextmanager


def user_language(user: str) -> str:
	from frappe.translate import get_user_lang

	return get_user_lang(user)


@contextmanager
def in_language(language: str):
	from frappe.translate import print_language

	with print_language(language):
		yield
