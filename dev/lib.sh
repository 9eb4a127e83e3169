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

# The supported Frappe/ERPNext pairs, named by the ERPNext release line. KAM_PAIRS is what
# KAM_ERPNEXT=all (and CI) tests; 16 runs in a Debian forky chroot (dev/chroot.sh).
KAM_PAIRS="15.11 15.70"
KAM_ALL_PAIRS="15.11 15.70 16"
export KAM_ERPNEXT=${KAM_ERPNEXT:-15.70}
export KAM_SITE=${KAM_SITE:-kam.localhost}
export KAM_TEST_SITE=${KAM_TEST_SITE:-kam-test.localhost}
export KAM_DB_ROOT_PASSWORD=${KAM_DB_ROOT_PASSWORD:-kam-dev-root}
export KAM_ADMIN_PASSWORD=${KAM_ADMIN_PASSWORD:-admin}
export KAM_PORT=${KAM_PORT:-8000}
export KAM_CACHE=${KAM_CACHE:-$HOME/.cache/key_account_mgmt}
# Source tarballs of both pairs for machines that cannot reach the upstream repositories.
export KAM_VENDOR=${KAM_VENDOR:-$(cd "$KAM_REPO/.." && pwd)/shared/vendor}
# Explicit sources, if any, as the user gave them (they win over upstream and the vendor folder).
KAM_EXPLICIT_FRAPPE_SOURCE=${FRAPPE_SOURCE:-}
KAM_EXPLICIT_ERPNEXT_SOURCE=${ERPNEXT_SOURCE:-}

. "$KAM_REPO/dev/chroot.sh"

log() { printf '\033[1m[kam]\033[0m %s\n' "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Selects a pair: its versions, its bench (one per pair) and its Redis ports.
use_pair() {
	KAM_PAIR=$1
	case "$KAM_PAIR" in
	15.11) FRAPPE_VERSION=15.12.0 ERPNEXT_VERSION=15.11.0 KAM_REDIS_OFFSET=11 ;;
	15.70) FRAPPE_VERSION=15.74.1 ERPNEXT_VERSION=15.70.2 KAM_REDIS_OFFSET=70 ;;
	16) FRAPPE_VERSION=16.10.7 ERPNEXT_VERSION=16.7.3 KAM_REDIS_OFFSET=16 ;;
	*) die "KAM_ERPNEXT=$KAM_PAIR is not a supported pair; use one of: $KAM_ALL_PAIRS all" ;;
	esac
	export KAM_PAIR FRAPPE_VERSION ERPNEXT_VERSION KAM_REDIS_OFFSET
	if pair_in_chroot; then
		# the bench belongs to the chroot's user, in its home
		export KAM_BENCH=$KAM_CHROOT/home/$KAM_CHROOT_USER/kam-bench-$KAM_PAIR
	elif [ -n "${KAM_BENCH_FOR_ALL_PAIRS:-}" ]; then
		export KAM_BENCH=$KAM_BENCH_FOR_ALL_PAIRS
	else
		export KAM_BENCH=$HOME/kam-bench-$KAM_PAIR
	fi
}
# Pairs whose bench, MariaDB and Redis run in the chroot (dev/chroot.sh).
pair_in_chroot() { [ "${KAM_PAIR%%.*}" = 16 ]; }
# in_pair_env COMMAND...: runs a command where the selected pair's bench runs (the chroot for 16).
in_pair_env() { if pair_in_chroot; then as_bench_user "$@"; else "$@"; fi; }
# Extra arguments for the MariaDB clients and bench new-site to reach the pair's server.
db_port_args() { if pair_in_chroot; then echo "-P$KAM_V16_DB_PORT"; fi; }
# Makes sure the pair's own environment is there (the chroot and its MariaDB for 16).
ensure_pair_environment() { if pair_in_chroot; then ensure_chroot_environment; fi; }

