#!/usr/bin/env bash
# Runs Drover against the current kube context: installs the CRDs when they are missing, then
# starts the operator, one agent and the console (http://127.0.0.1:8090, no login: it acts as
# your kubeconfig's identity and answers this machine only) on this machine. Ctrl-C stops them.
#
#   DROVER_AGENT_NAME    agent name                  (default: this host's name)
#   DROVER_AGENT_LABELS  agent routing labels        (default: role=local)
#   DROVER_NAMESPACE     namespace the agent serves  (default: the context's namespace, else default)
#   DROVER_CONSOLE_PORT  the console's port          (default: 8090)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
operator_jar="$root/operator/target/drover-operator.jar"
agent_jar="$root/agent-image/target/drover-agent.jar"
console_jar="$root/console/target/drover-console.jar"

if [ ! -f "$operator_jar" ] || [ ! -f "$agent_jar" ] || [ ! -f "$console_jar" ]; then
  echo "Building the jars..."
  (cd "$root" && mvn -B -q package -DskipTests)
fi

if ! kubectl get crd taskruns.drover.dev >/dev/null 2>&1; then
  echo "Installing the drover.dev CRDs..."
  kubectl apply -f "$root/crds/"
  kubectl wait --for=condition=Established crd/taskruns.drover.dev crd/agents.drover.dev crd/taskexecutions.drover.dev --timeout=60s
fi

context_namespace=$(kubectl config view --minify -o jsonpath='{..namespace}' 2>/dev/null || true)
namespace=${DROVER_NAMESPACE:-${context_namespace:-default}}

java -jar "$operator_jar" --port "${DROVER_OPERATOR_PORT:-8080}" &
operator_pid=$!
java -jar "$console_jar" --auth none --port "${DROVER_CONSOLE_PORT:-8090}" &
console_pid=$!
trap 'kill $operator_pid $console_pid 2>/dev/null; wait' EXIT INT TERM

java -jar "$agent_jar" \
  --name "${DROVER_AGENT_NAME:-$(hostname)}" \
  --labels "${DROVER_AGENT_LABELS:-role=local}" \
  --namespaces "$namespace" \
  --capacity 4
