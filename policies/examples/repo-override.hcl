# An example repository policy, layered on top of the organisation's strict.hcl:
#   tfguard --policy policies/examples/strict.hcl --policy policies/examples/repo-override.hcl plan.json
# (in a repository: the organisation file first, then the repository's own .tfguard.hcl).
# Reference: docs/policy.md, "Layering". Tests: policies/examples/tests/layering.test.json.
#
# A later file may add and tighten freely. Anything that loosens an earlier file must say
# `loosen = true` where it does so, is refused outright when the earlier rule is locked, and is
# reported by `tfguard policy validate` and in every report.

version     = 1
description = "Example repository policy on top of strict.hcl: legacy resources are stateful, forgetting stateful resources always needs an approval, and human changes may lower protections."

# Adds to the organisation's stateful settings (adding is never loosening). This repository keeps
# legacy data in module.legacy and in terraform_data resources named legacy_*; neither is in the
# catalogue, so they are declared stateful here, with the default severity (high).
stateful {
  addresses = ["module.legacy.**", "terraform_data.legacy_*"]
}

# Tightens strict.hcl's rule of the same name: approval for every forget, not only AI-generated ones.
# A rule given again replaces the earlier one as a whole, so it is written out in full, with the
# same match (a different match would count as loosening).
rule "stateful-forget" {
  description = "A stateful resource leaves Terraform's management. This repository is moving legacy resources out of Terraform one by one, and every such move is reviewed."
  match {
    kinds    = ["forget", "forget-replace"]
    stateful = true
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "always"
    count = 1
  }
  message = "A stateful resource leaves Terraform's management (the object itself is kept); every forget needs an approval here"
}

# Knowingly loosens strict.hcl's rule of the same name (approval `always` → `ai`): the database team
# lowers retention windows by hand during migrations. Without `loosen = true` this file is refused.
rule "protection-downgrade" {
  description = "Lowering a protection of a stateful resource. Human changes only warn in this repository; AI-generated ones still need an approval."
  match {
    protection_downgrade = true
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "ai"
    count = 1
  }
  message = "Lowers a protection of a stateful resource"
  loosen  = true
}
