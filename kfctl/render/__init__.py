"""The pure render pipeline: evaluate an environment and turn the result into Kubernetes objects."""
