"""Prototypes, registries and packages: where components come from."""
