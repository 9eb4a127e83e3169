"""A throwaway MariaDB server for tests that must stop, kill or replicate a database server: never the
main server on 3306, which every engineer's site and the bench share.

	instance = MariaDBInstance(3407)
	instance.start()
	clone_site("kam-test.localhost", "kam-test-clone.localhost", instance)
	...  # frappe.init(site="kam-test-clone.localhost"): the same data, on this server
	drop_site_clone("kam-test-clone.localhost", instance)
	instance.cleanup()

Everything the server writes (data, socket, pid file, logs, configuration) lives under one directory,
a fresh temporary one unless `base_dir` is given; `cleanup()` stops the server and removes it."""

import ctypes
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT_PASSWORD = "kam-dev-root"
STARTUP_SECONDS = 60
BINARIES = ("mariadbd", "mariadb-install-db", "mariadb", "mariadb-admin", "mariadb-dump")


class MariaDBInstanceError(RuntimeError):
	pass


def find_binary(name: str) -> str:
	# mariadbd lives in /usr/sbin, which a test runner's PATH may leave out
	path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")
	if not path:
		raise MariaDBInstanceError(
			f"{name} not found: install the MariaDB server and client (Debian: apt-get install "
			"mariadb-server mariadb-client)"
		)
	return path


def stop_with_parent() -> None:
	"""In the child before exec: Linux sends it SIGTERM when the process that started it dies."""
	if sys.platform.startswith("linux"):
		ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
	"""A port nothing listens on now (the kernel's choice), for an instance of a test's own."""
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
		probe.bind(("127.0.0.1", 0))
		return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
		probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		try:
			probe.bind(("127.0.0.1", port))
		except OSError:
			return False
	return True


