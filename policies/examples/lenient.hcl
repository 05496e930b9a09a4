# An example organisation policy: lenient.
#
# For teams that want tfguard's report on every plan but a hard stop only where it matters most:
#   - destroying most of the environment (or a -destroy plan) needs two senior approvals, whoever
#     wrote the change;
#   - deleting or replacing a database or key material, or lowering its protection, needs one
#     approval when the change is AI-generated;
#   - everything else is advisory: reported as a warning, never blocking;
#   - a change nobody has declared AI-generated counts as human (`tfguard --provenance ai` marks an
#     agent's change).
# Reference: docs/policy.md. Tests: policies/examples/tests/lenient.test.hcl.
#
# Approvals: signed records (`tfguard approve`, checked against the approvers' ssh_keys) and approving
# pull-request reviews on the head commit (by the approvers' github logins); see docs/approvals.md.

version     = 1
description = "Example organisation policy (lenient): advisory except databases, key material and whole-environment deletion; unknown provenance counts as human."

stateful {
  catalogue = true
}

provenance {
  unknown = "human"
}

rule "whole-environment" {
  description = "At least 5 and at least half of the existing managed resources destroyed or replaced in one plan, or a `terraform plan -destroy` plan."
  match {
    whole_environment {
      min_count    = 5
      min_share    = 0.5
      destroy_mode = true
    }
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "always"
    count = 2
  }
  message = "Destroys or replaces most of the environment; two senior engineers must approve"
}

rule "database-or-key-destroy" {
  description = "Deleting or replacing a database or key material (catalogue categories database and key-material): the data, or everything encrypted with the key, is gone."
  match {
    kinds      = ["delete", "replace", "import-replace", "unknown"]
    stateful   = true
    categories = ["database", "key-material"]
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "ai"
    count = 1
  }
  message = "Destroys a database or key material"
}

rule "database-or-key-protection-downgrade" {
  description = "Lowering a protection (deletion_protection, skip_final_snapshot, backup retention, key deletion window, ...) of a database or key material."
  match {
    protection_downgrade = true
    categories           = ["database", "key-material"]
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "ai"
    count = 1
  }
  message = "Lowers a protection of a database or key material"
}

# The advisory rules below overlap the two above on purpose: a database replaced by an AI change gets
# a blocking finding from database-or-key-destroy and a warning from stateful-destroy. Rules are
# independent; each one that matches makes its own finding.

rule "stateful-destroy" {
  description = "Deleting or replacing any resource that holds data or durable identity."
  match {
    kinds    = ["delete", "replace", "import-replace", "unknown"]
    stateful = true
  }
  enforcement = "advisory"
  message     = "Destroys a resource that holds data or durable identity"
}

rule "protection-downgrade" {
  description = "Lowering a protection of any stateful resource."
  match {
    protection_downgrade = true
  }
  enforcement = "advisory"
  message     = "Lowers a protection of a stateful resource"
}

rule "stateful-forget" {
  description = "A stateful resource leaves Terraform's management; the object survives."
  match {
    kinds    = ["forget", "forget-replace"]
    stateful = true
  }
  enforcement = "advisory"
  message     = "A stateful resource leaves Terraform's management (the object itself is kept)"
}

rule "destructive" {
  description = "Any destructive change to a resource not known to hold data."
  match {
    destructive = true
    stateful    = false
  }
  enforcement = "advisory"
  message     = "Destroys, replaces or forgets a resource not known to hold data"
}