# start_daemon PIDFILE COMMAND...: starts a command detached, in the background, where the pair's bench
# runs; PIDFILE gets the command's own process id (in the chroot too), for kill.
start_daemon() {
	local pidfile=$1
	shift
	rm -f "$pidfile"
	in_pair_env setsid nohup sh -c 'echo $$ >"$0" && exec "$@"' "$pidfile" "$@" </dev/null &
	for _ in $(seq 50); do
		[ -s "$pidfile" ] && return 0
		sleep 0.1
	done
}

# KAM_BENCH, when the user sets it, names the bench for whichever pair is selected.
KAM_BENCH_FOR_ALL_PAIRS=${KAM_BENCH:-}

# ---------------------------------------------------------------------------------------------------
# Timing: each phase's seconds, printed at the end by print_timings.
declare -A KAM_PHASE_SECONDS=()
KAM_PHASE_ORDER=()
phase() {
	# phase NAME COMMAND...: runs the command and records its wall time under NAME.
	local name=$1 start rc
	shift
	start=$(date +%s)
	"$@"
	rc=$?
	KAM_PHASE_SECONDS[$name]=$(($(date +%s) - start))
	KAM_PHASE_ORDER+=("$name")
	return $rc
}
print_timings() {
	local parts=() name
	for name in "${KAM_PHASE_ORDER[@]}"; do
		parts+=("$name ${KAM_PHASE_SECONDS[$name]}s")
	done
	[ ${#parts[@]} -gt 0 ] && log "times: $(
		IFS=,
		echo "${parts[*]}" | sed 's/,/, /g'
	)"
	return 0
}

# ---------------------------------------------------------------------------------------------------
# System packages: everything any later step needs, installed first, in one apt run.
SYSTEM_PACKAGES=(
	git curl cron xz-utils
	build-essential pkg-config libffi-dev libssl-dev
	mariadb-server mariadb-client libmariadb-dev
	redis-server
	nodejs npm
	chromium fonts-noto-cjk
)

ensure_apt_packages() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	# Node may come from elsewhere (e.g. NodeSource); Debian's would then conflict with it.
	if command -v node >/dev/null && command -v npm >/dev/null; then
		local kept=()
		for pkg in "${missing[@]}"; do
			case "$pkg" in nodejs | npm) ;; *) kept+=("$pkg") ;; esac
		done
		missing=("${kept[@]}")
		[ ${#missing[@]} -eq 0 ] && return 0
	fi
	mkdir -p "$KAM_CACHE"
	log "installing Debian packages: ${missing[*]}"
	as_root apt-get update -qq >"$KAM_CACHE/apt.log" 2>&1 ||
		die "apt-get update failed; see $KAM_CACHE/apt.log"
	# policy-rc.d 101: no daemon is started by the package scripts; dev tooling starts its own.
	local policy=/usr/sbin/policy-rc.d had_policy=0
	[ -e "$policy" ] && had_policy=1
	[ $had_policy = 1 ] || printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
	as_root chmod +x "$policy"
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}" \
		>>"$KAM_CACHE/apt.log" 2>&1
	local rc=$?
	[ $had_policy = 1 ] || as_root rm -f "$policy"
	[ $rc = 0 ] || die "apt-get install ${missing[*]} failed; see $KAM_CACHE/apt.log"
}

ensure_system_packages() {
	write_mariadb_config
	ensure_apt_packages "${SYSTEM_PACKAGES[@]}"
	python3 -c "import ensurepip, venv" 2>/dev/null || ensure_apt_packages python3-venv python3-dev
}

# ---------------------------------------------------------------------------------------------------
# MariaDB: configured before the package is installed, started by us on 127.0.0.1.
MARIADB_CNF=/etc/mysql/mariadb.conf.d/99-key-account-mgmt.cnf
write_mariadb_config() {
	[ -f "$MARIADB_CNF" ] && return 0
	as_root mkdir -p "$(dirname "$MARIADB_CNF")"
	as_root tee "$MARIADB_CNF" >/dev/null <<-'EOF'
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
}

