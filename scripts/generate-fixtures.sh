#!/usr/bin/env bash
# Regenerate the real Terraform plan fixtures in test/fixtures/plans/ (and the
# derived ones in test/fixtures/derived/) from the scenario configurations in
# test/fixtures/terraform/<scenario>/.
#
# Usage:
#   bash scripts/generate-fixtures.sh                 # every scenario
#   bash scripts/generate-fixtures.sh delete deposed  # only these scenarios
#   bash scripts/generate-fixtures.sh --list          # list scenario names
#   npm run fixtures                                  # same as the first form
#
# Scenario layout (test/fixtures/terraform/<scenario>/):
#   step1/, step2/, ... stepN/   configurations, used in order. Every step but
#                                the last is applied; the last one is planned.
#                                With a single step it is applied and then
#                                planned again.
#   flags        (optional)      extra `terraform plan` arguments, one per line
#                                (blank lines and lines starting with # ignored).
#   scenario.sh  (optional)      bash sourced before the scenario runs; may set
#                                  APPLY_MAY_FAIL="2"   steps whose apply is
#                                                       expected to fail (it must)
#                                  EXPECT_PLAN_ERROR=1  the plan must fail (an
#                                                       errored plan file is still
#                                                       written and shown)
#                                  KEEP_BINARY=1        also copy the binary plan
#                                                       to test/fixtures/binary/
#                                and define before_plan() { ... } (runs in the
#                                work dir after the last step is in place, e.g.
#                                `terraform taint ADDR`).
#   anything else (modules/, remote/ ...) is copied into the work dir once.
#
# Every scenario runs in a fresh temporary directory, never in the repository.
# The plan JSON is written exactly as `terraform show -json` prints it.
# Afterwards each test/fixtures/derived/<name>.mapping.json whose "source"
# scenario was regenerated is turned into test/fixtures/derived/<name>.json by
# scripts/derive-fixture.mjs.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCENARIOS_DIR=$REPO_ROOT/test/fixtures/terraform
PLANS_DIR=$REPO_ROOT/test/fixtures/plans
BINARY_DIR=$REPO_ROOT/test/fixtures/binary
DERIVED_DIR=$REPO_ROOT/test/fixtures/derived
DERIVE_SCRIPT=$REPO_ROOT/scripts/derive-fixture.mjs
EXPECTED_TF_VERSION=1.11.4

die() {
  echo "generate-fixtures: $*" >&2
  exit 1
}

