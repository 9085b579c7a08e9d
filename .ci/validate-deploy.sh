#!/usr/bin/env bash
# Offline validation of the deployment files: renders the kustomize base and every overlay and checks
# them against the Kubernetes JSON schemas (kubeconform, strict), checks docker-compose.yml against the
# compose-spec schema, and checks that every image's APP build arg names a real workspace.
# Before trusting a green result it feeds known-bad fixtures to both validators and requires them to fail.
# Tools are pinned in .ci/versions.env and installed into .ci/.cache on first use.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
install_deploy_tools

OUT="$(mktemp -d "${TMPDIR:-/tmp}/tunegraph-deploy.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
failures=0
fail() {
  log "FAIL: $*"
  failures=$((failures + 1))
}

SCHEMAS="$CACHE_DIR/k8s-schemas/v$K8S_SCHEMA_VERSION-$KUBERNETES_VALIDATE_VERSION"
if [[ ! -f "$SCHEMAS/_definitions.json" ]]; then
  rm -rf "$SCHEMAS"
  "$TOOLS_VENV/bin/python" "$CI_DIR/k8s-schemas.py" "$K8S_SCHEMA_VERSION" "$SCHEMAS"
fi
kubeconform() {
  "$TOOLS_BIN/kubeconform" -strict -summary -kubernetes-version "$K8S_SCHEMA_VERSION" \
    -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}

log "-- self-test: the validators must reject known-bad files"
if kubeconform "$CI_DIR/fixtures/invalid-k8s.yaml" >"$OUT/selftest-k8s.txt" 2>&1 ||
  ! grep -q 'Valid: 0, Invalid: 2, Errors: 0' "$OUT/selftest-k8s.txt"; then
  cat "$OUT/selftest-k8s.txt" >&2
  fail "kubeconform did not reject both documents of .ci/fixtures/invalid-k8s.yaml"
fi
if "$TOOLS_VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec \
  "$CI_DIR/fixtures/invalid-compose.yml" >"$OUT/selftest-compose.txt" 2>&1; then
  fail "check-jsonschema accepted .ci/fixtures/invalid-compose.yml"
fi

log "-- kubernetes: kustomize build + kubeconform (Kubernetes $K8S_SCHEMA_VERSION schemas)"
if [[ ! -f gateway/supergraph.graphql ]]; then
  fail "gateway/supergraph.graphql is missing: the gateway's ConfigMap is generated from it (npm run supergraph:compose)"
else
  for kustomization in deploy/k8s/base deploy/k8s/overlays/*; do
    rendered="$OUT/$(echo "$kustomization" | tr '/' '_').yaml"
    # The gateway's supergraph lives outside deploy/, which kustomize only reads with this flag.
    if ! "$TOOLS_BIN/kustomize" build --load-restrictor LoadRestrictionsNone "$kustomization" >"$rendered"; then
      fail "kustomize build $kustomization"
      continue
    fi
    log "$kustomization:"
    kubeconform "$rendered" >&2 || fail "kubeconform rejected the rendering of $kustomization"
  done
fi

log "-- docker compose: compose-spec schema"
"$TOOLS_VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml >&2 ||
  fail "docker-compose.yml does not match the compose-spec schema"

log "-- images: every APP build arg names a workspace with an entry point"
apps="$(grep -oE 'APP: *[A-Za-z0-9_./-]+' docker-compose.yml | sed 's/APP: *//' | sort -u)"
[[ -n "$apps" ]] || fail "no APP build args found in docker-compose.yml"
for app in $apps; do
  if [[ ! -f "$app/package.json" ]]; then
    fail "APP=$app: no $app/package.json"
  elif [[ ! -f "$app/src/main.ts" ]]; then
    fail "APP=$app: no $app/src/main.ts (the image runs $app/dist/main.js)"
  else
    log "APP=$app ok"
  fi
done

if ((failures > 0)); then
  die "$failures deployment check(s) failed"
fi
log "deployment files valid"
