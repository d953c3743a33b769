#!/usr/bin/env bash
# Install the Debian packages nianbao's tests and document conversion need, if missing:
# LibreOffice (DOC/WPS → DOCX, test PDFs) and its Python bridge (one LibreOffice kept
# alive per run), CJK fonts, antiword, PostgreSQL (throwaway test server), poppler-utils
# (pdftoppm), Chromium (sites that need a browser; screenshots of the Prefect UI), and
# libGL/GLib, which OpenCV (opencv-python, the OCR reader's image library) loads.
set -euo pipefail

packages=(libreoffice-writer-nogui python3-uno fonts-noto-cjk antiword postgresql poppler-utils chromium libgl1 libglib2.0-0)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "missing system packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