mariadb_running() { as_root mariadb-admin ping >/dev/null 2>&1; }

ensure_mariadb() {
	write_mariadb_config
	ensure_apt_packages mariadb-server mariadb-client libmariadb-dev
	if mariadb_running; then
		local charset
		charset=$(as_root mariadb -Nse "select @@character_set_server" 2>/dev/null || true)
		if [ "$charset" != utf8mb4 ]; then
			log "MariaDB runs without $MARIADB_CNF (character set $charset); restarting it"
			as_root mariadb-admin shutdown >/dev/null 2>&1 || true
			sleep 2
		fi
	fi
	if ! mariadb_running; then
		log "starting MariaDB on 127.0.0.1:3306 (log: $KAM_CACHE/mariadb.log)"
		mkdir -p "$KAM_CACHE"
		as_root mkdir -p /run/mysqld
		as_root chown mysql:mysql /run/mysqld
		[ -d /var/lib/mysql/mysql ] || as_root mariadb-install-db --user=mysql >"$KAM_CACHE/mariadb.log" 2>&1
		as_root setsid nohup mariadbd --user=mysql >>"$KAM_CACHE/mariadb.log" 2>&1 </dev/null &
		for _ in $(seq 60); do
			mariadb_running && break
			sleep 1
		done
		mariadb_running || die "MariaDB did not start; see $KAM_CACHE/mariadb.log"
	fi
	if ! mariadb -uroot -p"$KAM_DB_ROOT_PASSWORD" -h127.0.0.1 -e "select 1" >/dev/null 2>&1; then
		log "setting MariaDB's root password (KAM_DB_ROOT_PASSWORD)"
		as_root mariadb -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$KAM_DB_ROOT_PASSWORD'); FLUSH PRIVILEGES;" ||
			die "could not set MariaDB's root password; see $KAM_CACHE/mariadb.log"
	fi
}

# Each pair's bench has its own Redis ports, so two benches never share a cache or a queue.
redis_cache_port() { echo $((13000 + KAM_REDIS_OFFSET)); }
redis_queue_port() { echo $((11000 + KAM_REDIS_OFFSET)); }

ensure_bench_redis() {
	local conf port
	for conf in "$KAM_BENCH"/config/redis_cache.conf "$KAM_BENCH"/config/redis_queue.conf; do
		[ -f "$conf" ] || die "$conf is missing; run: cd $KAM_BENCH && bench setup redis"
		port=$(awk '$1 == "port" {print $2}' "$conf")
		if ! in_pair_env redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
			log "starting Redis on 127.0.0.1:$port"
			(cd "$KAM_BENCH/config" && in_pair_env redis-server "$conf" --bind 127.0.0.1 --daemonize yes >/dev/null) ||
				die "redis-server $conf did not start"
			for _ in $(seq 20); do
				in_pair_env redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
				sleep 0.5
			done
			in_pair_env redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 || die "Redis on port $port did not answer"
		fi
	done
}

# ---------------------------------------------------------------------------------------------------
# The bench CLI lives in its own virtualenv (a system Python may refuse pip installs, PEP 668).
BENCH_CLI_VENV=$KAM_CACHE/bench-cli
# bench shells out to `bench` by name.
export PATH="$BENCH_CLI_VENV/bin:$PATH"
bench() {
	if pair_in_chroot; then as_bench_user "$KAM_CHROOT_BENCH_CLI/bin/bench" "$@"; else "$BENCH_CLI_VENV/bin/bench" "$@"; fi
}

