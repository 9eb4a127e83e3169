# Shared by dev/up, dev/test and .ci/run. Source it; it defines functions and settings only.
# Settings come from the environment, then from ~/.config/key_account_mgmt/dev.env (for CI, which does
# not inherit an interactive shell), then from the defaults below (the official upstream repositories).

KAM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KAM_CONFIG_FILE=${KAM_CONFIG_FILE:-$HOME/.config/key_account_mgmt/dev.env}

load_config_file() {
	[ -f "$KAM_CONFIG_FILE" ] || return 0
	local line key value
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in '' | '#'*) continue ;; esac
		key=${line%%=*}
		value=${line#*=}
		value=${value%\"}
		value=${value#\"}
		# The environment wins over the file.
		[ -n "${!key+x}" ] || export "$key=$value"
	done <"$KAM_CONFIG_FILE"
}
load_config_file

export KAM_BENCH=${KAM_BENCH:-$HOME/frappe-bench}
export FRAPPE_SOURCE=${FRAPPE_SOURCE:-https://github.com/frappe/frappe}
export ERPNEXT_SOURCE=${ERPNEXT_SOURCE:-https://github.com/frappe/erpnext}
export FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
export ERPNEXT_BRANCH=${ERPNEXT_BRANCH:-version-15}
export KAM_SITE=${KAM_SITE:-kam.localhost}
export KAM_TEST_SITE=${KAM_TEST_SITE:-kam-test.localhost}
export KAM_DB_ROOT_PASSWORD=${KAM_DB_ROOT_PASSWORD:-kam-dev-root}
export KAM_ADMIN_PASSWORD=${KAM_ADMIN_PASSWORD:-admin}
export KAM_PORT=${KAM_PORT:-8000}
export KAM_CACHE=${KAM_CACHE:-$HOME/.cache/key_account_mgmt}
# Optional: a yarn offline mirror holding tarballs yarn cannot download here (e.g. GitHub ones).
export KAM_YARN_OFFLINE_MIRROR=${KAM_YARN_OFFLINE_MIRROR:-}

log() { printf '\033[1m[kam]\033[0m %s\n' "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

bench_cmd() { (cd "$KAM_BENCH" && bench "$@"); }
bench_python() { "$KAM_BENCH/env/bin/python" "$@"; }

ensure_apt_packages() {
	local missing=()
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing Debian packages: ${missing[*]}"
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_mariadb() {
	ensure_apt_packages mariadb-server mariadb-client libmariadb-dev pkg-config
	local cnf=/etc/mysql/mariadb.conf.d/99-key-account-mgmt.cnf
	if [ ! -f "$cnf" ]; then
		as_root tee "$cnf" >/dev/null <<-'EOF'
			[mysqld]
			bind-address = 127.0.0.1
			character-set-client-handshake = FALSE
			character-set-server = utf8mb4
			collation-server = utf8mb4_unicode_ci
			innodb_buffer_pool_size = 1G
			innodb_flush_log_at_trx_commit = 2

			[mysql]
			default-character-set = utf8mb4
		EOF
	fi
	if ! as_root mariadb-admin ping >/dev/null 2>&1; then
		log "starting MariaDB on 127.0.0.1:3306"
		as_root mkdir -p /run/mysqld
		as_root chown mysql:mysql /run/mysqld
		as_root setsid nohup mariadbd --user=mysql >/tmp/kam-mariadb.log 2>&1 </dev/null &
		for _ in $(seq 60); do
			as_root mariadb-admin ping >/dev/null 2>&1 && break
			sleep 1
		done
		as_root mariadb-admin ping >/dev/null 2>&1 || die "MariaDB did not start; see /tmp/kam-mariadb.log"
	fi
	if ! mariadb -uroot -p"$KAM_DB_ROOT_PASSWORD" -h127.0.0.1 -e "select 1" >/dev/null 2>&1; then
		log "setting MariaDB's root password (KAM_DB_ROOT_PASSWORD)"
		as_root mariadb -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$KAM_DB_ROOT_PASSWORD'); FLUSH PRIVILEGES;"
	fi
}

ensure_bench_redis() {
	ensure_apt_packages redis-server
	local conf port
	for conf in "$KAM_BENCH"/config/redis_cache.conf "$KAM_BENCH"/config/redis_queue.conf; do
		[ -f "$conf" ] || continue
		port=$(awk '$1 == "port" {print $2}' "$conf")
		if ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
			log "starting Redis on 127.0.0.1:$port"
			(cd "$KAM_BENCH/config" && redis-server "$conf" --bind 127.0.0.1 --daemonize yes >/dev/null)
			for _ in $(seq 20); do
				redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
				sleep 0.5
			done
		fi
	done
}

ensure_bench_cli() {
	command -v node >/dev/null || ensure_apt_packages nodejs npm
	command -v yarn >/dev/null || as_root npm install -g yarn@1 >/dev/null
	if [ -n "$KAM_YARN_OFFLINE_MIRROR" ]; then
		yarn config set yarn-offline-mirror "$KAM_YARN_OFFLINE_MIRROR" >/dev/null
	fi
	command -v bench >/dev/null || python3 -m pip install -q frappe-bench
	ensure_apt_packages git cron
}

source_reachable() {
	# A local path is reachable when it exists; a URL when git can list it.
	if [ -d "$1" ]; then return 0; fi
	timeout 20 git ls-remote --heads "$1" >/dev/null 2>&1
}

bench_exists() { [ -x "$KAM_BENCH/env/bin/python" ] && [ -d "$KAM_BENCH/apps/frappe" ]; }

create_bench() {
	ensure_bench_cli
	source_reachable "$FRAPPE_SOURCE" || die "Frappe source $FRAPPE_SOURCE cannot be reached"
	source_reachable "$ERPNEXT_SOURCE" || die "ERPNext source $ERPNEXT_SOURCE cannot be reached"
	log "creating a bench at $KAM_BENCH (Frappe $FRAPPE_BRANCH from $FRAPPE_SOURCE)"
	# bench refuses to run as root unless the config it reads names root as the frappe user;
	# bench init reads it from the current folder, so run init from one that says so.
	local launch
	launch=$(mktemp -d)
	mkdir -p "$launch/sites"
	echo '{"frappe_user": "root"}' >"$launch/sites/common_site_config.json"
	(
		cd "$launch" &&
			PIP_CONSTRAINT="$KAM_REPO/dev/constraints.txt" bench init "$KAM_BENCH" \
				--frappe-path "$FRAPPE_SOURCE" --frappe-branch "$FRAPPE_BRANCH" \
				--python "$(command -v python3)"
	) || die "bench init failed"
	rm -rf "$launch"
	configure_bench
	log "getting ERPNext $ERPNEXT_BRANCH from $ERPNEXT_SOURCE"
	PIP_CONSTRAINT="$KAM_REPO/dev/constraints.txt" bench_cmd get-app --branch "$ERPNEXT_BRANCH" erpnext "$ERPNEXT_SOURCE" ||
		die "bench get-app erpnext failed"
}

configure_bench() {
	bench_python - "$KAM_BENCH/sites/common_site_config.json" <<-'EOF'
		import json, sys
		path = sys.argv[1]
		with open(path) as f:
		    config = json.load(f)
		config.update({"frappe_user": "root", "db_host": "127.0.0.1", "developer_mode": 1})
		with open(path, "w") as f:
		    json.dump(config, f, indent=1)
	EOF
	bench_cmd setup redis >/dev/null
	bench_python -m pip install -q -c "$KAM_REPO/dev/constraints.txt" "setuptools<81"
}

# Make the bench run this checkout's code: apps/key_account_mgmt is a link to it.
link_app_into_bench() {
	local target="$KAM_BENCH/apps/key_account_mgmt"
	if [ "$(readlink -f "$target" 2>/dev/null)" != "$KAM_REPO" ]; then
		log "pointing the bench's key_account_mgmt at $KAM_REPO"
		rm -rf "$target"
		ln -s "$KAM_REPO" "$target"
	fi
	# Run from / so that the current folder cannot shadow what the bench's Python imports.
	if ! (cd / && bench_python -c "import key_account_mgmt, sys; sys.exit(not key_account_mgmt.__file__.startswith('$KAM_REPO/'))") 2>/dev/null; then
		bench_python -m pip install -q --no-deps -e "$target" || die "pip install -e key_account_mgmt failed"
	fi
	ln -sfn "$KAM_REPO/key_account_mgmt/public" "$KAM_BENCH/sites/assets/key_account_mgmt"
	grep -qx key_account_mgmt "$KAM_BENCH/sites/apps.txt" || printf '\nkey_account_mgmt' >>"$KAM_BENCH/sites/apps.txt"
	# tidy blank lines that appending may leave
	sed -i '/^$/d' "$KAM_BENCH/sites/apps.txt"
	# Playwright drives Debian's Chromium in the browser test; without Chromium that test says SKIPPED.
	# Chinese screenshots need CJK fonts.
	if command -v chromium >/dev/null; then ensure_apt_packages fonts-noto-cjk; fi
	if command -v chromium >/dev/null && ! (cd / && bench_python -c "import playwright") 2>/dev/null; then
		bench_python -m pip install -q "playwright>=1.40" 2>&1 | grep -v "^WARNING: Location" >&2
	fi
	if ! (cd / && bench_python -c "import pytest, factory, hypothesis") 2>/dev/null; then
		bench_python -m pip install -q -c "$KAM_REPO/dev/constraints.txt" "pytest>=8" "factory-boy>=3.3" \
			"hypothesis>=6.100" 2>&1 | grep -v "^WARNING: Location" >&2
	fi
}

run_on_site() { (cd "$KAM_BENCH/sites" && ../env/bin/python "$KAM_REPO/dev/run_on_site.py" "$@"); }

site_exists() { [ -f "$KAM_BENCH/sites/$1/site_config.json" ]; }

new_site() {
	local site=$1
	shift
	bench_cmd new-site "$site" --db-root-username root --db-root-password "$KAM_DB_ROOT_PASSWORD" \
		--admin-password "$KAM_ADMIN_PASSWORD" --force --no-mariadb-socket "$@"
}

# A dump of a fresh site with ERPNext installed and its setup wizard completed (CNY company),
# cached per Frappe/ERPNext commit so that each test run starts from it in seconds.
erpnext_base_dump() {
	local frappe_rev erpnext_rev dump
	frappe_rev=$(git -C "$KAM_BENCH/apps/frappe" rev-parse --short HEAD)
	erpnext_rev=$(git -C "$KAM_BENCH/apps/erpnext" rev-parse --short HEAD)
	dump="$KAM_CACHE/erpnext-base-$frappe_rev-$erpnext_rev.sql.gz"
	if [ ! -f "$dump" ]; then
		local base=kam-base.localhost
		mkdir -p "$KAM_CACHE"
		log "building the cached ERPNext base site (install-app erpnext + setup wizard; a few minutes, once)"
		new_site "$base" --install-app erpnext >"$KAM_CACHE/base-site.log" 2>&1 ||
			die "creating $base failed; see $KAM_CACHE/base-site.log"
		run_on_site "$base" key_account_mgmt.setup.company.complete_erpnext_setup >&2 ||
			die "ERPNext setup on $base failed"
		mkdir -p "$KAM_CACHE"
		local db_name
		db_name=$(bench_python -c "import json;print(json.load(open('$KAM_BENCH/sites/$base/site_config.json'))['db_name'])")
		mariadb-dump -uroot -p"$KAM_DB_ROOT_PASSWORD" -h127.0.0.1 --single-transaction --quick "$db_name" |
			gzip -1 >"$dump.part" && mv "$dump.part" "$dump"
		bench_cmd drop-site "$base" --db-root-username root --db-root-password "$KAM_DB_ROOT_PASSWORD" \
			--no-backup --force >&2 || true
	fi
	echo "$dump"
}
