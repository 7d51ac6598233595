"""``python -m painopts.load > data/treatments.schema.json`` regenerates the published schema."""

import json
import sys

from painopts.load import json_schema

sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
