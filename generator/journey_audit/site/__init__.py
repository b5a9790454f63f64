"""The website: pages, charts, downloads, publishing scope, the MkDocs plugin, builds and verify-site."""
