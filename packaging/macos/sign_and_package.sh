#!/usr/bin/env bash
# macOS: sign dist/Explorer.app (when a Developer ID certificate is given), put it in a
# .dmg, and have the .dmg notarised and stapled (when an Apple ID is given). Without the
# secrets the app keeps PyInstaller's ad-hoc signature and the .dmg is made unsigned.
#
# Environment (all optional, from the release workflow's secrets):
#   MACOS_CERTIFICATE (base64 .p12), MACOS_CERTIFICATE_PASSWORD, MACOS_SIGNING_IDENTITY
#   ("Developer ID Application: Name (TEAMID)"), APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD
#   VERSION (for the file name)
set -euo pipefail
APP=dist/Explorer.app
DMG="dist/Explorer-${VERSION:-0.0.0}-macos-$(uname -m).dmg"
ENTITLEMENTS=packaging/entitlements.plist

if [ -n "${MACOS_CERTIFICATE:-}" ]; then
    KEYCHAIN="$RUNNER_TEMP/explorer-signing.keychain-db"
    KEYCHAIN_PASSWORD=$(uuidgen)
    echo "$MACOS_CERTIFICATE" | base64 --decode > "$RUNNER_TEMP/certificate.p12"
    security create-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
    security set-keychain-settings -lut 21600 "$KEYCHAIN"
    security unlock-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
    security import "$RUNNER_TEMP/certificate.p12" -P "$MACOS_CERTIFICATE_PASSWORD" \
        -A -t cert -f pkcs12 -k "$KEYCHAIN"
    security set-key-partition-list -S apple-tool:,apple: -k "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
    # the existing keychains stay in the search list, one word each
    # shellcheck disable=SC2046
    security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
    # inside out: every library and executable, then the bundle
    find "$APP/Contents" -type f \( -name "*.so" -o -name "*.dylib" -o -perm -u+x \) -print0 |
        xargs -0 codesign --force --timestamp --options runtime \
            --entitlements "$ENTITLEMENTS" --sign "$MACOS_SIGNING_IDENTITY"
    codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
        --sign "$MACOS_SIGNING_IDENTITY" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
else
    echo "no signing certificate: the app keeps its ad-hoc signature"
fi

rm -f "$DMG"
hdiutil create -volname Explorer -srcfolder "$APP" -ov -format UDZO "$DMG"

if [ -n "${MACOS_CERTIFICATE:-}" ]; then
    codesign --force --timestamp --sign "$MACOS_SIGNING_IDENTITY" "$DMG"
fi
if [ -n "${APPLE_ID:-}" ] && [ -n "${MACOS_CERTIFICATE:-}" ]; then
    xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$DMG"
    spctl --assess --type open --context context:primary-signature --verbose "$DMG"
else
    echo "no Apple ID: the .dmg is not notarised"
fi
echo "$DMG"
