#!/usr/bin/env bash
# Installs the optional Python peers of `go run ./bench -peers` from Debian's
# packages. Best effort: the bench skips missing peers with a one-line hint.
set -u
if /usr/bin/python3 -c 'import numpy, numexpr, bottleneck, pandas' 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "peers: not root or no apt-get; install python3-numpy python3-numexpr python3-bottleneck python3-pandas yourself" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq python3-numpy python3-numexpr python3-bottleneck python3-pandas >/dev/null 2>&1 \
  || echo "peers: apt-get install failed; the bench will skip them" >&2
exit 0
