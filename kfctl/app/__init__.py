"""The app repo: app.yaml, environments, components, params files."""