all_scenarios() {
  local d
  for d in "$SCENARIOS_DIR"/*/; do
    if [ -d "${d}step1" ]; then basename "$d"; fi
  done
}

case "${1:-}" in
  -h | --help)
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
    exit 0
    ;;
  --list)
    all_scenarios
    exit 0
    ;;
esac

if ! command -v terraform >/dev/null 2>&1; then
  die "terraform is not installed or not on PATH. These fixtures are generated with Terraform v$EXPECTED_TF_VERSION (only the builtin terraform_data resource is used, no provider download). Install it, or leave the committed fixtures alone: the tests never need terraform."
fi
command -v node >/dev/null 2>&1 || die "node is not on PATH (needed to check the JSON and to derive fixtures)."

tf_version=$(terraform version -json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).terraform_version)}catch{console.log("unknown")}})')
if [ "$tf_version" != "$EXPECTED_TF_VERSION" ]; then
  echo "generate-fixtures: warning: terraform is v$tf_version, the committed fixtures were made with v$EXPECTED_TF_VERSION" >&2
fi

# Scenarios to run.
if [ "$#" -gt 0 ]; then
  selected=("$@")
  for s in "${selected[@]}"; do
    [ -d "$SCENARIOS_DIR/$s/step1" ] || die "unknown scenario '$s' (no $SCENARIOS_DIR/$s/step1); try --list"
  done
  full_run=0
else
  mapfile -t selected < <(all_scenarios)
  full_run=1
fi

# A clean, hermetic Terraform environment: no user CLI config, no stray
# TF_* settings, no prompts, no update checks.
TMP_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/tfguard-fixtures.XXXXXX")
trap 'rm -rf "$TMP_ROOT"' EXIT
: >"$TMP_ROOT/terraformrc"
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(TF_|CHECKPOINT_)' || true)
export TF_CLI_CONFIG_FILE="$TMP_ROOT/terraformrc"
export TF_IN_AUTOMATION=1
export TF_INPUT=0
export CHECKPOINT_DISABLE=1

mkdir -p "$PLANS_DIR"

# generate_one SCENARIO — runs in a subshell (see the call below).
generate_one() {
  local name=$1
  local sdir=$SCENARIOS_DIR/$name
  local work log
  work=$(mktemp -d "$TMP_ROOT/$name.XXXXXX")
  log=$work.log

  fail() {
    echo "generate-fixtures: [$name] $*" >&2
    echo "----- last lines of $name's terraform output -----" >&2
    tail -n 40 "$log" >&2 || true
    exit 1
  }
  tf() { # terraform SUBCOMMAND ARGS..., output to the log
    echo "+ terraform $*" >>"$log"
    terraform "$@" >>"$log" 2>&1
  }

  APPLY_MAY_FAIL=""
  EXPECT_PLAN_ERROR=0
  KEEP_BINARY=0
  before_plan() { :; }
  if [ -f "$sdir/scenario.sh" ]; then
    # shellcheck source=/dev/null
    source "$sdir/scenario.sh"
  fi

  local -a plan_flags=()
  if [ -f "$sdir/flags" ]; then
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in '' | '#'*) continue ;; esac
      plan_flags+=("$line")
    done <"$sdir/flags"
  fi

  local -a steps=()
  local i=1
  while [ -d "$sdir/step$i" ]; do
    steps+=("step$i")
    i=$((i + 1))
  done
  local nsteps=${#steps[@]}

  # Shared material (local modules, state files for data sources ...).
  local entry base
  for entry in "$sdir"/*; do
    base=$(basename "$entry")
    case "$base" in step[0-9]* | flags | scenario.sh | README*) continue ;; esac
    cp -R "$entry" "$work/"
  done

  cd "$work"
  local -a placed=()
  local step n=0 f
  for step in "${steps[@]}"; do
    n=$((n + 1))
    # Replace the previous step's files with this step's.
    for f in "${placed[@]+"${placed[@]}"}"; do rm -rf "./$f"; done
    placed=()
    for entry in "$sdir/$step"/* "$sdir/$step"/.[!.]*; do
      [ -e "$entry" ] || continue
      cp -R "$entry" "$work/"
      placed+=("$(basename "$entry")")
    done
    tf init -input=false -no-color || fail "terraform init failed for $step"

    if [ "$n" -lt "$nsteps" ] || [ "$nsteps" -eq 1 ]; then
      local may_fail=0 s
      for s in $APPLY_MAY_FAIL; do
        if [ "$s" = "$n" ]; then may_fail=1; fi
      done
      if tf apply -auto-approve -input=false -no-color; then
        [ "$may_fail" -eq 0 ] || fail "apply of $step was expected to fail (APPLY_MAY_FAIL) but succeeded"
      else
        [ "$may_fail" -eq 1 ] || fail "apply of $step failed"
        echo "(apply of $step failed as expected)" >>"$log"
      fi
    fi
  done

  before_plan >>"$log" 2>&1 || fail "before_plan hook failed"

  local rc=0
  tf plan -out=plan.tfplan -input=false -no-color "${plan_flags[@]+"${plan_flags[@]}"}" || rc=$?
  if [ "$EXPECT_PLAN_ERROR" = 1 ]; then
    [ "$rc" -ne 0 ] || fail "plan was expected to fail (EXPECT_PLAN_ERROR) but succeeded"
    echo "(plan failed as expected, exit $rc)" >>"$log"
  else
    [ "$rc" -eq 0 ] || fail "terraform plan failed (exit $rc)"
  fi
  [ -s plan.tfplan ] || fail "terraform plan wrote no plan file"

  local out=$PLANS_DIR/$name.json
  terraform show -json plan.tfplan >"$work/plan.json" 2>>"$log" || fail "terraform show -json failed"
  node -e '
    const fs = require("fs");
    const text = fs.readFileSync(process.argv[1], "utf8");
    const plan = JSON.parse(text);
    if (typeof plan !== "object" || !plan.format_version) throw new Error("not a plan JSON");
    if (text.indexOf("\n") !== text.length - 1) throw new Error("expected one line + newline");
  ' "$work/plan.json" || fail "terraform show -json did not produce a plan JSON"
  mv "$work/plan.json" "$out"

  if [ "$KEEP_BINARY" = 1 ]; then
    mkdir -p "$BINARY_DIR"
    cp plan.tfplan "$BINARY_DIR/$name.tfplan"
  fi

  local summary
  summary=$(node -e '
    const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const rc = p.resource_changes || [];
    const notNoop = rc.filter((c) => c.change.actions.join() !== "no-op").length;
    console.log(`${rc.length} resource_changes, ${notNoop} not no-op, errored=${p.errored}, complete=${p.complete}`);
  ' "$out")
  echo "  ok  $name ($summary)"
  cd /
  rm -rf "$work" "$log"
}

echo "Generating ${#selected[@]} scenario(s) with Terraform v$tf_version into ${PLANS_DIR#"$REPO_ROOT"/}"
for s in "${selected[@]}"; do
  (generate_one "$s")
done

# Derived fixtures: test/fixtures/derived/<name>.mapping.json -> <name>.json.
shopt -s nullglob
for mapping in "$DERIVED_DIR"/*.mapping.json; do
  dname=$(basename "$mapping" .mapping.json)
  source_scenario=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).source)' "$mapping")
  if [ "$full_run" = 0 ]; then
    wanted=0
    for s in "${selected[@]}"; do
      if [ "$s" = "$source_scenario" ]; then wanted=1; fi
    done
    [ "$wanted" = 1 ] || continue
  fi
  [ -f "$PLANS_DIR/$source_scenario.json" ] || die "derived/$dname: source plan plans/$source_scenario.json is missing"
  # A mapping may name its output (repo-relative): the examples/ plans are derived fixtures too.
  output=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).output ?? "")' "$mapping")
  output=${output:-test/fixtures/derived/$dname.json}
  mkdir -p "$(dirname "$REPO_ROOT/$output")"
  node "$DERIVE_SCRIPT" "$PLANS_DIR/$source_scenario.json" "$mapping" "$REPO_ROOT/$output"
  echo "  ok  $output (from $source_scenario)"
done

if [ "$full_run" = 1 ]; then
  for f in "$PLANS_DIR"/*.json; do
    s=$(basename "$f" .json)
    [ -d "$SCENARIOS_DIR/$s/step1" ] || echo "generate-fixtures: warning: plans/$s.json has no scenario in test/fixtures/terraform/ (stale?)" >&2
  done
fi
echo "Done."
