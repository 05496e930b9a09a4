#!/usr/bin/env bash
# Generates the "not a plan" inputs users feed tfguard by mistake, with real Terraform:
# a state file, `terraform show -json` of a state (and of an empty state), the text rendering
# of `terraform plan`, and `terraform providers schema -json`. Output: test/fixtures/not-plans/.
set -euo pipefail
command -v terraform >/dev/null || { echo "generate-not-plans: terraform is not on PATH; install Terraform to regenerate these fixtures" >&2; exit 1; }

repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/test/fixtures/not-plans"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
touch "$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"

cd "$work"
terraform init -input=false >/dev/null
terraform show -json > "$out/empty-state-show.json"
cat > main.tf <<'TF'
resource "terraform_data" "db" {
  input = { engine = "postgres", size = 20 }
}
resource "terraform_data" "cache" {
  input = "redis"
}
TF
terraform apply -auto-approve -input=false >/dev/null
cp terraform.tfstate "$out/terraform.tfstate"
terraform show -json > "$out/state-show.json"
sed -i 's/"redis"/"valkey"/' main.tf
terraform plan -no-color -input=false > "$out/plan-text.txt"
terraform providers schema -json > "$out/providers-schema.json"
echo "wrote $(ls "$out" | wc -l) files to $out"
