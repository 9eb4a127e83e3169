"""The desk for dev/up: Frappe's WSGI app pinned to $KAM_SITE (so http://127.0.0.1:PORT needs no Host
header) with /assets and /files served, as `bench serve` does, but behind gunicorn on 127.0.0.1."""

import os

import frappe.app

frappe.app._site = os.environ["KAM_SITE"]
application = frappe.app.application_with_statics()
