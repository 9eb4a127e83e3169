# The v16 pair's environment, sourced by dev/lib.sh: Frappe 16 needs Python 3.14, Node 24 and MariaDB
# 10.6-11.8, which Debian 12 lacks. Debian's forky suite has all three, and its Python needs forky's glibc,
# so the v16 bench, its MariaDB and its Redis run in a forky chroot that these functions make and manage.
#
# One path means the same file inside and outside: the checkout, the vendor folder and the cache are
# bind-mounted at their own paths, and the chroot holds a link named like the chroot's own path that
# points to its root, so $KAM_CHROOT/home/kam/kam-bench-16 is the bench on the host and in the chroot.
# Bench refuses root (v16's bench init outright), so the bench belongs to the chroot's user `kam`.
# MariaDB listens on 127.0.0.1:$KAM_V16_DB_PORT (not 3306, the v15 pairs' server), Redis on its own ports.
#
#   KAM_CHROOT      the chroot (default ~/kam-forky)
#   KAM_V16_DB_PORT its MariaDB's port (default 3316)

export KAM_CHROOT=${KAM_CHROOT:-$HOME/kam-forky}
export KAM_V16_DB_PORT=${KAM_V16_DB_PORT:-3316}
KAM_CHROOT_SUITE=forky
KAM_CHROOT_USER=kam
KAM_CHROOT_BENCH_CLI=/opt/kam-bench-cli
KAM_CHROOT_CA=/etc/ssl/certs/ca-certificates.crt
# The Frappe 16 Git dependencies and the commits its pyproject.toml and yarn.lock pin.
KAM_PYPIKA_REV=2c50e6142b2d61d2d243e466fdd5dc03b3d918f2
KAM_AIR_DATEPICKER_REV=ed37b94d95c68d8544357e330be0c89d044a3eea

CHROOT_PACKAGES=(
	python3.14 python3.14-venv python3.14-dev
	git curl ca-certificates xz-utils procps tzdata
	build-essential pkg-config libffi-dev libssl-dev
	mariadb-server mariadb-client libmariadb-dev
	redis-server redis-tools
	nodejs npm
	chromium fonts-noto-cjk
)

chroot_archive_url() {
	# The Debian archive the host's apt uses (forky is served from the same place).
	local url
	url=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
		grep -oE 'https?://[^ ]+/debian/?' | grep -v security | head -n1)
	echo "${url:-http://deb.debian.org/debian}"
}

# ---------------------------------------------------------------------------------------------------
# Mounts. Every mount lives under $KAM_CHROOT; nothing there is removed while one is mounted.
chroot_mount_one() {
	# chroot_mount_one PATH-IN-CHROOT mount-arguments...
	local target="$KAM_CHROOT$1"
	shift
	mountpoint -q "$target" && return 0
	mkdir -p "$target"
	mount "$@" "$target" || die "could not mount $target"
}

chroot_bind_same_path() {
	# chroot_bind_same_path HOST-DIR [ro]: the host folder at its own path inside the chroot.
	local dir=$1
	[ -d "$dir" ] || return 0
	dir=$(readlink -f "$dir")
	# A folder removed and made again (a fresh clone for CI) leaves a stale mount: mount it afresh.
	if mountpoint -q "$KAM_CHROOT$dir" && [ "$(stat -c %d:%i "$dir")" != "$(stat -c %d:%i "$KAM_CHROOT$dir")" ]; then
		umount "$KAM_CHROOT$dir" || umount -l "$KAM_CHROOT$dir"
	fi
	chroot_mount_one "$dir" --bind "$dir"
	if [ "${2:-}" = ro ]; then
		mount -o remount,bind,ro "$KAM_CHROOT$dir" 2>/dev/null || true
	fi
}

chroot_mount() {
	chroot_mount_one /proc -t proc proc
	chroot_mount_one /sys -t sysfs sysfs
	chroot_mount_one /dev --bind /dev
	chroot_mount_one /dev/pts --bind /dev/pts
	# bench build's translation step takes a semaphore in /dev/shm
	chroot_mount_one /dev/shm -t tmpfs -o mode=1777 shm
	mkdir -p "$KAM_CACHE"
	chroot_bind_same_path "$KAM_REPO"
	chroot_bind_same_path "$KAM_CACHE"
	chroot_bind_same_path "$KAM_VENDOR" ro
}

chroot_mounts() { findmnt -rn -o TARGET | awk -v root="$(readlink -f "$KAM_CHROOT")" 'index($0, root "/") == 1'; }

chroot_unmount() {
	local target
	chroot_mounts | sort -r | while read -r target; do
		umount "$target" 2>/dev/null || umount -l "$target"
	done
	[ -z "$(chroot_mounts)" ]
}

