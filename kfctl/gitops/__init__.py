"""GitOps: export rendered objects to a directory (one file per object, with an index), diff a
render against such a directory, and validate objects offline against Kubernetes/CRD schemas."""