ensure_bench_cli() {
	# the chroot has its own bench CLI and yarn (ensure_chroot)
	pair_in_chroot && return 0
	if [ ! -f "$BENCH_CLI_VENV/.ready" ]; then
		log "installing frappe-bench into $BENCH_CLI_VENV"
		rm -rf "$BENCH_CLI_VENV"
		mkdir -p "$KAM_CACHE"
		{ python3 -m venv "$BENCH_CLI_VENV" &&
			"$BENCH_CLI_VENV/bin/pip" install -q frappe-bench "setuptools<81"; } >"$KAM_CACHE/bench-cli.log" 2>&1 ||
			die "installing frappe-bench failed; see $KAM_CACHE/bench-cli.log"
		touch "$BENCH_CLI_VENV/.ready"
	fi
	command -v yarn >/dev/null || as_root npm install -g yarn@1 >"$KAM_CACHE/yarn.log" 2>&1 ||
		die "npm install -g yarn failed; see $KAM_CACHE/yarn.log"
}

# ---------------------------------------------------------------------------------------------------
# Sources: explicit FRAPPE_SOURCE/ERPNEXT_SOURCE win; then the official repositories at the pair's
# release tags; then the tarballs in $KAM_VENDOR, unpacked once into git repositories in the cache.
upstream_reachable() { timeout 20 git ls-remote --tags "$1" >/dev/null 2>&1; }

vendor_repository() {
	# vendor_repository APP VERSION: a git repository of the vendored tarball; prints its path.
	local app=$1 version=$2 tarball repo
	tarball="$KAM_VENDOR/$app-$version.tar.gz"
	repo="$KAM_CACHE/sources/$app-$version"
	if [ ! -f "$repo/.kam-ready" ]; then
		[ -f "$tarball" ] || return 1
		log "unpacking $tarball into a git repository at $repo"
		rm -rf "$repo" "$repo.part"
		mkdir -p "$repo.part"
		tar -xzf "$tarball" -C "$repo.part" || return 1
		mv "$repo.part/$app" "$repo" && rm -rf "$repo.part"
		{
			git -C "$repo" init -q -b "version-${version%%.*}" &&
				git -C "$repo" add -A &&
				git -C "$repo" -c user.name=vendor -c user.email=vendor@localhost commit -qm "$app $version" &&
				git -C "$repo" tag "v$version"
		} >/dev/null 2>&1 || return 1
		touch "$repo/.kam-ready"
		# The marker must not be part of the clone bench makes.
		echo .kam-ready >>"$repo/.git/info/exclude"
	fi
	echo "$repo"
}

resolve_sources() {
	local missing=()
	if [ -n "$KAM_EXPLICIT_FRAPPE_SOURCE" ]; then
		FRAPPE_SOURCE=$KAM_EXPLICIT_FRAPPE_SOURCE
		FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
	fi
	if [ -n "$KAM_EXPLICIT_ERPNEXT_SOURCE" ]; then
		ERPNEXT_SOURCE=$KAM_EXPLICIT_ERPNEXT_SOURCE
		ERPNEXT_BRANCH=${ERPNEXT_BRANCH:-version-15}
	fi
	if [ -z "$KAM_EXPLICIT_FRAPPE_SOURCE" ] || [ -z "$KAM_EXPLICIT_ERPNEXT_SOURCE" ]; then
		if [ -z "${KAM_UPSTREAM_REACHABLE:-}" ]; then
			KAM_UPSTREAM_REACHABLE=no
			upstream_reachable https://github.com/frappe/frappe && KAM_UPSTREAM_REACHABLE=yes
			export KAM_UPSTREAM_REACHABLE
		fi
		local app version repo
		for app in frappe erpnext; do
			local explicit_var=KAM_EXPLICIT_${app^^}_SOURCE
			[ -n "${!explicit_var}" ] && continue
			version=$([ $app = frappe ] && echo "$FRAPPE_VERSION" || echo "$ERPNEXT_VERSION")
			if [ "$KAM_UPSTREAM_REACHABLE" = yes ]; then
				printf -v "${app^^}_SOURCE" %s "https://github.com/frappe/$app"
				printf -v "${app^^}_BRANCH" %s "v$version"
			elif repo=$(vendor_repository $app "$version"); then
				printf -v "${app^^}_SOURCE" %s "$repo"
				printf -v "${app^^}_BRANCH" %s "version-${version%%.*}"
			else
				missing+=("$KAM_VENDOR/$app-$version.tar.gz")
			fi
		done
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		log "ERROR: the upstream repositories cannot be reached and the vendored sources are missing:"
		printf '  %s\n' "${missing[@]}" >&2
		log "Set FRAPPE_SOURCE and ERPNEXT_SOURCE to git repositories of Frappe $FRAPPE_VERSION and ERPNext $ERPNEXT_VERSION, or KAM_VENDOR to a folder with those tarballs."
		return 1
	fi
	export FRAPPE_SOURCE ERPNEXT_SOURCE FRAPPE_BRANCH ERPNEXT_BRANCH
}

