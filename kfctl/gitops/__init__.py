"""GitOps: export rendered objects to a directory (one file per object, with an index) and diff a
render against such a directory."""
