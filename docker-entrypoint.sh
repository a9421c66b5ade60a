#!/bin/sh
# Entry commands of the govrelay image: server (default), relayer, migrate, cli <command>.
set -e
case "${1:-server}" in
  server)  exec node --max-semi-space-size=64 dist/server/main.js ;;   # flags: server/node-flags.ts
  relayer) exec node dist/relayer/main.js ;;
  migrate) exec node --experimental-wasm-modules dist/scripts/db.js migrate ;;
  cli)     shift; exec node dist/relayer/cli.js "$@" ;;
  *)       exec "$@" ;;
esac