ensure_yarn_offline_mirror() {
	# Frappe's yarn.lock takes air-datepicker from GitHub; yarn finds it in this mirror instead.
	local mirror="$KAM_CACHE/yarn-offline-mirror"
	mkdir -p "$mirror"
	if [ -d "$KAM_VENDOR/yarn-offline-mirror" ]; then
		cp -n "$KAM_VENDOR"/yarn-offline-mirror/* "$mirror"/ 2>/dev/null || true
		chmod -R u+w "$mirror"
	fi
	yarn config set yarn-offline-mirror "$mirror" >/dev/null
	yarn config set yarn-offline-mirror-pruning false >/dev/null
}

# ---------------------------------------------------------------------------------------------------
# The bench. A finished bench carries .kam-ready naming its pair; one interrupted while being built
# (marked beside it) is removed and built again.
bench_ready() { [ -f "$KAM_BENCH/.kam-ready" ]; }

ensure_bench() {
	local building="$KAM_BENCH.kam-building"
	if bench_ready; then
		[ "$(cat "$KAM_BENCH/.kam-ready")" = "$KAM_PAIR" ] ||
			die "$KAM_BENCH was built for ERPNext $(cat "$KAM_BENCH/.kam-ready"), not $KAM_PAIR; set KAM_BENCH to another folder"
		return 0
	fi
	if [ -e "$building" ]; then
		log "$KAM_BENCH was left half-built by an interrupted run; building it again"
		rm -rf "$KAM_BENCH"
	elif [ -x "$KAM_BENCH/env/bin/python" ] && [ -d "$KAM_BENCH/apps/frappe" ] && [ -d "$KAM_BENCH/apps/erpnext" ]; then
		log "using the existing bench at $KAM_BENCH"
		echo "$KAM_PAIR" >"$KAM_BENCH/.kam-ready"
		return 0
	elif [ -e "$KAM_BENCH" ]; then
		die "$KAM_BENCH exists but is not a Frappe bench with ERPNext; move it away or set KAM_BENCH"
	fi
	resolve_sources || exit 1
	pair_in_chroot || ensure_yarn_offline_mirror
	touch "$building"
	log "creating a bench at $KAM_BENCH: Frappe $FRAPPE_VERSION from $FRAPPE_SOURCE ($FRAPPE_BRANCH) (log: $KAM_CACHE/bench-$KAM_PAIR.log)"
	local log_file="$KAM_CACHE/bench-$KAM_PAIR.log"
	if pair_in_chroot; then
		init_chroot_bench "$log_file" || die "bench init failed; see $log_file"
	else
		init_host_bench "$log_file"
	fi
	configure_bench >>"$log_file" 2>&1 || die "configuring the bench failed; see $log_file"
	log "getting ERPNext $ERPNEXT_VERSION from $ERPNEXT_SOURCE ($ERPNEXT_BRANCH)"
	PIP_CONSTRAINT="$KAM_REPO/dev/constraints.txt" bench_cmd get-app --branch "$ERPNEXT_BRANCH" erpnext \
		"$ERPNEXT_SOURCE" >>"$log_file" 2>&1 || die "bench get-app erpnext failed; see $log_file"
	check_bench_versions || die "the bench at $KAM_BENCH does not run Frappe $FRAPPE_VERSION with ERPNext $ERPNEXT_VERSION"
	echo "$KAM_PAIR" >"$KAM_BENCH/.kam-ready"
	rm -f "$building"
}

init_host_bench() {
	# bench refuses to run as root unless the config it reads names root as the frappe user;
	# bench init reads it from the current folder, so run init from one that says so.
	local launch log_file=$1
	launch=$(mktemp -d)
	mkdir -p "$launch/sites"
	echo '{"frappe_user": "root"}' >"$launch/sites/common_site_config.json"
	(
		cd "$launch" &&
			PIP_CONSTRAINT="$KAM_REPO/dev/constraints.txt" bench init "$KAM_BENCH" \
				--frappe-path "$FRAPPE_SOURCE" --frappe-branch "$FRAPPE_BRANCH" \
				--python "$(command -v python3)" --skip-redis-config-generation
	) >"$log_file" 2>&1 || die "bench init failed; see $log_file"
	rm -rf "$launch"
}

check_bench_versions() {
	local versions
	versions=$(cd / && bench_python -c "import frappe, erpnext; print(frappe.__version__, erpnext.__version__)") || return 1
	log "bench $KAM_BENCH: Frappe and ERPNext $versions"
	[ "$versions" = "$FRAPPE_VERSION $ERPNEXT_VERSION" ]
}

bench_cmd() { (cd "$KAM_BENCH" && bench "$@"); }
bench_python() { in_pair_env "$KAM_BENCH/env/bin/python" "$@"; }

configure_bench() {
	local extra={}
	pair_in_chroot && extra="{\"frappe_user\": \"$KAM_CHROOT_USER\", \"db_port\": $KAM_V16_DB_PORT}"
	bench_python - "$KAM_BENCH/sites/common_site_config.json" "$(redis_cache_port)" "$(redis_queue_port)" "$extra" <<-'EOF'
		import json, sys
		path, cache_port, queue_port, extra = sys.argv[1:]
		with open(path) as f:
		    config = json.load(f)
		config.update({
		    "frappe_user": "root",
		    "db_host": "127.0.0.1",
		    "developer_mode": 1,
		    "redis_cache": f"redis://127.0.0.1:{cache_port}",
		    "redis_queue": f"redis://127.0.0.1:{queue_port}",
		    "redis_socketio": f"redis://127.0.0.1:{queue_port}",
		})
		config.update(json.loads(extra))
		with open(path, "w") as f:
		    json.dump(config, f, indent=1)
	EOF
	bench_cmd setup redis || return 1
	bench_python -m pip install -q -c "$KAM_REPO/dev/constraints.txt" "setuptools<81"
}

# Make the bench run this checkout's code: apps/key_account_mgmt is a link to it.
link_app_into_bench() {
	local target="$KAM_BENCH/apps/key_account_mgmt" log_file="$KAM_CACHE/bench-$KAM_PAIR.log"
	if [ "$(readlink -f "$target" 2>/dev/null)" != "$KAM_REPO" ]; then
		log "pointing the bench's key_account_mgmt at $KAM_REPO"
		rm -rf "$target"
		in_pair_env ln -s "$KAM_REPO" "$target"
	fi
	# Run from / so that the current folder cannot shadow what the bench's Python imports.
	if ! (cd / && bench_python -c "import key_account_mgmt, sys; sys.exit(not key_account_mgmt.__file__.startswith('$KAM_REPO/'))") 2>/dev/null; then
		bench_python -m pip install -q --no-deps -e "$target" >>"$log_file" 2>&1 ||
			die "pip install -e key_account_mgmt failed; see $log_file"
	fi
	in_pair_env ln -sfn "$KAM_REPO/key_account_mgmt/public" "$KAM_BENCH/sites/assets/key_account_mgmt"
	grep -qx key_account_mgmt "$KAM_BENCH/sites/apps.txt" || printf '\nkey_account_mgmt' >>"$KAM_BENCH/sites/apps.txt"
	# tidy blank lines that appending may leave (as the bench's owner: sed -i makes a new file)
	in_pair_env sed -i '/^$/d' "$KAM_BENCH/sites/apps.txt"
	if ! (cd / && bench_python -c "import pytest, factory, hypothesis, playwright, freezegun") 2>/dev/null; then
		log "installing the test tools (pytest, factory-boy, hypothesis, playwright, freezegun) into the bench"
		bench_python -m pip install -q -c "$KAM_REPO/dev/constraints.txt" "pytest>=8" "factory-boy>=3.3" \
			"hypothesis>=6.100" "playwright>=1.40" "freezegun>=1.2" >>"$log_file" 2>&1 ||
			die "installing the test tools into the bench failed; see $log_file"
	fi
}

# The bench's Python by its full path: Python 3.14 warns when started as ../env/bin/python.
run_on_site() { (cd "$KAM_BENCH/sites" && in_pair_env "$KAM_BENCH/env/bin/python" "$KAM_REPO/dev/run_on_site.py" "$@"); }

site_exists() { [ -f "$KAM_BENCH/sites/$1/site_config.json" ]; }

new_site() {
	local site=$1
	shift
	if pair_in_chroot; then
		# v16 deprecates --no-mariadb-socket for the login scope
		bench_cmd new-site "$site" --db-root-username root --db-root-password "$KAM_DB_ROOT_PASSWORD" \
			--admin-password "$KAM_ADMIN_PASSWORD" --force --db-port "$KAM_V16_DB_PORT" \
			--mariadb-user-host-login-scope=% "$@"
		return
	fi
	bench_cmd new-site "$site" --db-root-username root --db-root-password "$KAM_DB_ROOT_PASSWORD" \
		--admin-password "$KAM_ADMIN_PASSWORD" --force --no-mariadb-socket "$@"
}

# A dump of a fresh site with ERPNext installed and its setup wizard completed (CNY company),
# cached per Frappe/ERPNext commit so that each test run starts from it in seconds.
erpnext_base_dump() {
	local frappe_rev erpnext_rev dump base=kam-base.localhost log_file="$KAM_CACHE/base-site-$KAM_PAIR.log"
	frappe_rev=$(in_pair_env git -C "$KAM_BENCH/apps/frappe" rev-parse --short HEAD) || return 1
	erpnext_rev=$(in_pair_env git -C "$KAM_BENCH/apps/erpnext" rev-parse --short HEAD) || return 1
	dump="$KAM_CACHE/erpnext-base-$KAM_PAIR-$frappe_rev-$erpnext_rev.sql.gz"
	if [ ! -s "$dump" ]; then
		mkdir -p "$KAM_CACHE"
		log "building the cached ERPNext base site (install-app erpnext + setup wizard; once per pair; log: $log_file)"
		if ! new_site "$base" --install-app erpnext >"$log_file" 2>&1; then
			log "creating $base failed; see $log_file"
			return 1
		fi
		if ! run_on_site "$base" key_account_mgmt.setup.company.complete_erpnext_setup >>"$log_file" 2>&1; then
			log "ERPNext setup on $base failed; see $log_file"
			return 1
		fi
		local db_name
		db_name=$(bench_python -c "import json;print(json.load(open('$KAM_BENCH/sites/$base/site_config.json'))['db_name'])")
		in_pair_env mariadb-dump -uroot -p"$KAM_DB_ROOT_PASSWORD" -h127.0.0.1 $(db_port_args) --single-transaction --quick "$db_name" \
			2>>"$log_file" | gzip -1 >"$dump.part"
		local statuses="${PIPESTATUS[*]}"
		if [ "$statuses" != "0 0" ] || [ ! -s "$dump.part" ]; then
			rm -f "$dump.part"
			log "dumping $base failed; see $log_file"
			return 1
		fi
		mv "$dump.part" "$dump"
		bench_cmd drop-site "$base" --db-root-username root --db-root-password "$KAM_DB_ROOT_PASSWORD" \
			--no-backup --force >>"$log_file" 2>&1 || true
	fi
	echo "$dump"
}
