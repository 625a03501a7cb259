#!/usr/bin/env bash
# Builds release/pult_<version>_amd64.deb from this checkout, offline: the built app (dist/), the
# production dependencies as installed here (node_modules, better-sqlite3 built for this Node), and
# this Node runtime itself (Debian 12's nodejs is too old). Run through `npm run package:deb`.
# PULT_DEB_VERSION overrides the version (the upgrade test builds N+1 from the same tree).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
version="${PULT_DEB_VERSION:-$(node -p "require('./package.json').version")}"
out="${PULT_DEB_OUT:-$root/release}"
[ -f dist/cli/pult.js ] || { echo "package:deb: dist/ is not built (npm run build)" >&2; exit 1; }
[ -f dist/renderer/prompts/ru/csi.ogg ] || { echo "package:deb: dist/ has no spoken prompts (apt install espeak-ng sox, then PULT_PROMPTS=required npm run build)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/pult_${version}_amd64"
app="$stage/usr/lib/pult"
mkdir -p "$app/node/bin" "$stage/usr/bin" "$stage/etc/pult" "$stage/lib/systemd/system" \
  "$stage/usr/share/doc/pult" "$stage/DEBIAN"

# The app: the build and what it reads at run time. The Electron shell is not part of this package.
cp -a bin package.json "$app/"
mkdir -p "$app/dist"
cp -a dist/cli dist/renderer dist/build-stamp.txt "$app/dist/"
cp -a packaging/deb/lib/bin "$app/"
mkdir -p "$app/kiosk"
node packaging/deb/lib/starting-page.mjs shared/locales "$app/kiosk/starting.html"

# Production dependencies, as `npm ls` resolves them (no registry needed); types and compilers left out.
npm ls --omit=dev --all --parseable 2>/dev/null | sed "s|^$root/||" | grep '^node_modules/' |
  grep -v -E '(^|/)node_modules/(typescript|@types/[^/]+)$' | sort -u | while read -r dir; do
  mkdir -p "$app/$(dirname "$dir")"
  [ -e "$app/$dir" ] || cp -a "$dir" "$app/$dir"
done
# Native modules: the built binaries only (no compiler objects, no sources), this platform's prebuilds only.
sqlite="$app/node_modules/better-sqlite3"
find "$sqlite/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
find "$sqlite/build/Release" -mindepth 1 ! -name better_sqlite3.node -exec rm -rf {} +
rm -rf "$sqlite/deps" "$sqlite/src"
find "$app/node_modules/@serialport/bindings-cpp/prebuilds" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} + 2>/dev/null || true
rm -f "$app"/node_modules/@serialport/bindings-cpp/prebuilds/linux-x64/*musl*
find "$app/node_modules" -depth \( -name '*.md' -o -name '*.map' -o -name '*.ts' -o -name test -o -name tests -o -name .github \) \
  ! -path '*/bin/*' -exec rm -rf {} + 2>/dev/null || true
find "$app/node_modules" -name '.*' -type f -delete
find "$app/node_modules" -depth -name '.*' -type d -exec rm -rf {} +
# Dependencies' own docs pages and shell tests are not needed to run, and load scripts from CDNs.
find "$app/node_modules" \( -name '*.html' -o -name '*.sh' \) -type f -delete
rm -rf "$app/node_modules/fastify/integration"
# Scripts are run by the carried Node (/usr/bin/pult), never through their "#!/usr/bin/env node".
grep -rlZ --include='*.js' --include='*.mjs' --include='*.cjs' -e '^#!.*node' "$app" 2>/dev/null | xargs -0 -r sed -i '1s|^#!.*node.*$||'
# …and so are dependencies' command-line scripts (any name, under a bin/ folder): not scripts of their own here.
find "$app/node_modules" -path '*/bin/*' -type f -exec sed -i '1s|^#!.*node.*$||' {} + 2>/dev/null || true

# The Node runtime the app was built and tested with (its debug symbols left out).
cp "$(readlink -f "$(command -v node)")" "$app/node/bin/node"
node --version >"$app/node/VERSION"
strip --strip-unneeded "$app/node/bin/node" "$sqlite/build/Release/better_sqlite3.node"

install -m 0755 packaging/deb/pult "$stage/usr/bin/pult"
# The manual page is the command's own --help, in English.
mkdir -p "$stage/usr/share/man/man1"
{
  printf '.TH PULT 1 "" "pult %s" "User Commands"\n.SH NAME\npult \\- touch rating console for service windows\n.SH SYNOPSIS\n.nf\n' "$version"
  PULT_LANG=en node bin/pult.js --help | sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./'
  printf '.fi\n.SH SEE ALSO\n/usr/share/doc/pult/README.md\n'
} | gzip -9n >"$stage/usr/share/man/man1/pult.1.gz"
install -m 0644 packaging/deb/pult.config.json "$stage/etc/pult/pult.config.json"
install -m 0644 packaging/systemd/*.service "$stage/lib/systemd/system/"
install -m 0644 packaging/deb/copyright "$stage/usr/share/doc/pult/copyright"
install -m 0644 README.md "$stage/usr/share/doc/pult/README.md"
sed "s/@VERSION@/$version/; s/@DATE@/$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")/" \
  packaging/deb/changelog | gzip -9n >"$stage/usr/share/doc/pult/changelog.gz"
for script in postinst prerm postrm; do install -m 0755 "packaging/deb/$script" "$stage/DEBIAN/$script"; done
install -m 0644 packaging/deb/conffiles "$stage/DEBIAN/conffiles"
mkdir -p "$stage/usr/share/lintian/overrides"
install -m 0644 packaging/deb/lintian-overrides "$stage/usr/share/lintian/overrides/pult"

# Files are root's; the data directory is made by postinst (it belongs to the pult user).
chmod -R u=rwX,go=rX "$app"
chmod 0755 "$app/node/bin/node" "$app/bin/kiosk-browser"
find "$app" -name '*.node' -exec chmod 0644 {} +
find "$app/node_modules" "$app/bin" -type f -perm /111 ! -name kiosk-browser -exec chmod a-x {} +
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed "s/@VERSION@/$version/; s/@SIZE@/$size/" packaging/deb/control >"$stage/DEBIAN/control"
(cd "$stage" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum >DEBIAN/md5sums)

mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz -z6 --build "$stage" "$out/pult_${version}_amd64.deb" >/dev/null
echo "$out/pult_${version}_amd64.deb"
