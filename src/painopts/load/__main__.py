"""Regenerate the files generated from the model and the bundled knowledge file.

``python -m painopts.load > data/treatments.schema.json``: the published schema.
``python -m painopts.load --checked > data/treatments.cache``: the bundled file's cache entry.
"""

import json
import sys

from painopts.load import checked_form, json_schema

if sys.argv[1:] == ["--checked"]:
    sys.stdout.buffer.write(checked_form())
else:
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
