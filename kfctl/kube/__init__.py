"""Cluster I/O: kubeconfig, API client, apply, diff, prune, delete, wait, status."""
