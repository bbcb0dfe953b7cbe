"""Small utilities at the floor of kfctl: files, locks, YAML, suggestions, Kubernetes names and versions."""
