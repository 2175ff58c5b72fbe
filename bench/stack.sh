# Sourced by bench/run.sh and bench/side-by-side.sh (needs $root, the repository): a local stack of their own.
# start_stack runs local-stack's launcher from the calling shell, in its session, as the benchmarks' load runs: with
# autogroup scheduling a stack in a session of its own gets the cores shared with the load in another way
# (docs/benchmarks.md, "Scheduling groups"). It takes the stack's settings from the environment (CHAT_DATA_DIR, whose
# contents it deletes first, CHAT_SERVICE_HEAP, CHAT_SERVICE_JVM_OPTIONS), waits up to 5 minutes for it to be ready
# and leaves its launcher's PID in stack_pid. stop_stack, for an EXIT trap, stops it and waits for it.

stack_pid=""

start_stack() {
  rm -rf "$CHAT_DATA_DIR"
  mkdir -p "$CHAT_DATA_DIR"
  echo "Starting a local stack (log: $CHAT_DATA_DIR/stack.log)..."
  java -Dchat.repository-root="$root" -jar "$(ls "$root"/local-stack/target/local-stack-*-exec.jar | head -n 1)" \
    > "$CHAT_DATA_DIR/stack.log" 2>&1 &
  stack_pid=$!
  for _ in $(seq 1 300); do
    if grep -qs "ERP Chat is running" "$CHAT_DATA_DIR/stack.log"; then return 0; fi
    if ! kill -0 "$stack_pid" 2>/dev/null; then cat "$CHAT_DATA_DIR/stack.log"; exit 1; fi
    sleep 1
  done
  echo "The stack did not start in 5 minutes (log: $CHAT_DATA_DIR/stack.log)" >&2
  exit 1
}

stop_stack() {
  if [[ -n "$stack_pid" ]] && kill -0 "$stack_pid" 2>/dev/null; then
    echo "Stopping the stack..."
    kill -TERM "$stack_pid" 2>/dev/null || true  # a background job ignores SIGINT; SIGTERM runs the same shutdown
    wait "$stack_pid" 2>/dev/null || true
  fi
}