class MariaDBInstance:
	"""A MariaDB server of its own on 127.0.0.1:`port`, with the settings Frappe needs (utf8mb4,
	utf8mb4_unicode_ci, as dev/lib.sh configures the main server) and root's password
	`kam-dev-root` over TCP. `log_bin` and `server_id` make it usable as a replication primary."""

	def __init__(
		self, port: int, *, server_id: int = 2, log_bin: bool = False, base_dir: Path | None = None
	) -> None:
		if port == 3306:
			raise MariaDBInstanceError("port 3306 belongs to the main MariaDB server; choose another")
		self.port = port
		self.server_id = server_id
		self.log_bin = log_bin
		self.owns_base_dir = base_dir is None
		self.base_dir = Path(base_dir or tempfile.mkdtemp(prefix=f"kam-mariadb-{port}-")).resolve()
		self.process: subprocess.Popen | None = None
		self.binaries = {name: find_binary(name) for name in BINARIES}

	# --- layout -----------------------------------------------------------------------------------
	@property
	def datadir(self) -> Path:
		return self.base_dir / "data"

	@property
	def socket_path(self) -> Path:
		return self.base_dir / "mariadbd.sock"

	@property
	def pid_file(self) -> Path:
		return self.base_dir / "mariadbd.pid"

	@property
	def error_log(self) -> Path:
		return self.base_dir / "mariadbd.err"

	@property
	def server_config(self) -> Path:
		return self.base_dir / "server.cnf"

	@property
	def client_config(self) -> Path:
		return self.base_dir / "client.cnf"

	@property
	def pid(self) -> int | None:
		return self.process.pid if self.process else None

	# --- lifecycle --------------------------------------------------------------------------------
	def start(self) -> "MariaDBInstance":
		if self.is_running():
			return self
		if not port_is_free(self.port):
			raise MariaDBInstanceError(f"port {self.port} on 127.0.0.1 is in use; choose another")
		self.base_dir.mkdir(parents=True, exist_ok=True)
		self.write_configs()
		fresh = not (self.datadir / "mysql").is_dir()
		if fresh:
			self.install_db()
		self.error_log.touch()
		log = self.error_log.open("ab")
		self.process = subprocess.Popen(
			[self.binaries["mariadbd"], f"--defaults-file={self.server_config}", *self.user_option()],
			stdin=subprocess.DEVNULL,
			stdout=log,
			stderr=log,
			start_new_session=True,  # a Ctrl-C in the test runner does not reach it half-way
			preexec_fn=stop_with_parent,  # a test runner killed by a timeout leaves no server behind
		)
		log.close()
		self.wait_until_ready(over_socket=fresh)
		if fresh:
			self.secure_root()
		return self

	def stop(self, timeout: float = 60) -> None:
		"""A clean shutdown, as `mariadb-admin shutdown` does it."""
		if not self.is_running():
			self.process = None
			return
		self.process.send_signal(signal.SIGTERM)
		try:
			self.process.wait(timeout=timeout)
		except subprocess.TimeoutExpired:
			self.kill()
		self.process = None

	def kill(self) -> None:
		"""SIGKILL: the server dies with its transactions open; the next start recovers InnoDB."""
		if self.process and self.process.poll() is None:
			self.process.kill()
			self.process.wait(timeout=30)
		self.process = None

	def restart(self) -> None:
		self.stop()
		self.start()

	def cleanup(self) -> None:
		"""Stop the server and remove everything it wrote."""
		try:
			self.stop(timeout=30)
		finally:
			if self.owns_base_dir:
				shutil.rmtree(self.base_dir, ignore_errors=True)
			else:
				shutil.rmtree(self.datadir, ignore_errors=True)
				for path in (
					self.socket_path,
					self.pid_file,
					self.error_log,
					self.server_config,
					self.client_config,
				):
					path.unlink(missing_ok=True)

	def is_running(self) -> bool:
		return self.process is not None and self.process.poll() is None

	# --- SQL ----------------------------------------------------------------------------------------
	def sql(self, statement: str, database: str | None = None) -> str:
		"""Run statements with the mariadb client as root over TCP; tab-separated rows, no header."""
		result = subprocess.run(
			[*self.client_command(), "--batch", "--skip-column-names", *([database] if database else [])],
			input=statement,
			capture_output=True,
			text=True,
			timeout=300,
		)
		if result.returncode != 0:
			raise MariaDBInstanceError(f"mariadb on port {self.port}: {result.stderr.strip()}")
		return result.stdout.strip()

	def client_command(self, program: str = "mariadb") -> list[str]:
		return [self.binaries[program], f"--defaults-file={self.client_config}"]

	# --- internals ----------------------------------------------------------------------------------
	def user_option(self) -> list[str]:
		# mariadbd refuses to run as root unless told to; as another user it runs as that user
		return ["--user=root"] if os.geteuid() == 0 else []

	def write_configs(self) -> None:
		# --defaults-file: nothing from /etc/mysql (port 3306, the main server's socket) is read
		lines = [
			"[mysqld]",
			f"datadir = {self.datadir}",
			f"port = {self.port}",
			"bind-address = 127.0.0.1",
			f"socket = {self.socket_path}",
			f"pid-file = {self.pid_file}",
			f"log-error = {self.error_log}",
			f"server-id = {self.server_id}",
			"character-set-client-handshake = FALSE",
			"character-set-server = utf8mb4",
			"collation-server = utf8mb4_unicode_ci",
			"innodb_buffer_pool_size = 128M",
			"innodb_log_file_size = 48M",
			"innodb_flush_log_at_trx_commit = 2",
			"skip-external-locking",
		]
		if self.log_bin:
			lines += [f"log-bin = {self.datadir / 'mariadb-bin'}", "binlog_format = ROW"]
		self.server_config.write_text("\n".join(lines) + "\n")
		self.client_config.write_text(
			"\n".join(
				[
					"[client]",
					"user = root",
					f"password = {ROOT_PASSWORD}",
					"host = 127.0.0.1",
					f"port = {self.port}",
					"protocol = TCP",
					"default-character-set = utf8mb4",
				]
			)
			+ "\n"
		)
		self.client_config.chmod(0o600)

	def install_db(self) -> None:
		result = subprocess.run(
			[
				self.binaries["mariadb-install-db"],
				f"--defaults-file={self.server_config}",
				*self.user_option(),
				"--auth-root-authentication-method=normal",
				"--skip-test-db",
				"--skip-name-resolve",
			],
			capture_output=True,
			text=True,
			timeout=300,
		)
		if result.returncode != 0:
			raise MariaDBInstanceError(
				f"mariadb-install-db failed for {self.datadir}:\n{result.stdout}\n{result.stderr}"
			)

	def wait_until_ready(self, over_socket: bool) -> None:
		connection = (
			["--no-defaults", "--protocol=SOCKET", f"--socket={self.socket_path}", "--user=root"]
			if over_socket
			else [f"--defaults-file={self.client_config}"]
		)
		deadline = time.monotonic() + STARTUP_SECONDS
		while time.monotonic() < deadline:
			if self.process.poll() is not None:
				raise MariaDBInstanceError(
					f"mariadbd on port {self.port} exited with {self.process.returncode}; "
					f"see {self.error_log}:\n{self.log_tail()}"
				)
			ping = subprocess.run(
				[self.binaries["mariadb-admin"], *connection, "ping"], capture_output=True, timeout=30
			)
			if ping.returncode == 0:
				return
			time.sleep(0.2)
		self.kill()
		raise MariaDBInstanceError(
			f"mariadbd on port {self.port} did not answer in {STARTUP_SECONDS} s; see {self.error_log}:\n"
			f"{self.log_tail()}"
		)

	def secure_root(self) -> None:
		"""A fresh data directory has root without a password, over the socket only: give root the
		project's password from any host, as the main server has it."""
		statements = (
			f"ALTER USER 'root'@'localhost' IDENTIFIED BY '{ROOT_PASSWORD}';"
			f"CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '{ROOT_PASSWORD}';"
			"GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;"
			"FLUSH PRIVILEGES;"
		)
		result = subprocess.run(
			[
				self.binaries["mariadb"],
				"--no-defaults",
				"--protocol=SOCKET",
				f"--socket={self.socket_path}",
				"--user=root",
			],
			input=statements,
			capture_output=True,
			text=True,
			timeout=60,
		)
		if result.returncode != 0:
			raise MariaDBInstanceError(f"could not set root's password: {result.stderr.strip()}")

	def log_tail(self, lines: int = 20) -> str:
		try:
			return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])
		except OSError:
			return ""


