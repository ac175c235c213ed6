"""The network side of the portal (events, training, newsletters, national programme, reporting).

Empty for now: its apps come with the issues that build them. It sits above `resources` in the
layers (`portal ← resources ← network`, enforced by the import-linter contracts in pyproject.toml).
"""
