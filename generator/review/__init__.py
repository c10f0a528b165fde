"""Review and publishing from git: semantic diffs, frozen published data, provenance."""