# --- sites on the instance ---------------------------------------------------------------------------
def clone_site(
	source_site: str, target_site: str, instance: MariaDBInstance, *, sites_path: str | Path | None = None
) -> None:
	"""A new site folder `target_site` holding a copy of `source_site`'s database on `instance`.
	Its site_config.json has its own db_name (Redis cache keys are prefixed with it, so a clone never
	reads the source's cache) and db_password, db_host 127.0.0.1, db_port the instance's port."""
	sites = Path(sites_path or default_sites_path()).resolve()
	source_config, source_location = read_site_config(sites, source_site)
	target_dir = sites / target_site
	if target_dir.exists():
		raise MariaDBInstanceError(f"{target_dir} exists already; drop_site_clone() it first")

	db_name = "_" + hashlib.sha1(f"{target_site}:{instance.port}".encode()).hexdigest()[:16]
	db_password = secrets.token_hex(16)
	create_database(instance, db_name, db_password)
	try:
		copy_database(source_config, source_location, instance, db_name)
		for folder in ("public/files", "private/files", "private/backups", "locks", "logs"):
			(target_dir / folder).mkdir(parents=True, exist_ok=True)
		config = {
			key: value
			for key, value in source_config.items()
			if not key.startswith(("db_", "replica_", "read_from_replica", "different_credentials"))
		}
		config.update(
			db_name=db_name,
			db_password=db_password,
			db_host="127.0.0.1",
			db_port=instance.port,
			db_type="mariadb",
			allow_tests=True,
		)
		(target_dir / "site_config.json").write_text(json.dumps(config, indent=1, sort_keys=True))
	except BaseException:
		shutil.rmtree(target_dir, ignore_errors=True)
		drop_database(instance, db_name)
		raise


def drop_site_clone(
	target_site: str, instance: MariaDBInstance, *, sites_path: str | Path | None = None
) -> None:
	"""Remove a clone: its database and user on the instance, its cache keys and its site folder."""
	sites = Path(sites_path or default_sites_path()).resolve()
	target_dir = sites / target_site
	config_file = target_dir / "site_config.json"
	if config_file.exists():
		config = json.loads(config_file.read_text())
		if int(config.get("db_port") or 0) != instance.port:
			raise MariaDBInstanceError(f"{target_site} is not on port {instance.port}; refusing to drop it")
		if instance.is_running():
			drop_database(instance, config["db_name"])
		clear_cache_keys(sites, config["db_name"])
	shutil.rmtree(target_dir, ignore_errors=True)