remove_chroot() {
	[ -e "$KAM_CHROOT" ] || return 0
	chroot_unmount || die "something is still mounted under $KAM_CHROOT; not removing it"
	rm -rf --one-file-system "$KAM_CHROOT"
}

# ---------------------------------------------------------------------------------------------------
# Running things inside. The environment is built afresh: the host's PATH and Python settings must not
# leak in; KAM_* and CI pass through.
chroot_environment() {
	local name
	CHROOT_ENV=(
		LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM="${TERM:-dumb}"
		PATH=$KAM_CHROOT_BENCH_CLI/bin:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin
		SSL_CERT_FILE=$KAM_CHROOT_CA REQUESTS_CA_BUNDLE=$KAM_CHROOT_CA PIP_CERT=$KAM_CHROOT_CA
		NODE_EXTRA_CA_CERTS=$KAM_CHROOT_CA UV_NATIVE_TLS=1 UV_SYSTEM_CERTS=1
	)
	[ -n "${CI:-}" ] && CHROOT_ENV+=("CI=$CI")
	for name in $(compgen -e); do
		case "$name" in KAM_* | PYTEST_ADDOPTS) CHROOT_ENV+=("$name=${!name}") ;; esac
	done
	# The Git dependencies come from local repositories when GitHub cannot be reached.
	local git_config=("safe.directory" "*")
	if [ "${KAM_UPSTREAM_REACHABLE:-no}" != yes ]; then
		git_config+=(
			"url.file://$KAM_CACHE/sources/pypika.git.insteadOf" "https://github.com/frappe/pypika"
			"url.file://$KAM_CACHE/sources/air-datepicker.git.insteadOf" "https://github.com/frappe/air-datepicker"
		)
		[ -f "$KAM_CACHE/sources/uv-overrides.txt" ] && CHROOT_ENV+=("UV_OVERRIDE=$KAM_CACHE/sources/uv-overrides.txt")
	fi
	local i
	CHROOT_ENV+=("GIT_CONFIG_COUNT=$((${#git_config[@]} / 2))")
	for ((i = 0; i < ${#git_config[@]}; i += 2)); do
		CHROOT_ENV+=("GIT_CONFIG_KEY_$((i / 2))=${git_config[i]}" "GIT_CONFIG_VALUE_$((i / 2))=${git_config[i + 1]}")
	done
}

in_chroot() {
	# in_chroot COMMAND...: as root inside the chroot, in the current folder (the same path inside).
	chroot_environment
	chroot "$KAM_CHROOT" /usr/bin/env -i "${CHROOT_ENV[@]}" HOME=/root USER=root \
		/bin/sh -c 'cd "$0" 2>/dev/null || cd /; exec "$@"' "$PWD" "$@"
}

as_bench_user() {
	# as_bench_user COMMAND...: as the bench's user inside the chroot, in the current folder.
	chroot_environment
	chroot --userspec="$KAM_CHROOT_USER:$KAM_CHROOT_USER" "$KAM_CHROOT" /usr/bin/env -i "${CHROOT_ENV[@]}" \
		HOME=/home/$KAM_CHROOT_USER USER=$KAM_CHROOT_USER LOGNAME=$KAM_CHROOT_USER \
		/bin/sh -c 'cd "$0" 2>/dev/null || cd /; exec "$@"' "$PWD" "$@"
}

# ---------------------------------------------------------------------------------------------------
# The chroot: debootstrap, apt sources that accept forky's expired Release file, the host's CA
# certificates, the packages, the bench user, yarn and the bench CLI. .kam-ready marks it finished.
chroot_ready() { [ -f "$KAM_CHROOT/.kam-ready" ]; }

ensure_chroot() {
	if chroot_ready; then
		chroot_mount
		return 0
	fi
	ensure_apt_packages debootstrap
	mkdir -p "$KAM_CACHE"
	local log_file="$KAM_CACHE/chroot.log" url
	if [ ! -f "$KAM_CHROOT/.kam-debootstrapped" ]; then
		remove_chroot
		url=$(chroot_archive_url)
		log "making a Debian $KAM_CHROOT_SUITE chroot at $KAM_CHROOT from $url (log: $log_file)"
		debootstrap --variant=minbase --include=ca-certificates "$KAM_CHROOT_SUITE" "$KAM_CHROOT" "$url" \
			/usr/share/debootstrap/scripts/sid >"$log_file" 2>&1 || die "debootstrap failed; see $log_file"
		touch "$KAM_CHROOT/.kam-debootstrapped"
	fi
	log "installing Python 3.14, Node, MariaDB, Redis and Chromium into the chroot (log: $log_file)"
	echo 'Acquire::Check-Valid-Until "false";' >"$KAM_CHROOT/etc/apt/apt.conf.d/99kam-valid-until"
	# No daemon is started by the package scripts; the dev tooling starts its own.
	printf '#!/bin/sh\nexit 101\n' >"$KAM_CHROOT/usr/sbin/policy-rc.d"
	chmod +x "$KAM_CHROOT/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$KAM_CHROOT/etc/resolv.conf" 2>/dev/null || true
	if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
		mkdir -p "$KAM_CHROOT/usr/local/share/ca-certificates"
		cp /usr/local/share/ca-certificates/*.crt "$KAM_CHROOT/usr/local/share/ca-certificates/"
	fi
	chroot_mount
	{
		in_chroot update-ca-certificates &&
			in_chroot apt-get update &&
			in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
				"${CHROOT_PACKAGES[@]}"
	} >>"$log_file" 2>&1 || die "installing packages into the chroot failed; see $log_file"
	# Links: the chroot's own path leads to its root inside, so host paths into it work there too.
	local self
	self=$(readlink -f "$KAM_CHROOT")
	mkdir -p "$KAM_CHROOT$(dirname "$self")"
	[ -L "$KAM_CHROOT$self" ] || ln -s "$(realpath -m --relative-to="$(dirname "$self")" /)" "$KAM_CHROOT$self"
	# The bench user may pass through /root (the host's home, where the cache and checkout may be).
	chmod 711 "$KAM_CHROOT/root"
	in_chroot id -u "$KAM_CHROOT_USER" >/dev/null 2>&1 ||
		in_chroot useradd --create-home --shell /bin/bash "$KAM_CHROOT_USER" >>"$log_file" 2>&1 ||
		die "could not add the user $KAM_CHROOT_USER to the chroot"
	chmod 755 "$KAM_CHROOT/home/$KAM_CHROOT_USER"
	{
		in_chroot npm install -g yarn@1 &&
			in_chroot python3.14 -m venv "$KAM_CHROOT_BENCH_CLI" &&
			in_chroot "$KAM_CHROOT_BENCH_CLI/bin/pip" install -q frappe-bench
	} >>"$log_file" 2>&1 || die "installing yarn and the bench CLI into the chroot failed; see $log_file"
	touch "$KAM_CHROOT/.kam-ready"
}

# ---------------------------------------------------------------------------------------------------
# MariaDB 11.8 of the chroot, on 127.0.0.1:$KAM_V16_DB_PORT, with its own data under the chroot.
chroot_mariadb_running() { in_chroot mariadb-admin ping >/dev/null 2>&1; }

ensure_chroot_mariadb() {
	local cnf="$KAM_CHROOT/etc/mysql/mariadb.conf.d/99-key-account-mgmt.cnf" log_file="$KAM_CACHE/mariadb-16.log" new
	mkdir -p "$(dirname "$cnf")"
	# A file of its own for each caller: two runs starting at once (engineers share the server) must not
	# compare each other's half-written file, see a change and restart the server under the other's tests.
	new=$(mktemp "$cnf.XXXXXX")
	cat >"$new" <<-CNF
		[mysqld]
		bind-address = 127.0.0.1
		port = $KAM_V16_DB_PORT
		character-set-client-handshake = FALSE
		character-set-server = utf8mb4
		collation-server = utf8mb4_unicode_ci
		innodb_buffer_pool_size = 512M
		innodb_flush_log_at_trx_commit = 2

		[mysql]
		default-character-set = utf8mb4
	CNF
	if cmp -s "$new" "$cnf"; then
		rm -f "$new"
	else
		chmod 644 "$new"
		mv "$new" "$cnf"
		chroot_mariadb_running && in_chroot mariadb-admin shutdown >/dev/null 2>&1 && sleep 2
	fi
	if ! chroot_mariadb_running; then
		log "starting the chroot's MariaDB on 127.0.0.1:$KAM_V16_DB_PORT (log: $log_file)"
		in_chroot mkdir -p /run/mysqld
		in_chroot chown mysql:mysql /run/mysqld
		[ -d "$KAM_CHROOT/var/lib/mysql/mysql" ] || in_chroot mariadb-install-db --user=mysql >>"$log_file" 2>&1
		in_chroot setsid nohup mariadbd --user=mysql >>"$log_file" 2>&1 </dev/null &
		for _ in $(seq 60); do
			chroot_mariadb_running && break
			sleep 1
		done
		chroot_mariadb_running || die "the chroot's MariaDB did not start; see $log_file"
	fi
	if ! in_chroot mariadb -uroot -p"$KAM_DB_ROOT_PASSWORD" -h127.0.0.1 -P"$KAM_V16_DB_PORT" -e "select 1" >/dev/null 2>&1; then
		# Anonymous users make bench new-site's connection as the site's user fail ("Access denied").
		log "setting the chroot's MariaDB root password (KAM_DB_ROOT_PASSWORD), dropping anonymous users"
		in_chroot mariadb -e "DELETE FROM mysql.global_priv WHERE User=''; FLUSH PRIVILEGES; ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$KAM_DB_ROOT_PASSWORD'); FLUSH PRIVILEGES;" ||
			die "could not set the chroot's MariaDB root password; see $log_file"
	fi
}

ensure_chroot_environment() {
	ensure_chroot
	ensure_chroot_mariadb
}

# ---------------------------------------------------------------------------------------------------
# Frappe 16's Git dependencies without GitHub: PyPika (pyproject.toml) and air-datepicker (yarn.lock),
# as local bare repositories that git's insteadOf (chroot_environment) puts in place of GitHub. Each
# carries a tag named by the pinned commit, which pip and yarn resolve; uv, which fetches a commit
# only by its id, takes PyPika from the unpacked tree through an override file.
vendor_git_dependency() {
	# vendor_git_dependency NAME TARBALL TOP-FOLDER REV
	local name=$1 tarball=$2 top=$3 rev=$4 tree="$KAM_CACHE/sources/$1" bare="$KAM_CACHE/sources/$1.git"
	[ -f "$bare/.kam-ready" ] && return 0
	[ -f "$tarball" ] || return 1
	log "making a git repository of $tarball at $bare"
	rm -rf "$tree" "$tree.part" "$bare"
	mkdir -p "$tree.part"
	tar -xzf "$tarball" -C "$tree.part" && mv "$tree.part/$top" "$tree" && rm -rf "$tree.part" || return 1
	{
		git -C "$tree" init -q -b master &&
			git -C "$tree" add -A &&
			git -C "$tree" -c user.name=vendor -c user.email=vendor@localhost commit -qm "$name at $rev" &&
			git -C "$tree" tag "$rev" &&
			git clone -q --bare "$tree" "$bare"
	} >/dev/null 2>&1 || return 1
	touch "$bare/.kam-ready"
}

prepare_v16_sources() {
	[ "${KAM_UPSTREAM_REACHABLE:-no}" = yes ] && return 0
	vendor_git_dependency pypika "$KAM_VENDOR/pypika-${KAM_PYPIKA_REV:0:12}.tar.gz" pypika "$KAM_PYPIKA_REV" ||
		die "no PyPika source: $KAM_VENDOR/pypika-${KAM_PYPIKA_REV:0:12}.tar.gz"
	vendor_git_dependency air-datepicker "$KAM_VENDOR/yarn-offline-mirror/$KAM_AIR_DATEPICKER_REV" package \
		"$KAM_AIR_DATEPICKER_REV" || die "no air-datepicker source: $KAM_VENDOR/yarn-offline-mirror/$KAM_AIR_DATEPICKER_REV"
	# uv builds PyPika in its tree, as the bench user
	chown -R "$(in_chroot id -u "$KAM_CHROOT_USER")" "$KAM_CACHE/sources/pypika"
	echo "pypika @ file://$KAM_CACHE/sources/pypika" >"$KAM_CACHE/sources/uv-overrides.txt"
	# yarn's offline mirror, the bench user's own (yarn adds to it). air-datepicker is not put there:
	# for a git URL yarn wants an uncompressed tarball of its own making, so it clones the local repository.
	local mirror="$KAM_CHROOT/home/$KAM_CHROOT_USER/yarn-offline-mirror"
	as_bench_user mkdir -p "$mirror"
	rm -f "$mirror/air-datepicker-$KAM_AIR_DATEPICKER_REV"
	as_bench_user yarn config set yarn-offline-mirror "$mirror" >/dev/null
	as_bench_user yarn config set yarn-offline-mirror-pruning false >/dev/null
	as_bench_user yarn config set network-timeout 600000 >/dev/null
}

init_chroot_bench() {
	# init_chroot_bench LOG: bench init as the chroot's user, with the chroot's Python 3.14 (no backup
	# crontab: the chroot has no cron).
	[ "$(readlink -f "$(dirname "$KAM_BENCH")")" = "$(readlink -f "$KAM_CHROOT/home/$KAM_CHROOT_USER")" ] ||
		die "the v16 bench must be in $KAM_CHROOT/home/$KAM_CHROOT_USER (KAM_BENCH is $KAM_BENCH)"
	prepare_v16_sources
	local attempt
	for attempt in 1 2; do
		# a download cut short by the network fails yarn's integrity check; once more, then give up
		[ $attempt = 1 ] || log "bench init failed (see $1.1); trying once more"
		[ $attempt = 1 ] || { mv "$1" "$1.1" && rm -rf "$KAM_BENCH"; }
		(
			cd "$KAM_CHROOT/home/$KAM_CHROOT_USER" &&
				as_bench_user bench init "$KAM_BENCH" --frappe-path "$FRAPPE_SOURCE" --frappe-branch "$FRAPPE_BRANCH" \
					--python /usr/bin/python3.14 --skip-redis-config-generation --no-backups
		) >"$1" 2>&1 </dev/null && return 0
	done
	return 1
}
