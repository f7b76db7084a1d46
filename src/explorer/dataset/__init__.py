"""The curated dataset's tooling: its reviewable YAML source, the build of the bundled
database, the check of its quotes against the articles, and the generator of synthetic
projects of any size."""
