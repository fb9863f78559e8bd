"""Schemathesis hooks for `npm run test:fuzz`: point path ids at the seeded state.

Generated ids name nothing, so routes by id would only ever answer 404. For each resource the
fuzz run seeded (FUZZ_RESOURCES, JSON from api-fuzz.ts), about half the cases of its routes are
sent its id instead; a case whose path is deliberately invalid (a negative case) is left as it
is. Every choice is deterministic, so a run replays from its seed: the examples and coverage
phases, which send few cases per route in a fixed order, take every other one (the first
included); the fuzzing phase, whose cases Hypothesis may replay while shrinking, takes those whose
checksum is odd; the stateful phase keeps the ids its links carry.
"""

import json
import os
import re
import zlib
from collections import Counter

import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase

RESOURCES = json.loads(os.environ.get("FUZZ_RESOURCES", "[]"))
SEEN = Counter()


def takes_seeded_id(case, generated):
    if case.meta is not None and case.meta.phase.name in (TestPhase.EXAMPLES, TestPhase.COVERAGE):
        key = (case.operation.method, case.operation.path)
        SEEN[key] += 1
        return SEEN[key] % 2 == 1
    return zlib.crc32(repr((generated, case.query, case.body)).encode()) % 2 == 1


@schemathesis.hook
def map_case(context, case):
    generated = (case.path_parameters or {}).get("id")
    if not isinstance(generated, str):
        return case
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return case
    # A stateful step's id comes from a link to what an earlier step created: it names a real
    # resource, and swapping in the seeded one (which the fuzzing phase may have deleted) made
    # "GET the collection just created" answer 404 (seed 1407028610).
    if case.meta is not None and case.meta.phase.name == TestPhase.STATEFUL:
        return case
    for resource in RESOURCES:
        if case.operation.path.startswith(resource["path"]) and re.fullmatch(
            resource["pattern"], generated
        ):
            if takes_seeded_id(case, generated):
                case.path_parameters = {**case.path_parameters, "id": resource["id"]}
            break
    return case