def default_sites_path() -> str:
	try:
		import frappe

		if getattr(frappe.local, "sites_path", None):
			return frappe.local.sites_path
	except ImportError:
		pass
	return os.getcwd()


def read_site_config(sites: Path, site: str) -> tuple[dict, tuple[str, int]]:
	"""The site's own config (what a clone copies) and where its database is (host, port)."""
	common_file = sites / "common_site_config.json"
	common = json.loads(common_file.read_text()) if common_file.exists() else {}
	site_file = sites / site / "site_config.json"
	if not site_file.exists():
		raise MariaDBInstanceError(f"no site {site} under {sites}")
	config = json.loads(site_file.read_text())
	host = config.get("db_host") or common.get("db_host") or "127.0.0.1"
	port = int(config.get("db_port") or common.get("db_port") or 3306)
	return config, (host, port)


def create_database(instance: MariaDBInstance, db_name: str, db_password: str) -> None:
	instance.sql(
		f"DROP DATABASE IF EXISTS `{db_name}`;"
		f"CREATE DATABASE `{db_name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
		f"CREATE OR REPLACE USER '{db_name}'@'%' IDENTIFIED BY '{db_password}';"
		f"CREATE OR REPLACE USER '{db_name}'@'localhost' IDENTIFIED BY '{db_password}';"
		f"GRANT ALL PRIVILEGES ON `{db_name}`.* TO '{db_name}'@'%';"
		f"GRANT ALL PRIVILEGES ON `{db_name}`.* TO '{db_name}'@'localhost';"
		"FLUSH PRIVILEGES;"
	)


def drop_database(instance: MariaDBInstance, db_name: str) -> None:
	instance.sql(
		f"DROP DATABASE IF EXISTS `{db_name}`;"
		f"DROP USER IF EXISTS '{db_name}'@'%';"
		f"DROP USER IF EXISTS '{db_name}'@'localhost';"
	)


def copy_database(
	source_config: dict, source_location: tuple[str, int], instance: MariaDBInstance, db_name: str
) -> None:
	"""mariadb-dump of the source (as the source site's own database user) piped into the instance."""
	host, port = source_location
	dump_env = {**os.environ, "MYSQL_PWD": source_config["db_password"]}
	dump = subprocess.Popen(
		[
			instance.binaries["mariadb-dump"],
			"--no-defaults",
			"--protocol=TCP",
			f"--host={host}",
			f"--port={port}",
			f"--user={source_config['db_name']}",
			"--single-transaction",
			"--quick",
			"--skip-lock-tables",
			"--routines",
			"--default-character-set=utf8mb4",
			source_config["db_name"],
		],
		stdout=subprocess.PIPE,
		stderr=subprocess.PIPE,
		env=dump_env,
	)
	load = subprocess.run(
		[*instance.client_command(), db_name], stdin=dump.stdout, capture_output=True, timeout=1800
	)
	dump.stdout.close()
	dump_error = dump.stderr.read().decode(errors="replace")
	dump.wait(timeout=60)
	if dump.returncode != 0:
		raise MariaDBInstanceError(f"mariadb-dump of {source_config['db_name']} failed: {dump_error}")
	if load.returncode != 0:
		raise MariaDBInstanceError(
			f"loading the dump into port {instance.port} failed: {load.stderr.decode(errors='replace')}"
		)


def clear_cache_keys(sites: Path, db_name: str) -> None:
	"""Frappe prefixes every cache key with the site's db_name: remove the clone's from Redis."""
	common = sites / "common_site_config.json"
	url = json.loads(common.read_text()).get("redis_cache") if common.exists() else None
	if not url:
		return
	try:
		import redis
	except ImportError:
		return
	client = redis.Redis.from_url(url)
	try:
		keys = list(client.scan_iter(match=f"{db_name}|*", count=1000))
		if keys:
			client.delete(*keys)
	except redis.exceptions.ConnectionError:
		pass
	finally:
		client.close()
