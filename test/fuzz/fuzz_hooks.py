"""Schemathesis hooks for `npm run test:fuzz`: point path ids at the seeded state.

Generated ids name nothing, so routes by id would only ever answer 404. For each resource the
fuzz run seeded (FUZZ_RESOURCES, JSON from api-fuzz.ts), a generated id of the right shape is
swapped for the seeded one about half the time. Hypothesis draws the choice, so a run replays
from its seed; an id of the wrong shape (a negative case) is left as generated.
"""

import json
import os
import re

import schemathesis
from hypothesis import strategies as st

RESOURCES = json.loads(os.environ.get("FUZZ_RESOURCES", "[]"))


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    generated = path_parameters.get("id") if isinstance(path_parameters, dict) else None
    path = context.operation.path if context.operation else ""
    for resource in RESOURCES:
        if (
            path.startswith(resource["path"])
            and isinstance(generated, str)
            and re.fullmatch(resource["pattern"], generated)
        ):
            return st.sampled_from([path_parameters, {**path_parameters, "id": resource["id"]}])
    return st.just(path_parameters)
