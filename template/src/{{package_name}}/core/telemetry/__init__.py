"""OpenTelemetry, on when the standard OTEL_* variables ask for it."""
