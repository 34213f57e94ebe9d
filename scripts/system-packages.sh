#!/usr/bin/env bash
# Install the Debian packages the browser tests and the Chinese charts/Word previews need, when any is
# missing: directly as root, through sudo otherwise. The same branch runs for root and for a user with
# sudo (the command is "${SUDO[@]}" env DEBIAN_FRONTEND=… apt-get …, SUDO empty for root).
#   CHROMIUM, CHROMEDRIVER      where the browser is looked for (default /usr/bin/…)
#   SETUP_EXTRA_PACKAGES        more packages to require (CI names a missing one to exercise this branch)
#   SETUP_LOG                   apt's output (default out/apt.log)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "[$(date +%H:%M:%S)] $*"; }

chromium=${CHROMIUM:-/usr/bin/chromium}
chromedriver=${CHROMEDRIVER:-/usr/bin/chromedriver}
log=${SETUP_LOG:-out/apt.log}
need=()
[ -x "$chromium" ] || need+=(chromium)
[ -x "$chromedriver" ] || need+=(chromium-driver)
{ command -v fc-list >/dev/null && fc-list :lang=zh | grep -qi wqy; } || need+=(fonts-wqy-microhei)
for extra in ${SETUP_EXTRA_PACKAGES:-}; do
  dpkg-query -W -f='${Status}' "$extra" 2>/dev/null | grep -q "ok installed" || need+=("$extra")
done
if [ ${#need[@]} -eq 0 ]; then
  say "系统软件包已齐全（Chromium、中文字体）"
  exit 0
fi

if [ "$(id -u)" = 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  say "需要 root 权限或 sudo 才能安装：${need[*]}（请以 root 运行，或先安装这些软件包）"
  exit 1
fi
mkdir -p "$(dirname "$log")"
say "安装 Debian 软件包：${need[*]}（${SUDO[*]:-root}；日志 $log）"
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1; then
  tail -5 "$log"; say "apt-get update 失败"; exit 1
fi
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$log" 2>&1; then
  tail -5 "$log"; say "软件包安装失败：${need[*]}"; exit 1
fi
say "已安装：${need[*]}"
