"""Offline schema validation of rendered objects: Kubernetes JSON schemas (kubernetes-validate) and
the CRDs of the same render."""
