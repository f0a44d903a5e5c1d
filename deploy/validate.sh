#!/usr/bin/env bash
# Checks the deployment files with what runs without a cluster, a Docker daemon or a registry:
#   yamllint on every YAML file; docker compose (or docker-compose) config on compose.yaml, with placeholder
#   secrets; haproxy -c on haproxy.cfg; kubectl kustomize on deploy/k8s, then a consistency check of what it
#   renders (probes, ports, selectors, the Secret and ConfigMap the pods read).
# A tool that is missing is reported and skipped (apt-get install -y yamllint docker-compose haproxy
# kubernetes-client python3-yaml). What this cannot check: that the images pull and the stack starts; that the
# manifests match a given cluster's API (kubectl apply --dry-run=server, or kubeconform, do that).
set -uo pipefail
cd "$(dirname "$0")"
failed=0
skipped=""

check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok    $name"
    else
        echo "FAIL  $name"
        failed=1
    fi
}

if command -v yamllint >/dev/null; then
    check yamllint yamllint -d '{extends: default, rules: {line-length: {max: 120}, document-start: disable,
        truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}}}' compose.yaml k8s
else
    skipped="$skipped yamllint"
fi

compose_config() {
    local env=(POSTGRES_PASSWORD=x PARLEY_AUTH_JWT_SECRET=0123456789abcdef0123456789abcdef MINIO_ROOT_USER=x
        MINIO_ROOT_PASSWORD=x S3_ACCESS_KEY=x S3_SECRET_KEY=x)
    if docker compose version >/dev/null 2>&1; then
        env "${env[@]}" docker compose -f compose.yaml config --quiet
    else
        env "${env[@]}" docker-compose -f compose.yaml config --quiet
    fi
}
if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; then
    check "compose config" compose_config
else
    skipped="$skipped docker-compose"
fi

if command -v haproxy >/dev/null; then
    # The servers' names resolve only inside the compose network; HAProxy warns about that and starts anyway.
    check "haproxy -c" bash -c 'haproxy -c -q -f haproxy.cfg 2>&1 | grep -v "could not resolve address"; \
        exit "${PIPESTATUS[0]}"'
else
    skipped="$skipped haproxy"
fi

if command -v kubectl >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
    rendered=$(mktemp)
    trap 'rm -f "$rendered"' EXIT
    check "kubectl kustomize" bash -c "kubectl kustomize k8s >'$rendered'"
    check "k8s consistency" python3 - "$rendered" <<'PY'
import sys, yaml
docs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(sys.argv[1])) if d}
errors = []
def need(ok, what):
    if not ok:
        errors.append(what)
dep = docs[("Deployment", "parley")]
pod = dep["spec"]["template"]
need(dep["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items(), "selector/labels")
(c,) = pod["spec"]["containers"]
ports = {p["name"]: p["containerPort"] for p in c["ports"]}
for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready"),
                    ("startupProbe", "/health/live")):
    need(c[probe]["httpGet"]["path"] == path, probe + " path")
    need(c[probe]["httpGet"]["port"] in ports, probe + " port")
for kind in ("requests", "limits"):
    need({"cpu", "memory"} <= c["resources"][kind].keys(), "resources." + kind)
sources = {(("ConfigMap" if "configMapRef" in s else "Secret"), (s.get("configMapRef") or s["secretRef"])["name"])
           for s in c["envFrom"]}
for source in sources:
    need(source in docs, "missing %s %s" % source)
secret = docs[("Secret", "parley")].get("stringData", {})
need({"PARLEY_AUTH_JWT_SECRET", "PARLEY_STORAGE_LOCAL_SIGNING_KEY"} <= secret.keys(), "shared secrets in the Secret")
config = docs[("ConfigMap", "parley")]["data"]
need(str(ports["management"]) == config.get("MANAGEMENT_SERVER_PORT"), "management port = MANAGEMENT_SERVER_PORT")
need(not set(config) & set(secret), "a setting both in the ConfigMap and the Secret")
svc = docs[("Service", "parley")]
need(svc["spec"]["selector"].items() <= pod["metadata"]["labels"].items(), "service selector")
need(all(p["targetPort"] in ports for p in svc["spec"]["ports"]), "service targetPort")
need(all(p["targetPort"] != "management" for p in svc["spec"]["ports"]), "management port not in the Service")
ing = docs[("Ingress", "parley")]
backends = [p["backend"]["service"] for r in ing["spec"]["rules"] for p in r["http"]["paths"]]
need(all(b["name"] == "parley" and b["port"]["name"] in {p["name"] for p in svc["spec"]["ports"]}
         for b in backends), "ingress backend")
need("proxy-read-timeout" in " ".join(ing["metadata"]["annotations"]), "ingress WebSocket timeout")
pdb = docs[("PodDisruptionBudget", "parley")]
need(pdb["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items(), "pdb selector")
sc = c["securityContext"]
need(pod["spec"]["securityContext"]["runAsNonRoot"] and sc["readOnlyRootFilesystem"]
     and not sc["allowPrivilegeEscalation"], "non-root, read-only")
for e in errors:
    print("  k8s:", e)
sys.exit(1 if errors else 0)
PY
else
    skipped="$skipped kubectl/python3-yaml"
fi

[ -n "$skipped" ] && echo "skipped (not installed):$skipped"
exit $failed
