"""journey-audit: touchpoint audits (接触点审计) written in YAML, turned into a website.

The pipeline runs one way: load (:mod:`.yamlsource`) → validate (:mod:`.validate`,
:mod:`.portfolio`) → compute (:mod:`.scoring`) → render → build.
"""

__version__ = "0.1.0"
