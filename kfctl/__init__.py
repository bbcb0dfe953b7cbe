"""kfctl: deploy machine-learning platforms to Kubernetes the ksonnet way."""

__version__ = "0.1.0"
