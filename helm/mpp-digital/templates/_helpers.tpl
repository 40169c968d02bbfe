{{- define "mpp.name" -}}{{ .Release.Name }}-mpp{{- end -}}
{{- define "mpp.env" -}}
- name: MPP_BASE_DOMAIN
  value: {{ .Values.baseDomain | quote }}
{{- range $k, $v := .Values.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- end -}}
{{- define "mpp.envFrom" -}}
- secretRef:
    name: {{ .Values.existingSecret }}
{{- end -}}
