# Starting a server in the background and stopping it, for the scripts that
# run the page's programs against ours (test-arm64.sh, test-python-versions.sh).
# Sourced, not run.

# Starts a command in the background with stdout and stderr in files, and
# waits for its first stdout line (the "running on port" line), at most
# START_SECONDS (default 60). Sets server_pid; fails if the command ended or
# no line came in time.
start_and_wait_for_line() {
    local out=$1 err=$2
    shift 2
    : >"$out"
    "$@" >"$out" 2>"$err" &
    server_pid=$!
    local waited=0 limit=$((${START_SECONDS:-60} * 10))
    until [ "$(wc -l <"$out")" -ge 1 ]; do
        if ! kill -0 "$server_pid" 2>/dev/null || [ "$waited" -ge "$limit" ]; then
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
}

# Stops the server of start_and_wait_for_line: SIGTERM, then at most 15 s
# (our server stops within its 10 s grace period, pyarrow's at once), then
# SIGKILL.
stop_server() {
    if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
}
