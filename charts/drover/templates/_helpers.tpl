{{- define "drover.labels" -}}
app.kubernetes.io/part-of: drover
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "drover.agentLabels" -}}
{{- $pairs := list -}}
{{- range $key, $value := .Values.agent.labels -}}
{{- $pairs = append $pairs (printf "%s=%s" $key $value) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
